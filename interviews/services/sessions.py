"""Practice sessions: create and start."""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from interviews.exceptions import PracticeInvalid
from interviews.models import PracticeSession


def practice_session_create(
    *, user: Any, job_title: str, job_description: str, interviewer_type: str, duration_minutes: int
) -> PracticeSession:
    session = PracticeSession(
        user=user,
        job_title=job_title,
        job_description=job_description,
        interviewer_type=interviewer_type,
        duration_minutes=duration_minutes,
    )
    session.full_clean(exclude=["user"])
    session.save()
    return session


def practice_session_start(*, session: PracticeSession) -> PracticeSession:
    """Sets `started_at` and the status once; starting again is refused, not silently repeated,
    so a client that lost track learns the real start time from the error and a GET."""
    started = PracticeSession.objects.filter(pk=session.pk, started_at__isnull=True).update(
        started_at=timezone.now(), status=PracticeSession.Status.IN_PROGRESS
    )
    session.refresh_from_db()
    if not started:
        raise PracticeInvalid(f"The session already started at {session.started_at.isoformat()}.")  # type: ignore[union-attr]
    return session
