"""The job life cycle: enqueue after commit, claim by conditional update, run under a renewed
lease, finish once.

    pending ──claim──▶ running ──▶ succeeded
       ▲                  │  └───▶ failed (JobFailure, AI down, time limit, unexpected error)
       └── transient error, or lease lapsed (worker died) and attempts remain

Every transition is one conditional UPDATE, so a message delivered twice, a worker that wakes up
after being presumed dead, or two workers racing for one job can never both win: the loser's
update matches no row and it stops without writing.
"""

from __future__ import annotations

import logging
import threading
import uuid
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from celery.exceptions import SoftTimeLimitExceeded
from django.db import IntegrityError, close_old_connections, connection, transaction
from django.db.models import F, Q
from django.utils import timezone

from analysis.engines import llm
from analysis.jobs.context import JobCancelled, JobContext, JobFailure
from analysis.jobs.events import announce
from analysis.jobs.kinds import JobKind, kind_get
from analysis.jobs.reaper import is_stale, job_reap
from analysis.jobs.transitions import mark_failed, send_on_commit
from analysis.models import Job

logger = logging.getLogger(__name__)

Status = Job.Status


# --------------------------------------------------------------------------------------------
# Enqueue


@dataclass(frozen=True)
class Enqueued:
    job: Job
    created: bool  # False: a live job with the same dedupe key already does this work


def job_enqueue(
    *,
    kind: str,
    inputs: dict[str, Any] | None = None,
    owner: str = "",
    dedupe_key: str | None = None,
    expires_in: timedelta | None = None,
) -> Enqueued:
    """Create a pending job and hand it to the queue once the surrounding transaction commits
    (a worker must never receive a job it cannot read yet).

    With `dedupe_key`, a live job of the same kind and key is returned instead of a new one; a
    live one whose worker died is taken over first so the caller never waits on a dead run.
    """
    spec = kind_get(kind)
    if dedupe_key:
        live = _live_duplicate(kind, dedupe_key)
        if live is not None:
            return Enqueued(job=live, created=False)
    now = timezone.now()
    try:
        with transaction.atomic():
            job = Job.objects.create(
                kind=kind,
                owner=owner,
                inputs=inputs or {},
                dedupe_key=dedupe_key or "",
                max_attempts=spec.max_attempts,
                queued_at=now,
                created_at=now,
                expires_at=now + expires_in if expires_in else None,
            )
    except IntegrityError:
        # Another request created the same work a moment ago; the unique constraint kept one.
        live = _live_duplicate(kind, dedupe_key) if dedupe_key else None
        if live is None:
            raise
        return Enqueued(job=live, created=False)
    send_on_commit(job)
    transaction.on_commit(lambda: announce(job, "queued"))
    return Enqueued(job=job, created=True)


def _live_duplicate(kind: str, dedupe_key: str) -> Job | None:
    live = Job.objects.filter(kind=kind, dedupe_key=dedupe_key, status__in=Job.LIVE).first()
    if live is not None and is_stale(live, now=timezone.now()):
        if job_reap(job_id=live.pk):
            live.refresh_from_db()
    return live if live is not None and live.is_live else None


def job_cancel(*, job_id: uuid.UUID, reason: str, code: str = "superseded") -> bool:
    """Fail a live job now (a newer request replaces it); its run, if any, stops at its next step."""
    with transaction.atomic():
        job = Job.objects.select_for_update().filter(pk=job_id, status__in=Job.LIVE).first()
        if job is None:
            return False
        mark_failed(job, code=code, message=reason, now=timezone.now())
        return True


# --------------------------------------------------------------------------------------------
# Run


def _claim(job_id: uuid.UUID | str) -> Job | None:
    now = timezone.now()
    claimable = Q(status=Status.PENDING) & (Q(not_before__isnull=True) | Q(not_before__lte=now))
    # A running job whose lease lapsed lost its worker; a redelivered message may take it over.
    taken_over = Q(status=Status.RUNNING, lease_expires_at__lt=now)
    job = Job.objects.filter(pk=job_id).only("kind").first()
    if job is None:
        return None
    try:
        spec = kind_get(job.kind)
    except KeyError:
        # A worker of an older release: leave the job pending for one that knows its kind.
        logger.error("job %s: this worker does not know kind %r", job_id, job.kind)
        return None
    claimed = Job.objects.filter(claimable | taken_over, pk=job_id, attempts__lt=F("max_attempts")).update(
        status=Status.RUNNING,
        attempts=F("attempts") + 1,
        started_at=now,
        lease_expires_at=now + timedelta(seconds=spec.lease_seconds),
        not_before=None,
        step="",
        updated_at=now,
    )
    if not claimed:
        return None
    return Job.objects.get(pk=job_id)


def job_run(*, job_id: uuid.UUID | str) -> None:
    """Run one job if it is this worker's to run. Safe to deliver any number of times."""
    job = _claim(job_id)
    if job is None:
        return  # finished, in live hands, waiting for its retry time, or out of attempts
    kind = kind_get(job.kind)
    announce(job, "started")
    ctx = JobContext(job, kind)
    heartbeat = _Heartbeat(ctx)
    heartbeat.start()
    try:
        result = kind.run(ctx)
    except JobCancelled:
        logger.info("job %s (attempt %d) stopped: it is no longer this run's", job.pk, ctx.attempt)
    except JobFailure as failure:
        _finish_failed(ctx, code=failure.code, message=failure.message)
    except SoftTimeLimitExceeded:
        _finish_failed(
            ctx,
            code="timeout",
            message=f"The job ran past its time limit of {kind.time_limit_seconds:.0f} s.",
        )
    except llm.AIUnavailable as error:
        _finish_failed(ctx, code="ai_unavailable", message=f"The AI provider failed: {error}")
    except kind.retry_on as error:
        _retry_or_fail(ctx, error)
    except Exception as error:
        logger.exception("job %s (%s) failed unexpectedly", job.pk, job.kind)
        _finish_failed(ctx, code="internal", message=f"The job failed unexpectedly ({type(error).__name__}).")
    else:
        _finish_succeeded(ctx, result)
    finally:
        heartbeat.stop()


def _finish_succeeded(ctx: JobContext, result: Any) -> None:
    now = timezone.now()
    job = ctx.job
    with transaction.atomic():
        finished = ctx.owned().update(
            status=Status.SUCCEEDED,
            result=result,
            step="",
            lease_expires_at=None,
            finished_at=now,
            updated_at=now,
        )
        if not finished:
            return  # taken over or cancelled meanwhile: the other outcome stands
        job.status, job.result, job.step, job.finished_at = Status.SUCCEEDED, result, "", now
        if ctx.kind.complete is not None:
            ctx.kind.complete(job, result)
    transaction.on_commit(lambda: announce(job, "succeeded"))


def _finish_failed(ctx: JobContext, *, code: str, message: str) -> None:
    with transaction.atomic():
        job = (
            Job.objects.select_for_update()
            .filter(pk=ctx.job.pk, status=Status.RUNNING, attempts=ctx.attempt)
            .first()
        )
        if job is not None:
            mark_failed(job, code=code, message=message, now=timezone.now())


def _retry_or_fail(ctx: JobContext, error: BaseException) -> None:
    if ctx.attempt >= ctx.job.max_attempts:
        _finish_failed(
            ctx, code="transient", message=f"The job kept failing ({type(error).__name__}: {error})."
        )
        return
    delay = ctx.kind.retry_backoff_seconds * 2 ** (ctx.attempt - 1)
    now = timezone.now()
    with transaction.atomic():
        requeued = ctx.owned().update(
            status=Status.PENDING,
            not_before=now + timedelta(seconds=delay),
            queued_at=now + timedelta(seconds=delay),
            lease_expires_at=None,
            step="",
            updated_at=now,
        )
        if requeued:
            logger.warning("job %s: transient %s; retry in %.1f s", ctx.job.pk, type(error).__name__, delay)
            send_on_commit(ctx.job, countdown=delay)


class _Heartbeat:
    """Renews the lease while the work runs, from a thread of its own (a Whisper call reports no
    progress for seconds at a time), and fails the job once it runs past its time limit."""

    def __init__(self, ctx: JobContext) -> None:
        self.ctx = ctx
        self.stopped = threading.Event()
        self.thread: threading.Thread | None = None

    def start(self) -> None:
        # Inside an open transaction (a test running a job inline) another connection could not
        # see the row, and on SQLite would wait on the transaction's lock: steps renew instead.
        if connection.in_atomic_block:
            return
        self.thread = threading.Thread(
            target=self._beat, name=f"job-heartbeat-{self.ctx.job.pk}", daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        self.stopped.set()
        if self.thread is not None:
            self.thread.join(timeout=5)

    def _beat(self) -> None:
        kind, started = self.ctx.kind, timezone.now()
        interval = kind.lease_seconds / 3
        try:
            while not self.stopped.wait(interval):
                now = timezone.now()
                if (now - started).total_seconds() > kind.time_limit_seconds:
                    self.ctx.cancelled.set()
                    _finish_failed(
                        self.ctx,
                        code="timeout",
                        message=f"The job ran past its time limit of {kind.time_limit_seconds:.0f} s.",
                    )
                    return
                renewed = self.ctx.owned().update(
                    lease_expires_at=now + timedelta(seconds=kind.lease_seconds), updated_at=now
                )
                if not renewed:
                    self.ctx.cancelled.set()
                    return
        except Exception:
            logger.exception("heartbeat of job %s failed", self.ctx.job.pk)
        finally:
            close_old_connections()
            connection.close()


__all__ = ["Enqueued", "JobKind", "job_cancel", "job_enqueue", "job_run"]
