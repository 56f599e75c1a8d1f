"""The local section writer: one composer per allowed title, each building its Markdown from the
customer and opportunity record (tables, plans and figures computed from the record's own facts)
and marking, as a `> **Gap:**` line, each fact the section needs and the record does not give."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from analysis.engines import text
from analysis.engines.llm.text_insights import summarize
from reports.ai import facts
from reports.ai.context import CustomerFacts, OpportunityFacts, SectionContext
from reports.ai.markdown import bullets, join_words, money, percent, table
from reports.catalog import ReportType


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

# ============================================================================================
# Shared by several report types
# ============================================================================================


def feasibility_verdict(d: Draft) -> tuple[str, list[str]]:
    """A verdict and its reasons from the money, the calendar, the risks and coverage."""
    money_facts = facts.money_facts(d.ctx)
    window = facts.schedule(d.ctx)
    high_risks = [r for r in facts.risks(d.ctx) if r.rating == "High"]
    uncovered_musts = [
        c
        for c in facts.solution_coverage(d.ctx)
        if c.label == "Not addressed" and facts.priority_of(c.requirement) == "Must"
    ]
    blockers, concerns, unknowns = [], [], []
    gap = money_facts.budget_gap
    if gap is None:
        unknowns.append("budget fit (budget or cost estimate missing)")
    elif money_facts.budget and gap > 0.2 * money_facts.budget:
        blockers.append(f"the estimate exceeds the budget by {d.money(gap)}")
    elif gap > 0:
        concerns.append(f"the estimate exceeds the budget by {d.money(gap)}")
    if window.slack_weeks is None:
        unknowns.append("schedule fit (dates or estimate missing)")
    elif window.slack_weeks < 0:
        blockers.append(f"delivery needs {-window.slack_weeks} more weeks than the window allows")
    if uncovered_musts:
        concerns.append(f"{len(uncovered_musts)} must-have requirement(s) not yet addressed")
    if high_risks:
        concerns.append(f"{len(high_risks)} high-rated risk(s)")
    if money_facts.roi_percent is not None and money_facts.roi_percent < 0:
        concerns.append(f"benefits do not repay the cost within {money_facts.years} years")
    if blockers:
        return "Not feasible as currently scoped", blockers + concerns
    if len(unknowns) >= 2 or not (d.c.found and d.o.found):
        return "Cannot be confirmed from the record", unknowns + concerns
    if concerns or unknowns:
        return "Feasible with conditions", concerns + unknowns
    return "Feasible", ["budget, schedule, coverage and risks all within limits"]


def executive_summary(d: Draft) -> None:
    d.record_gaps()
    opening = f"This {d.report_type.replace('_', ' ').lower()} covers **{d.opportunity_name()}** for {d.customer_profile()}"
    opening += f", currently at the {d.o.stage} stage." if d.o.stage else "."
    d.add(opening)
    need = d.need_summary()
    d.add(f"**The need.** {need}" if need else d.gap("The record does not describe the customer's need."))
    solution = d.solution_summary()
    d.add(f"**The proposal.** {solution}" if solution else d.gap("No proposed solution is recorded."))
    money_facts = facts.money_facts(d.ctx)
    if d.report_type == ReportType.FEASIBILITY_REPORT:
        verdict, reasons = feasibility_verdict(d)
        reason = "; ".join(reasons)
        d.add(f"**Verdict: {verdict}.** {reason[:1].upper()}{reason[1:]}.")
    elif d.report_type == ReportType.TECHNICAL_SCOPE:
        scope = [
            f"{len(d.o.requirements)} requirement(s)",
            f"{len(d.o.integrations)} integration point(s)",
            f"{len(d.o.technologies)} named technolog{'y' if len(d.o.technologies) == 1 else 'ies'}",
        ]
        d.add("**Scope.** " + join_words(scope) + ".")
    else:
        if money_facts.cost is not None:
            model = {"fixed_price": "fixed price", "time_and_materials": "time and materials estimate", "subscription": "subscription"}.get(d.o.pricing_model, "price")  # fmt: skip
            d.add(f"**Investment.** {d.money(money_facts.cost)} ({model}).")
        else:
            d.add(d.gap("No price or cost estimate is recorded."))
    figures = []
    if money_facts.budget is not None:
        figures.append(f"budget {d.money(money_facts.budget)}")
    if money_facts.cost is not None and d.report_type != ReportType.COMMERCIAL_PROPOSAL:
        figures.append(f"estimated cost {d.money(money_facts.cost)}")
    if money_facts.payback_months is not None:
        figures.append(f"payback in about {money_facts.payback_months:.0f} months")
    if figures:
        d.add("**Key figures:** " + "; ".join(figures) + ".")
    d.add(d.timeline_sentence() or d.gap("No dates or delivery estimate are recorded."))
    top = [r for r in facts.risks(d.ctx) if r.rating == "High"][:3]
    if top:
        d.add("**Top risks:** " + "; ".join(r.description.rstrip(".") for r in top) + ".")


def risk_section(d: Draft) -> None:
    d.record_gaps()
    found = facts.risks(d.ctx)
    if found:
        high = sum(1 for r in found if r.rating == "High")
        recorded = sum(1 for r in found if r.source == "record")
        d.add(
            f"{len(found)} risk(s) for {d.opportunity_name()}: {recorded} from the opportunity record and "
            f"{len(found) - recorded} implied by its budget, dates, integrations, compliance and dependencies; "
            f"{high} rated high (likelihood × impact)."
        )
    d.add(d.risk_table())
    if any(r.mitigation.startswith("Owner to define") for r in found):
        d.add(d.gap("Some recorded risks have no mitigation and no pattern suggests one."))
    d.add("_Rating: likelihood × impact on a 1-3 scale; 6 or more is high, 3-4 medium._")


def timeline_section(d: Draft) -> None:
    d.record_gaps()
    d.add(d.timeline_sentence() or "")
    d.add(d.phase_table())
    for marker in d.schedule_gaps():
        d.add(marker)
    window = facts.schedule(d.ctx)
    if window.slack_weeks is not None:
        if window.slack_weeks < 0:
            d.add(f"**The plan does not fit:** {-window.slack_weeks} week(s) short of the target date.")
        else:
            d.add(f"The plan leaves {window.slack_weeks} week(s) of slack before the target date.")


def assumptions_list(d: Draft) -> list[str]:
    derived = []
    systems = [facts.split_label(i)[0] for i in d.o.integrations]
    if systems:
        derived.append(
            f"{d.customer_name()} provides test access to {join_words(systems)} by the end of discovery."
        )
    named = [s.name for s in facts.stakeholders(d.ctx) if s.influence == "High"]
    if named:
        verb = "remains" if len(named) == 1 else "remain"
        derived.append(f"{join_words(named)} {verb} available for decisions within a week.")
    if d.o.duration_weeks:
        derived.append(
            f"The {d.o.duration_weeks}-week estimate holds for the scope as recorded; changes go through change control."
        )
    return list(d.o.assumptions) + [f"{a} _(derived from the record)_" for a in derived]


# ============================================================================================
# Feasibility_report
# ============================================================================================


def project_overview(d: Draft) -> None:
    d.record_gaps()
    d.add(f"**{d.opportunity_name()}** for {d.customer_profile()}.")
    d.add(d.o.description or d.gap("The record does not describe the project."))
    d.heading("Objectives")
    d.add(d.list_or_gap(d.o.objectives, "No objectives are recorded."))
    d.heading("Scope at a glance")
    d.add(
        bullets(
            [
                f"{len(d.o.requirements)} requirement(s), {sum(1 for r in d.o.requirements if facts.priority_of(r) == 'Must')} must-have",
                f"{len(d.o.deliverables)} deliverable(s)",
                f"{len(d.o.integrations)} integration point(s)",
                f"{len(d.o.stakeholders)} named stakeholder(s)",
            ]
        )
    )
    if d.o.exclusions:
        d.add("Out of scope: " + "; ".join(d.o.exclusions) + ".")
    d.add(d.timeline_sentence() or d.gap("No dates or delivery estimate are recorded."))


def business_requirements(d: Draft) -> None:
    d.record_gaps()
    if not d.o.requirements:
        d.add(d.gap("No requirements are recorded for this opportunity."))
        return
    counts = {
        p: sum(1 for r in d.o.requirements if facts.priority_of(r) == p) for p in ("Must", "Should", "Could")
    }
    d.add(
        f"{len(d.o.requirements)} requirement(s): {counts['Must']} must, {counts['Should']} should, "
        f"{counts['Could']} could (priority read from each requirement's wording)."
    )
    d.add(d.requirement_table())
    unprioritised = [r for r in d.o.requirements if facts.priority_of(r) == "-"]
    if unprioritised:
        d.add(
            d.gap(f"{len(unprioritised)} requirement(s) do not say how much they matter (must/should/could).")
        )
    if d.o.objectives:
        d.heading("Traceability to objectives")
        rows = []
        for objective in d.o.objectives:
            linked = [
                f"R-{i:02d}"
                for i, r in enumerate(d.o.requirements, 1)
                if facts.containment(r, objective) >= 0.3 or facts.containment(objective, r) >= 0.3
            ]
            rows.append([objective, ", ".join(linked) or "none (no requirement serves it)"])
        d.add(table(["Objective", "Requirements"], rows))


def technical_assessment(d: Draft) -> None:
    d.record_gaps()
    d.heading("Current state")
    d.add(d.c.current_state or d.gap("The customer's current systems and processes are not described."))
    d.heading("Proposed solution")
    d.add(d.o.proposed_solution or d.gap("No proposed solution is recorded."))
    if d.o.technologies:
        d.add("Technologies: " + ", ".join(d.o.technologies) + ".")
    d.heading("Requirement coverage")
    coverage = facts.solution_coverage(d.ctx)
    if coverage:
        d.add(
            table(
                ["Requirement", "Priority", "Coverage"],
                [[c.requirement, facts.priority_of(c.requirement), c.label] for c in coverage],
            )
        )
        addressed = sum(1 for c in coverage if c.label == "Addressed")
        d.add(f"{addressed} of {len(coverage)} requirement(s) are addressed by the solution as written.")
    else:
        d.add(d.gap("No requirements to assess the solution against."))
    d.heading("Complexity")
    drivers = []
    if d.o.integrations:
        drivers.append(
            f"{len(d.o.integrations)} integration(s) ({', '.join(facts.split_label(i)[0] for i in d.o.integrations)})"
        )
    if d.o.compliance:
        drivers.append("compliance obligations (" + ", ".join(d.o.compliance) + ")")
    nonfunctional = [r for r in d.o.requirements if facts.category_of(r) == "Non-functional"]
    if nonfunctional:
        drivers.append(f"{len(nonfunctional)} non-functional requirement(s)")
    level = "High" if len(drivers) >= 3 or len(d.o.integrations) >= 4 else "Medium" if drivers else "Low"
    d.add(f"**{level}** technical complexity" + (": " + "; ".join(drivers) + "." if drivers else "."))


def resource_assessment(d: Draft) -> None:
    d.record_gaps()
    found = facts.resources(d.ctx)
    if not found:
        d.add(d.gap("No team or resources are recorded."))
    else:
        d.add(
            table(
                ["Role", "Count"],
                [[r.role, f"{r.count:g}" if r.count is not None else "not stated"] for r in found],
            )
        )
        headcount = sum(r.count for r in found if r.count is not None)
        weeks = d.o.duration_weeks
        if weeks and headcount:
            effort = headcount * weeks
            line = f"{headcount:g} people over {weeks} weeks: about {effort:g} person-weeks."
            if d.o.estimated_cost:
                line += f" The estimate of {d.money(d.o.estimated_cost)} implies {d.money(d.o.estimated_cost / effort)} per person-week."
            d.add(line)
        elif not weeks:
            d.add(d.gap("No delivery estimate, so total effort cannot be computed."))
    missing = facts.missing_roles(d.ctx)
    if missing:
        d.heading("Roles the scope needs that the team does not name")
        d.add(bullets(missing))


def cost_benefit(d: Draft) -> None:
    d.record_gaps()
    m = facts.money_facts(d.ctx)
    d.heading("Costs")
    if m.cost is not None:
        rows = [
            [phase.name, d.money(m.cost * share)]
            for phase, (_, share) in zip(facts.phases(d.ctx), facts.PHASES, strict=True)
        ]
        rows.append(["**Total (estimate)**", f"**{d.money(m.cost)}**"])
        d.add(table(["Cost item", "Amount"], rows))
        d.add("_Phase amounts split the estimate by each phase's share of the effort._")
    else:
        d.add(d.gap("No cost estimate is recorded."))
    if m.budget is not None and m.cost is not None:
        gap = m.budget_gap or 0.0
        if gap > 0:
            d.add(
                f"The estimate is **{d.money(gap)} over** the budget of {d.money(m.budget)} ({percent(gap / m.budget * 100)})."
            )
        else:
            d.add(f"The estimate fits the budget of {d.money(m.budget)} with {d.money(-gap)} to spare.")
    elif m.budget is None:
        d.add(d.gap("The customer's budget is not recorded."))
    d.heading("Benefits")
    if m.annual_benefit is not None:
        d.add(f"Expected benefit: {d.money(m.annual_benefit)} per year.")
    quantified = [(line, facts.stated_amounts(line)) for line in d.o.benefits]
    stated = [
        f"{line} _(stated: {', '.join(q.text for q in amounts)})_" for line, amounts in quantified if amounts
    ]
    qualitative = [line for line, amounts in quantified if not amounts]
    if stated:
        d.add("Quantified in the record:\n\n" + bullets(stated))
    if qualitative:
        d.add("Not quantified:\n\n" + bullets(qualitative))
    if m.annual_benefit is None and not d.o.benefits:
        d.add(d.gap("No benefits are recorded."))
    d.heading(f"Return over {m.years} years")
    if m.net_benefit is not None and m.cost:
        rows2: list[list[object]] = [
            ["Total cost", d.money(m.cost)],
            [
                f"Benefits over {m.years} years",
                d.money(m.annual_benefit * m.years if m.annual_benefit else 0),
            ],
            ["Net benefit", d.money(m.net_benefit)],
            ["Return on investment", percent(m.roi_percent or 0.0)],
            ["Payback", f"{m.payback_months:.0f} months" if m.payback_months else "not within the horizon"],
        ]
        d.add(table(["Measure", "Value"], rows2))
    else:
        d.add(d.gap("Return cannot be computed without both a cost estimate and an annual benefit figure."))


def alternative_solutions(d: Draft) -> None:
    d.record_gaps()
    requirements = d.o.requirements
    options: list[tuple[str, str]] = []
    if d.o.proposed_solution:
        options.append(("Proposed solution", d.o.proposed_solution))
    options += [facts.split_label(a) for a in d.o.alternatives]
    if not d.o.alternatives:
        d.add(d.gap("The record lists no alternatives to the proposed solution."))

    def covered(description: str) -> int:
        have = facts.terms(description)
        return sum(1 for r in requirements if facts.containment(r, have) >= 0.3)

    rows: list[list[object]] = []
    for name, description in options:
        share = f"{covered(description)} of {len(requirements)}" if requirements else "-"
        rows.append([name, description or "not described", share])
    pains = facts.pain_points(d.c.current_state)
    rows.append(
        [
            "Do nothing",
            "Keep today's setup" + (f": {pains[0]}" if pains else ""),
            f"0 of {len(requirements)}" if requirements else "-",
        ]
    )
    d.add(table(["Option", "Description", "Requirements addressed"], rows))
    d.add("_A requirement counts as addressed when most of its words appear in the option's description._")
    if requirements and len(options) > 1:
        ranked = sorted(options, key=lambda option: -covered(option[1]))
        leader = ranked[0][0]
        d.add(
            f"On requirement coverage, **{leader}** leads with {covered(ranked[0][1])} of {len(requirements)}."
        )
    elif not requirements:
        d.add(d.gap("No requirements to compare the options against."))


def timeline_feasibility(d: Draft) -> None:
    d.record_gaps()
    window = facts.schedule(d.ctx)
    rows: list[list[object]] = [
        ["Start", window.start.isoformat() if window.start else "not stated"],
        ["Target go-live", window.target.isoformat() if window.target else "not stated"],
        ["Window", f"{window.available_weeks} weeks" if window.available_weeks is not None else "unknown"],
        ["Delivery estimate", f"{window.needed_weeks} weeks" if window.needed_weeks else "not stated"],
        ["Slack", f"{window.slack_weeks} weeks" if window.slack_weeks is not None else "unknown"],
    ]
    d.add(table(["Measure", "Value"], rows))
    if window.slack_weeks is None:
        d.add("**Verdict: cannot be assessed** until the dates and the estimate are known.")
    elif window.slack_weeks < 0:
        d.add(f"**Verdict: not feasible** as planned: {-window.slack_weeks} week(s) short.")
    elif window.needed_weeks and window.slack_weeks < 0.15 * window.needed_weeks:
        d.add(f"**Verdict: tight.** {window.slack_weeks} week(s) of slack is under 15% of the estimate.")
    else:
        d.add(f"**Verdict: feasible**, with {window.slack_weeks} week(s) of slack.")
    d.add(d.phase_table(with_activities=False))
    for marker in d.schedule_gaps():
        d.add(marker)


def stakeholder_analysis(d: Draft) -> None:
    d.record_gaps()
    found = facts.stakeholders(d.ctx)
    if not found:
        d.add(d.gap("No stakeholders are recorded."))
        return
    d.add(
        table(
            ["Stakeholder", "Role", "Influence", "Interest", "Engagement"],
            [[s.name, s.role, s.influence, s.interest, s.engagement] for s in found],
        )
    )
    d.add(
        "_Influence and interest are read from each role's title (executives and sponsors high influence; users, owners and leads high interest)._"
    )
    if not any(s.influence == "High" for s in found):
        d.add(d.gap("No executive sponsor is named."))
    if any(s.role == "role not stated" for s in found):
        d.add(d.gap("Some stakeholders have no role recorded."))


def recommendations(d: Draft) -> None:
    d.record_gaps()
    verdict, _ = feasibility_verdict(d)
    items: list[tuple[str, str]] = []
    m = facts.money_facts(d.ctx)
    if m.budget_gap is not None and m.budget_gap > 0:
        items.append(
            (
                "High",
                f"Close the {d.money(m.budget_gap)} gap between estimate and budget: reduce the first phase or agree more budget.",
            )
        )
    window = facts.schedule(d.ctx)
    if window.slack_weeks is not None and window.slack_weeks < 0:
        items.append(
            ("High", f"Move the go-live date by at least {-window.slack_weeks} week(s) or cut scope to fit.")
        )
    for coverage in facts.solution_coverage(d.ctx):
        if coverage.label == "Not addressed" and facts.priority_of(coverage.requirement) == "Must":
            items.append(("High", f"Extend the solution design to meet: {coverage.requirement.rstrip('.')}."))
    # Budget and calendar shortfalls already have their own item above.
    covered = ("Estimated cost exceeds", "Delivery needs")
    for risk in [
        r for r in facts.risks(d.ctx) if r.rating == "High" and not r.description.startswith(covered)
    ][:3]:
        items.append(
            (
                "High" if risk.source == "record" else "Medium",
                f'Mitigate "{risk.description.rstrip(".")}": {risk.mitigation.rstrip(".")}.',
            )
        )
    missing = [
        label
        for label, value in (
            ("budget", m.budget),
            ("cost estimate", m.cost),
            ("start date", d.o.start_on),
            ("target date", d.o.target_on),
            ("annual benefit", m.annual_benefit),
        )
        if value is None
    ]
    if missing:
        items.append(
            ("Medium", f"Record the missing {join_words(missing)} so the assessment can be completed.")
        )
    for role in facts.missing_roles(d.ctx):
        items.append(("Medium", f"Staff a {role}."))
    if not items:
        items.append(("Low", "Proceed to the proposal stage; no blocking issue was found in the record."))
    d.add(f"Overall: **{verdict}**.")
    order = {"High": 0, "Medium": 1, "Low": 2}
    d.add(
        bullets([f"**{p}:** {text_}" for p, text_ in sorted(items, key=lambda i: order[i[0]])], ordered=True)
    )


def appendix(d: Draft) -> None:
    d.record_gaps()
    d.heading("Sources")
    d.add(
        bullets(
            [
                f"Customer record `{d.c.customer_id}`" + ("" if d.c.found else " (not found)"),
                f"Opportunity record `{d.o.opportunity_id}`"
                + (f", stage {d.o.stage}" if d.o.stage else "")
                + ("" if d.o.found else " (not found)"),
            ]
        )
    )
    if d.o.assumptions:
        d.heading("Assumptions")
        d.add(bullets(d.o.assumptions))
    if d.o.dependencies:
        d.heading("Dependencies")
        d.add(bullets(d.o.dependencies))
    if d.o.technologies:
        d.heading("Technologies")
        d.add(table(["Technology", "Layer"], [[t, facts.layer_of(t)] for t in d.o.technologies]))
    if d.o.notes:
        d.heading("Notes")
        d.add(d.o.notes)
    d.heading("Information the record does not hold")
    fields = {
        "budget": d.o.budget_amount, "cost estimate": d.o.estimated_cost, "annual benefit": d.o.expected_annual_benefit,
        "start date": d.o.start_on, "target date": d.o.target_on, "delivery estimate": d.o.duration_weeks,
        "requirements": d.o.requirements, "stakeholders": d.o.stakeholders, "risks": d.o.risks,
        "proposed solution": d.o.proposed_solution, "current state": d.c.current_state,
    }  # fmt: skip
    missing = [name for name, value in fields.items() if value in (None, "", [])]
    d.add(bullets(missing) if missing else "None of the fields this report uses is empty.")


# ============================================================================================
# Technical_scope
# ============================================================================================


def company_background(d: Draft) -> None:
    d.record_gaps()
    rows: list[list[object]] = [
        ["Industry", d.c.industry or "not stated"],
        ["Region", d.c.region or "not stated"],
        ["Employees", f"{d.c.employee_count:,}" if d.c.employee_count else "not stated"],
        ["Annual revenue", d.money(d.c.annual_revenue)],
    ]
    if d.c.employee_count:
        size = (
            "small"
            if d.c.employee_count < 50
            else "mid-sized"
            if d.c.employee_count < 250
            else "large"
            if d.c.employee_count < 1000
            else "enterprise"
        )
        rows.append(["Size band", size])
    d.add(f"**{d.customer_name()}**")
    d.add(table(["Fact", "Value"], rows))
    if d.c.description:
        d.add(d.c.description)
        themes = text.keywords(d.c.description, top=5)
        if themes:
            d.add("Key themes: " + ", ".join(themes) + ".")
    else:
        d.add(d.gap("The record does not describe the company."))
    missing = [
        name
        for name, value in (
            ("industry", d.c.industry),
            ("region", d.c.region),
            ("employee count", d.c.employee_count),
            ("annual revenue", d.c.annual_revenue),
        )
        if not value
    ]
    if missing and d.c.found:
        d.add(d.gap(f"Missing company facts: {join_words(missing)}."))


def current_state_analysis(d: Draft) -> None:
    d.record_gaps()
    if not d.c.current_state:
        d.add(d.gap("The customer's current systems and processes are not described."))
        return
    d.add(d.c.current_state)
    pains = facts.pain_points(d.c.current_state) + facts.pain_points(d.o.description)
    d.heading("Pain points")
    d.add(bullets(list(dict.fromkeys(pains))) if pains else "The description names no explicit pain points.")
    systems = [facts.split_label(i)[0] for i in d.o.integrations]
    if systems:
        d.heading("Systems in place")
        d.add(bullets(systems))
    figures = text.numbers(d.c.current_state)
    if figures:
        d.heading("Figures stated")
        d.add(bullets([f"{q.text}" for q in figures]))


def requirements_overview(d: Draft) -> None:
    d.record_gaps()
    if not d.o.requirements:
        d.add(d.gap("No requirements are recorded for this opportunity."))
        return
    functional = sum(1 for r in d.o.requirements if facts.category_of(r) == "Functional")
    d.add(
        f"{len(d.o.requirements)} requirement(s): {functional} functional and {len(d.o.requirements) - functional} non-functional."
    )
    d.add(d.requirement_table(with_coverage=True))
    if not any(facts.category_of(r) == "Non-functional" for r in d.o.requirements):
        d.add(d.gap("No non-functional requirements (performance, availability, security) are recorded."))


def proposed_solution(d: Draft) -> None:
    d.record_gaps()
    if not d.o.proposed_solution:
        d.add(d.gap("No proposed solution is recorded."))
    else:
        d.add(d.o.proposed_solution)
    coverage = facts.solution_coverage(d.ctx)
    if coverage:
        d.heading("How it meets the requirements")
        d.add(
            table(
                ["Requirement", "Coverage", "Where"],
                [
                    [c.requirement, c.label, c.evidence if c.score >= 0.3 and c.evidence else "-"]
                    for c in coverage
                ],
            )
        )
        open_items = [c.requirement for c in coverage if c.label == "Not addressed"]
        if open_items:
            d.add(d.gap(f"{len(open_items)} requirement(s) are not addressed by the solution as written."))
    if d.o.deliverables:
        d.heading("Deliverables")
        d.add(bullets(d.o.deliverables))


def technology_stack(d: Draft) -> None:
    d.record_gaps()
    if not d.o.technologies:
        d.add(d.gap("No technologies are recorded."))
        return
    layers: dict[str, list[str]] = {}
    for technology in d.o.technologies:
        layers.setdefault(facts.layer_of(technology), []).append(technology)
    d.add(table(["Layer", "Technologies"], [[layer, ", ".join(items)] for layer, items in layers.items()]))
    expected = ["Frontend", "Backend", "Data", "Infrastructure"]
    missing = [layer for layer in expected if layer not in layers]
    if missing:
        d.add(d.gap(f"No technology named for: {join_words(missing)}."))


def integration_points(d: Draft) -> None:
    d.record_gaps()
    found = facts.integrations(d.ctx)
    if not found:
        d.add(d.gap("No integrations are recorded."))
        return
    d.add(
        table(
            ["System", "Purpose", "Method", "Direction"],
            [[i.system, i.purpose, i.method, i.direction] for i in found],
        )
    )
    unclear = [i.system for i in found if i.method == "not stated" or i.direction == "Not stated"]
    if unclear:
        d.add(d.gap(f"Method or direction not stated for {join_words(unclear)}."))


def security_compliance(d: Draft) -> None:
    d.record_gaps()
    if d.o.compliance:
        rows = [
            [
                item,
                facts.obligations_for(item) or "obligations to confirm with the customer's compliance team",
            ]
            for item in d.o.compliance
        ]
        d.add(table(["Standard / regulation", "What it requires of the solution"], rows))
    else:
        d.add(d.gap("No compliance standards or regulations are recorded."))
    security = [
        r
        for r in d.o.requirements
        if facts.category_of(r) == "Non-functional"
        and facts.terms(r)
        & {"secur", "encrypt", "sso", "audit", "access", "sign-on", "retention", "gdpr", "hipaa"}
    ]
    if security:
        d.heading("Security requirements")
        d.add(bullets(security))
    sensitive = facts.sensitive_data(d.ctx)
    d.heading("Data handled")
    d.add(
        "The record mentions "
        + join_words(sensitive)
        + ": treat as sensitive (encryption at rest and in transit, least-privilege access, audit logs)."
        if sensitive
        else "The record does not say what personal or sensitive data the solution handles."
    )
    if not sensitive:
        d.add(d.gap("Data classification is not recorded."))


def implementation_timeline(d: Draft) -> None:
    timeline_section(d)


def resource_requirements(d: Draft) -> None:
    resource_assessment(d)


def risks_mitigations(d: Draft) -> None:
    risk_section(d)


def assumptions_dependencies(d: Draft) -> None:
    d.record_gaps()
    d.heading("Assumptions")
    d.add(d.list_or_gap(assumptions_list(d), "No assumptions are recorded."))
    d.heading("Dependencies")
    if d.o.dependencies:
        d.add(
            table(
                ["Dependency", "Needed by", "Suggested handling"],
                [
                    [
                        dep,
                        facts.PHASES[facts.phase_of(dep)][0],
                        facts.suggested_mitigation(dep) or "Name an owner and a date",
                    ]
                    for dep in d.o.dependencies
                ],
            )
        )
    else:
        d.add(d.gap("No dependencies are recorded."))


# ============================================================================================
# Commercial_proposal
# ============================================================================================


def scope_of_work(d: Draft) -> None:
    d.record_gaps()
    d.add(f"{d.opportunity_name()} for {d.customer_name()}.")
    d.heading("In scope")
    in_scope = [r for r in d.o.requirements if facts.priority_of(r) != "Won't (this phase)"]
    in_scope += [f"Integration with {facts.split_label(i)[0]}" for i in d.o.integrations]
    d.add(d.list_or_gap(in_scope, "No requirements or integrations are recorded to define the scope."))
    d.heading("Out of scope")
    later = [r for r in d.o.requirements if facts.priority_of(r) == "Won't (this phase)"]
    d.add(
        d.list_or_gap(
            list(d.o.exclusions) + later,
            "Nothing is recorded as out of scope; agree exclusions before signature.",
        )
    )


def deliverables(d: Draft) -> None:
    d.record_gaps()
    if not d.o.deliverables:
        d.add(d.gap("No deliverables are recorded."))
        return
    rows = []
    for index, deliverable in enumerate(d.o.deliverables, 1):
        requirement, score = facts.best_match(deliverable, d.o.requirements)
        acceptance = f"Meets: {requirement}" if requirement and score >= 0.5 else "To be agreed"
        rows.append([f"D-{index:02d}", deliverable, facts.PHASES[facts.phase_of(deliverable)][0], acceptance])
    d.add(table(["ID", "Deliverable", "Phase", "Acceptance"], rows))
    if any(row[3] == "To be agreed" for row in rows):
        d.add(d.gap("Some deliverables have no requirement to accept them against."))


def pricing(d: Draft) -> None:
    d.record_gaps()
    m = facts.money_facts(d.ctx)
    if m.cost is None:
        d.add(d.gap("No price or cost estimate is recorded."))
        return
    model = d.o.pricing_model
    rows = [
        [phase.name, phase.weeks if phase.weeks is not None else "-", d.money(m.cost * share)]
        for phase, (_, share) in zip(facts.phases(d.ctx), facts.PHASES, strict=True)
    ]
    rows.append(["**Total**", d.o.duration_weeks or "-", f"**{d.money(m.cost)}**"])
    d.add(table(["Phase", "Weeks", "Amount"], rows))
    if model == "fixed_price":
        d.add(f"Fixed price of {d.money(m.cost)} for the scope and deliverables listed in this proposal.")
    elif model == "time_and_materials":
        d.add(f"Time and materials: {d.money(m.cost)} is an estimate; invoices follow actual effort.")
    elif model == "subscription":
        d.add(f"Subscription: {d.money(m.cost / 12)} per month ({d.money(m.cost)} per year).")
    else:
        d.add(d.gap("The pricing model (fixed price, time and materials, subscription) is not decided."))
    if m.budget is not None:
        gap = m.budget_gap or 0.0
        d.add(
            f"Against the stated budget of {d.money(m.budget)}: "
            + (f"{d.money(gap)} over." if gap > 0 else f"{d.money(-gap)} under.")
        )
    if m.annual_benefit:
        d.add(
            f"With the expected benefit of {d.money(m.annual_benefit)} per year, the investment pays back in about {m.payback_months:.0f} months."
        )


def payment_terms(d: Draft) -> None:
    d.record_gaps()
    if d.o.payment_terms:
        d.add(d.o.payment_terms)
        instalments = []
        for part in re.split(r"[,;\n]|\band\b", d.o.payment_terms):
            shares = [q for q in text.numbers(part) if q.unit == "%"]
            if shares:
                milestone = part.replace(shares[0].text, "").strip(" .:-") or "not stated"
                instalments.append((milestone[:1].upper() + milestone[1:], shares[0].value))
        if instalments:
            cost = d.o.estimated_cost
            rows: list[list[object]] = [
                [milestone, f"{share:g}%", d.money(cost * share / 100) if cost is not None else "-"]
                for milestone, share in instalments
            ]
            d.add(table(["Instalment", "Share", "Amount"], rows))
            total = sum(share for _, share in instalments)
            if abs(total - 100) > 0.5:
                d.add(d.gap(f"The instalments stated add up to {total:g}%, not 100%."))
        return
    d.add(d.gap("No payment terms are recorded."))
    cost = d.o.estimated_cost
    rows = [
        [f"End of {name}", f"{share * 100:.0f}%", d.money(cost * share) if cost is not None else "-"]
        for name, share in facts.PHASES
    ]
    d.add("A milestone schedule in line with the delivery phases, to be agreed:")
    d.add(table(["Milestone", "Share", "Amount"], rows))


def commercial_timeline(d: Draft) -> None:
    d.record_gaps()
    d.add(d.timeline_sentence() or "")
    d.add(d.phase_table(with_activities=False))
    for marker in d.schedule_gaps():
        d.add(marker)


def assumptions(d: Draft) -> None:
    d.record_gaps()
    d.add(d.list_or_gap(assumptions_list(d), "No assumptions are recorded."))
    if d.o.dependencies:
        d.add("This proposal also depends on: " + "; ".join(d.o.dependencies) + ".")


def terms_conditions(d: Draft) -> None:
    d.record_gaps()
    clauses = [f"All amounts are in {d.o.currency.upper()}."]
    model = d.o.pricing_model
    if model == "fixed_price":
        clauses.append(
            "The fixed price covers only the deliverables and scope in this proposal; anything else is a change request."
        )
    elif model == "time_and_materials":
        clauses.append("Effort is invoiced as incurred; the estimate is not a cap unless agreed in writing.")
    elif model == "subscription":
        clauses.append("The subscription renews yearly unless either side gives notice.")
    if d.o.exclusions:
        clauses.append("Excluded from this agreement: " + "; ".join(d.o.exclusions) + ".")
    clauses.append("Changes to scope, dates or price go through written change control.")
    if d.o.payment_terms:
        clauses.append("Payment as set out under Payment Terms.")
    for item in d.o.compliance:
        obligation = facts.obligations_for(item)
        clauses.append(f"Both parties comply with {item}" + (f" ({obligation})." if obligation else "."))
    if facts.sensitive_data(d.ctx):
        clauses.append("A data processing agreement covers the personal data the solution handles.")
    if d.o.dependencies:
        clauses.append("Dates depend on the customer-side dependencies listed under Assumptions.")
    d.add(bullets(clauses, ordered=True))
    d.add(
        d.gap(
            "The record holds no agreed legal terms (liability, warranty, validity of this offer); legal review is required before signature."
        )
    )


COMPOSERS: dict[ReportType, dict[str, Composer]] = {
    ReportType.FEASIBILITY_REPORT: {
        "Executive Summary": executive_summary,
        "Project Overview": project_overview,
        "Business Requirements": business_requirements,
        "Technical Assessment": technical_assessment,
        "Resource Assessment": resource_assessment,
        "Cost-Benefit Analysis": cost_benefit,
        "Risk Assessment": risk_section,
        "Alternative Solutions": alternative_solutions,
        "Timeline Feasibility": timeline_feasibility,
        "Stakeholder Analysis": stakeholder_analysis,
        "Recommendations": recommendations,
        "Appendix": appendix,
    },
    ReportType.TECHNICAL_SCOPE: {
        "Executive Summary": executive_summary,
        "Company Background": company_background,
        "Current State Analysis": current_state_analysis,
        "Requirements Overview": requirements_overview,
        "Proposed Solution": proposed_solution,
        "Technology Stack": technology_stack,
        "Integration Points": integration_points,
        "Security & Compliance": security_compliance,
        "Implementation Timeline": implementation_timeline,
        "Resource Requirements": resource_requirements,
        "Risks & Mitigations": risks_mitigations,
        "Assumptions & Dependencies": assumptions_dependencies,
    },
    ReportType.COMMERCIAL_PROPOSAL: {
        "Executive Summary": executive_summary,
        "Scope of Work": scope_of_work,
        "Deliverables": deliverables,
        "Pricing": pricing,
        "Payment Terms": payment_terms,
        "Timeline": commercial_timeline,
        "Assumptions": assumptions,
        "Terms & Conditions": terms_conditions,
    },
}


def write_section(report_type: str, title: str, ctx: SectionContext) -> tuple[str, list[str]]:
    """(Markdown, gaps) for one allowed title. Raises KeyError for a title the type does not allow."""
    kind = ReportType(report_type)
    composer = COMPOSERS[kind][title]
    draft = Draft(kind.value, title, ctx)
    composer(draft)
    return draft.markdown(), draft.gaps
