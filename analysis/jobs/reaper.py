"""Taking over jobs whose worker died or whose queue message was lost, and forgetting expired ones.

Runs every JOB_REAPER_INTERVAL_SECONDS in each worker process (a thread started when the worker
is ready, the embedded one included), and on demand for one job whenever someone reads or waits on
it, so a client never waits on a dead run for longer than its lease.
"""

from __future__ import annotations

import logging
import threading
import uuid
from datetime import timedelta
from typing import Any

from django.db import close_old_connections, transaction
from django.db.models import F, Q
from django.utils import timezone

from analysis.jobs.events import announce
from analysis.jobs.transitions import mark_failed, send_on_commit
from analysis.models import Job

logger = logging.getLogger(__name__)

Status = Job.Status

# A pending job whose message has not been picked up this long may have lost it (the broker
# restarted); sending it again is harmless, as only one claim can win.
PENDING_RESEND_AFTER = timedelta(seconds=20)
# After this many sends without any worker claiming it, nobody will: fail it with a reason.
MAX_SENDS_UNCLAIMED = 30


def _stale(now: Any) -> Q:
    lost_worker = Q(status=Status.RUNNING, lease_expires_at__lt=now)
    lost_message = Q(status=Status.PENDING, queued_at__lt=now - PENDING_RESEND_AFTER) & (
        Q(not_before__isnull=True) | Q(not_before__lte=now)
    )
    return lost_worker | lost_message


def is_stale(job: Job, *, now: Any) -> bool:
    """The same test as the reaper's query, on a job already read (saves readers a query)."""
    if job.status == Status.RUNNING:
        return job.lease_expires_at is not None and job.lease_expires_at < now
    if job.status == Status.PENDING:
        ready = job.not_before is None or job.not_before <= now
        return ready and job.queued_at is not None and job.queued_at < now - PENDING_RESEND_AFTER
    return False


def job_reap(*, job_id: uuid.UUID | str | None = None) -> int:
    """Take over stale jobs (all of them, or the one named): a running job whose lease lapsed is
    queued again, or failed once it used its attempts; a pending job not picked up is sent again.
    Returns how many were taken over. Without `job_id`, also deletes finished jobs past expiry."""
    now = timezone.now()
    stale = Job.objects.filter(_stale(now))
    if job_id is not None:
        stale = stale.filter(pk=job_id)
    taken = 0
    for job_pk in list(stale.values_list("pk", flat=True)[:500]):
        taken += _take_over(job_pk, now=now)
    if job_id is None:
        Job.objects.filter(expires_at__lt=now, status__in=[Status.SUCCEEDED, Status.FAILED]).delete()
    return taken


def _take_over(job_pk: uuid.UUID, *, now: Any) -> int:
    with transaction.atomic():
        # Locked and checked again: a worker that woke up meanwhile keeps its run.
        job = Job.objects.select_for_update().filter(_stale(now), pk=job_pk).first()
        if job is None:
            return 0
        if job.status == Status.RUNNING:
            if job.attempts >= job.max_attempts:
                mark_failed(
                    job,
                    code="worker_lost",
                    message=f"The job did not finish: its worker stopped responding ({job.attempts} attempts).",
                    now=now,
                )
            else:
                Job.objects.filter(pk=job.pk).update(
                    status=Status.PENDING, lease_expires_at=None, step="", queued_at=now, updated_at=now
                )
                job.status = Status.PENDING
                send_on_commit(job)
                transaction.on_commit(lambda: announce(job, "queued"))
            logger.warning(
                "job %s (%s) taken over after its worker stopped, attempt %d", job.pk, job.kind, job.attempts
            )
            return 1
        if job.sends >= MAX_SENDS_UNCLAIMED:
            mark_failed(
                job, code="no_worker", message="The job did not start: no worker picked it up.", now=now
            )
        else:
            Job.objects.filter(pk=job.pk).update(queued_at=now, sends=F("sends") + 1, updated_at=now)
            send_on_commit(job)
        return 1


class ReaperThread:
    """The periodic reaper inside a worker process."""

    def __init__(self, interval_seconds: float) -> None:
        self.interval = interval_seconds
        self.stopped = threading.Event()
        self.thread = threading.Thread(target=self._loop, name="job-reaper", daemon=True)

    def start(self) -> None:
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()

    def _loop(self) -> None:
        while not self.stopped.wait(self.interval):
            try:
                close_old_connections()
                reaped = job_reap()
                if reaped:
                    logger.warning("reaper took over %d job(s)", reaped)
            except Exception:  # the database may be restarting; try again next round
                logger.exception("job reaper round failed")
