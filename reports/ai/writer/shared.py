"""Composers more than one report type uses: the executive summary with its feasibility verdict,
the risk, timeline and resource sections, and the assumptions list (recorded and derived)."""

from __future__ import annotations

from reports.ai import facts
from reports.ai.markdown import bullets, join_words, table
from reports.ai.writer.draft import Draft
from reports.catalog import ReportType


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
