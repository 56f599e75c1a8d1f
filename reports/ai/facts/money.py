"""The deal's money: budget, cost estimate and expected benefit, and what follows from them (the
budget gap, payback, net benefit and return over the horizon), plus amounts stated in free text."""

from __future__ import annotations

from dataclasses import dataclass

from analysis.engines import text
from reports.ai.context import SectionContext


@dataclass(frozen=True)
class MoneyFacts:
    budget: float | None
    cost: float | None
    annual_benefit: float | None
    years: int = 3

    @property
    def budget_gap(self) -> float | None:
        """Cost minus budget: positive means over budget."""
        if self.budget is None or self.cost is None:
            return None
        return self.cost - self.budget

    @property
    def payback_months(self) -> float | None:
        if self.cost is None or not self.annual_benefit or self.annual_benefit <= 0:
            return None
        return self.cost / (self.annual_benefit / 12)

    @property
    def net_benefit(self) -> float | None:
        if self.cost is None or self.annual_benefit is None:
            return None
        return self.annual_benefit * self.years - self.cost

    @property
    def roi_percent(self) -> float | None:
        if self.net_benefit is None or not self.cost:
            return None
        return self.net_benefit / self.cost * 100


def money_facts(ctx: SectionContext) -> MoneyFacts:
    o = ctx.opportunity
    return MoneyFacts(o.budget_amount, o.estimated_cost, o.expected_annual_benefit)


def stated_amounts(line: str) -> list[text.Quantity]:
    return [q for q in text.numbers(line) if q.unit in {"USD", "EUR", "GBP", "INR", "JPY", "%"}]
