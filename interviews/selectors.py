"""Reads of interview practice, each with its access rule: a session and its media belong to
the user who created the session; anyone else is told "not found", exactly as for unknown ids.
The live mock interview's reads follow; it has no accounts, so its session id is the only key."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from interviews.exceptions import LiveNotFound, PracticeInvalid, PracticeNotFound
from interviews.models import LiveSession, LiveTurn, PracticeMedia, PracticeSession, PracticeTurn, Question


def _uuid(value: Any) -> uuid.UUID | None:
    if isinstance(value, uuid.UUID):
        return value
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def practice_session_exists(*, session_id: str) -> bool:
    """Whether `session_id` names a practice session (config/routing.py dispatches
    `ws/analysis/<id>` on it). Never raises: a non-UUID is simply not one."""
    parsed = _uuid(session_id)
    return parsed is not None and PracticeSession.objects.filter(pk=parsed).exists()


def practice_session_is_owned(*, session_id: str, user_id: Any) -> bool:
    parsed = _uuid(session_id)
    return parsed is not None and PracticeSession.objects.filter(pk=parsed, user_id=user_id).exists()


def practice_session_list(*, user: Any) -> QuerySet[PracticeSession]:
    return PracticeSession.objects.filter(user=user).order_by("-created_at")


def practice_session_get(*, user: Any, session_id: Any) -> PracticeSession:
    parsed = _uuid(session_id)
    session = PracticeSession.objects.filter(pk=parsed, user=user).first() if parsed else None
    if session is None:
        raise PracticeNotFound("Session not found.")
    return session


def practice_media_list(*, session: PracticeSession) -> QuerySet[PracticeMedia]:
    return session.media.select_related("turn").order_by("created_at")


def practice_media_get(*, user: Any, media_id: Any) -> PracticeMedia:
    parsed = _uuid(media_id)
    media = (
        PracticeMedia.objects.select_related("session", "turn__question")
        .filter(pk=parsed, session__user=user)
        .first()
        if parsed
        else None
    )
    if media is None:
        raise PracticeNotFound("Media not found.")
    return media


def practice_turn_for_upload(*, session: PracticeSession, question_id: Any) -> PracticeTurn | None:
    """The asked question an upload answers: the one named, else the latest asked (if any)."""
    if question_id in (None, ""):
        return session.turns.select_related("question").order_by("-order").first()
    parsed = _uuid(question_id)
    turn = session.turns.filter(question_id=parsed).first() if parsed else None
    if turn is None:
        raise PracticeInvalid("question_id: this question has not been asked in this session.")
    return turn


def practice_history(*, session: PracticeSession) -> list[dict[str, Any]]:
    """The questions asked so far, in order, with the score their answer earned (None: unscored)."""
    return [
        {
            "question_id": str(turn.question_id),
            "type": turn.question.type,
            "topic": turn.question.topic,
            "difficulty": turn.question.difficulty,
            "score": turn.score,
        }
        for turn in session.turns.select_related("question").order_by("order")
    ]


def question_candidates(*, session: PracticeSession) -> list[dict[str, Any]]:
    """Active bank questions not yet asked in this session, as plain data for the picker."""
    asked = session.turns.values_list("question_id", flat=True)
    return [
        {
            "id": str(q.id),
            "content": q.content,
            "type": q.type,
            "topic": q.topic,
            "difficulty": q.difficulty,
            "tags": list(q.tags),
            "interviewer_types": list(q.interviewer_types),
        }
        for q in Question.objects.filter(is_active=True).exclude(pk__in=asked).order_by("slug")
    ]


def question_as_input(question: Question | None) -> dict[str, Any] | None:
    """A bank question as the AI tasks take it."""
    if question is None:
        return None
    return {
        "id": str(question.id),
        "content": question.content,
        "type": question.type,
        "topic": question.topic,
        "difficulty": question.difficulty,
        "key_points": list(question.key_points),
    }


def next_question_inputs(*, session: PracticeSession) -> dict[str, Any]:
    """What the adaptive picker reads: the session's interviewer and job, the history, the candidates."""
    return {
        "interviewer_type": session.interviewer_type,
        "job_title": session.job_title,
        "job_description": session.job_description,
        "history": practice_history(session=session),
        "candidates": question_candidates(session=session),
    }


# --------------------------------------------------------------------------------------------
# Live mock interview (live-interview.md): no accounts, the session id is the only key.


def live_session_id(value: Any) -> uuid.UUID | None:
    """The UUID `value` spells, or None (a malformed id is told apart from an unknown one)."""
    return _uuid(value)


def live_session_get(*, session_id: Any, for_update: bool = False) -> LiveSession:
    parsed = _uuid(session_id)
    sessions = LiveSession.objects.select_related("resume", "job_description")
    if for_update:
        sessions = sessions.select_for_update(of=("self",))
    session = sessions.filter(pk=parsed).first() if parsed else None
    if session is None:
        raise LiveNotFound("Session not found")
    return session


def live_turns(*, session: LiveSession) -> list[LiveTurn]:
    return list(session.turns.order_by("order"))


def live_current_turn(*, session: LiveSession) -> LiveTurn | None:
    return session.turns.order_by("-order").first()


def live_turn_as_input(turn: LiveTurn) -> dict[str, Any]:
    """A live turn's question as the AI tasks take a bank question (`question_as_input`)."""
    return {
        "id": turn.source_key,
        "content": turn.content,
        "type": turn.type,
        "topic": turn.topic,
        "difficulty": turn.difficulty,
        "key_points": list(turn.key_points),
    }


def live_history(*, session: LiveSession) -> list[dict[str, Any]]:
    """The questions asked so far, in order, as the picker reads them."""
    return [
        {
            "source_key": turn.source_key,
            "type": turn.type,
            "topic": turn.topic,
            "difficulty": turn.difficulty,
            "focus_area": turn.focus_area,
            "overall": turn.overall,
        }
        for turn in live_turns(session=session)
    ]


def live_candidates(*, session: LiveSession) -> list[dict[str, Any]]:
    """Unasked active bank questions and unasked questions of the session's plan, as plain data."""
    asked = set(session.turns.values_list("source_key", flat=True))
    candidates: list[dict[str, Any]] = []
    for question in Question.objects.filter(is_active=True).order_by("slug"):
        key = f"bank:{question.pk}"
        if key not in asked:
            candidates.append(
                {
                    "source": "bank",
                    "source_key": key,
                    "question_id": str(question.pk),
                    "content": question.content,
                    "type": question.type,
                    "topic": question.topic,
                    "difficulty": question.difficulty,
                    "explanation": question.explanation,
                    "key_points": list(question.key_points),
                    "tags": list(question.tags),
                    "interviewer_types": list(question.interviewer_types),
                    "focus_area": "",
                }
            )
    for index, planned in enumerate(session.question_plan or []):
        key = f"plan:{index}"
        if key not in asked:
            candidates.append({**planned, "source": "generated", "source_key": key, "tags": []})
    return candidates


def live_running_average(*, session: LiveSession) -> dict[str, float]:
    """Mean of each dimension over the answers scored so far: each question counts once, with its
    latest score (the follow-up's, which scores both answers together, once there is one)."""
    scores = [t.followup_score or t.answer_score for t in live_turns(session=session)]
    scored = [s for s in scores if s]
    if not scored:
        return {"technical": 0.0, "design": 0.0, "communication": 0.0}
    return {
        name: round(sum(float(s[name]) for s in scored) / len(scored), 1)
        for name in ("technical", "design", "communication")
    }


def live_socket_refusal(*, session_id: uuid.UUID) -> str | None:
    """Why a socket may not join this session ("not_found", "not_ready"), or None."""
    session = LiveSession.objects.filter(pk=session_id).only("resume_id", "job_description_id").first()
    if session is None:
        return "not_found"
    if session.resume_id is None or session.job_description_id is None:
        return "not_ready"
    return None
