"""The OKR review questionnaire: questions (admin-edited), a founder's session, answers, meetings."""

from __future__ import annotations

import uuid
from pathlib import PurePosixPath

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
