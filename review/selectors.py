"""Reads of the OKR coach: the questionnaire, and analyses as their sockets see them."""

from __future__ import annotations

import uuid
from typing import Any

from django.db.models import QuerySet

from review.models import AnalysisSession, Answer, MeetingRequest, Question, ReviewSession


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


# --- analyses -------------------------------------------------------------------------------


def group_name(watch_key: uuid.UUID) -> str:
    """The channel-layer group of every socket watching one analysis (by its review or itself)."""
    return f"okr-analysis.{watch_key.hex}"


def analysis_for(*, session_id: Any) -> AnalysisSession | None:
    """The analysis an id names: its own id, or the id of the review it analyses."""
    parsed = parse_session_id(session_id)
    if parsed is None:
        return None
    analyses = AnalysisSession.objects.select_related("job")
    return analyses.filter(pk=parsed).first() or analyses.filter(review_session_id=parsed).first()


def watch_key(*, session_id: Any) -> uuid.UUID | None:
    """What a socket on ws/analysis/{session_id}/ listens to; None for an id that is no UUID."""
    analysis = analysis_for(session_id=session_id)
    return analysis.watch_key if analysis else parse_session_id(session_id)


def status_frame(
    analysis: AnalysisSession,
    *,
    status: str | None = None,
    error: str | None = None,
    with_result: bool = False,
) -> dict[str, Any]:
    """The `status` frame of an analysis: as it stands, or as of one event (`status`, `error`)."""
    status = status or analysis.status
    error = analysis.error if error is None else error
    return {
        "type": "status",
        "status": status,
        "session_id": str(analysis.id),
        "review_session_id": str(analysis.review_session_id) if analysis.review_session_id else None,
        "error": (error or None) if status == "failed" else None,
        "result": analysis.result if with_result and status == "succeeded" else None,
    }


def analysis_snapshot(*, session_id: str) -> dict[str, Any]:
    """The frame a socket gets on connect: the analysis (with its result once it succeeded), else
    `not_completed` for a review not analysed yet, else `not_found`."""
    analysis = analysis_for(session_id=session_id)
    if analysis is not None:
        return status_frame(analysis, with_result=True)
    parsed = parse_session_id(session_id)
    if parsed is not None and review_session_exists(session_id=parsed):
        status, review_id, named = "not_completed", str(parsed), str(parsed)
    else:
        status, review_id, named = "not_found", None, str(parsed) if parsed else session_id
    return {
        "type": "status",
        "status": status,
        "session_id": named,
        "review_session_id": review_id,
        "error": None,
        "result": None,
    }


async def database_ping() -> str | None:
    """None when the database answers a query through the async ORM, else the reason it did not."""
    try:
        await ReviewSession.objects.filter(pk=uuid.uuid4()).aexists()
    except Exception as error:  # any driver error is the answer here, not a crash
        return f"{type(error).__name__}: {error}"[:300]
    return None
