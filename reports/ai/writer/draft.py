"""The section being written: `Draft` collects one section's Markdown parts, the gaps it marks and
the figures it derives, and holds the prose and tables several composers share (names, the need,
goals, benefits and money in sentences, the timeline, requirement, risk and phase tables, schedule
gaps). A `Composer` is a function that fills a Draft for one title.

Every figure a section states is either the record's own or registered here with `derive`
(and the sentence that says how it was worked out), `count` (how many listed items) or
`explain` (a reference the section names), so a test can hold each number to its source."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from functools import cached_property

from analysis.engines.llm.text_insights import summarize
from reports.ai import facts, prose
from reports.ai.context import CustomerFacts, OpportunityFacts, SectionContext
from reports.ai.markdown import bullets, money, percent, table


@dataclass(frozen=True)
class Derivation:
    """A figure the section works out from the record. `how` is the phrase, shown in the section,
    that tells the reader how; it is empty for a count of items the record lists."""

    figure: str
    how: str


@dataclass
class Draft:
    report_type: str
    title: str
    ctx: SectionContext
    parts: list[str] = field(default_factory=list)
    gaps: list[str] = field(default_factory=list)
    derivations: list[Derivation] = field(default_factory=list)

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

    def derive(self, figure: str, how: str) -> str:
        """Register a worked-out figure; `how` must appear in the section (markdown() adds it
        as a closing note when the composer did not place it itself)."""
        self.derivations.append(Derivation(figure, how))
        return figure

    def count(self, n: int, noun: str) -> str:
        """'four risks': a count of items, registered as derived."""
        return self.derive(prose.count(n, noun), "")

    def number(self, n: int) -> str:
        return self.derive(prose.number_word(n), "")

    def explain(self, how: str) -> str:
        """A statement of method or reference ('Rating: likelihood × impact ...'), registered so
        the figures it carries are read as the method's, not as claims about the deal."""
        self.derivations.append(Derivation("", how))
        return how

    def markdown(self) -> str:
        body = "\n\n".join(self.parts)
        unstated = list(dict.fromkeys(d.how for d in self.derivations if d.how and d.how not in body))
        parts = list(self.parts)
        if unstated:
            parts.append("_How the figures were worked out: " + "; ".join(unstated) + "._")
        return "\n\n".join([f"## {self.title}", *parts]).strip() + "\n"

    # -- the record --------------------------------------------------------------------------------

    # Short aliases keep the composers readable.
    @property
    def c(self) -> CustomerFacts:
        return self.ctx.customer

    @property
    def o(self) -> OpportunityFacts:
        return self.ctx.opportunity

    @cached_property
    def names(self) -> frozenset[str]:
        """Words the record capitalises in mid-sentence: they keep their capital in our prose."""
        return prose.proper_nouns(value for _, value in self.ctx.all_text())

    def lower(self, phrase: str) -> str:
        return prose.lower_first(phrase, self.names)

    def customer_name(self) -> str:
        return self.c.name or f"customer {self.c.customer_id}"

    def opportunity_name(self) -> str:
        return self.o.name or f"opportunity {self.o.opportunity_id}"

    def money(self, amount: float | None) -> str:
        return money(amount, self.o.currency)

    def date(self, value: date) -> str:
        return prose.long_date(value)

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

    # -- sentences several sections share ------------------------------------------------------

    def goals_sentence(self) -> str | None:
        """The opportunity's objectives in one sentence when each is verb-led ('to cut ... and to
        give ...'); a list after a lead-in otherwise; None when none is recorded."""
        goals = [prose.clause(g) for g in self.o.objectives if prose.clause(g)]
        if not goals:
            return None
        if all(prose.is_verb_led(g) for g in goals):
            aims = prose.join_words(prose.to_phrase(g, self.names) for g in goals)
            return f"The project sets out {aims}."
        return f"The project has {self.count(len(goals), 'stated goal')}:\n\n" + bullets(goals)

    def benefits_sentences(self) -> list[str]:
        """What the deal is expected to bring: the record's benefit lines (quantified first), the
        annual benefit figure, and the payback it implies against the cost, with how."""
        out = []
        lines = [prose.clause(b) for b in self.o.benefits if prose.clause(b)]
        quantified = [b for b in lines if facts.stated_amounts(b)]
        ordered = quantified + [b for b in lines if b not in quantified]
        if ordered:
            out.append(
                "The project is expected "
                + prose.join_words(prose.to_phrase(b, self.names) for b in ordered)
                + "."
            )
        m = facts.money_facts(self.ctx)
        if m.annual_benefit is not None:
            out.append(f"The record puts the expected benefit at {self.money(m.annual_benefit)} a year.")
        out.append(self.payback_sentence() or "")
        return [sentence for sentence in out if sentence]

    def payback_sentence(self) -> str | None:
        m = facts.money_facts(self.ctx)
        if m.payback_months is None or m.cost is None or m.annual_benefit is None:
            return None
        months = f"{m.payback_months:.0f} months"
        how = f"{self.money(m.cost)} ÷ ({self.money(m.annual_benefit)} ÷ 12 months)"
        return (
            f"Against the estimated cost of {self.money(m.cost)}, the investment pays back in "
            f"about {self.derive(months, how)} ({how})."
        )

    def return_sentence(self) -> str | None:
        """The three-year return in a sentence, each step shown."""
        m = facts.money_facts(self.ctx)
        if m.net_benefit is None or not m.cost or m.annual_benefit is None or m.roi_percent is None:
            return None
        total = self.money(m.annual_benefit * m.years)
        total_how = f"{self.money(m.annual_benefit)} × {m.years}"
        net_how = f"{total} − {self.money(m.cost)}"
        roi_how = "net benefit ÷ cost"
        return (
            f"Over {self.number(m.years)} years the expected benefit comes to "
            f"{self.derive(total, total_how)} ({total_how}), a net benefit of "
            f"{self.derive(self.money(m.net_benefit), net_how)} ({net_how}) and a return on investment of "
            f"{self.derive(percent(m.roi_percent), roi_how)} ({roi_how})."
        )

    def budget_sentence(self, *, price_word: str = "estimate", follows_price: bool = False) -> str | None:
        """The cost against the budget, with the difference worked out. `follows_price`: the
        previous sentence stated the amount, so this one refers back to it."""
        m = facts.money_facts(self.ctx)
        if m.budget is None or m.cost is None:
            return None
        gap = m.cost - m.budget
        subject = "That" if follows_price else f"The {price_word} of {self.money(m.cost)}"
        if abs(gap) < 0.005:
            return f"{subject} matches the budget of {self.money(m.budget)} exactly."
        how = (
            f"{self.money(m.cost)} − {self.money(m.budget)}"
            if gap > 0
            else f"{self.money(m.budget)} − {self.money(m.cost)}"
        )
        figure = self.derive(self.money(abs(gap)), how)
        if gap > 0:
            share = percent(gap / m.budget * 100)
            ratio = self.derive(f"{share} of the budget", f"{share} of the budget")
            return f"{subject} is **{figure} over** the budget of {self.money(m.budget)} ({how}), {ratio}."
        return f"{subject} fits the budget of {self.money(m.budget)} with {figure} to spare ({how})."

    def timeline_sentence(self) -> str | None:
        """Estimate, start and target in a sentence, and the slack they leave, with how."""
        window = facts.schedule(self.ctx)
        if not (window.needed_weeks or window.start or window.target):
            return None
        if window.needed_weeks and window.start and window.target:
            out = (
                f"Delivery is estimated at {window.needed_weeks} weeks from {self.date(window.start)}, "
                f"against a target go-live of {self.date(window.target)}."
            )
        elif window.needed_weeks and window.start:
            out = f"Delivery is estimated at {window.needed_weeks} weeks from {self.date(window.start)}."
        elif window.needed_weeks and window.target:
            out = (
                f"Delivery is estimated at {window.needed_weeks} weeks, against a target go-live of "
                f"{self.date(window.target)}."
            )
        elif window.start and window.target:
            out = f"The project runs from {self.date(window.start)} to a target go-live of {self.date(window.target)}."
        elif window.start:
            out = f"The project starts on {self.date(window.start)}."
        elif window.target:
            out = f"The customer's target go-live is {self.date(window.target)}."
        else:
            out = f"Delivery is estimated at {window.needed_weeks} weeks."
        slack = self.slack_sentence()
        return f"{out} {slack}" if slack else out

    def slack_sentence(self) -> str | None:
        window = facts.schedule(self.ctx)
        if window.slack_weeks is None or window.needed_weeks is None or window.available_weeks is None:
            return None
        # The distance between two stated dates needs no more explanation than saying so.
        apart = f"{window.available_weeks} weeks apart"
        self.derive(apart, apart)
        if window.slack_weeks < 0:
            short = self.derive(
                prose.count(-window.slack_weeks, "week"), f"{window.needed_weeks} − {window.available_weeks}"
            )
            return (
                f"Those dates are only {apart}, so the plan is {short} short "
                f"({window.needed_weeks} − {window.available_weeks})."
            )
        left = self.derive(
            prose.count(window.slack_weeks, "week"), f"{window.available_weeks} − {window.needed_weeks}"
        )
        return (
            f"Those dates are {apart}, which leaves {left} of slack "
            f"({window.available_weeks} − {window.needed_weeks})."
        )

    def risk_text(self, risk: facts.Risk) -> str:
        """A risk's description, its figures registered with how they were worked out."""
        return self.derive(risk.description, risk.how)

    # -- tables --------------------------------------------------------------------------------

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
            [index, self.risk_text(r), r.likelihood, r.impact, r.rating, r.mitigation]
            for index, r in enumerate(found, 1)
        ]
        return table(["#", "Risk", "Likelihood", "Impact", "Rating", "Mitigation"], rows)

    def phase_sizing(self) -> str:
        """How the phases were sized and dated: a house convention applied to the record's figures."""
        window = facts.schedule(self.ctx)
        total = window.needed_weeks or window.available_weeks
        shares = prose.join_words(f"{share * 100:.0f}%" for _, share in facts.PHASES)
        basis = (
            f"the {total}-week estimate" if window.needed_weeks else f"the {total} weeks to the target date"
        )
        dated = f", dated from the {self.date(window.start)} start" if window.start else ""
        return self.explain(
            f"Phases are sized at our usual shares of {shares} of {basis}{dated}; "
            "the record gives no phase plan of its own"
        )

    def phase_table(self, *, with_activities: bool = True) -> str:
        plan = facts.phases(self.ctx)
        headers = ["Phase", "Weeks", "Dates"] + (["Activities"] if with_activities else [])
        rows: list[list[object]] = []
        sized = any(phase.weeks for phase in plan)
        how = self.phase_sizing() if sized else ""
        for phase in plan:
            dates = (
                f"{phase.start.isoformat()} to {phase.end.isoformat()}" if phase.start and phase.end else "-"
            )
            weeks = str(phase.weeks) if phase.weeks is not None else "-"
            row: list[object] = [phase.name, self.derive(weeks, how), self.derive(dates, how)]
            if with_activities:
                row.append(self.derive("; ".join(phase.activities), ""))
            rows.append(row)
        out = table(headers, rows)
        return f"{out}\n\n_{how}._" if how else out

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
