"""Recommendations and the summary, each built from a finding it names (the founder's own words),
through the templates of `phrasing`."""

from __future__ import annotations

from collections.abc import Sequence

from review.ai.drafting import Draft, GoalReading
from review.ai.findings import ActivityFinding, BlockerFinding, StrengthFinding
from review.ai.phrasing import Count, Noun, Nouns, Quote, Said, Words, template
from review.ai.schema import NOT_STATED, UNKNOWN, Recommendation, Scores

# What an OKR coach suggests first for each kind of blocker.
_BLOCKER_MOVES = {
    "people": "Give the gap an owner and a date: a hire, a contractor or a decision about which work stops until then.",
    "process": "Map the steps from request to result, find the slowest one, and give it an owner and a weekly number.",
    "technology": "Treat the fix as a key result: define the number that shows it is fixed (speed, errors, hours saved) and schedule the work.",
    "market": "Talk to ten customers or lost prospects this month and test one change to the offer, price or channel.",
    "finance": "Follow the money behind it (cash, payments, prices), fix the flow that costs you most, and keep spending to the work that moves the key results.",
    "other": "Say exactly what blocks you: a named problem can be given an owner and measured.",
}

_PRIORITY_RANK = {"high": 0, "medium": 1, "low": 2}

REWRITE_TITLE = template(
    "rewrite_goal_title", "Rewrite the goal as one sentence with a number and a date", "title"
)
REWRITE_DETAIL = template(
    "rewrite_goal_detail",
    "Today the goal reads {goal} It is missing {missing}. Use the shape: grow what, from today's value "
    "to the target, by a date, through your main lever.",
    goal=Quote,
    missing=Nouns,
)
NAME_NUMBER_TITLE = template("name_number_title", "Name the number that proves the goal is met", "title")
NAME_NUMBER_DETAIL = template(
    "name_number_detail",
    "No metric in your answers measures the goal, so the draft leaves that key result open rather than "
    "guessing. Pick one result customers or the bank account would show (revenue, paying customers, "
    "retention) and write it down with today's value.",
)
TARGET_TITLE = template("target_title", "Put a target on {metrics}", "title", metrics=Nouns)
TARGET_DETAIL = template(
    "target_detail",
    "You named {metrics} but no number to reach. Choose the value that would make this period a success; "
    "without it the key result cannot be scored.",
    metrics=Nouns,
)
BASELINE_TITLE = template(
    "baseline_title", "Measure today's {metrics} before committing", "title", metrics=Nouns
)
BASELINE_DETAIL = template(
    "baseline_detail",
    "The draft marks {count:this baseline|these baselines} as unknown instead of estimating {count:it|them}. "
    "Pull the current {count:figure|figures} from your tools this week so progress is measured from a real "
    "starting point.",
    count=Count,
)
DATE_TITLE = template("date_title", "Set a date", "title")
DATE_DETAIL = template(
    "date_detail",
    "No answer says by when the goal should be reached. Pick an end date (a quarter is the usual OKR cycle) "
    "and a mid-point check.",
)
BLOCKER_TITLE = template(
    "blocker_title", "Tackle the {category} blocker {when}", "title", category=Words, when=Words
)
BLOCKER_DETAIL = template(
    "blocker_detail", "{quote} (answer {order}). {move}", quote=Quote, order=Count, move=Said
)
ACTIVITY_TITLE = template("activity_title", "Keep activities in the plan, not in the key results", "title")
ACTIVITY_DETAIL = template(
    "activity_detail",
    "{items} {items:is|are} work you will do, not {items:a result|results}. Keep {items:it|them} as "
    "{items:an initiative|initiatives} and measure what {items:it|they} should change, such as {metric} "
    "(answer {order}).",
    items=Nouns,
    metric=Noun,
    order=Count,
)
ACTIVITY_REASON = template(
    "activity_reason",
    "This is work you will do, not a result. Keep it as an initiative and measure what it should change, "
    "such as {metric}.",
    metric=Noun,
)
ACTIVITY_REASON_NO_METRIC = template(
    "activity_reason_no_metric",
    "This is work you will do, not a result. Keep it as an initiative and name the number it should change.",
)
STRENGTH_TITLE = template("strength_title", "Build on what already works", "title")
STRENGTH_DETAIL = template(
    "strength_detail",
    "{quote} (answer {order}). Make it one of the levers for the goal and track it beside the key results "
    "so it does not erode while you fix the rest.",
    quote=Quote,
    order=Count,
)
ALIGN_TITLE = template("align_title", "Connect what you measure to the goal", "title")
ALIGN_DETAIL = template(
    "align_detail",
    "Your success measures and resources barely mention the goal. For each key result ask: if this number "
    "moves, does the goal move?",
)
HEALTH_TITLE = template("health_title", "Keep the draft to three key results per objective", "title")
HEALTH_DETAIL = template(
    "health_detail",
    "You track more numbers than fit in the draft: keep {metrics} beside the OKRs as {metrics:a health "
    "metric|health metrics} rather than as key results.",
    metrics=Nouns,
)

SUMMARY_GOAL = template("summary_goal", "Goal: {goal} (clarity {clarity}/100).", goal=Said, clarity=Count)
SUMMARY_DRAFT = template(
    "summary_draft",
    "The draft has {objectives} {objectives:objective|objectives} and {krs} key {krs:result|results}; "
    "{complete} {complete:is|are} fully specified from your answers.",
    objectives=Count,
    krs=Count,
    complete=Count,
)
SUMMARY_DRAFT_OPEN = template(
    "summary_draft_open",
    "The draft has {objectives} {objectives:objective|objectives} and {krs} key {krs:result|results}; "
    "{complete} {complete:is|are} fully specified from your answers, and {open} {open:needs|need} a target, "
    "baseline or date you have not stated.",
    objectives=Count,
    krs=Count,
    complete=Count,
    open=Count,
)
SUMMARY_BLOCKER = template(
    "summary_blocker",
    "Main blocker ({category}, {severity}): {blocker}",
    category=Words,
    severity=Words,
    blocker=Said,
)
SUMMARY_STRENGTH = template("summary_strength", "To build on: {strength}", strength=Said)
SUMMARY_OVERALL = template("summary_overall", "Overall {overall}/100: {band}.", overall=Count, band=Words)


def _nouns(items: Sequence[str]) -> Nouns:
    return Nouns(tuple(dict.fromkeys(i.strip().rstrip(".") for i in items)))


def activity_reason(goal_metric: str | None) -> str:
    if goal_metric:
        return ACTIVITY_REASON.render(metric=Noun(goal_metric))
    return ACTIVITY_REASON_NO_METRIC.render()


def recommendations(
    *,
    goal: GoalReading,
    clarity: int,
    draft: Draft,
    scores: Scores,
    blockers: Sequence[BlockerFinding],
    strengths: Sequence[StrengthFinding],
    activities: Sequence[ActivityFinding],
    limit: int = 7,
) -> list[Recommendation]:
    out: list[Recommendation] = []
    key_results = [kr for objective in draft.objectives for kr in objective.key_results]
    real = [kr for kr in key_results if kr.metric != "not defined"]

    if clarity < 60:
        missing = []
        if not goal.numbers and not goal.relative_target:
            missing.append("a number")
        if goal.due is None:
            missing.append("a date")
        if not goal.has_strategy:
            missing.append("how you will get there")
        out.append(
            Recommendation(
                title=REWRITE_TITLE.render(),
                detail=REWRITE_DETAIL.render(
                    goal=Quote(goal.statement), missing=_nouns(missing or ["focus"])
                ),
                priority="high",
            )
        )
    if draft.gaps_marked and not real:
        out.append(
            Recommendation(
                title=NAME_NUMBER_TITLE.render(), detail=NAME_NUMBER_DETAIL.render(), priority="high"
            )
        )
    no_target = [kr.metric for kr in real if kr.target == NOT_STATED]
    if no_target:
        out.append(
            Recommendation(
                title=TARGET_TITLE.render(metrics=_nouns(no_target)),
                detail=TARGET_DETAIL.render(metrics=_nouns(no_target)),
                priority="high",
            )
        )
    no_baseline = [kr.metric for kr in real if kr.baseline == UNKNOWN]
    if no_baseline:
        out.append(
            Recommendation(
                title=BASELINE_TITLE.render(metrics=_nouns(no_baseline)),
                detail=BASELINE_DETAIL.render(count=Count(len(set(no_baseline)))),
                priority="medium",
            )
        )
    if all(kr.due == NOT_STATED for kr in key_results):
        out.append(Recommendation(title=DATE_TITLE.render(), detail=DATE_DETAIL.render(), priority="high"))
    serious = [b for b in blockers if b.severity == "high"][:2] or list(blockers[:1])
    for rank, blocker in enumerate(serious):
        out.append(
            Recommendation(
                title=BLOCKER_TITLE.render(
                    category=Words(blocker.category), when=Words("first" if rank == 0 else "next")
                ),
                detail=BLOCKER_DETAIL.render(
                    quote=Quote(blocker.quote),
                    order=Count(blocker.order),
                    move=Said(_BLOCKER_MOVES[blocker.category]),
                ),
                priority="high" if blocker.severity == "high" else "medium",
            )
        )
    if activities:
        first = activities[0]
        goal_metric = next((kr.metric for kr in real), "the number in your goal")
        out.append(
            Recommendation(
                title=ACTIVITY_TITLE.render(),
                detail=ACTIVITY_DETAIL.render(
                    items=Nouns(tuple(f"“{a.text}”" for a in activities)),
                    metric=Noun(goal_metric),
                    order=Count(first.order),
                ),
                priority="medium",
            )
        )
    if strengths:
        best = next((s for s in strengths if s.has_numbers), strengths[0])
        out.append(
            Recommendation(
                title=STRENGTH_TITLE.render(),
                detail=STRENGTH_DETAIL.render(quote=Quote(best.quote), order=Count(best.order)),
                priority="low" if scores.overall >= 60 else "medium",
            )
        )
    if scores.alignment < 50:
        out.append(
            Recommendation(title=ALIGN_TITLE.render(), detail=ALIGN_DETAIL.render(), priority="medium")
        )
    if draft.measures_dropped:
        out.append(
            Recommendation(
                title=HEALTH_TITLE.render(),
                detail=HEALTH_DETAIL.render(metrics=_nouns([m.label for m in draft.measures_dropped])),
                priority="low",
            )
        )
    out.sort(key=lambda r: _PRIORITY_RANK[r.priority])
    return out[:limit]


def _band(overall: int) -> str:
    if overall >= 75:
        return "a specific plan, ready to run with weekly check-ins"
    if overall >= 50:
        return "a workable plan with gaps to close before committing"
    if overall >= 25:
        return "a direction rather than a plan: it needs numbers, dates and owners"
    return "too vague to track yet: start with one number and one date"


def summary(
    *,
    goal: GoalReading,
    draft: Draft,
    scores: Scores,
    blockers: Sequence[BlockerFinding],
    strengths: Sequence[StrengthFinding],
) -> str:
    key_results = [kr for objective in draft.objectives for kr in objective.key_results]
    complete = sum(
        kr.quality.measurable and kr.quality.time_bound and kr.baseline != UNKNOWN for kr in key_results
    )
    counts = {
        "objectives": Count(len(draft.objectives)),
        "krs": Count(len(key_results)),
        "complete": Count(complete),
    }
    parts = [SUMMARY_GOAL.render(goal=Said(goal.statement.rstrip(".")), clarity=Count(scores.clarity))]
    if complete < len(key_results):
        parts.append(SUMMARY_DRAFT_OPEN.render(open=Count(len(key_results) - complete), **counts))
    else:
        parts.append(SUMMARY_DRAFT.render(**counts))
    if blockers:
        top = blockers[0]
        parts.append(
            SUMMARY_BLOCKER.render(
                category=Words(top.category), severity=Words(top.severity), blocker=Said(top.description)
            )
        )
    if strengths:
        parts.append(SUMMARY_STRENGTH.render(strength=Said(strengths[0].text)))
    parts.append(SUMMARY_OVERALL.render(overall=Count(scores.overall), band=Words(_band(scores.overall))))
    return " ".join(parts)
