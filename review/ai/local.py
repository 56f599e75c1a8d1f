"""The `local` engine for the OKR dashboard: deterministic text analytics, no model, no canned text."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from review.ai import advice, drafting, findings, reading, scoring
from review.ai.schema import Blocker, Dashboard, Evidence, FlaggedActivity, Goal, Strength

Step = Callable[[str], None]


def _noop(step: str) -> None:
    return None


def build_dashboard(inputs: dict[str, Any]) -> Dashboard:
    """inputs: {"answers": [{"order", "prompt", "answer"}, ...], "on_step": optional callable}.

    `on_step(name)` is called as each stage starts, so a caller can report real progress.
    """
    on_step: Step = inputs.get("on_step") or _noop
    answers = reading.read_answers(inputs["answers"])

    on_step("extracting_goal")
    goal = drafting.goal(answers)
    measures = reading.measures(answers)

    on_step("drafting_okrs")
    draft = drafting.okr_draft(answers, measures, goal)
    activities = findings.activities(answers)

    on_step("finding_blockers_and_strengths")
    blockers = findings.blockers(answers)
    strengths = findings.strengths(answers)

    on_step("scoring")
    scores, reasons = scoring.score(
        answers=answers,
        goal=goal,
        draft=draft,
        measures=measures,
        blockers=blockers,
        strengths=strengths,
        activities=activities,
    )

    on_step("writing_recommendations")
    recommendations = advice.recommendations(
        goal=goal,
        clarity=scores.clarity,
        draft=draft,
        scores=scores,
        blockers=blockers,
        strengths=strengths,
        activities=activities,
    )
    goal_metric = next(
        (kr.metric for o in draft.objectives for kr in o.key_results if kr.metric != "not defined"), None
    )
    return Dashboard(
        summary=advice.summary(goal=goal, draft=draft, scores=scores, blockers=blockers, strengths=strengths),
        goal=Goal(statement=goal.statement, clarity=scores.clarity),
        okr_draft=draft.objectives,
        flagged_activities=[
            FlaggedActivity(
                text=a.text,
                reason="This is work you will do, not a result. Keep it as an initiative and measure what it "
                f"should change{f', such as {goal_metric}' if goal_metric else ''}.",
                evidence=Evidence(order=a.order, quote=a.quote),
            )
            for a in activities
        ],
        blockers=[
            Blocker(
                category=b.category,  # type: ignore[arg-type]
                description=b.description,
                severity=b.severity,  # type: ignore[arg-type]
                evidence=Evidence(order=b.order, quote=b.quote),
            )
            for b in blockers
        ],
        strengths=[Strength(text=s.text, evidence=Evidence(order=s.order, quote=s.quote)) for s in strengths],
        recommendations=recommendations,
        scores=scores,
        score_reasons=reasons,
    )
