"""Composers more than one report type uses: the executive summary (built from `paragraphs`), the
risk, timeline and resource sections, and the assumptions list (recorded and derived)."""

from __future__ import annotations

from reports.ai import facts, prose
from reports.ai.markdown import bullets, table
from reports.ai.writer import paragraphs
from reports.ai.writer.draft import Draft
from reports.catalog import ReportType


def executive_summary(d: Draft) -> None:
    d.record_gaps()
    kind = d.report_type.replace("_", " ").lower()
    opening = f"This {kind} covers **{d.opportunity_name()}** for {d.customer_profile()}"
    opening += f", an opportunity at the {d.o.stage} stage." if d.o.stage else "."
    need = d.need_summary()
    d.add(f"{opening} {need}" if need else opening)
    if not need:
        d.add(d.gap("The record does not describe the customer's need."))
    d.add(paragraphs.goals(d) or d.gap("No objectives are recorded for this opportunity."))
    d.add(paragraphs.proposal(d) or d.gap("No proposed solution is recorded."))
    d.add(paragraphs.benefits(d) or d.gap("No benefits and no expected benefit figure are recorded."))
    if d.report_type == ReportType.COMMERCIAL_PROPOSAL:
        d.add(paragraphs.investment(d) or d.gap("No price or cost estimate is recorded."))
        d.add(paragraphs.timeline(d) or d.gap("No dates or delivery estimate are recorded."))
    else:
        d.add(
            paragraphs.cost_and_timeline(d)
            or d.gap("No cost estimate, budget, dates or delivery estimate are recorded.")
        )
    if d.report_type == ReportType.FEASIBILITY_REPORT:
        d.add(paragraphs.verdict(d) or "")
    elif d.report_type == ReportType.TECHNICAL_SCOPE:
        d.add(paragraphs.scope(d) or d.gap("No requirements, integrations or technologies are recorded."))
    top = paragraphs.main_risks(d)
    if top:
        d.add("**Main risks.** " + " ".join(prose.sentence(d.risk_text(r)) for r in top))


def risk_section(d: Draft) -> None:
    d.record_gaps()
    found = facts.risks(d.ctx)
    if found:
        high = sum(1 for r in found if r.rating == "High")
        recorded = sum(1 for r in found if r.source == "record")
        derived = len(found) - recorded
        bases = list(dict.fromkeys(r.basis for r in found if r.source == "derived" and r.basis))
        parts = []
        if recorded:
            parts.append(f"{d.number(recorded)} recorded in the opportunity")
        if derived:
            parts.append(f"{d.number(derived)} implied by its {prose.join_words(bases)}")
        intro = f"{d.opportunity_name()} carries {d.count(len(found), 'risk')}: {prose.join_words(parts)}."
        if high:
            intro += f" {prose.capitalise(d.number(high))} {prose.agree(high, 'is', 'are')} rated high."
        else:
            intro += " None is rated high."
        d.add(intro)
    d.add(d.risk_table())
    if any(r.mitigation.startswith("Owner to define") for r in found):
        d.add(d.gap("Some recorded risks have no mitigation and no pattern suggests one."))
    if found:
        d.add(
            "_"
            + d.explain(
                "Rating: likelihood × impact on a 1-3 scale; 6 or more is high, 3-4 medium, below 3 low"
            )
            + "._"
        )


def timeline_section(d: Draft) -> None:
    d.record_gaps()
    window = facts.schedule(d.ctx)
    d.add(d.timeline_sentence() or "")
    d.add(d.phase_table())
    for marker in d.schedule_gaps():
        d.add(marker)
    if window.slack_weeks is not None and window.slack_weeks < 0:
        d.add("**The plan does not fit the window:** move the target date or cut scope.")


def assumptions_list(d: Draft) -> list[str]:
    derived = []
    systems = [facts.split_label(i)[0] for i in d.o.integrations]
    if systems:
        derived.append(
            f"{d.customer_name()} provides test access to {prose.join_words(systems)} by the end of discovery."
        )
    named = [s.name for s in facts.stakeholders(d.ctx) if s.influence == "High"]
    if named:
        verb = prose.agree(len(named), "remains", "remain")
        derived.append(f"{prose.join_words(named)} {verb} available for decisions within a week.")
    if d.o.duration_weeks:
        derived.append(
            f"The {d.o.duration_weeks}-week estimate holds for the scope as recorded; changes go through change control."
        )
    recorded = [prose.sentence(a) for a in d.o.assumptions]
    return recorded + [f"{a} _(our assumption, from the record)_" for a in derived]


def resource_assessment(d: Draft) -> None:
    d.record_gaps()
    found = facts.resources(d.ctx)
    if not found:
        d.add(d.gap("No team or resources are recorded."))
    else:
        d.add(
            table(
                ["Role", "Count"],
                [
                    [prose.capitalise(r.role), f"{r.count:g}" if r.count is not None else "not stated"]
                    for r in found
                ],
            )
        )
        headcount = sum(r.count for r in found if r.count is not None)
        weeks = d.o.duration_weeks
        if weeks and headcount:
            effort = headcount * weeks
            people = d.derive(
                prose.count(int(headcount), "person")
                if headcount == int(headcount)
                else f"{headcount:g} people",
                "the sum of the counts above",
            )
            total = d.derive(f"{effort:g} person-weeks", f"{headcount:g} × {weeks}")
            come = prose.agree(int(headcount), "comes", "come") if headcount == int(headcount) else "come"
            line = (
                f"The {people} listed (the sum of the counts above) over the {weeks}-week estimate "
                f"{come} to {total} ({headcount:g} × {weeks})."
            )
            if d.o.estimated_cost:
                rate = d.derive(
                    d.money(d.o.estimated_cost / effort), f"{d.money(d.o.estimated_cost)} ÷ {effort:g}"
                )
                line += (
                    f" The estimate of {d.money(d.o.estimated_cost)} implies {rate} per person-week "
                    f"({d.money(d.o.estimated_cost)} ÷ {effort:g})."
                )
            d.add(line)
        elif not weeks:
            d.add(d.gap("No delivery estimate, so total effort cannot be computed."))
    missing = facts.missing_roles(d.ctx)
    if missing:
        d.heading("Roles the scope needs that the team does not name")
        d.add(bullets([prose.capitalise(role) for role in missing]))
