"""OKR analysis sessions: one dashboard job per review session (or per client-named session)."""

from __future__ import annotations

import uuid

from django.db import models


class AnalysisSession(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RUNNING = "running", "Running"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    class Source(models.TextChoices):
        REVIEW = "review", "The review session's stored answers"
        PAYLOAD = "payload", "Answers sent with the start message"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # One analysis per review: starting again resets it (specs/okr-review.md "start/reset").
    review_session = models.OneToOneField(
        "review.ReviewSession", null=True, blank=True, on_delete=models.CASCADE, related_name="analysis"
    )
    source = models.CharField(max_length=8, choices=Source.choices)
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING, db_index=True)
    # The answers the analysis read ([{order, question_id, prompt, answer}]): sent with the start
    # message, or pulled from the review (transcripts included) when the job runs.
    answers = models.JSONField(default=list, blank=True)
    result = models.JSONField(null=True, blank=True)
    engine = models.CharField(max_length=120, blank=True)
    error = models.TextField(blank=True)
    progress_step = models.CharField(max_length=40, blank=True)
    # Every start issues a new token; a job carrying an older one is stale and writes nothing.
    run_token = models.UUIDField(default=uuid.uuid4)
    # How many times this run was handed to the queue (the start, then each takeover by the reaper).
    attempts = models.PositiveSmallIntegerField(default=0)
    queued_at = models.DateTimeField(null=True, blank=True)
    started_at = models.DateTimeField(null=True, blank=True)
    # A running job renews this at every step; past it, the worker is presumed dead.
    lease_expires_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["status", "lease_expires_at"], name="analysis_status_lease")]

    def __str__(self) -> str:
        return f"Analysis {self.id} ({self.status})"

    @property
    def watch_key(self) -> uuid.UUID:
        """The id whose socket group hears this analysis: its review's id if it has one."""
        return self.review_session_id or self.id
