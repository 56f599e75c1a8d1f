"""The Commercial_proposal sections: scope of work, deliverables, pricing, payment terms, the
commercial timeline, assumptions and terms & conditions, each grounded in the record and marking
what legal or the customer must still settle."""

from __future__ import annotations

import re

from analysis.engines import text
from reports.ai import facts, prose
from reports.ai.markdown import bullets, table
from reports.ai.writer.draft import Draft
from reports.ai.writer.shared import assumptions_list


def scope_of_work(d: Draft) -> None:
    d.record_gaps()
    need = d.need_summary()
    intro = f"This proposal covers **{d.opportunity_name()}** for {d.customer_name()}."
    d.add(f"{intro} {need}" if need else intro)
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
    d.add(f"We will deliver {d.count(len(d.o.deliverables), 'item')}, each accepted as shown.")
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
    undecided = False
    if model == "fixed_price":
        offer = (
            f"We offer a fixed price of {d.money(m.cost)} for the scope and deliverables in this proposal."
        )
    elif model == "time_and_materials":
        offer = (
            f"We estimate {d.money(m.cost)} on a time-and-materials basis: invoices follow the effort "
            "actually spent, and the estimate is not a cap."
        )
    elif model == "subscription":
        how = f"{d.money(m.cost)} ÷ 12"
        monthly = d.derive(d.money(m.cost / 12), how)
        offer = f"We offer a subscription of {d.money(m.cost)} a year, or {monthly} a month ({how})."
    else:
        offer, undecided = f"The price is {d.money(m.cost)}.", True
    budget = d.budget_sentence(price_word="price", follows_price=True)
    d.add(f"{offer} {budget}" if budget else offer)
    d.add(d.payback_sentence() or "")
    if undecided:
        d.add(d.gap("The pricing model (fixed price, time and materials, subscription) is not decided."))
    d.add(d.gap("No breakdown of the price is recorded: the record holds the total only."))


def payment_terms(d: Draft) -> None:
    d.record_gaps()
    if d.o.payment_terms:
        d.add(d.o.payment_terms)
        instalments = []
        for part in re.split(r"[,;\n]|\band\b", d.o.payment_terms):
            shares = [q for q in text.numbers(part) if q.unit == "%"]
            if shares:
                milestone = part.replace(shares[0].text, "").strip(" .:-") or "not stated"
                instalments.append((prose.capitalise(milestone), shares[0].value))
        if instalments:
            cost = d.o.estimated_cost
            how = f"its share of the {d.money(cost)} price" if cost is not None else ""
            rows: list[list[object]] = [
                [
                    milestone,
                    f"{share:g}%",
                    d.derive(d.money(cost * share / 100), how) if cost is not None else "-",
                ]
                for milestone, share in instalments
            ]
            d.add(table(["Instalment", "Share", "Amount"], rows))
            if how:
                d.add(f"_Each amount is {how}._")
            total = sum(share for _, share in instalments)
            if abs(total - 100) > 0.5:
                stated = d.derive(f"{total:g}%", "the shares stated, added up")
                d.add(d.gap(f"The instalments stated add up to {stated}, not 100%."))
        return
    d.add(d.gap("No payment terms are recorded."))
    if d.o.deliverables:
        d.add("Payment tied to the deliverables is usual; the shares are for both parties to agree:")
        d.add(
            table(
                ["Milestone", "Share of the price"],
                [
                    [f"Delivery of the {d.lower(prose.clause(item))}", "to be agreed"]
                    for item in d.o.deliverables
                ],
            )
        )


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
        needs = prose.join_words(d.lower(prose.clause(dep)) for dep in d.o.dependencies)
        d.add(f"This proposal also depends on {needs}.")


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
        clauses.append(
            f"Both parties comply with {item}" + (f": {d.explain(obligation)}." if obligation else ".")
        )
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
