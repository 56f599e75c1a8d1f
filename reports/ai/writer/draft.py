"""The section being written: `Draft` collects one section's Markdown parts and the gaps it marks,
and holds the prose and tables several composers share (names, the need and the proposal in
brief, the timeline sentence, requirement, risk and phase tables, schedule gaps). A `Composer`
is a function that fills a Draft for one title."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from analysis.engines.llm.text_insights import summarize
from reports.ai import facts
from reports.ai.context import CustomerFacts, OpportunityFacts, SectionContext
from reports.ai.markdown import bullets, join_words, money, table


@dataclass
class Draft:
    report_type: str
    title: str
    ctx: SectionContext
    parts: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)

    # -- writing -------------------------------------------------------------------------------

    def add(self, *parts: str) -> None:
        self.parts.extend(p for p in parts if p)

    def heading(self, value: str) -> None:
        self.parts.append(f"### {value}")

    def gap(self, what: str) -> str:
        """Record that the context is silent on `what`; returns the marker to place in the text."""
        if what not in self.gaps:
            self.gaps.append(what)
        return f"> **Gap:** {what}"

    def markdown(self) -> str:
        return "\n\n".join([f"## {self.title}", *self.parts]).strip() + "\n"

    # -- shared phrases ------------------------------------------------------------------------

    # Short aliases keep the composers readable.
    @property
    def c(self) -> CustomerFacts:
        return self.ctx.customer

    @property
    def o(self) -> OpportunityFacts:
        return self.ctx.opportunity

    def customer_name(self) -> str:
        return self.c.name or f"customer {self.c.customer_id}"

    def opportunity_name(self) -> str:
        return self.o.name or f"opportunity {self.o.opportunity_id}"

    def money(self, amount: float | None) -> str:
        return money(amount, self.o.currency)

    def record_gaps(self) -> None:
        """Missing records are the first thing a reader must know."""
        if not self.c.found:
            self.add(self.gap(f"No customer record for `{self.c.customer_id}`: customer facts are missing."))
        if not self.o.found:
            self.add(
                self.gap(
                    f"No opportunity record `{self.o.opportunity_id}` for this customer: the deal's scope, "
                    "money and dates are missing."
                )
            )

    def customer_profile(self) -> str:
        bits = [b for b in (self.c.industry, self.c.region) if b]
        if self.c.employee_count:
            bits.append(f"{self.c.employee_count:,} employees")
        return f"{self.customer_name()} ({', '.join(bits)})" if bits else self.customer_name()

    def need_summary(self) -> str | None:
        source = self.o.description or self.c.current_state
        return summarize(source, max_sentences=2) if source.strip() else None

    def solution_summary(self) -> str | None:
        return (
            summarize(self.o.proposed_solution, max_sentences=2) if self.o.proposed_solution.strip() else None
        )

    def timeline_sentence(self) -> str | None:
        window = facts.schedule(self.ctx)
        bits = []
        if window.needed_weeks:
            bits.append(f"an estimated {window.needed_weeks} weeks of delivery")
        if window.start:
            bits.append(f"starting {window.start.isoformat()}")
        if window.target:
            bits.append(f"against a target go-live of {window.target.isoformat()}")
        return ("The plan assumes " + join_words(bits) + ".") if bits else None

    def requirement_table(self, *, with_coverage: bool = False) -> str:
        coverage = {c.requirement: c for c in facts.solution_coverage(self.ctx)}
        headers = ["ID", "Requirement", "Priority", "Type"]
        if with_coverage:
            headers.append("Coverage by the proposed solution")
        rows: list[list[object]] = []
        for index, requirement in enumerate(self.o.requirements, 1):
            row: list[object] = [
                f"R-{index:02d}",
                requirement,
                facts.priority_of(requirement),
                facts.category_of(requirement),
            ]
            if with_coverage:
                row.append(coverage[requirement].label)
            rows.append(row)
        return table(headers, rows)

    def risk_table(self) -> str:
        found = facts.risks(self.ctx)
        if not found:
            return self.gap("The record lists no risks, and its facts imply none that can be rated.")
        rows: list[list[object]] = [
            [index, r.description, r.likelihood, r.impact, r.rating, r.mitigation]
            for index, r in enumerate(found, 1)
        ]
        return table(["#", "Risk", "Likelihood", "Impact", "Rating", "Mitigation"], rows)

    def phase_table(self, *, with_activities: bool = True) -> str:
        plan = facts.phases(self.ctx)
        headers = ["Phase", "Weeks", "Dates"] + (["Activities"] if with_activities else [])
        rows: list[list[object]] = []
        for phase in plan:
            dates = (
                f"{phase.start.isoformat()} to {phase.end.isoformat()}" if phase.start and phase.end else "-"
            )
            row: list[object] = [phase.name, phase.weeks if phase.weeks is not None else "-", dates]
            if with_activities:
                row.append("; ".join(phase.activities))
            rows.append(row)
        return table(headers, rows)

    def schedule_gaps(self) -> list[str]:
        out = []
        window = facts.schedule(self.ctx)
        if not window.start:
            out.append(self.gap("No start date: phases cannot be dated."))
        if not window.needed_weeks and not window.available_weeks:
            out.append(self.gap("No delivery estimate and no target date: phase lengths are unknown."))
        elif not window.needed_weeks:
            out.append(
                self.gap("No delivery estimate: phases are sized to the window up to the target date.")
            )
        if not window.target:
            out.append(self.gap("No target go-live date from the customer."))
        return out

    def list_or_gap(self, items: list[str], missing: str, *, ordered: bool = False) -> str:
        return bullets(items, ordered=ordered) if items else self.gap(missing)


Composer = Callable[[Draft], None]
