"""Scores 0-100 built from named points, so every score can be traced to what the founder said.

Each dimension is the sum of its reasons' points, clamped to 0..100; a reason worth 0 names what
is missing. overall = 30% clarity + 30% measurability + 20% alignment + 20% execution readiness.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from review.ai.drafting import Draft, GoalReading, main_due
from review.ai.findings import ActivityFinding, BlockerFinding, StrengthFinding
from review.ai.reading import Answer, Measure, by_role, content_words, deadlines, hedges, stated_numbers
from review.ai.schema import NOT_STATED, UNKNOWN, Dimension, ScoreReason, Scores

WEIGHTS: dict[str, float] = {
    "clarity": 0.3,
    "measurability": 0.3,
    "alignment": 0.2,
    "execution_readiness": 0.2,
}

_VAGUE = re.compile(
    r"\b(?:better|more successful|do well|things|stuff|bigger|somehow|kind of|sort of|maybe|hopefully|i guess|"
    r"i think|probably|we'll see|figure it out|as we go|some day|someday|you know)\b",
    re.I,
)
# How progress is followed; a cadence alone ("workshops every month") is an activity's, not tracking.
_CADENCE = re.compile(
    r"\b(?:track(?:s|ed|ing)?|dashboards?|report(?:s|ing)?|review(?:s|ed|ing)?|check-?ins?|scorecard)\b", re.I
)
_OWNERS = re.compile(
    r"\b(?:i own|owns|owner|responsible for|in charge of|(?:our|my) (?:cto|ceo|coo|cfo|head of \w+|co-?founder|"
    r"designer|developer|engineer|team)|(?:a|one|two|three|\d+)\s+(?:part-time\s+|full-time\s+|backend\s+|"
    r"frontend\s+|senior\s+)?(?:engineers?|developers?|designers?|salespeople|people|marketers?)|hir(?:e|ing))\b",
    re.I,
)
_MONEY = re.compile(r"\b(?:runway|budget|cash|funding|in the bank|investment|raised|savings|loan)\b", re.I)
_SEQUENCE = re.compile(
    r"\b(?:first|then|after that|phase|milestones?|step \w+|by (?:month|week) \d+)\b", re.I
)


@dataclass
class Ledger:
    reasons: list[ScoreReason] = field(default_factory=list)

    def add(self, dimension: Dimension, points: float, reason: str, order: int | None = None) -> None:
        self.reasons.append(
            ScoreReason(dimension=dimension, points=round(points), reason=reason, evidence_order=order)
        )

    def total(self, dimension: str) -> int:
        return max(0, min(100, sum(r.points for r in self.reasons if r.dimension == dimension)))


def _listed(items: Sequence[str], limit: int = 6) -> str:
    unique = list(dict.fromkeys(items))
    shown = ", ".join(unique[:limit])
    return shown + (f" and {len(unique) - limit} more" if len(unique) > limit else "")


def _clarity(ledger: Ledger, answers: Sequence[Answer], goal: GoalReading) -> None:
    goal_answers = by_role(answers, "goal") or list(answers[:1])
    goal_text = " ".join(a.text for a in goal_answers)
    quote = goal.quote
    if goal.has_goal_words:
        ledger.add("clarity", 20, f"A goal is stated: “{quote}”", goal.order)
    else:
        ledger.add(
            "clarity",
            10,
            "The first answer is read as the goal, but it does not say what should be achieved",
            goal.order,
        )
    numbers = stated_numbers(quote)
    if numbers:
        ledger.add(
            "clarity", 25, f"The goal names a number: {_listed([n.text for n in numbers])}", goal.order
        )
    elif goal.relative_target:
        ledger.add(
            "clarity",
            15,
            f"The goal sets a relative target ({goal.relative_target}) from an unstated base",
            goal.order,
        )
    else:
        ledger.add(
            "clarity", 0, "The goal names no number, so nobody can tell when it is reached", goal.order
        )
    if goal.due is not None and not goal.due.tentative:
        ledger.add("clarity", 20, f"The goal has a date: {goal.due.text}", goal.order)
    elif goal.due is not None:
        ledger.add("clarity", 10, f"The goal's date is tentative: {goal.due.label}", goal.order)
    else:
        found = main_due(answers)
        if found:
            ledger.add(
                "clarity",
                10,
                f"The date comes from answer {found[1]} ({found[0]}), not the goal itself",
                found[1],
            )
        else:
            ledger.add("clarity", 0, "No date is stated anywhere")
    if any(m for m in _goal_metrics(answers)):
        ledger.add(
            "clarity", 15, f"The goal names what will change: {_listed(_goal_metrics(answers))}", goal.order
        )
    else:
        ledger.add("clarity", 0, "The goal names no metric (revenue, customers, churn, ...)", goal.order)
    words = len(goal.statement.split())
    if 5 <= words <= 35:
        ledger.add("clarity", 10, f"It fits in one sentence ({words} words)", goal.order)
    else:
        ledger.add(
            "clarity",
            0,
            f"The goal statement is {'too short' if words < 5 else 'long'} ({words} words)",
            goal.order,
        )
    if goal.has_strategy:
        ledger.add("clarity", 10, "It says how the goal will be reached", goal.order)
    else:
        ledger.add("clarity", 0, "It does not say how the goal will be reached", goal.order)
    vague = [m.group(0).lower() for m in _VAGUE.finditer(goal_text)] + [h.lower() for h in hedges(goal_text)]
    vague = list(dict.fromkeys(vague))
    if vague:
        ledger.add(
            "clarity", -min(25, 5 * len(vague)), f"Vague or hedging words: {_listed(vague)}", goal.order
        )


def _goal_metrics(answers: Sequence[Answer]) -> list[str]:
    from review.ai.reading import metric_mentions

    return [m.label for a in by_role(answers, "goal") for s in a.sentences for m in metric_mentions(s)]


def _measurability(
    ledger: Ledger,
    answers: Sequence[Answer],
    draft: Draft,
    measures: Sequence[Measure],
    activities: Sequence[ActivityFinding],
) -> None:
    key_results = [kr for o in draft.objectives for kr in o.key_results]
    n = len(key_results) or 1
    targets = sum(any(c.isdigit() for c in kr.target) for kr in key_results)
    baselines = sum(kr.baseline != UNKNOWN for kr in key_results)
    # A tentative date ("hopefully next year") counts half.
    dated = sum((kr.due != NOT_STATED) * (0.5 if "tentative" in kr.due else 1.0) for kr in key_results)
    ledger.add(
        "measurability",
        25 * targets / n,
        f"{targets} of {len(key_results)} key results have a target you stated",
    )
    ledger.add(
        "measurability",
        15 * baselines / n,
        f"{baselines} of {len(key_results)} key results have a known baseline",
    )
    ledger.add(
        "measurability",
        15 * dated / n,
        f"{dated:g} of {len(key_results)} key results have a date (tentative counts half)",
    )
    measures_answers = by_role(answers, "measures")
    named_there = [m for m in measures if "measures" in m.roles]
    order = measures_answers[0].order if measures_answers else None
    if any(m.has_numbers for m in named_there):
        ledger.add(
            "measurability",
            20,
            f"The success answer names metrics with numbers: {_listed([m.label for m in named_there])}",
            order,
        )
    elif named_there:
        ledger.add(
            "measurability",
            10,
            f"The success answer names metrics, without numbers: {_listed([m.label for m in named_there])}",
            order,
        )
    elif measures:
        ledger.add(
            "measurability",
            10,
            f"Metrics are named, but not as the measure of success: {_listed([m.label for m in measures])}",
        )
    else:
        ledger.add("measurability", 0, "No metric is named in any answer")
    stated = [n.text for a in answers for s in a.sentences for n in stated_numbers(s)]
    if len(stated) >= 3:
        ledger.add("measurability", 15, f"You stated {len(stated)} numbers: {_listed(stated)}")
    elif stated:
        ledger.add("measurability", 8, f"You stated only {len(stated)} number(s): {_listed(stated)}")
    else:
        ledger.add("measurability", 0, "No numbers are stated in any answer")
    cadence = [
        (m.group(0), a.order)
        for a in by_role(answers, "measures", "resources")
        for m in _CADENCE.finditer(a.text)
    ]
    if cadence:
        ledger.add("measurability", 10, f"Progress is tracked: “{cadence[0][0]}”", cadence[0][1])
    else:
        ledger.add("measurability", 0, "Nothing says how or how often progress is tracked")
    if activities:
        ledger.add(
            "measurability",
            -min(20, 10 * len(activities)),
            f"Activities offered as success measures: {_listed([a.text for a in activities])}",
            activities[0].order,
        )


def _alignment(
    ledger: Ledger,
    answers: Sequence[Answer],
    measures: Sequence[Measure],
    strengths: Sequence[StrengthFinding],
) -> None:
    goal_words = content_words(" ".join(a.text for a in by_role(answers, "goal")))
    blocker_words = content_words(" ".join(a.text for a in by_role(answers, "blockers")))
    measured = [m for m in measures if "measures" in m.roles]
    if measured:
        related = [
            m for m in measured if m.roles & {"goal", "blockers"} or content_words(m.label) & goal_words
        ]
        ledger.add(
            "alignment",
            30 * len(related) / len(measured),
            f"{len(related)} of {len(measured)} success metrics relate to the goal or a named blocker"
            + (f": {_listed([m.label for m in related])}" if related else ""),
        )
    else:
        ledger.add("alignment", 0, "No success metric to compare with the goal")
    measures_words = content_words(" ".join(a.text for a in by_role(answers, "measures")))
    shared = sorted(goal_words & measures_words)
    ledger.add(
        "alignment",
        min(25, 8 * len(shared)),
        f"The success answer uses the goal's words: {_listed(shared)}"
        if shared
        else "The success answer shares no words with the goal",
    )
    resources_words = content_words(" ".join(a.text for a in by_role(answers, "resources")))
    shared = sorted(resources_words & (goal_words | blocker_words))
    points = 20 if len(shared) >= 2 else 10 if shared else 0
    ledger.add(
        "alignment",
        points,
        f"The resources and timeline address the goal or blockers: {_listed(shared)}"
        if shared
        else "The resources and timeline do not mention the goal or the blockers",
    )
    linked = [s for s in strengths if content_words(s.quote) & goal_words]
    if linked:
        ledger.add("alignment", 15, f"A strength supports the goal: “{linked[0].quote}”", linked[0].order)
    else:
        ledger.add("alignment", 0, "No strength is connected to the goal")
    goal_measures = [m for m in measures if "goal" in m.roles and m.has_numbers]
    if len(goal_measures) <= 2:
        ledger.add("alignment", 10, "The goal has a single focus")
    else:
        ledger.add(
            "alignment",
            0,
            f"The goal mixes {len(goal_measures)} targets: {_listed([m.label for m in goal_measures])}",
        )


def _execution(
    ledger: Ledger,
    answers: Sequence[Answer],
    blockers: Sequence[BlockerFinding],
    strengths: Sequence[StrengthFinding],
) -> None:
    due = main_due(answers)
    if due and "tentative" not in due[0]:
        ledger.add("execution_readiness", 20, f"There is a date to work toward: {due[0]}", due[1])
    elif due:
        ledger.add("execution_readiness", 10, f"The date is tentative: {due[0]}", due[1])
    else:
        ledger.add("execution_readiness", 0, "There is no date to work toward")
    plan = by_role(answers, "resources") or list(answers)
    owners = [(m.group(0), a.order) for a in plan for m in _OWNERS.finditer(a.text)]
    if owners:
        ledger.add(
            "execution_readiness",
            20,
            f"People and owners are named: {_listed([o[0] for o in owners])}",
            owners[0][1],
        )
    else:
        ledger.add("execution_readiness", 0, "Nobody is named as owning the work")
    money = [
        (n.text, a.order)
        for a in plan
        for s in a.sentences
        for n in stated_numbers(s)
        if n.unit and n.unit.isupper()
    ]
    money += [(m.group(0), a.order) for a in plan for m in _MONEY.finditer(a.text)]
    if money:
        ledger.add(
            "execution_readiness",
            15,
            f"Money is accounted for: {_listed([m[0] for m in money])}",
            money[0][1],
        )
    else:
        ledger.add("execution_readiness", 0, "Budget, cash or runway is not mentioned")
    milestones = [d.text for a in plan for s in a.sentences for d in deadlines(s) if d.is_point]
    steps = [m.group(0) for a in plan for m in _SEQUENCE.finditer(a.text)]
    cadence = [m.group(0) for a in plan for m in _CADENCE.finditer(a.text)]
    if len(milestones) >= 2 or (milestones and (steps or cadence)):
        ledger.add(
            "execution_readiness", 15, f"The plan has milestones: {_listed(milestones + steps + cadence)}"
        )
    else:
        ledger.add("execution_readiness", 0, "The plan has no milestones or review rhythm")
    if any(s.has_numbers for s in strengths):
        ledger.add("execution_readiness", 15, "There is a proven strength to build on, with numbers")
    elif strengths:
        ledger.add("execution_readiness", 8, "There are strengths to build on, not yet measured")
    else:
        ledger.add("execution_readiness", 0, "No strength to build on is named")
    high = [b for b in blockers if b.severity == "high"]
    ledger.add(
        "execution_readiness",
        max(-15, 15 - 10 * len(high)),
        f"{len(high)} high-severity blocker(s)" + (f", first: {high[0].description}" if high else ""),
        high[0].order if high else None,
    )


def score(
    *,
    answers: Sequence[Answer],
    goal: GoalReading,
    draft: Draft,
    measures: Sequence[Measure],
    blockers: Sequence[BlockerFinding],
    strengths: Sequence[StrengthFinding],
    activities: Sequence[ActivityFinding],
) -> tuple[Scores, list[ScoreReason]]:
    ledger = Ledger()
    _clarity(ledger, answers, goal)
    _measurability(ledger, answers, draft, measures, activities)
    _alignment(ledger, answers, measures, strengths)
    _execution(ledger, answers, blockers, strengths)
    parts = {name: ledger.total(name) for name in WEIGHTS}
    overall = round(sum(parts[name] * weight for name, weight in WEIGHTS.items()))
    ledger.add(
        "overall",
        overall,
        "30% clarity + 30% measurability + 20% alignment + 20% execution readiness "
        f"({parts['clarity']}, {parts['measurability']}, {parts['alignment']}, {parts['execution_readiness']})",
    )
    return Scores(**parts, overall=overall), ledger.reasons
