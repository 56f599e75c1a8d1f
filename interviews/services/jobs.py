"""Waiting on Celery jobs from a request, with a bounded wait, and one job per piece of work.

A request that needs slow work (Whisper, features, an LLM call) enqueues it and waits up to a
bound. Past the bound the job keeps running and the caller is told to come back; a repeated call
finds the job id stored on the row and waits on the same job instead of queueing a duplicate.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from celery.exceptions import TimeoutError as CeleryTimeoutError
from celery.result import AsyncResult
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from interviews.exceptions import JobStillRunning, from_outcome
from interviews.models import PracticeMedia

logger = logging.getLogger(__name__)

# A job older than this whose result never came (its worker died, its queue was lost) is
# replaced by a new one on the next call.
JOB_LEASE = timedelta(minutes=10)
POLL_SECONDS = 0.05


def await_outcome(result: AsyncResult, *, wait_seconds: float, what: str) -> dict[str, Any]:
    """The job's outcome dict ({"ok": True, ...}); raises its domain error, or JobStillRunning."""
    try:
        outcome = result.get(timeout=wait_seconds, interval=POLL_SECONDS, propagate=False)
    except CeleryTimeoutError:
        raise JobStillRunning(
            f"{what} is still running; call again in a few seconds to collect it."
        ) from None
    if result.failed() or not isinstance(outcome, dict):
        logger.error("job %s (%s) failed: %r", result.id, what, outcome)
        raise RuntimeError(f"{what} failed unexpectedly") from (
            outcome if isinstance(outcome, BaseException) else None
        )
    if not outcome.get("ok"):
        raise from_outcome(outcome)
    return outcome


def media_job(*, media_id: Any, kind: str, task: Any, args: list[Any]) -> str:
    """The id of the job producing `kind` ("transcript" or "report") for this media: the one in
    flight, or a new one enqueued now. Claimed with a conditional update so that two racing
    requests enqueue one job."""
    id_field, at_field = f"{kind}_job_id", f"{kind}_job_at"
    for _ in range(3):
        now = timezone.now()
        job_id = uuid.uuid4().hex
        claimable = Q(**{id_field: ""}) | Q(**{f"{at_field}__lt": now - JOB_LEASE})
        claimed = PracticeMedia.objects.filter(claimable, pk=media_id).update(
            **{id_field: job_id, at_field: now}
        )
        if claimed:
            # On commit: the worker must be able to read the claim (and the row) when it starts.
            transaction.on_commit(_enqueue(task, args, job_id))
            return job_id
        current = PracticeMedia.objects.filter(pk=media_id).values_list(id_field, flat=True).first()
        if current:
            return str(current)
    raise RuntimeError(f"could not claim the {kind} job of media {media_id}")


def _enqueue(task: Any, args: list[Any], job_id: str) -> Callable[[], None]:
    def send() -> None:
        task.apply_async(args=args, task_id=job_id)

    return send


def media_job_release(*, media_id: Any, kind: str, job_id: str) -> None:
    """Forget a failed job so that the next call starts a fresh one."""
    PracticeMedia.objects.filter(pk=media_id, **{f"{kind}_job_id": job_id}).update(
        **{f"{kind}_job_id": "", f"{kind}_job_at": None}
    )
