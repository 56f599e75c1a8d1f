"""Reads of OKR analyses: the status frames sockets send, and which group a socket listens to."""

from __future__ import annotations

import uuid
from typing import Any

from analysis.models import AnalysisSession
from review.selectors import parse_session_id, review_session_exists


def group_name(watch_key: uuid.UUID) -> str:
    """The channel-layer group of every socket watching one analysis (by its review or itself)."""
    return f"okr-analysis.{watch_key.hex}"


def analysis_for(*, session_id: Any) -> AnalysisSession | None:
    """The analysis an id names: its own id, or the id of the review it analyses."""
    parsed = parse_session_id(session_id)
    if parsed is None:
        return None
    return (
        AnalysisSession.objects.filter(pk=parsed).first()
        or AnalysisSession.objects.filter(review_session_id=parsed).first()
    )


def watch_key(*, session_id: Any) -> uuid.UUID | None:
    """What a socket on ws/analysis/{session_id}/ listens to; None for an id that is no UUID."""
    analysis = analysis_for(session_id=session_id)
    return analysis.watch_key if analysis else parse_session_id(session_id)


def status_frame(analysis: AnalysisSession, *, with_result: bool = False) -> dict[str, Any]:
    return {
        "type": "status",
        "status": analysis.status,
        "session_id": str(analysis.id),
        "review_session_id": str(analysis.review_session_id) if analysis.review_session_id else None,
        "error": analysis.error or None,
        "result": analysis.result
        if with_result and analysis.status == AnalysisSession.Status.SUCCEEDED
        else None,
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
        await AnalysisSession.objects.filter(pk=uuid.uuid4()).aexists()
    except Exception as error:  # any driver error is the answer here, not a crash
        return f"{type(error).__name__}: {error}"[:300]
    return None
