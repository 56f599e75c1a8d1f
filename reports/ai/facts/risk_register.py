"""The risk register: the record's own risks rated by likelihood and impact, plus the risks its
money, dates, integrations, compliance, dependencies and requirement coverage imply, each with a
mitigation (the record's, or one suggested by pattern)."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reports.ai import prose
from reports.ai.context import SectionContext
from reports.ai.facts.money import money_facts
from reports.ai.facts.requirements import priority_of, solution_coverage
from reports.ai.facts.timeline import schedule
from reports.ai.facts.wording import split_label

LEVELS = {"Low": 1, "Medium": 2, "High": 3}
_LEVEL_WORDS = [
    (
        re.compile(r"\b(high|likely|probable|frequent|certain|critical|severe|major|significant)\b", re.I),
        "High",
    ),
    (re.compile(r"\b(medium|moderate|possible|occasional|may|might|could)\b", re.I), "Medium"),
    (re.compile(r"\b(low|unlikely|rare|minor|small)\b", re.I), "Low"),
]
_SEVERE_IMPACT_RE = re.compile(
    r"\b(outage|breach|fine|penalt\w*|data loss|lost data|downtime|miss(?:es|ed)? the|go-live|regulat\w*|"
    r"safety|revenue|churn|legal)\b",
    re.I,
)
_MITIGATIONS = [
    (re.compile(r"\b(migrat\w*|data quality|legacy data|cut-?over)\b", re.I),
     "Run a trial migration with reconciliation reports before cut-over"),
    (re.compile(r"\b(integrat\w*|api|interface|sync\w*)\b", re.I),
     "Agree interface contracts early and test against a sandbox of each system"),
    (re.compile(r"\b(staff\w*|resourc\w*|key person|availability|hiring|capacity)\b", re.I),
     "Name a backup for each key role and confirm availability in writing"),
    (re.compile(r"\b(budget|cost\w*|overrun|price)\b", re.I),
     "Phase the scope so the first release fits the budget; review spend at each milestone"),
    (re.compile(r"\b(adoption|training|resist\w*|change management|users?)\b", re.I),
     "Involve pilot users from the start and plan training before go-live"),
    (re.compile(r"\b(vendor|supplier|third[- ]party|licen[cs]\w*)\b", re.I),
     "Secure service levels and escalation contacts in the supplier contract"),
    (re.compile(r"\b(secur\w*|breach|privacy|complian\w*|gdpr|hipaa|audit)\b", re.I),
     "Security and privacy review with a penetration test before go-live"),
    (re.compile(r"\b(schedule|deadline|delay\w*|late|timeline)\b", re.I),
     "Track milestones weekly against a contingency buffer; agree what moves if a date slips"),
    (re.compile(r"\b(scope|requirement\w*|unclear|ambigu\w*)\b", re.I),
     "Freeze the scope at the end of discovery and run changes through change control"),
    (re.compile(r"\b(performance|scal\w*|load|latency)\b", re.I),
     "Load-test against the stated volumes before go-live"),
]  # fmt: skip


@dataclass(frozen=True)
class Risk:
    description: str
    likelihood: str
    impact: str
    mitigation: str
    source: str  # "record" or "derived"
    how: str = ""  # for a derived risk: how its figures follow from the record ("" for counts)
    basis: str = ""  # for a derived risk: what in the record implies it ("budget", "dates", ...)

    @property
    def score(self) -> int:
        return LEVELS[self.likelihood] * LEVELS[self.impact]

    @property
    def rating(self) -> str:
        return "High" if self.score >= 6 else "Medium" if self.score >= 3 else "Low"


def _level(value: str, default: str) -> str:
    for pattern, level in _LEVEL_WORDS:
        if pattern.search(value):
            return level
    return default


def suggested_mitigation(description: str) -> str | None:
    for pattern, mitigation in _MITIGATIONS:
        if pattern.search(description):
            return mitigation
    return None


def _record_risk(line: str) -> Risk:
    parts = [p.strip() for p in line.split("|")]
    description = parts[0]
    if len(parts) >= 3:
        likelihood, impact = _level(parts[1], "Medium"), _level(parts[2], "Medium")
    else:
        likelihood = _level(description, "Medium")
        impact = "High" if _SEVERE_IMPACT_RE.search(description) else "Medium"
    mitigation = parts[3] if len(parts) >= 4 and parts[3] else None
    return Risk(
        description,
        likelihood,
        impact,
        mitigation or suggested_mitigation(description) or "Owner to define (not in the record)",
        "record",
    )


def _money(amount: float, currency: str) -> str:
    # The writer's money format, without importing the writer into the facts.
    from reports.ai.markdown import money

    return money(amount, currency)


def risks(ctx: SectionContext) -> list[Risk]:
    """The record's own risks, plus those its numbers imply, highest rating first. Derived
    descriptions are sentences; their figures carry `how` they were worked out."""
    o = ctx.opportunity
    out = [_record_risk(line) for line in o.risks]
    money = money_facts(ctx)
    if money.budget_gap is not None and money.budget_gap > 0 and o.budget_amount:
        share = money.budget_gap / o.budget_amount * 100
        gap, budget = _money(money.budget_gap, o.currency), _money(o.budget_amount, o.currency)
        out.append(
            Risk(
                f"Estimated cost exceeds the budget by {share:.0f}%",
                "High",
                "High",
                "Agree a reduced first phase or a larger budget before commitment",
                "derived",
                f"{gap} over a {budget} budget",
                "budget",
            )
        )
    window = schedule(ctx)
    if window.slack_weeks is not None and window.slack_weeks < 0:
        out.append(
            Risk(
                f"Delivery needs {window.needed_weeks} weeks but only {window.available_weeks} weeks "
                "separate the start date from the target date",
                "High",
                "High",
                "Move the target date or cut scope to what fits the window",
                "derived",
                "weeks between the start date and the target date",
                "dates",
            )
        )
    elif (
        window.slack_weeks is not None
        and window.needed_weeks
        and window.slack_weeks < 0.15 * window.needed_weeks
    ):
        slack = prose.count(window.slack_weeks, "week")
        remain = prose.agree(window.slack_weeks, "remains", "remain")
        out.append(
            Risk(
                f"Only {slack} of slack {remain} before the target date",
                "Medium",
                "High",
                "Track milestones weekly against a contingency buffer; agree what moves if a date slips",
                "derived",
                f"{window.available_weeks} weeks to the target date less the {window.needed_weeks}-week estimate",
                "dates",
            )
        )
    if len(o.integrations) >= 3:
        out.append(
            Risk(
                prose.capitalise(prose.count(len(o.integrations), "integration point"))
                + " must be built and tested",
                "Medium",
                "Medium",
                "Agree interface contracts early and test against a sandbox of each system",
                "derived",
                basis="integrations",
            )
        )
    if o.compliance:
        standards = prose.join_words(split_label(c)[0] for c in o.compliance)
        out.append(
            Risk(
                f"The solution must meet {standards} obligations",
                "Medium",
                "High",
                "Security and privacy review with a penetration test before go-live",
                "derived",
                basis="compliance",
            )
        )
    names = prose.proper_nouns(value for _, value in ctx.all_text())
    for dependency in o.dependencies:
        out.append(
            Risk(
                f"Delivery depends on {prose.lower_first(prose.clause(dependency), names)}",
                "Medium",
                "Medium",
                suggested_mitigation(dependency) or "Name an owner and a date for the dependency",
                "derived",
                basis="dependencies",
            )
        )
    uncovered = [
        c
        for c in solution_coverage(ctx)
        if c.label == "Not addressed" and priority_of(c.requirement) == "Must"
    ]
    if uncovered:
        n = len(uncovered)
        out.append(
            Risk(
                prose.capitalise(prose.count(n, "must-have requirement"))
                + f" {prose.agree(n, 'is', 'are')} not addressed by the proposed solution",
                "High",
                "High",
                "Extend the solution design before pricing is final",
                "derived",
                basis="requirement coverage",
            )
        )
    return sorted(out, key=lambda r: (-r.score, r.source != "record"))
