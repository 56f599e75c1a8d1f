"""Recommendations and the summary, each built from a finding it names (the founder's own words)."""

from __future__ import annotations

from collections.abc import Sequence

from review.ai.drafting import Draft, GoalReading
from review.ai.findings import ActivityFinding, BlockerFinding, StrengthFinding
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


def _names(items: Sequence[str]) -> str:
    items = list(dict.fromkeys(items))
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


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
        if not any(c.isdigit() for c in goal.statement):
            missing.append("a number")
        if goal.due is None:
            missing.append("a date")
        if not goal.has_strategy:
            missing.append("how you will get there")
        out.append(
            Recommendation(
                title="Rewrite the goal as one sentence with a number and a date",
                detail=f"Today the goal reads “{goal.statement}” Missing: {_names(missing) if missing else 'focus'}. "
                "Use the shape: grow <what> from <today> to <target> by <date>, by <main lever>.",
                priority="high",
            )
        )
    if draft.gaps_marked:
        out.append(
            Recommendation(
                title="Name the number that proves the goal is met",
                detail="No metric in your answers measures the goal, so the draft leaves that key result open "
                "rather than guessing. Pick one result customers or the bank account would show "
                "(revenue, paying customers, retention) and write it down with today's value.",
                priority="high",
            )
        )
    no_target = [kr.metric for kr in real if not any(c.isdigit() for c in kr.target)]
    if no_target:
        out.append(
            Recommendation(
                title=f"Put a target on {_names(no_target)}",
                detail=f"You named {_names(no_target)} but no number to reach. Choose the value that would make "
                "this period a success; without it the key result cannot be scored.",
                priority="high",
            )
        )
    no_baseline = [kr.metric for kr in real if kr.baseline == UNKNOWN]
    if no_baseline:
        out.append(
            Recommendation(
                title=f"Measure today's {_names(no_baseline)} before committing",
                detail="The draft marks these baselines as unknown instead of estimating them. Pull the current "
                "figures from your tools this week so progress is measured from a real starting point.",
                priority="medium",
            )
        )
    if all(kr.due == NOT_STATED for kr in key_results):
        out.append(
            Recommendation(
                title="Set a date",
                detail="No answer says by when the goal should be reached. Pick an end date (a quarter is the "
                "usual OKR cycle) and a mid-point check.",
                priority="high",
            )
        )
    serious = [b for b in blockers if b.severity == "high"][:2] or list(blockers[:1])
    for rank, blocker in enumerate(serious):
        out.append(
            Recommendation(
                title=f"Tackle the {blocker.category} blocker {'first' if rank == 0 else 'next'}",
                detail=f"“{blocker.quote}” (answer {blocker.order}). {_BLOCKER_MOVES[blocker.category]}",
                priority="high" if blocker.severity == "high" else "medium",
            )
        )
    if activities:
        first = activities[0]
        goal_metric = next((kr.metric for kr in real), "the number in your goal")
        out.append(
            Recommendation(
                title="Keep activities in the plan, not in the key results",
                detail=f"“{_names([a.text for a in activities])}” is work you will do, not a result. Keep it "
                f"as an initiative and measure what it should change, such as {goal_metric} (answer {first.order}).",
                priority="medium",
            )
        )
    if strengths:
        best = next((s for s in strengths if s.has_numbers), strengths[0])
        out.append(
            Recommendation(
                title="Build on what already works",
                detail=f"“{best.quote}” (answer {best.order}). Make it one of the levers for the goal and "
                "track it beside the key results so it does not erode while you fix the rest.",
                priority="low" if scores.overall >= 60 else "medium",
            )
        )
    if scores.alignment < 50:
        out.append(
            Recommendation(
                title="Connect what you measure to the goal",
                detail="Your success measures and resources barely mention the goal. For each key result ask: "
                "if this number moves, does the goal move?",
                priority="medium",
            )
        )
    if draft.measures_dropped:
        out.append(
            Recommendation(
                title="Keep the draft to three key results per objective",
                detail=f"You track more numbers than fit: {_names([m.label for m in draft.measures_dropped])} "
                "stay as health metrics beside the OKRs rather than key results.",
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


def _open(count: int) -> str:
    return f"{count} {'needs' if count == 1 else 'need'} a target, baseline or date you have not stated"


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
    parts = [
        f"Goal: {goal.statement.rstrip('.')} (clarity {scores.clarity}/100).",
        f"The draft has {len(draft.objectives)} objective{'s' if len(draft.objectives) != 1 else ''} and "
        f"{len(key_results)} key results; {complete} {'is' if complete == 1 else 'are'} fully specified from your answers"
        + (f", {_open(len(key_results) - complete)}." if complete < len(key_results) else "."),
    ]
    if blockers:
        top = blockers[0]
        parts.append(f"Main blocker ({top.category}, {top.severity}): {top.description}")
    if strengths:
        parts.append(f"To build on: {strengths[0].text}")
    parts.append(f"Overall {scores.overall}/100: {_band(scores.overall)}.")
    return " ".join(parts)
