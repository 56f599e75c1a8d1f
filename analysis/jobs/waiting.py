"""Reading a job, and waiting on one from a request or a socket with a bounded wait.

Waiting polls the row (50 ms growing to 500 ms): it works the same whatever the broker, across
processes, and each look also takes over the job if its worker died, so a waiter never waits on a
dead run for longer than its lease.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

from channels.db import database_sync_to_async
from django.utils import timezone

from analysis.jobs.reaper import is_stale, job_reap
from analysis.models import Job

FIRST_POLL_SECONDS = 0.05
MAX_POLL_SECONDS = 0.5


def parse_job_id(value: Any) -> uuid.UUID | None:
    try:
        return uuid.UUID(str(value))
    except (ValueError, TypeError, AttributeError):
        return None


def job_get(*, job_id: Any, kind: str | None = None, owner: str | None = None) -> Job | None:
    """The job, if it exists (of that kind and owner, when given) and has not expired; someone
    else's job is as unknown as one that never existed. A stale one is taken over first."""
    parsed = parse_job_id(job_id)
    if parsed is None:
        return None
    jobs = Job.objects.filter(pk=parsed)
    if kind is not None:
        jobs = jobs.filter(kind=kind)
    if owner is not None:
        jobs = jobs.filter(owner=owner)
    job = jobs.first()
    if job is None:
        return None
    now = timezone.now()
    if job.expires_at is not None and job.expires_at <= now:
        return None
    if is_stale(job, now=now) and job_reap(job_id=job.pk):
        job.refresh_from_db()
    return job


def job_wait(*, job_id: uuid.UUID, timeout_seconds: float) -> Job:
    """The job once finished, or as it stands when `timeout_seconds` ran out (still live)."""
    deadline = time.monotonic() + timeout_seconds
    delay = FIRST_POLL_SECONDS
    while True:
        job = job_get(job_id=job_id)
        if job is None:
            raise Job.DoesNotExist(f"job {job_id} vanished")
        remaining = deadline - time.monotonic()
        if job.is_finished or remaining <= 0:
            return job
        time.sleep(min(delay, remaining))
        delay = min(delay * 1.5, MAX_POLL_SECONDS)


async def ajob_wait(*, job_id: uuid.UUID, timeout_seconds: float) -> Job:
    """`job_wait` for consumers: sleeps on the event loop, reads through the ORM's thread."""
    deadline = time.monotonic() + timeout_seconds
    delay = FIRST_POLL_SECONDS
    read = database_sync_to_async(job_get)
    while True:
        job = await read(job_id=job_id)
        if job is None:
            raise Job.DoesNotExist(f"job {job_id} vanished")
        remaining = deadline - time.monotonic()
        if job.is_finished or remaining <= 0:
            return job
        await asyncio.sleep(min(delay, remaining))
        delay = min(delay * 1.5, MAX_POLL_SECONDS)
