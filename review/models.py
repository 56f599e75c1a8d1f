"""The OKR review questionnaire: questions (admin-edited), a founder's session, answers, meetings."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath
from typing import Any

from django.db import models


class Question(models.Model):
    """One question of the review. Staff edit the wording, order and whether it is asked."""

    # Seeded defaults carry a key so that seeding again finds them instead of adding copies;
    # questions staff add themselves have none.
    key = models.SlugField(max_length=50, unique=True, null=True, blank=True, editable=False)
    prompt = models.TextField()
    order = models.PositiveIntegerField(default=0, db_index=True)
    is_active = models.BooleanField("active", default=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["order", "id"]

    def __str__(self) -> str:
        return f"{self.order}. {self.prompt[:60]}"


class ReviewSession(models.Model):
    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    phone_number = models.CharField(max_length=16, blank=True, help_text="+98XXXXXXXXXX")
    email = models.EmailField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    completed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return str(self.id)

    @property
    def has_contact(self) -> bool:
        return bool(self.email and self.phone_number)

    @property
    def is_completed(self) -> bool:
        return self.completed_at is not None


AUDIO_SUFFIXES = frozenset(
    {".wav", ".webm", ".ogg", ".oga", ".opus", ".mp3", ".m4a", ".mp4", ".aac", ".flac"}
)


def answer_audio_path(instance: Answer, filename: str) -> str:
    # The client's file name never reaches the disk: only a known suffix survives.
    suffix = PurePosixPath(filename).suffix.lower()
    suffix = suffix if suffix in AUDIO_SUFFIXES else ".bin"
    return f"review/audio/{instance.session_id}/{uuid.uuid4().hex}{suffix}"


class Answer(models.Model):
    class Transcription(models.TextChoices):
        NOT_NEEDED = "not_needed", "No audio"
        PENDING = "pending", "Pending"
        DONE = "done", "Done"
        FAILED = "failed", "Failed"

    session = models.ForeignKey(ReviewSession, on_delete=models.CASCADE, related_name="answers")
    # Deleting a question that founders answered would rewrite their history; deactivate it instead.
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="answers")
    answer_text = models.TextField(blank=True)
    audio_file = models.FileField(upload_to=answer_audio_path, blank=True, max_length=200)
    transcript = models.TextField(blank=True)
    transcription_status = models.CharField(
        max_length=12, choices=Transcription.choices, default=Transcription.NOT_NEEDED
    )
    transcription_error = models.TextField(blank=True)
    transcribed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["question__order", "question_id"]
        constraints = [
            models.UniqueConstraint(fields=["session", "question"], name="review_answer_once_per_question")
        ]

    def __str__(self) -> str:
        return f"{self.session_id} / {self.question_id}"

    @property
    def text(self) -> str:
        """What the analysis reads: the typed answer, or else the transcript of the recording."""
        return self.answer_text.strip() or self.transcript.strip()


class MeetingRequest(models.Model):
    class Status(models.TextChoices):
        PENDING = "PENDING", "Pending"
        CONTACTED = "CONTACTED", "Contacted"
        SCHEDULED = "SCHEDULED", "Scheduled"
        COMPLETED = "COMPLETED", "Completed"
        CANCELLED = "CANCELLED", "Cancelled"

    session = models.ForeignKey(ReviewSession, on_delete=models.CASCADE, related_name="meeting_requests")
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PENDING, db_index=True)
    # The contact as it was when the founder asked, even if they change it later.
    email = models.EmailField()
    phone_number = models.CharField(max_length=16)
    staff_note = models.TextField(blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return f"Meeting {self.pk} ({self.status})"


class AnalysisSession(models.Model):
    """An OKR dashboard for one review (or for answers a client sent under an id of its own).

    The work itself is a job (`analysis.models.Job`, kind `review.analysis`): `job` is the current
    run, which says where it stands; this row keeps what the founder sees: the answers read and
    the dashboard produced.
    """

    class Source(models.TextChoices):
        REVIEW = "review", "The review session's stored answers"
        PAYLOAD = "payload", "Answers sent with the start message"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    # One analysis per review: starting again resets it (specs/okr-review.md "start/reset").
    review_session = models.OneToOneField(
        ReviewSession, null=True, blank=True, on_delete=models.CASCADE, related_name="analysis"
    )
    source = models.CharField(max_length=8, choices=Source.choices)
    # The answers the analysis read ([{order, question_id, prompt, answer}]): sent with the start
    # message, or pulled from the review (transcripts included) when the job runs.
    answers = models.JSONField(default=list, blank=True)
    job = models.ForeignKey(
        "analysis.Job", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        # The table the analysis app created before the OKR coach became one app.
        db_table = "analysis_analysissession"
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"Analysis {self.id} ({self.status})"

    @property
    def status(self) -> str:
        return self.job.status if self.job is not None else "pending"

    @property
    def result(self) -> dict[str, Any] | None:
        """The dashboard, once the current run succeeded (it is that job's result)."""
        if self.job is None or self.job.status != "succeeded" or not self.job.result:
            return None
        return self.job.result.get("dashboard")

    @property
    def engine(self) -> str:
        return str((self.result or {}).get("engine", ""))

    @property
    def error(self) -> str:
        return self.job.error if self.job is not None else ""

    @property
    def watch_key(self) -> uuid.UUID:
        """The id whose socket group hears this analysis: its review's id if it has one."""
        return self.review_session_id or self.id
