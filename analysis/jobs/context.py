"""What a running job sees: its inputs, a way to report progress, and the errors it may raise."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import TYPE_CHECKING, Any

from django.utils import timezone

from analysis.jobs.events import announce
from analysis.models import Job

if TYPE_CHECKING:
    from analysis.jobs.kinds import JobKind


class JobFailure(Exception):
    """An expected failure: the job fails with `code` and a message its client may read."""

    def __init__(self, message: str, *, code: str = "invalid") -> None:
        super().__init__(message)
        self.code = code
        self.message = message


class JobCancelled(Exception):
    """This run no longer owns the job (superseded, timed out, or taken over): stop, write nothing."""


class JobContext:
    """Handed to `JobKind.run`. `attempt` fences every write: a run that lost the job (its lease
    lapsed and another worker took it over, or it was cancelled) can no longer change it."""

    def __init__(self, job: Job, kind: JobKind) -> None:
        self.job = job
        self.kind = kind
        self.attempt = job.attempts
        self.cancelled = threading.Event()

    @property
    def inputs(self) -> dict[str, Any]:
        return self.job.inputs

    def owned(self) -> Any:
        """The job's row, filtered so that an update matches only while this run owns it."""
        return Job.objects.filter(pk=self.job.pk, status=Job.Status.RUNNING, attempts=self.attempt)

    def step(self, name: str) -> None:
        """Record progress (and renew the lease: a job that reports progress is alive). Raises
        JobCancelled when this run no longer owns the job, so the work stops early."""
        if self.cancelled.is_set():
            raise JobCancelled
        now = timezone.now()
        entry = {"step": name, "at": now.isoformat()}
        progress = list(self.job.progress) + [entry]
        updated = self.owned().update(
            step=name[:60],
            progress=progress,
            lease_expires_at=now + timedelta(seconds=self.kind.lease_seconds),
            updated_at=now,
        )
        if not updated:
            self.cancelled.set()
            raise JobCancelled
        self.job.step, self.job.progress = name[:60], progress
        announce(self.job, "progress")

    def check(self) -> None:
        """Raise JobCancelled if this run lost the job; for long loops between steps."""
        if self.cancelled.is_set() or not self.owned().exists():
            self.cancelled.set()
            raise JobCancelled
