"""The Technical_scope sections: company background, current state, requirements, the proposed
solution, technology stack, integrations, security and compliance, assumptions and dependencies,
and the titles that reuse a shared section under the scope's own name."""

from __future__ import annotations

from analysis.engines import text
from reports.ai import facts, prose
from reports.ai.markdown import bullets, table
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
    d.add(f"**{d.customer_name()}** at a glance:")
    d.add(table(["Fact", "Value"], rows))
    if d.c.description:
        d.add(d.c.description)
    else:
        d.add(d.gap("The record does not describe the company."))
    if d.c.employee_count:
        bands = ((50, "a small"), (250, "a mid-sized"), (1000, "a large"))
        band = next((label for limit, label in bands if d.c.employee_count < limit), "an enterprise-sized")
        d.add(f"With {d.c.employee_count:,} employees, {d.customer_name()} is {band} organisation.")
        d.add(
            "_"
            + d.explain("Size bands: small under 50 employees, mid-sized under 250, large under 1,000")
            + "._"
        )
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
        d.add(d.gap(f"Missing company facts: {prose.join_words(missing)}."))


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
    n = len(d.o.requirements)
    functional = sum(1 for r in d.o.requirements if facts.category_of(r) == "Functional")
    other = n - functional
    listed = f"The record lists {d.count(n, 'requirement')}"
    if not other:
        split = "all functional" if n > 1 else "a functional one"
    elif not functional:
        split = "all non-functional" if n > 1 else "a non-functional one"
    else:
        split = f"{d.number(functional)} functional and {d.number(other)} non-functional"
    d.add(f"{listed}, {split}.")
    d.add(d.requirement_table(with_coverage=True))
    if not other:
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
            k = len(open_items)
            d.add(
                d.gap(
                    f"{prose.capitalise(d.count(k, 'requirement'))} {prose.agree(k, 'is', 'are')} not "
                    "addressed by the solution as written."
                )
            )
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
    d.add(
        f"The record names {d.count(len(d.o.technologies), 'technology')}, grouped here by the layer "
        "each belongs to."
    )
    d.add(table(["Layer", "Technologies"], [[layer, ", ".join(items)] for layer, items in layers.items()]))
    expected = ["Frontend", "Backend", "Data", "Infrastructure"]
    missing = [layer for layer in expected if layer not in layers]
    if missing:
        layers_word = "layer" if len(missing) == 1 else "layers"
        named = prose.join_words(m.lower() for m in missing)
        d.add(d.gap(f"No technology is named for the {named} {layers_word}."))


def integration_points(d: Draft) -> None:
    d.record_gaps()
    found = facts.integrations(d.ctx)
    if not found:
        d.add(d.gap("No integrations are recorded."))
        return
    d.add(f"The solution connects to {d.count(len(found), 'system')}.")
    d.add(
        table(
            ["System", "Purpose", "Method", "Direction"],
            [[i.system, i.purpose, i.method, i.direction] for i in found],
        )
    )
    unclear = [i.system for i in found if i.method == "not stated" or i.direction == "Not stated"]
    if unclear:
        d.add(d.gap(f"The method or direction is not stated for {prose.join_words(unclear)}."))


def security_compliance(d: Draft) -> None:
    d.record_gaps()
    if d.o.compliance:
        rows = [
            [
                item,
                d.explain(obligation)
                if (obligation := facts.obligations_for(item))
                else "obligations to confirm with the customer's compliance team",
            ]
            for item in d.o.compliance
        ]
        d.add(table(["Standard / regulation", "What it requires of the solution"], rows))
        d.add("_Obligations are summarised from each standard's own text, not from the record._")
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
    pronoun = "it" if len(sensitive) == 1 else "them"
    d.add(
        f"The record mentions {prose.join_words(sensitive)}. Treat {pronoun} as sensitive: encryption at rest "
        "and in transit, least-privilege access and audit logs."
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
