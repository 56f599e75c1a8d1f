"""Scores 0-100 built from named points, so every score can be traced to what the founder said.

Each dimension is the sum of its reasons' points, clamped to 0..100; a reason worth 0 names what
is missing. overall = 30% clarity + 30% measurability + 20% alignment + 20% execution readiness.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass, field

from review.ai import clauses as grammar
from review.ai.dates import cadences, deadlines, hedges
from review.ai.drafting import Draft, GoalReading
from review.ai.findings import ActivityFinding, BlockerFinding, StrengthFinding
from review.ai.numbers import quantities
from review.ai.phrasing import Count, Nouns, Quote, Said, SlotValue, Template, When, Words, template
from review.ai.reading import Answer, Measure, by_role, content_words, metric_mentions, plan_due
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
# How progress is followed: a tracking word, or a cadence beside a metric ("MRR every Monday"); a
# cadence beside work ("workshops every month") is an activity's, not tracking.
_TRACKING = re.compile(
    r"\b(?:track(?:s|ed|ing)?|dashboards?|report(?:s|ing)?|review(?:s|ed|ing)?|check-?ins?|scorecard|"
    r"look(?:s|ed)? at|check(?:s|ed)?|count(?:s|ed)?|monitor(?:s|ed|ing)?|measured?)\b",
    re.I,
)


def tracking(answers: Sequence[Answer]) -> list[tuple[str, int]]:
    """How the founder follows progress, as said: "We look at MRR in Stripe every Monday"."""
    found = []
    for answer in by_role(answers, "measures", "resources"):
        for sentence in answer.sentences:
            for clause in grammar.clauses(sentence):
                words = _TRACKING.search(clause.text)
                rhythm = cadences(clause.text)
                if words and (rhythm or metric_mentions(clause.text)):
                    found.append((clause.text, answer.order))
                elif (
                    rhythm
                    and metric_mentions(clause.text)
                    and not grammar.has_verb(grammar.tokens(clause.text))
                ):
                    found.append((clause.text, answer.order))  # "Subscribers and churn, every Monday."
                elif words and answer.role == "resources":
                    found.append((clause.text, answer.order))
    return found


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


def _t(name: str, pattern: str, **slots: type) -> Template:
    return template(f"reason_{name}", pattern, "phrase", (), **slots)


R = {
    "goal_stated": _t("goal_stated", "A goal is stated: {quote}", quote=Quote),
    "goal_unstated": _t(
        "goal_unstated", "The first answer is read as the goal, but it does not say what should be achieved"
    ),
    "goal_number": _t(
        "goal_number", "The goal names {count:a number|numbers}: {values}", count=Count, values=Nouns
    ),
    "goal_relative": _t(
        "goal_relative", "The goal sets a relative target ({multiple}) from an unstated base", multiple=Words
    ),
    "goal_no_number": _t("goal_no_number", "The goal names no number, so nobody can tell when it is reached"),
    "goal_date": _t("goal_date", "The goal has a date: {when}", when=When),
    "goal_date_tentative": _t("goal_date_tentative", "The goal's date is tentative: {when}", when=When),
    "date_elsewhere": _t(
        "date_elsewhere",
        "The date comes from answer {order} ({when}), not the goal itself",
        order=Count,
        when=When,
    ),
    "no_date": _t("no_date", "No date is stated anywhere"),
    "goal_metric": _t("goal_metric", "The goal names what will change: {metrics}", metrics=Nouns),
    "goal_no_metric": _t(
        "goal_no_metric", "The goal names no metric (revenue, customers, churn and the like)"
    ),
    "goal_fits": _t("goal_fits", "It fits in one sentence ({count} {count:word|words})", count=Count),
    "goal_too_short": _t(
        "goal_too_short", "The goal statement is too short ({count} {count:word|words})", count=Count
    ),
    "goal_long": _t("goal_long", "The goal statement is long ({count} {count:word|words})", count=Count),
    "goal_how": _t("goal_how", "It says how the goal will be reached"),
    "goal_no_how": _t("goal_no_how", "It does not say how the goal will be reached"),
    "vague": _t("vague", "Vague or hedging words: {words}", words=Nouns),
    "targets": _t(
        "targets",
        "{count} of {total} {total:key result has|key results have} a target you stated",
        count=Count,
        total=Count,
    ),
    "baselines": _t(
        "baselines",
        "{count} of {total} {total:key result has|key results have} a known baseline",
        count=Count,
        total=Count,
    ),
    "dated": _t(
        "dated",
        "{count} of {total} {total:key result has|key results have} a date (a tentative one counts half)",
        count=Words,
        total=Count,
    ),
    "success_numbers": _t(
        "success_numbers", "The success answer names metrics with numbers: {metrics}", metrics=Nouns
    ),
    "success_metrics": _t(
        "success_metrics", "The success answer names metrics, without numbers: {metrics}", metrics=Nouns
    ),
    "metrics_elsewhere": _t(
        "metrics_elsewhere", "Metrics are named, but not as the measure of success: {metrics}", metrics=Nouns
    ),
    "no_metric": _t("no_metric", "No metric is named in any answer"),
    "many_numbers": _t("many_numbers", "You stated {count} numbers: {values}", count=Count, values=Nouns),
    "few_numbers": _t(
        "few_numbers", "You stated only {count:one number|these numbers}: {values}", count=Count, values=Nouns
    ),
    "no_numbers": _t("no_numbers", "No numbers are stated in any answer"),
    "tracked": _t("tracked", "Progress is tracked: {quote}", quote=Quote),
    "untracked": _t("untracked", "Nothing says how or how often progress is tracked"),
    "activities": _t("activities", "Activities offered as success measures: {items}", items=Nouns),
    "related": _t(
        "related",
        "{count} of {total} {total:success metric relates|success metrics relate} to the goal or a named blocker",
        count=Count,
        total=Count,
    ),
    "related_named": _t(
        "related_named",
        "{count} of {total} {total:success metric relates|success metrics relate} to the goal or a named blocker: {metrics}",
        count=Count,
        total=Count,
        metrics=Nouns,
    ),
    "no_success_metric": _t("no_success_metric", "No success metric to compare with the goal"),
    "shared_words": _t("shared_words", "The success answer uses the goal's words: {words}", words=Nouns),
    "no_shared_words": _t("no_shared_words", "The success answer shares no words with the goal"),
    "resources_aligned": _t(
        "resources_aligned", "The resources and timeline address the goal or blockers: {words}", words=Nouns
    ),
    "resources_unaligned": _t(
        "resources_unaligned", "The resources and timeline do not mention the goal or the blockers"
    ),
    "strength_supports": _t("strength_supports", "A strength supports the goal: {quote}", quote=Quote),
    "no_strength_link": _t("no_strength_link", "No strength is connected to the goal"),
    "single_focus": _t("single_focus", "The goal has a single focus"),
    "mixed_targets": _t(
        "mixed_targets", "The goal mixes {count} targets: {metrics}", count=Count, metrics=Nouns
    ),
    "work_date": _t("work_date", "There is a date to work toward: {when}", when=When),
    "work_date_tentative": _t("work_date_tentative", "The date is tentative: {when}", when=When),
    "no_work_date": _t("no_work_date", "There is no date to work toward"),
    "owners": _t("owners", "People and owners are named: {names}", names=Nouns),
    "no_owner": _t("no_owner", "Nobody is named as owning the work"),
    "money": _t("money", "Money is accounted for: {items}", items=Nouns),
    "no_money": _t("no_money", "Budget, cash or runway is not mentioned"),
    "milestones": _t("milestones", "The plan has milestones: {items}", items=Nouns),
    "no_milestones": _t("no_milestones", "The plan has no milestones or review rhythm"),
    "strength_numbers": _t("strength_numbers", "There is a proven strength to build on, with numbers"),
    "strength_unmeasured": _t("strength_unmeasured", "There are strengths to build on, not yet measured"),
    "no_strength": _t("no_strength", "No strength to build on is named"),
    "high_blockers": _t(
        "high_blockers",
        "{count} high-severity {count:blocker|blockers}, the first: {first}",
        count=Count,
        first=Said,
    ),
    "no_high_blockers": _t("no_high_blockers", "No high-severity blocker"),
    "overall": _t(
        "overall",
        "30% clarity + 30% measurability + 20% alignment + 20% execution readiness ({parts})",
        parts=Words,
    ),
}


def _say(name: str, **values: SlotValue) -> str:
    return R[name].render(**values)


@dataclass
class Ledger:
    reasons: list[ScoreReason] = field(default_factory=list)

    def add(self, dimension: Dimension, points: float, reason: str, order: int | None = None) -> None:
        self.reasons.append(
            ScoreReason(dimension=dimension, points=round(points), reason=reason, evidence_order=order)
        )

    def total(self, dimension: str) -> int:
        return max(0, min(100, sum(r.points for r in self.reasons if r.dimension == dimension)))


def _listed(items: Sequence[str], limit: int = 6) -> Nouns:
    unique = list(dict.fromkeys(i.strip().rstrip(".,;") for i in items if i.strip()))
    shown = unique[:limit]
    if len(unique) > limit:
        shown.append(f"{len(unique) - limit} more")
    return Nouns(tuple(shown))


def _clarity(ledger: Ledger, answers: Sequence[Answer], goal: GoalReading, today: dt.date) -> None:
    goal_answers = by_role(answers, "goal") or list(answers[:1])
    goal_text = " ".join(a.text for a in goal_answers)
    if goal.has_goal_words and goal.quote:
        ledger.add("clarity", 20, _say("goal_stated", quote=Quote(goal.quote)), goal.order)
    else:
        ledger.add("clarity", 10, _say("goal_unstated"), goal.order)
    if goal.numbers:
        ledger.add(
            "clarity",
            25,
            _say("goal_number", count=Count(len(goal.numbers)), values=_listed(goal.numbers)),
            goal.order,
        )
    elif goal.relative_target:
        ledger.add("clarity", 15, _say("goal_relative", multiple=Words(goal.relative_target)), goal.order)
    else:
        ledger.add("clarity", 0, _say("goal_no_number"), goal.order)
    if goal.due is not None and not goal.due.tentative:
        ledger.add("clarity", 20, _say("goal_date", when=When(goal.due.label)), goal.order)
    elif goal.due is not None:
        ledger.add("clarity", 10, _say("goal_date_tentative", when=When(goal.due.label)), goal.order)
    else:
        found = plan_due(answers, today)
        if found:
            ledger.add(
                "clarity",
                10,
                _say("date_elsewhere", order=Count(found[1]), when=When(found[0].label)),
                found[1],
            )
        else:
            ledger.add("clarity", 0, _say("no_date"))
    metrics = _goal_metrics(answers)
    if metrics:
        ledger.add("clarity", 15, _say("goal_metric", metrics=_listed(metrics)), goal.order)
    else:
        ledger.add("clarity", 0, _say("goal_no_metric"), goal.order)
    words = len(goal.statement.split())
    if 5 <= words <= 35:
        ledger.add("clarity", 10, _say("goal_fits", count=Count(words)), goal.order)
    else:
        ledger.add(
            "clarity", 0, _say("goal_too_short" if words < 5 else "goal_long", count=Count(words)), goal.order
        )
    if goal.has_strategy:
        ledger.add("clarity", 10, _say("goal_how"), goal.order)
    else:
        ledger.add("clarity", 0, _say("goal_no_how"), goal.order)
    vague = [m.group(0).lower() for m in _VAGUE.finditer(goal_text)] + [h.lower() for h in hedges(goal_text)]
    vague = list(dict.fromkeys(vague))
    if vague:
        ledger.add("clarity", -min(25, 5 * len(vague)), _say("vague", words=_listed(vague)), goal.order)


def _goal_metrics(answers: Sequence[Answer]) -> list[str]:
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
    targets = sum(kr.target != NOT_STATED for kr in key_results)
    baselines = sum(kr.baseline != UNKNOWN for kr in key_results)
    # A tentative date ("hopefully next year") counts half.
    dated = sum((kr.due != NOT_STATED) * (0.5 if "tentative" in kr.due else 1.0) for kr in key_results)
    total = Count(len(key_results))
    ledger.add("measurability", 25 * targets / n, _say("targets", count=Count(targets), total=total))
    ledger.add("measurability", 15 * baselines / n, _say("baselines", count=Count(baselines), total=total))
    ledger.add("measurability", 15 * dated / n, _say("dated", count=Words(f"{dated:g}"), total=total))
    measures_answers = by_role(answers, "measures")
    named_there = [m for m in measures if "measures" in m.roles]
    order = measures_answers[0].order if measures_answers else None
    if any(m.has_numbers for m in named_there):
        ledger.add(
            "measurability",
            20,
            _say("success_numbers", metrics=_listed([m.label for m in named_there])),
            order,
        )
    elif named_there:
        ledger.add(
            "measurability",
            10,
            _say("success_metrics", metrics=_listed([m.label for m in named_there])),
            order,
        )
    elif measures:
        ledger.add(
            "measurability", 10, _say("metrics_elsewhere", metrics=_listed([m.label for m in measures]))
        )
    else:
        ledger.add("measurability", 0, _say("no_metric"))
    stated = [q.text for a in answers for s in a.sentences for q in quantities(s)]
    if len(stated) >= 3:
        ledger.add(
            "measurability", 15, _say("many_numbers", count=Count(len(stated)), values=_listed(stated))
        )
    elif stated:
        ledger.add("measurability", 8, _say("few_numbers", count=Count(len(stated)), values=_listed(stated)))
    else:
        ledger.add("measurability", 0, _say("no_numbers"))
    followed = tracking(answers)
    if followed:
        ledger.add("measurability", 10, _say("tracked", quote=Quote(followed[0][0])), followed[0][1])
    else:
        ledger.add("measurability", 0, _say("untracked"))
    if activities:
        ledger.add(
            "measurability",
            -min(20, 10 * len(activities)),
            _say("activities", items=_listed([a.text for a in activities])),
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
        points = 30 * len(related) / len(measured)
        counts = {"count": Count(len(related)), "total": Count(len(measured))}
        reason = (
            _say("related_named", metrics=_listed([m.label for m in related]), **counts)
            if related
            else _say("related", **counts)
        )
        ledger.add("alignment", points, reason)
    else:
        ledger.add("alignment", 0, _say("no_success_metric"))
    measures_words = content_words(" ".join(a.text for a in by_role(answers, "measures")))
    shared = sorted(goal_words & measures_words)
    ledger.add(
        "alignment",
        min(25, 8 * len(shared)),
        _say("shared_words", words=_listed(shared)) if shared else _say("no_shared_words"),
    )
    resources_words = content_words(" ".join(a.text for a in by_role(answers, "resources")))
    shared = sorted(resources_words & (goal_words | blocker_words))
    points = 20 if len(shared) >= 2 else 10 if shared else 0
    ledger.add(
        "alignment",
        points,
        _say("resources_aligned", words=_listed(shared)) if shared else _say("resources_unaligned"),
    )
    linked = [s for s in strengths if content_words(s.quote) & goal_words]
    if linked:
        ledger.add("alignment", 15, _say("strength_supports", quote=Quote(linked[0].quote)), linked[0].order)
    else:
        ledger.add("alignment", 0, _say("no_strength_link"))
    goal_measures = [m for m in measures if "goal" in m.roles and m.has_numbers]
    if len(goal_measures) <= 2:
        ledger.add("alignment", 10, _say("single_focus"))
    else:
        ledger.add(
            "alignment",
            0,
            _say(
                "mixed_targets",
                count=Count(len(goal_measures)),
                metrics=_listed([m.label for m in goal_measures]),
            ),
        )


def _execution(
    ledger: Ledger,
    answers: Sequence[Answer],
    blockers: Sequence[BlockerFinding],
    strengths: Sequence[StrengthFinding],
    today: dt.date,
) -> None:
    due = plan_due(answers, today)
    if due and not due[0].tentative:
        ledger.add("execution_readiness", 20, _say("work_date", when=When(due[0].label)), due[1])
    elif due:
        ledger.add("execution_readiness", 10, _say("work_date_tentative", when=When(due[0].label)), due[1])
    else:
        ledger.add("execution_readiness", 0, _say("no_work_date"))
    plan = by_role(answers, "resources") or list(answers)
    owners = [(m.group(0), a.order) for a in plan for m in _OWNERS.finditer(a.text)]
    if owners:
        ledger.add(
            "execution_readiness", 20, _say("owners", names=_listed([o[0] for o in owners])), owners[0][1]
        )
    else:
        ledger.add("execution_readiness", 0, _say("no_owner"))
    money = [(q.text, a.order) for a in plan for s in a.sentences for q in quantities(s) if q.is_money]
    money += [(m.group(0), a.order) for a in plan for m in _MONEY.finditer(a.text)]
    if money:
        ledger.add(
            "execution_readiness", 15, _say("money", items=_listed([m[0] for m in money])), money[0][1]
        )
    else:
        ledger.add("execution_readiness", 0, _say("no_money"))
    milestones = [d.text for a in plan for s in a.sentences for d in deadlines(s, today) if d.is_point]
    steps = [m.group(0) for a in plan for m in _SEQUENCE.finditer(a.text)]
    rhythm = [c.text for a in plan for s in a.sentences for c in cadences(s)]
    if len(milestones) >= 2 or (milestones and (steps or rhythm)):
        ledger.add("execution_readiness", 15, _say("milestones", items=_listed(milestones + steps + rhythm)))
    else:
        ledger.add("execution_readiness", 0, _say("no_milestones"))
    if any(s.has_numbers for s in strengths):
        ledger.add("execution_readiness", 15, _say("strength_numbers"))
    elif strengths:
        ledger.add("execution_readiness", 8, _say("strength_unmeasured"))
    else:
        ledger.add("execution_readiness", 0, _say("no_strength"))
    high = [b for b in blockers if b.severity == "high"]
    if high:
        ledger.add(
            "execution_readiness",
            max(-15, 15 - 10 * len(high)),
            _say("high_blockers", count=Count(len(high)), first=Said(high[0].description)),
            high[0].order,
        )
    else:
        ledger.add("execution_readiness", 15, _say("no_high_blockers"))


def score(
    *,
    answers: Sequence[Answer],
    goal: GoalReading,
    draft: Draft,
    measures: Sequence[Measure],
    blockers: Sequence[BlockerFinding],
    strengths: Sequence[StrengthFinding],
    activities: Sequence[ActivityFinding],
    today: dt.date,
) -> tuple[Scores, list[ScoreReason]]:
    ledger = Ledger()
    _clarity(ledger, answers, goal, today)
    _measurability(ledger, answers, draft, measures, activities)
    _alignment(ledger, answers, measures, strengths)
    _execution(ledger, answers, blockers, strengths, today)
    parts = {name: ledger.total(name) for name in WEIGHTS}
    overall = round(sum(parts[name] * weight for name, weight in WEIGHTS.items()))
    figures = ", ".join(str(parts[name]) for name in WEIGHTS)
    ledger.add("overall", overall, _say("overall", parts=Words(figures)))
    return Scores(**parts, overall=overall), ledger.reasons
