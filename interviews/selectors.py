"""Reads of interview practice, each with its access rule: a session and its media belong to
the user who created the session; anyone else is told "not found", exactly as for unknown ids."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from interviews.exceptions import PracticeInvalid, PracticeNotFound
from interviews.models import PracticeMedia, PracticeSession, PracticeTurn, Question


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
