"""The `local` engine for the OKR dashboard: deterministic text analytics, no model, no canned text."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from review.ai import advice, drafting, findings, reading, scoring
from review.ai.schema import Blocker, Dashboard, Evidence, FlaggedActivity, Goal, Strength

Step = Callable[[str], None]


def _noop(step: str) -> None:
    return None


def reference_date(inputs: dict[str, Any]) -> dt.date:
    """The day relative dates are counted from ("in six months", "this year"): the one the caller
    passes (when the analysis was asked for), else today."""
    value = inputs.get("reference_date")
    if value is None:
        return dt.date.today()
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.datetime.fromisoformat(str(value)).date()
    except ValueError:
        raise ValueError(f"reference_date must be an ISO date, not {value!r}") from None


@dataclass(frozen=True)
class Reading:
    """What the engine read, before it is written up: the dashboard is made from this."""

    today: dt.date
    answers: list[reading.Answer]
    measures: list[reading.Measure]
    goal: drafting.GoalReading
    goal_measure: reading.Measure | None
    draft: drafting.Draft
    activities: list[findings.ActivityFinding]
    blockers: list[findings.BlockerFinding]
    strengths: list[findings.StrengthFinding]


def read(answers: list[dict[str, Any]], *, today: dt.date, on_step: Step = _noop) -> Reading:
    read_answers = reading.read_answers(answers)
    on_step("extracting_goal")
    measures = reading.measures(read_answers, today)
    main = drafting.goal_measure(measures)
    goal = drafting.goal(read_answers, today, main)
    on_step("drafting_okrs")
    draft = drafting.okr_draft(read_answers, measures, goal, today)
    activities = findings.activities(read_answers)
    on_step("finding_blockers_and_strengths")
    return Reading(
        today=today,
        answers=read_answers,
        measures=measures,
        goal=goal,
        goal_measure=draft.measures_used[0] if draft.measures_used else None,
        draft=draft,
        activities=activities,
        blockers=findings.blockers(read_answers),
        strengths=findings.strengths(read_answers),
    )


def build_dashboard(inputs: dict[str, Any]) -> Dashboard:
    """inputs: {"answers": [{"order", "prompt", "answer"}, ...], "reference_date": optional ISO
    date, "on_step": optional callable}.

    `on_step(name)` is called as each stage starts, so a caller can report real progress.
    """
    on_step: Step = inputs.get("on_step") or _noop
    found = read(inputs["answers"], today=reference_date(inputs), on_step=on_step)
    draft = found.draft

    on_step("scoring")
    scores, reasons = scoring.score(
        answers=found.answers,
        goal=found.goal,
        draft=draft,
        measures=found.measures,
        blockers=found.blockers,
        strengths=found.strengths,
        activities=found.activities,
        today=found.today,
    )

    on_step("writing_recommendations")
    recommendations = advice.recommendations(
        goal=found.goal,
        clarity=scores.clarity,
        draft=draft,
        scores=scores,
        blockers=found.blockers,
        strengths=found.strengths,
        activities=found.activities,
    )
    goal_metric = next(
        (kr.metric for o in draft.objectives for kr in o.key_results if kr.metric != "not defined"), None
    )
    return Dashboard(
        summary=advice.summary(
            goal=found.goal, draft=draft, scores=scores, blockers=found.blockers, strengths=found.strengths
        ),
        goal=Goal(statement=found.goal.statement, clarity=scores.clarity),
        okr_draft=draft.objectives,
        flagged_activities=[
            FlaggedActivity(
                text=a.text,
                reason=advice.activity_reason(goal_metric),
                evidence=Evidence(order=a.order, quote=a.quote),
            )
            for a in found.activities
        ],
        blockers=[
            Blocker(
                category=b.category,  # type: ignore[arg-type]
                description=b.description,
                severity=b.severity,  # type: ignore[arg-type]
                evidence=Evidence(order=b.order, quote=b.quote),
            )
            for b in found.blockers
        ],
        strengths=[
            Strength(text=s.text, evidence=Evidence(order=s.order, quote=s.quote)) for s in found.strengths
        ],
        recommendations=recommendations,
        scores=scores,
        score_reasons=reasons,
    )


def forget_readings() -> None:
    """Drop the per-sentence caches, so a benchmark measures a first reading, not a repeat."""
    from review.ai import clauses, dates, numbers

    for cached in (numbers._quantities, numbers._word_value, dates._date_phrases, clauses._clauses):
        cached.cache_clear()
