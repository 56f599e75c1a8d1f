"""The Feasibility_report sections no other report type has: project overview, business
requirements, technical assessment, cost-benefit analysis, alternatives, timeline feasibility,
stakeholder analysis, recommendations and the appendix."""

from __future__ import annotations

from reports.ai import facts
from reports.ai.markdown import bullets, join_words, percent, table
from reports.ai.writer.draft import Draft
from reports.ai.writer.shared import feasibility_verdict


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
