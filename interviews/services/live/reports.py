"""The final report of a live interview (a job: the provider may be remote), and what happens to
the answers once it exists: without `memory_opt_in` their texts are erased, the scores, the
feedback and the report stay.
"""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone

from analysis import engine_config
from analysis.engines import llm
from analysis.models import Job
from interviews import selectors
from interviews.ai import live_followup, live_report
from interviews.exceptions import LiveConflict, LiveUnavailable
from interviews.models import LiveSession, LiveTurn

REPORT_WAIT_SECONDS = 120.0


def _scores(score: dict[str, Any] | None) -> dict[str, float] | None:
    if not score:
        return None
    return {name: float(score[name]) for name in ("technical", "design", "communication", "overall")}


def _turn_summary(turn: LiveTurn) -> dict[str, Any]:
    """A turn as the report task reads it: question, final scores, key points met and missed."""
    final = turn.followup_score or turn.answer_score
    covered, missed = live_followup.coverage(final) if final else ([], [])
    gain = None
    if turn.followup_score and turn.answer_score:
        gain = round(float(turn.followup_score["overall"]) - float(turn.answer_score["overall"]), 1)
    return {
        "number": turn.order,
        "question": turn.content,
        "topic": turn.topic,
        "type": turn.type,
        "difficulty": turn.difficulty,
        "focus_area": turn.focus_area,
        # An answer whose follow-up never came (time ran out) still counts, with its own score.
        "scores": _scores(final),
        "covered": covered,
        "missed": missed,
        "followup": bool(turn.followup_question),
        "followup_gain": gain,
    }


def _history_item(turn: LiveTurn) -> dict[str, Any]:
    final = turn.followup_score or turn.answer_score or {}
    card = final.get("card") or {}
    return {
        "question_number": turn.order,
        "question": turn.content,
        "topic": turn.topic,
        "difficulty": turn.difficulty,
        "type": turn.type,
        "source": turn.source,
        "focus_area": turn.focus_area,
        "explanation": turn.explanation,
        "asked_at": turn.asked_at.isoformat(),
        "answer": turn.answer_text or None,
        "answer_source": turn.answer_source or None,
        "answered_at": turn.answered_at.isoformat() if turn.answered_at else None,
        "followup": (
            {
                "question": turn.followup_question,
                "reason": turn.followup_reason,
                "answer": turn.followup_answer_text or None,
                "answered_at": turn.followup_answered_at.isoformat() if turn.followup_answered_at else None,
            }
            if turn.followup_question
            else None
        ),
        "scores": _scores(final),
        "feedback": card.get("feedback", ""),
        "strengths": card.get("strengths", []),
        "improvements": card.get("improvements", []),
        "key_points": [{"point": c["point"], "covered": c["covered"]} for c in final.get("key_points") or []],
    }


def live_report_build(*, session_id: Any, options: dict[str, Any] | None = None) -> dict[str, Any]:
    """The report of an interview whose questioning has ended (worker side, read only)."""
    session = selectors.live_session_get(session_id=session_id)
    if session.phase not in (LiveSession.Phase.EVALUATION, LiveSession.Phase.COMPLETED):
        raise LiveConflict("The interview has not ended yet.")
    if session.report is not None:
        return dict(session.report)  # a redelivered job: the report is already written
    turns = selectors.live_turns(session=session)
    summaries = [_turn_summary(t) for t in turns]
    scores = live_report.final_scores(summaries)
    answered = sum(1 for s in summaries if s["scores"])
    recommendation, why = live_report.recommend(scores, answered)
    ended_at = session.ended_at or timezone.now()
    started_at = session.started_at or ended_at
    minutes = round((ended_at - started_at).total_seconds() / 60, 1)
    inputs = {
        "role": session.role,
        "seniority": session.detected_seniority,
        "profile": session.profile,
        "turns": summaries,
        "final_scores": scores,
        "recommendation": recommendation,
        "recommendation_reason": why,
        "duration_minutes": minutes,
        "end_reason": session.end_reason,
    }
    try:
        written = llm.run(live_report.TASK, inputs, config=engine_config.llm_config(options))
    except llm.AIUnavailable as error:
        raise LiveUnavailable(f"The AI service is unavailable: {error}") from error
    assert isinstance(written, live_report.LiveReport)
    return {
        "final_report": written.final_report,
        "recommendation": recommendation,
        "recommendation_reason": why,
        "scores": {name: scores[name] for name in live_report.DIMENSIONS},
        "overall": scores["overall"],
        "strengths": written.strengths,
        "gaps": written.gaps,
        "skill_roadmap": [item.model_dump(mode="json") for item in written.skill_roadmap],
        "qa_history": [_history_item(t) for t in turns],
        "questions_asked": len(turns),
        "questions_answered": answered,
        "duration_minutes": minutes,
        "started_at": started_at.isoformat(),
        "ended_at": ended_at.isoformat(),
        "end_reason": session.end_reason,
        "engine": written.engine,
    }


def live_report_save(job: Job, report: dict[str, Any]) -> None:
    """In the transaction that finishes the report job: the report, the end of the interview, and
    the erasure of the answers unless the candidate opted in to keeping them."""
    session = LiveSession.objects.select_for_update().filter(pk=job.inputs["session_id"]).first()
    if session is None or session.report is not None:
        return
    session.report = report
    session.recommendation = report["recommendation"]
    session.reported_at = timezone.now()
    session.phase = LiveSession.Phase.COMPLETED
    session.status = LiveSession.Status.COMPLETED
    session.save(update_fields=["report", "recommendation", "reported_at", "phase", "status", "updated_at"])
    if not session.memory_opt_in:
        _erase_answers(session)


def _without_evidence(score: dict[str, Any] | None) -> dict[str, Any] | None:
    if not score:
        return score
    return {**score, "key_points": [{**c, "evidence": ""} for c in score.get("key_points") or []]}


def _erase_answers(session: LiveSession) -> None:
    """The answer texts go (and the verbatim sentences the scoring kept as evidence); scores,
    feedback and the report stay."""
    for turn in LiveTurn.objects.select_for_update().filter(session=session):
        turn.answer_text = ""
        turn.followup_answer_text = ""
        turn.answer_score = _without_evidence(turn.answer_score)
        turn.followup_score = _without_evidence(turn.followup_score)
        turn.save(update_fields=["answer_text", "followup_answer_text", "answer_score", "followup_score"])
    if session.report is not None:
        history = []
        for item in session.report.get("qa_history") or []:
            followup = item.get("followup")
            history.append(
                {**item, "answer": None, "followup": {**followup, "answer": None} if followup else None}
            )
        session.report = {**session.report, "qa_history": history}
    session.answers_erased_at = timezone.now()
    session.save(update_fields=["report", "answers_erased_at", "updated_at"])


def live_memory_opt_in(*, session_id: Any, opt_in: bool) -> LiveSession:
    """Keep (true) or erase (false) the answer texts once the report exists; switching it off after
    the report erases them now. Answers already erased cannot come back."""
    with transaction.atomic():
        session = selectors.live_session_get(session_id=session_id, for_update=True)
        session.memory_opt_in = opt_in
        session.save(update_fields=["memory_opt_in", "updated_at"])
        if not opt_in and session.report is not None and session.answers_erased_at is None:
            _erase_answers(session)
    return session
