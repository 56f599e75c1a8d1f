"""The Commercial_proposal sections: scope of work, deliverables, pricing, payment terms, the
commercial timeline, assumptions and terms & conditions, each grounded in the record and marking
what legal or the customer must still settle."""

from __future__ import annotations

import re

from analysis.engines import text
from reports.ai import facts
from reports.ai.markdown import bullets, table
from reports.ai.writer.draft import Draft
from reports.ai.writer.shared import assumptions_list


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
