"""Paragraphs on one subject each, written from the record with a bold run-in label ("**Goals.**
The project sets out to ..."): the Executive Summary is built from them, and the refiner adds one
when a reader needs a subject first that the section does not cover.

Each returns None when the record holds nothing on its subject, so the caller can mark the gap."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from reports.ai import facts, prose
from reports.ai.writer.draft import Draft
from reports.catalog import ReportType

Paragraph = Callable[[Draft], str | None]

# Derived risks the verdict and the money paragraph already state; a list of risks repeats them.
_STATED_ELSEWHERE = ("budget", "dates")


@dataclass(frozen=True)
class Verdict:
    label: str  # lower case, to follow "Verdict:" or "the opportunity is"
    reasons: list[str]  # clauses, each a sentence once capitalised

    @property
    def reason_sentence(self) -> str:
        return prose.sentence(prose.join_words(self.reasons))


def feasibility_verdict(d: Draft) -> Verdict:
    """A verdict and its reasons from the money, the calendar, the risks and coverage."""
    money_facts = facts.money_facts(d.ctx)
    window = facts.schedule(d.ctx)
    high_risks = [r for r in facts.risks(d.ctx) if r.rating == "High"]
    uncovered_musts = [
        c
        for c in facts.solution_coverage(d.ctx)
        if c.label == "Not addressed" and facts.priority_of(c.requirement) == "Must"
    ]
    blockers: list[str] = []
    concerns: list[str] = []
    unknowns: list[str] = []
    gap = money_facts.budget_gap
    if gap is None:
        unknowns.append("there is no budget or cost estimate to check the budget fit against")
    elif gap > 0:
        over = d.derive(d.money(gap), f"{d.money(money_facts.cost)} − {d.money(money_facts.budget)}")
        reason = f"the estimate exceeds the budget by {over}"
        (blockers if money_facts.budget and gap > 0.2 * money_facts.budget else concerns).append(reason)
    if window.slack_weeks is None:
        unknowns.append("there are no dates or delivery estimate to check the schedule against")
    elif window.slack_weeks < 0:
        short = d.derive(
            prose.count(-window.slack_weeks, "more week"),
            f"{window.needed_weeks} − {window.available_weeks}",
        )
        blockers.append(f"delivery needs {short} than the window to the target date allows")
    if uncovered_musts:
        n = len(uncovered_musts)
        concerns.append(
            f"{d.count(n, 'must-have requirement')} {prose.agree(n, 'is', 'are')} not yet addressed"
        )
    if high_risks:
        n = len(high_risks)
        concerns.append(f"{d.count(n, 'risk')} {prose.agree(n, 'is', 'are')} rated high")
    if money_facts.roi_percent is not None and money_facts.roi_percent < 0:
        concerns.append(f"the benefits do not repay the cost within {d.number(money_facts.years)} years")
    if blockers:
        return Verdict("not feasible as currently scoped", blockers + concerns)
    if len(unknowns) >= 2 or not (d.c.found and d.o.found):
        return Verdict("cannot be confirmed from the record", unknowns + concerns)
    if concerns or unknowns:
        return Verdict("feasible with conditions", concerns + unknowns)
    return Verdict("feasible", ["budget, schedule, coverage and risks are all within limits"])


def need(d: Draft) -> str | None:
    summary = d.need_summary()
    return f"**The need.** {summary}" if summary else None


def goals(d: Draft) -> str | None:
    sentence = d.goals_sentence()
    return f"**Goals.** {sentence}" if sentence else None


def proposal(d: Draft) -> str | None:
    summary = d.solution_summary()
    return f"**The proposal.** {summary}" if summary else None


def benefits(d: Draft) -> str | None:
    sentences = d.benefits_sentences()
    return "**Benefits.** " + " ".join(sentences) if sentences else None


def return_on_investment(d: Draft) -> str | None:
    sentence = d.return_sentence()
    if not sentence:
        return None
    payback = d.payback_sentence()
    return "**Return on investment.** " + sentence + (f" {payback}" if payback else "")


def cost(d: Draft) -> str | None:
    m = facts.money_facts(d.ctx)
    if m.cost is None:
        return None
    budget = d.budget_sentence()
    return "**Cost.** " + (budget or f"The estimated cost is {d.money(m.cost)}.")


def cost_and_timeline(d: Draft) -> str | None:
    parts = [d.budget_sentence() or "", d.timeline_sentence() or ""]
    text = " ".join(p for p in parts if p)
    return f"**Cost and timeline.** {text}" if text else None


def investment(d: Draft) -> str | None:
    m = facts.money_facts(d.ctx)
    if m.cost is None:
        return None
    offer = {
        "fixed_price": f"We offer a fixed price of {d.money(m.cost)}.",
        "time_and_materials": f"We estimate {d.money(m.cost)} on a time-and-materials basis.",
        "subscription": f"We offer a subscription of {d.money(m.cost)} a year.",
    }.get(d.o.pricing_model, f"The price is {d.money(m.cost)}.")
    budget = d.budget_sentence(price_word="price", follows_price=True)
    return "**Investment.** " + offer + (f" {budget}" if budget else "")


def timeline(d: Draft) -> str | None:
    sentence = d.timeline_sentence()
    return f"**Timeline.** {sentence}" if sentence else None


def main_risks(d: Draft, *, limit: int = 3) -> list[facts.Risk]:
    """The high-rated risks a summary names, leaving out those its money and timeline sentences
    (and, in a feasibility report, its verdict) already state."""
    stated = _STATED_ELSEWHERE + (
        ("requirement coverage",) if d.report_type == ReportType.FEASIBILITY_REPORT else ()
    )
    found = [r for r in facts.risks(d.ctx) if r.rating == "High" and r.basis not in stated]
    return found[:limit]


def risks(d: Draft) -> str | None:
    top = main_risks(d) or [r for r in facts.risks(d.ctx) if r.rating == "High"][:3]
    if not top:
        return None
    return "**Main risks.** " + " ".join(prose.sentence(d.risk_text(r)) for r in top)


def verdict(d: Draft) -> str | None:
    if d.report_type != ReportType.FEASIBILITY_REPORT:
        return None
    found = feasibility_verdict(d)
    return f"**Verdict: {found.label}.** {found.reason_sentence}"


def scope(d: Draft) -> str | None:
    if not (d.o.requirements or d.o.integrations or d.o.technologies):
        return None
    parts = [
        d.count(len(d.o.requirements), "requirement"),
        d.count(len(d.o.integrations), "integration point"),
        d.count(len(d.o.technologies), "named technology"),
    ]
    return f"**Scope.** The scope covers {prose.join_words(parts)}."


def stack_and_integrations(d: Draft) -> str | None:
    """What an engineer asks first: what it is built with and what it connects to, and how."""
    sentences = []
    if d.o.technologies:
        sentences.append(f"The solution is built with {prose.join_words(d.o.technologies)}.")
    links = []
    for link in facts.integrations(d.ctx):
        detail = [link.purpose] if link.purpose != "purpose not stated" else []
        if link.direction != "Not stated":
            detail.append(link.direction.lower())
        links.append(f"{link.system} ({'; '.join(detail)})" if detail else link.system)
    if links:
        sentences.append(f"It connects to {prose.join_words(links)}.")
    nonfunctional = [r for r in d.o.requirements if facts.category_of(r) == "Non-functional"]
    if nonfunctional:
        sentences.append(
            "Non-functional requirements: " + "; ".join(prose.clause(r) for r in nonfunctional) + "."
        )
    return "**Stack and integrations.** " + " ".join(sentences) if sentences else None


def compliance(d: Draft) -> str | None:
    if not d.o.compliance:
        return None
    return f"**Compliance.** The solution must meet {prose.join_words(d.o.compliance)} obligations."


def payment(d: Draft) -> str | None:
    return f"**Payment terms.** {prose.sentence(d.o.payment_terms)}" if d.o.payment_terms else None


def deliverables(d: Draft) -> str | None:
    if not d.o.deliverables:
        return None
    items = prose.join_words(d.lower(prose.clause(item)) for item in d.o.deliverables)
    return f"**Deliverables.** We will deliver the {items}."
