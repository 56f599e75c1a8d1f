"""The Feasibility_report sections no other report type has: project overview, business
requirements, technical assessment, cost-benefit analysis, alternatives, timeline feasibility,
stakeholder analysis, recommendations and the appendix."""

from __future__ import annotations

from reports.ai import facts, prose
from reports.ai.markdown import bullets, percent, table
from reports.ai.writer.draft import Draft
from reports.ai.writer.paragraphs import feasibility_verdict


def project_overview(d: Draft) -> None:
    d.record_gaps()
    opening = f"**{d.opportunity_name()}** is an opportunity with {d.customer_profile()}"
    opening += f", at the {d.o.stage} stage." if d.o.stage else "."
    d.add(opening)
    d.add(d.o.description or d.gap("The record does not describe the project."))
    d.heading("Objectives")
    d.add(d.list_or_gap(d.o.objectives, "No objectives are recorded."))
    d.heading("Scope at a glance")
    musts = sum(1 for r in d.o.requirements if facts.priority_of(r) == "Must")
    if d.o.requirements or d.o.deliverables or d.o.integrations or d.o.stakeholders:
        requirements = d.count(len(d.o.requirements), "requirement")
        if musts and musts == len(d.o.requirements):
            requirements += " (a must-have)" if musts == 1 else " (all must-haves)"
        elif musts:
            requirements += f" ({d.number(musts)} of them {'a must-have' if musts == 1 else 'must-haves'})"
        parts = [
            requirements,
            d.count(len(d.o.deliverables), "deliverable"),
            d.count(len(d.o.integrations), "integration point"),
        ]
        scope = f"The scope covers {prose.join_words(parts)}"
        if d.o.stakeholders:
            scope += f", with {d.count(len(d.o.stakeholders), 'named stakeholder')}"
        d.add(scope + ".")
    else:
        d.add(d.gap("No requirements, deliverables, integrations or stakeholders are recorded."))
    if d.o.exclusions:
        excluded = prose.join_words(d.lower(prose.clause(e)) for e in d.o.exclusions)
        verb = prose.agree(len(d.o.exclusions), "is", "are")
        d.add(prose.sentence(f"{excluded} {verb} out of scope"))
    d.add(d.timeline_sentence() or d.gap("No dates or delivery estimate are recorded."))


def business_requirements(d: Draft) -> None:
    d.record_gaps()
    if not d.o.requirements:
        d.add(d.gap("No requirements are recorded for this opportunity."))
        return
    counts = {
        p: sum(1 for r in d.o.requirements if facts.priority_of(r) == p) for p in ("Must", "Should", "Could")
    }
    split = [
        d.count(counts[p], noun)
        for p, noun in (("Must", "must-have"), ("Should", "should-have"), ("Could", "could-have"))
        if counts[p]
    ]
    n = len(d.o.requirements)
    intro = f"The record lists {d.count(n, 'requirement')}"
    intro += f": {prose.join_words(split)}." if split else "."
    d.add(intro + " Priority is read from each requirement's own wording (must, should, could).")
    d.add(d.requirement_table())
    unprioritised = [r for r in d.o.requirements if facts.priority_of(r) == "-"]
    if unprioritised:
        k = len(unprioritised)
        says = "does not say how much it matters" if k == 1 else "do not say how much they matter"
        d.add(d.gap(f"{prose.capitalise(d.count(k, 'requirement'))} {says} (must, should or could)."))
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
        d.add(f"The named technologies are {prose.join_words(d.o.technologies)}.")
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
        total = d.count(len(coverage), "requirement")
        if addressed == len(coverage):
            d.add(f"The solution as written addresses all {total}.")
        else:
            d.add(f"The solution as written addresses {d.number(addressed)} of the {total}.")
    else:
        d.add(d.gap("No requirements to assess the solution against."))
    d.heading("Complexity")
    drivers = []
    if d.o.integrations:
        systems = prose.join_words(facts.split_label(i)[0] for i in d.o.integrations)
        drivers.append(f"{d.count(len(d.o.integrations), 'integration')} ({systems})")
    if d.o.compliance:
        drivers.append(f"compliance obligations ({prose.join_words(d.o.compliance)})")
    nonfunctional = [r for r in d.o.requirements if facts.category_of(r) == "Non-functional"]
    if nonfunctional:
        drivers.append(d.count(len(nonfunctional), "non-functional requirement"))
    level = "high" if len(drivers) >= 3 or len(d.o.integrations) >= 4 else "medium" if drivers else "low"
    if drivers:
        d.add(f"Technical complexity is **{level}**, driven by {prose.join_words(drivers)}.")
    else:
        d.add(f"Technical complexity is **{level}**: the record names no complexity driver.")
    rule = d.explain(
        "Complexity is high with three kinds of driver or four integrations, medium with any driver "
        "and low with none"
    )
    d.add(f"_{rule}._")


def cost_benefit(d: Draft) -> None:
    d.record_gaps()
    m = facts.money_facts(d.ctx)
    d.heading("Costs")
    if m.cost is not None:
        d.add(f"The estimated cost is {d.money(m.cost)}.")
        d.add(d.gap("No cost breakdown is recorded: the record holds the total estimate only."))
    else:
        d.add(d.gap("No cost estimate is recorded."))
    budget = d.budget_sentence()
    if budget:
        d.add(budget)
    elif m.budget is None:
        d.add(d.gap("The customer's budget is not recorded."))
    d.heading("Benefits")
    if m.annual_benefit is not None:
        d.add(f"The record expects a benefit of {d.money(m.annual_benefit)} a year.")
    quantified = [b for b in d.o.benefits if facts.stated_amounts(b)]
    qualitative = [b for b in d.o.benefits if b not in quantified]
    if quantified:
        d.add("Benefits the record quantifies:\n\n" + bullets([prose.sentence(b) for b in quantified]))
    if qualitative:
        d.add("Benefits it does not quantify:\n\n" + bullets([prose.sentence(b) for b in qualitative]))
    if m.annual_benefit is None and not d.o.benefits:
        d.add(d.gap("No benefits are recorded."))
    elif m.annual_benefit is None:
        d.add(d.gap("No expected annual benefit figure is recorded, so the return cannot be computed."))
    years = d.number(m.years)
    d.heading(f"Return over {years} years")
    if m.net_benefit is not None and m.cost and m.annual_benefit is not None:
        total = m.annual_benefit * m.years
        rows: list[list[object]] = [
            ["Total cost", d.money(m.cost), "the estimate"],
            [
                f"Benefits over {years} years",
                d.derive(d.money(total), f"{d.money(m.annual_benefit)} × {m.years}"),
                f"{d.money(m.annual_benefit)} × {m.years}",
            ],
            [
                "Net benefit",
                d.derive(d.money(m.net_benefit), f"{d.money(total)} − {d.money(m.cost)}"),
                f"{d.money(total)} − {d.money(m.cost)}",
            ],
            [
                "Return on investment",
                d.derive(percent(m.roi_percent or 0.0), "net benefit ÷ cost"),
                "net benefit ÷ cost",
            ],
        ]
        if m.payback_months:
            how = f"{d.money(m.cost)} ÷ ({d.money(m.annual_benefit)} ÷ 12 months)"
            rows.append(["Payback", d.derive(f"{m.payback_months:.0f} months", how), how])
        else:
            rows.append(["Payback", "not within the horizon", "benefit is not positive"])
        d.add(table(["Measure", "Value", "How it is worked out"], rows))
        d.add(f"_The {d.explain('three-year horizon is our convention; the record sets none')}._")
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

    total = len(requirements)
    rows: list[list[object]] = []

    def share(n: int) -> str:
        return f"{d.number(n) if n else 'none'} of {d.number(total)}"

    for name, description in options:
        share_text = share(covered(description)) if requirements else "-"
        rows.append([name, description or "not described", share_text])
    pains = facts.pain_points(d.c.current_state)
    rows.append(
        [
            "Do nothing",
            "Keep today's setup" + (f": {d.lower(pains[0])}" if pains else ""),
            share(0) if requirements else "-",
        ]
    )
    d.add(table(["Option", "Description", "Requirements addressed"], rows))
    d.add(
        "_"
        + d.explain(
            "A requirement counts as addressed when most of its words appear in the option's description"
        )
        + "._"
    )
    if requirements and len(options) > 1:
        ranked = sorted(options, key=lambda option: -covered(option[1]))
        leader = ranked[0][0]
        d.add(
            f"On requirement coverage, **{leader}** leads, addressing {d.number(covered(ranked[0][1]))} of the "
            f"{d.count(total, 'requirement')}."
        )
    elif not requirements:
        d.add(d.gap("No requirements to compare the options against."))


def timeline_feasibility(d: Draft) -> None:
    d.record_gaps()
    window = facts.schedule(d.ctx)
    available = (
        d.derive(f"{window.available_weeks} weeks", "start to target")
        if window.available_weeks is not None
        else "unknown"
    )
    slack = "unknown"
    if window.slack_weeks is not None:
        n = abs(window.slack_weeks)
        weeks = f"{n} {'week' if n == 1 else 'weeks'}"  # digits in a table, as its other rows
        slack = d.derive(f"{weeks} short" if window.slack_weeks < 0 else weeks, "window − estimate")
    rows: list[list[object]] = [
        ["Start", window.start.isoformat() if window.start else "not stated", "the record"],
        ["Target go-live", window.target.isoformat() if window.target else "not stated", "the record"],
        ["Window", available, "start to target"],
        [
            "Delivery estimate",
            f"{window.needed_weeks} weeks" if window.needed_weeks else "not stated",
            "the record",
        ],
        ["Slack", slack, "window − estimate"],
    ]
    d.add(table(["Measure", "Value", "Source"], rows))
    if window.slack_weeks is None:
        d.add("**Verdict: cannot be assessed** until the dates and the estimate are known.")
    elif window.slack_weeks < 0:
        short = d.derive(prose.count(-window.slack_weeks, "week"), "window − estimate")
        d.add(f"**Verdict: not feasible** as planned: the estimate is {short} longer than the window.")
    elif window.needed_weeks and window.slack_weeks < 0.15 * window.needed_weeks:
        left = d.derive(prose.count(window.slack_weeks, "week"), "window − estimate")
        rule = d.explain("under 15% of the estimate")
        d.add(
            f"**Verdict: tight.** {prose.capitalise(left)} of slack is {rule}: a single late dependency "
            "would use it up."
        )
    else:
        left = d.derive(prose.count(window.slack_weeks, "week"), "window − estimate")
        d.add(f"**Verdict: feasible**, with {left} of slack.")
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
    verdict = feasibility_verdict(d)
    items: list[tuple[str, str]] = []
    m = facts.money_facts(d.ctx)
    if m.budget_gap is not None and m.budget_gap > 0:
        gap = d.derive(d.money(m.budget_gap), f"{d.money(m.cost)} − {d.money(m.budget)}")
        items.append(
            (
                "High",
                f"Close the {gap} gap between the estimate and the budget ({d.money(m.cost)} − "
                f"{d.money(m.budget)}): reduce the first phase or agree more budget.",
            )
        )
    window = facts.schedule(d.ctx)
    if window.slack_weeks is not None and window.slack_weeks < 0:
        weeks = d.derive(
            prose.count(-window.slack_weeks, "week"), f"{window.needed_weeks} − {window.available_weeks}"
        )
        items.append(
            (
                "High",
                f"Move the go-live date by at least {weeks} ({window.needed_weeks} − "
                f"{window.available_weeks}) or cut scope to fit.",
            )
        )
    for coverage in facts.solution_coverage(d.ctx):
        if coverage.label == "Not addressed" and facts.priority_of(coverage.requirement) == "Must":
            requirement = prose.clause(coverage.requirement)
            items.append(("High", f'Extend the solution design to meet the requirement "{requirement}".'))
    # Budget and coverage shortfalls already have their own items above.
    for risk in [
        r
        for r in facts.risks(d.ctx)
        if r.rating == "High" and r.basis not in ("budget", "requirement coverage")
    ][:3]:
        if (
            risk.source == "derived"
            and risk.basis == "dates"
            and window.slack_weeks is not None
            and window.slack_weeks < 0
        ):
            continue
        items.append(
            (
                "High" if risk.source == "record" else "Medium",
                f"{prose.sentence(d.risk_text(risk))} {prose.sentence(risk.mitigation)}",
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
            (
                "Medium",
                f"Record the missing {prose.join_words(missing)} so that the assessment can be completed.",
            )
        )
    for role in facts.missing_roles(d.ctx):
        items.append(
            (
                "Medium",
                f"Add {prose.with_article(role)} to the team: the scope calls for the role and the team "
                "names nobody in it.",
            )
        )
    if not items:
        items.append(("Low", "Proceed to the proposal stage; the record shows no blocking issue."))
    d.add(f"Overall, the opportunity is **{verdict.label}**. {verdict.reason_sentence}")
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
    if missing:
        d.add(d.gap(f"The record does not hold the {prose.join_words(missing)}."))
    else:
        d.add("Every field this report uses is filled in.")
