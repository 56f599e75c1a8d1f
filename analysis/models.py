"""The one job table every product's slow work runs on (see `analysis.jobs`)."""

from __future__ import annotations

import uuid

from django.db import models
from django.db.models import Q
from django.utils import timezone


class Job(models.Model):
    """One piece of slow work: an OKR analysis, a report section, a transcription, a webhook...

    Products keep their own public ids and rows; a job holds the life cycle: who asked (`owner`),
    what to work on (`inputs`, ids and options, never secrets), where it stands (`status`, `step`,
    `progress`), how it ended (`result` or `error_code`/`error`), and the lease that tells a
    live run from one whose worker died.
    """

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    LIVE = (Status.PENDING, Status.RUNNING)

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    kind = models.CharField(max_length=60, db_index=True)
    owner = models.CharField(max_length=200, blank=True, help_text='"user:<pk>", "api-key:<name>" or empty')
    inputs = models.JSONField(default=dict, blank=True)
    # Work that must not run twice at once (a report request, a media's transcript) names itself
    # here; the database keeps at most one live job per (kind, key).
    dedupe_key = models.CharField(max_length=200, blank=True, default="")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    step = models.CharField(max_length=60, blank=True)
    progress = models.JSONField(default=list, blank=True, help_text="steps reached, in order")
    result = models.JSONField(null=True, blank=True)
    error_code = models.CharField(max_length=60, blank=True)
    error = models.TextField(blank=True)
    attempts = models.PositiveSmallIntegerField(default=0, help_text="runs claimed so far")
    sends = models.PositiveSmallIntegerField(default=1, help_text="times handed to the queue")
    max_attempts = models.PositiveSmallIntegerField(default=3)
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    # A job retried after a transient error waits for this before a worker may claim it.
    not_before = models.DateTimeField(null=True, blank=True)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    # Past this the job is gone for its clients (report jobs live 24 h) and the reaper deletes it.
    expires_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [
            models.Index(fields=["status", "lease_expires_at"], name="job_status_lease"),
            models.Index(fields=["kind", "owner", "-created_at"], name="job_kind_owner"),
        ]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "dedupe_key"],
                condition=Q(status__in=["pending", "running"]) & ~Q(dedupe_key=""),
                name="job_one_live_per_dedupe_key",
            ),
            models.CheckConstraint(
                condition=Q(status__in=["pending", "running", "succeeded", "failed"]), name="job_status_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.id} ({self.status})"

    @property
    def is_live(self) -> bool:
        return self.status in self.LIVE

    @property
    def is_finished(self) -> bool:
        return not self.is_live
