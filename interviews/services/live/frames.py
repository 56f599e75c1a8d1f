"""The frames of `ws/interview/{session_id}`, in the shapes of live-interview.md.

Each builder takes the rows as they stand and returns one JSON-able frame; fields beyond the
spec's (a question's `type`, the score's `question_number`...) are additions a client may ignore.
"""

from __future__ import annotations

from typing import Any

from interviews.models import LiveSession, LiveTurn

INTRO_MESSAGE = (
    "Welcome to your mock interview{role}. From your resume this reads as a {seniority} profile; "
    "we will focus on {focus}. You have {minutes} minutes for up to {questions} questions. "
    "Answer in text, or switch voice mode on and send a recording. A vague answer gets one "
    "follow-up question."
)
PHASE_MESSAGES: dict[str, str] = {
    "questioning": "Questions start now.",
    "evaluation": "Evaluating your overall performance...",
    "completed": "Your interview is complete; the report is ready.",
}


def formatted(seconds: int) -> str:
    minutes, rest = divmod(max(0, int(seconds)), 60)
    return f"{minutes:02d}:{rest:02d}"


def focus_names(session: LiveSession) -> list[str]:
    return [str(area.get("name")) for area in (session.profile or {}).get("focus_areas") or []]


def connected(session: LiveSession, *, question_number: int) -> dict[str, Any]:
    return {
        "type": "connected",
        "data": {
            "session_id": str(session.pk),
            "status": session.status,
            "phase": session.phase,
            "seniority": session.detected_seniority or None,
            "voice_enabled": session.is_voice_enabled,
            "question_number": question_number,
            "time_remaining": session.seconds_remaining(),
        },
    }


def intro(session: LiveSession) -> dict[str, Any]:
    focus = focus_names(session)
    message = INTRO_MESSAGE.format(
        role=f" for the {session.role} role" if session.role else "",
        seniority=session.detected_seniority or "mid",
        focus=", ".join(focus) if focus else "the role's core skills",
        minutes=session.duration_minutes,
        questions=session.max_questions,
    )
    return {
        "type": "intro",
        "data": {
            "message": message,
            "phase": LiveSession.Phase.INTRO,
            "focus_areas": focus,
            "duration_minutes": session.duration_minutes,
            "max_questions": session.max_questions,
        },
    }


def phase_update(phase: str) -> dict[str, Any]:
    return {
        "type": "phase_update",
        "data": {"phase": str(phase), "message": PHASE_MESSAGES.get(str(phase), "")},
    }


def new_question(turn: LiveTurn, session: LiveSession) -> dict[str, Any]:
    return {
        "type": "new_question",
        "data": {
            "question": turn.content,
            "difficulty": turn.difficulty,
            "topic": turn.topic,
            "explanation": turn.explanation,
            "question_number": turn.order,
            "time_remaining": session.seconds_remaining(),
            "type": turn.type,
            "source": turn.source,
            "focus_area": turn.focus_area,
        },
    }


def followup(turn: LiveTurn, session: LiveSession) -> dict[str, Any]:
    return {
        "type": "followup",
        "data": {
            "question": turn.followup_question,
            "reason": turn.followup_reason,
            "time_remaining": session.seconds_remaining(),
            "question_number": turn.order,
        },
    }


def score_update(turn: LiveTurn, *, part: str, running: dict[str, float]) -> dict[str, Any]:
    score = (turn.followup_score if part == "followup" else turn.answer_score) or {}
    card = score.get("card") or {}
    return {
        "type": "score_update",
        "data": {
            "current_scores": {name: score.get(name) for name in ("technical", "design", "communication")},
            "running_average": running,
            "feedback": card.get("feedback", ""),
            "strengths": card.get("strengths", []),
            "improvements": card.get("improvements", []),
            "overall": score.get("overall"),
            "question_number": turn.order,
            "is_followup": part == "followup",
        },
    }


def time_remaining(seconds: int) -> dict[str, Any]:
    return {"type": "time_remaining", "data": {"seconds": int(seconds), "formatted": formatted(seconds)}}


def transcript(text: str, *, duration_seconds: float, question_number: int) -> dict[str, Any]:
    """Not in the spec: the voice answer as heard, sent before it is scored."""
    return {
        "type": "transcript",
        "data": {"text": text, "duration_seconds": duration_seconds, "question_number": question_number},
    }


def feedback(session: LiveSession) -> dict[str, Any]:
    report = session.report or {}
    return {
        "type": "feedback",
        "data": {
            "report": report.get("final_report", ""),
            "recommendation": report.get("recommendation", ""),
            "skill_roadmap": report.get("skill_roadmap", []),
            "final_scores": report.get("scores", {}),
            "phase": LiveSession.Phase.COMPLETED,
        },
    }


def error(message: str, code: int) -> dict[str, Any]:
    return {"type": "error", "data": {"message": message, "code": code}}
