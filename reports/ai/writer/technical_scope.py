"""The Technical_scope sections: company background, current state, requirements, the proposed
solution, technology stack, integrations, security and compliance, assumptions and dependencies,
and the titles that reuse a shared section under the scope's own name."""

from __future__ import annotations

from analysis.engines import text
from reports.ai import facts
from reports.ai.markdown import bullets, join_words, table
from reports.ai.writer.draft import Draft
from reports.ai.writer.shared import assumptions_list, resource_assessment, risk_section, timeline_section


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
