"""Reads of the review questionnaire."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from review.models import Answer, MeetingRequest, Question, ReviewSession


class SessionNotFound(Exception):
    pass


def parse_session_id(value: Any) -> uuid.UUID | None:
    """A UUID from a path or a frame, or None for anything that is not one (never raises)."""
    if isinstance(value, uuid.UUID):
        return value
    if not isinstance(value, str):
        return None
    try:
        return uuid.UUID(value)
    except ValueError:
        return None


def review_session_get(*, session_id: Any) -> ReviewSession:
    parsed = parse_session_id(session_id)
    session = ReviewSession.objects.filter(pk=parsed).first() if parsed else None
    if session is None:
        raise SessionNotFound("Review session not found.")
    return session


def review_session_exists(*, session_id: Any) -> bool:
    parsed = parse_session_id(session_id)
    return parsed is not None and ReviewSession.objects.filter(pk=parsed).exists()


def active_questions() -> QuerySet[Question]:
    return Question.objects.filter(is_active=True).order_by("order", "id")


def next_question(*, session: ReviewSession) -> Question | None:
    """The first active question (in order) the session has not answered yet."""
    return active_questions().exclude(answers__session=session).first()


def session_answers(*, session: ReviewSession) -> list[Answer]:
    """Answers in question order, with their questions loaded."""
    return list(
        Answer.objects.filter(session=session)
        .select_related("question")
        .order_by("question__order", "question_id")
    )


def meeting_requests(*, session: ReviewSession) -> QuerySet[MeetingRequest]:
    return MeetingRequest.objects.filter(session=session).order_by("-created_at", "-id")
