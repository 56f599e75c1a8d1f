"""State changes shared by the runner and the reaper: failing a job for good, and handing a job to
the queue once the transaction that made it runnable commits."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from analysis.jobs.events import announce
from analysis.jobs.kinds import kind_get
from analysis.models import Job

logger = logging.getLogger(__name__)

Status = Job.Status


def send_on_commit(job: Job, *, countdown: float | None = None) -> None:
    job_id = str(job.pk)
    limit = kind_get(job.kind).time_limit_seconds

    def send() -> None:
        from analysis.tasks import job_run_task

        try:
            # Celery enforces these in prefork workers (the production pool): past the soft limit
            # the run fails with "timeout"; past the hard one its process is replaced and the
            # lease brings the job back, a bounded number of times. Thread pools ignore them and
            # rely on the heartbeat's own limit.
            job_run_task.apply_async(
                args=[job_id], countdown=countdown, soft_time_limit=limit, time_limit=limit + 30
            )
        except Exception:
            # The row is the truth: a job whose message never left is sent again by the reaper.
            logger.exception("job %s could not be handed to the queue; the reaper will resend it", job_id)

    transaction.on_commit(send)


def mark_failed(job: Job, *, code: str, message: str, now: Any) -> None:
    """Fail a locked live job, let its product record the failure, and tell its watchers."""
    job.status, job.error_code, job.error = Status.FAILED, code[:60], message[:4000]
    job.step, job.lease_expires_at, job.finished_at = "", None, now
    job.save(
        update_fields=[
            "status",
            "error_code",
            "error",
            "step",
            "lease_expires_at",
            "finished_at",
            "updated_at",
        ]
    )
    kind = kind_get(job.kind)
    if kind.fail is not None:
        kind.fail(job)
    transaction.on_commit(lambda: announce(job, "failed"))
