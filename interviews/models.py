"""Interview practice: the question bank (shared with the live mock interview), practice sessions,
the questions asked in them, the recordings answering them and the reports on those recordings."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models, transaction
from django.db.models.signals import post_delete
from django.dispatch import receiver
from django.utils import timezone

MIN_DURATION_MINUTES = 5
# A real interview loop rarely runs past two hours; longer sessions are typos (450 for 45).
MAX_DURATION_MINUTES = 120


class InterviewerType(models.TextChoices):
    """Who is asking, which sets the mix of question types (see `ai.questions.TYPE_MIX`)."""

    TECH = "Tech", "Technical interviewer (engineer): technical and system-design questions"
    HR = "HR", "HR / recruiter: motivation, culture fit and behavioural questions"
    BEHAVIORAL = "Behavioral", "Behavioural interviewer: past-experience (STAR) and situational questions"
    MANAGER = "Manager", "Hiring manager: leadership, prioritisation, delivery and some technical depth"


class QuestionType(models.TextChoices):
    BEHAVIORAL = "behavioral", "Behavioural (tell me about a time...)"
    TECHNICAL = "technical", "Technical knowledge"
    SYSTEM_DESIGN = "system_design", "System design"
    SITUATIONAL = "situational", "Situational (what would you do if...)"
    CULTURE_FIT = "culture_fit", "Motivation and culture fit"


class Difficulty(models.TextChoices):
    EASY = "easy", "Easy"
    MEDIUM = "medium", "Medium"
    HARD = "hard", "Hard"

    @classmethod
    def level_of(cls, value: str) -> int:
        """1 (easy) to 3 (hard): the adaptive picker moves along this scale."""
        return {cls.EASY: 1, cls.MEDIUM: 2, cls.HARD: 3}[cls(value)]


def _string_list(value: Any, field: str) -> None:
    if not isinstance(value, list) or not all(isinstance(item, str) and item.strip() for item in value):
        raise ValidationError({field: "Enter a JSON list of non-empty strings."})


class Question(models.Model):
    """A bank question. `key_points` are what a good answer covers (scoring checks them);
    `tags` are the terms matched against a job description; `interviewer_types` who asks it."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    slug = models.SlugField(max_length=80, unique=True, help_text="Stable key; the seeds update by it.")
    content = models.TextField()
    type = models.CharField(max_length=20, choices=QuestionType.choices)
    topic = models.CharField(max_length=100)
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices, default=Difficulty.MEDIUM)
    interviewer_types = models.JSONField(
        default=list, blank=True, help_text='Interviewer types that ask it, e.g. ["Tech", "Manager"].'
    )
    key_points = models.JSONField(default=list, help_text="What a good answer covers, one string each.")
    tags = models.JSONField(default=list, blank=True, help_text="Terms matched against job descriptions.")
    explanation = models.TextField(blank=True, help_text="What the question tests.")
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["topic", "slug"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(type__in=QuestionType.values), name="question_type_valid"
            ),
            models.CheckConstraint(
                condition=models.Q(difficulty__in=Difficulty.values), name="question_difficulty_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"[{self.type}/{self.difficulty}] {self.content[:70]}"

    def clean(self) -> None:
        _string_list(self.key_points, "key_points")
        _string_list(self.tags, "tags")
        _string_list(self.interviewer_types, "interviewer_types")
        unknown = set(self.interviewer_types) - set(InterviewerType.values)
        if unknown:
            raise ValidationError({"interviewer_types": f"Unknown: {', '.join(sorted(unknown))}."})

    @property
    def level(self) -> int:
        return Difficulty.level_of(self.difficulty)


class PracticeSession(models.Model):
    class Status(models.TextChoices):
        CREATED = "created", "Created"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="practice_sessions"
    )
    job_title = models.CharField(max_length=200)
    job_description = models.TextField(blank=True)
    interviewer_type = models.CharField(max_length=20, choices=InterviewerType.choices)
    duration_minutes = models.PositiveSmallIntegerField(default=30)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CREATED)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["user", "-created_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=MIN_DURATION_MINUTES)
                & models.Q(duration_minutes__lte=MAX_DURATION_MINUTES),
                name="practice_session_duration_bounded",
            ),
            models.CheckConstraint(
                condition=models.Q(interviewer_type__in=InterviewerType.values),
                name="practice_session_interviewer_type_valid",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.job_title} ({self.interviewer_type}) by {self.user_id}"

    @property
    def scheduled_end_at(self) -> datetime | None:
        if self.started_at is None:
            return None
        return self.started_at + timedelta(minutes=self.duration_minutes)

    def is_over(self, now: datetime | None = None) -> bool:
        """A started session is over once its booked time has run out (no explicit end route)."""
        end = self.scheduled_end_at
        return self.status == self.Status.COMPLETED or (end is not None and (now or timezone.now()) >= end)

    @property
    def current_status(self) -> str:
        return self.Status.COMPLETED if self.is_over() else self.status

    @property
    def current_ended_at(self) -> datetime | None:
        if self.ended_at is not None:
            return self.ended_at
        return self.scheduled_end_at if self.is_over() else None


class PracticeTurn(models.Model):
    """One question asked in a session, in order; `score` (0-10) comes from the answer's report."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(PracticeSession, on_delete=models.CASCADE, related_name="turns")
    question = models.ForeignKey(Question, on_delete=models.PROTECT, related_name="practice_turns")
    order = models.PositiveSmallIntegerField()
    asked_at = models.DateTimeField(default=timezone.now)
    score = models.FloatField(null=True, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "order"]
        constraints = [
            # "never repeats" is a database fact, not only the picker's intention.
            models.UniqueConstraint(fields=["session", "question"], name="practice_turn_question_once"),
            models.UniqueConstraint(fields=["session", "order"], name="practice_turn_order_unique"),
        ]

    def __str__(self) -> str:
        return f"#{self.order} {self.question.content[:60]}"


def practice_media_path(instance: PracticeMedia, filename: str) -> str:
    return f"practice/{instance.session_id}/{instance.id}{instance.extension}"


class PracticeMedia(models.Model):
    """An uploaded recording. The transcript and the measured features are kept so that asking
    for them again is instant, and so that a report retried after an AI outage redoes only the
    AI step."""

    class MediaType(models.TextChoices):
        VIDEO = "video", "Video"
        AUDIO = "audio", "Audio"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(PracticeSession, on_delete=models.CASCADE, related_name="media")
    turn = models.ForeignKey(
        PracticeTurn, null=True, blank=True, on_delete=models.SET_NULL, related_name="media"
    )
    media_type = models.CharField(max_length=10, choices=MediaType.choices)
    file = models.FileField(upload_to=practice_media_path, max_length=255)
    filename = models.CharField(max_length=255)
    extension = models.CharField(max_length=10)
    content_type = models.CharField(max_length=100, blank=True)
    size_bytes = models.PositiveBigIntegerField()
    container = models.CharField(max_length=100)
    duration_seconds = models.FloatField()
    has_video = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    transcript = models.JSONField(null=True, blank=True)
    transcribed_at = models.DateTimeField(null=True, blank=True)
    audio_features = models.JSONField(null=True, blank=True)
    video_features = models.JSONField(null=True, blank=True)
    features_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at"]
        verbose_name_plural = "practice media"
        constraints = [
            models.CheckConstraint(
                condition=models.Q(media_type__in=["video", "audio"]), name="practice_media_type_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.media_type} {self.filename}"

    @property
    def transcript_text(self) -> str | None:
        return None if self.transcript is None else str(self.transcript.get("text", ""))


@receiver(post_delete, sender=PracticeMedia)
def _delete_media_file(sender: type[PracticeMedia], instance: PracticeMedia, **kwargs: Any) -> None:
    # After commit: a rolled-back delete must not lose the recording.
    name, storage = instance.file.name, instance.file.storage
    if name:
        transaction.on_commit(lambda: storage.delete(name))


class PracticeReport(models.Model):
    """Feedback on one recording. `points` tie each remark to the transcript; `answer_score`
    is the scoring of the answer against its question (see `ai.scoring`)."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    media = models.OneToOneField(PracticeMedia, on_delete=models.CASCADE, related_name="report")
    feedback = models.TextField()
    points = models.JSONField(default=list)
    answer_score = models.JSONField(default=dict)
    score = models.FloatField(null=True, blank=True)
    engine = models.CharField(max_length=100)
    audio_features = models.JSONField()
    video_features = models.JSONField(null=True, blank=True)
    generation_seconds = models.FloatField(default=0.0)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]

    def __str__(self) -> str:
        return f"report on {self.media_id}"


# --------------------------------------------------------------------------------------------
# Live mock interview (live-interview.md): a session set up with a resume and a job description,
# then interviewed over `ws/interview/{id}`, question by question, and closed with a report.

LIVE_DEFAULT_MINUTES = 35
LIVE_DEFAULT_QUESTIONS = 8


class Seniority(models.TextChoices):
    JUNIOR = "junior", "Junior"
    MID = "mid", "Mid-level"
    SENIOR = "senior", "Senior"
    LEAD = "lead", "Lead"


class Recommendation(models.TextChoices):
    STRONG_HIRE = "Strong Hire", "Strong Hire"
    HIRE = "Hire", "Hire"
    LEAN_HIRE = "Lean Hire", "Lean Hire"
    NO_HIRE = "No Hire", "No Hire"


class LiveSession(models.Model):
    """One mock interview. `resume` and `job_description` point at the documents the current
    `profile` was read from; they change only together with it, so a failed upload leaves the
    session as it was. `question_plan` holds the questions generated for the role."""

    class Status(models.TextChoices):
        CREATED = "created", "Created"
        IN_PROGRESS = "in_progress", "In progress"
        COMPLETED = "completed", "Completed"

    class Phase(models.TextChoices):
        SETUP = "setup", "Setup: resume and job description"
        INTRO = "intro", "Introduction"
        QUESTIONING = "questioning", "Questioning"
        EVALUATION = "evaluation", "Evaluation"
        COMPLETED = "completed", "Completed"

    class EndReason(models.TextChoices):
        QUESTIONS = "questions", "Every question was asked"
        TIME = "time", "Time ran out"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.CREATED)
    phase = models.CharField(max_length=20, choices=Phase.choices, default=Phase.SETUP)
    memory_opt_in = models.BooleanField(
        default=False, help_text="Keep answer texts after the report; otherwise they are erased then."
    )
    is_voice_enabled = models.BooleanField(default=False)
    resume = models.ForeignKey(
        "LiveDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    job_description = models.ForeignKey(
        "LiveDocument", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    detected_seniority = models.CharField(max_length=10, choices=Seniority.choices, blank=True)
    profile = models.JSONField(default=dict, blank=True)
    question_plan = models.JSONField(default=list, blank=True)
    duration_minutes = models.PositiveSmallIntegerField(default=LIVE_DEFAULT_MINUTES)
    max_questions = models.PositiveSmallIntegerField(default=LIVE_DEFAULT_QUESTIONS)
    created_at = models.DateTimeField(default=timezone.now)
    started_at = models.DateTimeField(null=True, blank=True)
    ended_at = models.DateTimeField(null=True, blank=True)
    end_reason = models.CharField(max_length=20, choices=EndReason.choices, blank=True)
    report = models.JSONField(null=True, blank=True)
    recommendation = models.CharField(max_length=20, choices=Recommendation.choices, blank=True)
    reported_at = models.DateTimeField(null=True, blank=True)
    answers_erased_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(phase__in=["setup", "intro", "questioning", "evaluation", "completed"]),
                name="live_session_phase_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(duration_minutes__gte=1) & models.Q(max_questions__gte=1),
                name="live_session_length_positive",
            ),
        ]

    def __str__(self) -> str:
        return f"live interview {self.pk} ({self.phase})"

    @property
    def role(self) -> str:
        return self.job_description.role if self.job_description is not None else ""

    @property
    def seniority_or_none(self) -> str | None:
        return self.detected_seniority or None

    @property
    def deadline_at(self) -> datetime | None:
        if self.started_at is None:
            return None
        return self.started_at + timedelta(minutes=self.duration_minutes)

    def seconds_remaining(self, now: datetime | None = None) -> int:
        """Whole seconds left of the interview (the full length before it starts, 0 after)."""
        deadline = self.deadline_at
        if deadline is None:
            return self.duration_minutes * 60
        if self.ended_at is not None:
            return 0
        left = (deadline - (now or timezone.now())).total_seconds()
        return max(0, int(left + 0.5))


class LiveDocument(models.Model):
    """A resume or a job description as uploaded: its text is what the profile reads."""

    class Kind(models.TextChoices):
        RESUME = "resume", "Resume"
        JOB_DESCRIPTION = "job_description", "Job description"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    filename = models.CharField(max_length=255, blank=True)
    format = models.CharField(max_length=10, help_text="pdf, docx, txt (resumes) or text (a pasted JD)")
    size_bytes = models.PositiveIntegerField(default=0)
    pages = models.PositiveSmallIntegerField(null=True, blank=True)
    text = models.TextField()
    role = models.CharField(max_length=200, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(kind__in=["resume", "job_description"]), name="live_document_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.kind} {self.filename or self.role}"


class LiveTurn(models.Model):
    """One question of a live interview, its answer, at most one follow-up and its answer.

    The question is copied from the bank or the session's plan, so editing the bank later does
    not rewrite history. `answer_score` scores the answer alone; `followup_score` the answer and
    the follow-up answer together (the follow-up is the chance to cover what was missed). The
    turn's own scores are the last of the two, set when nothing more is pending (`scored_at`).
    """

    class Source(models.TextChoices):
        BANK = "bank", "Question bank"
        GENERATED = "generated", "Generated for the role"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    session = models.ForeignKey(LiveSession, on_delete=models.CASCADE, related_name="turns")
    order = models.PositiveSmallIntegerField()
    source = models.CharField(max_length=10, choices=Source.choices)
    # "bank:<question id>" or "plan:<index>": a question is asked at most once per session.
    source_key = models.CharField(max_length=60)
    question = models.ForeignKey(
        Question, null=True, blank=True, on_delete=models.SET_NULL, related_name="live_turns"
    )
    content = models.TextField()
    type = models.CharField(max_length=20, choices=QuestionType.choices)
    topic = models.CharField(max_length=100)
    difficulty = models.CharField(max_length=10, choices=Difficulty.choices)
    explanation = models.TextField(blank=True)
    key_points = models.JSONField(default=list, blank=True)
    focus_area = models.CharField(max_length=100, blank=True)
    asked_at = models.DateTimeField(default=timezone.now)

    answer_text = models.TextField(blank=True)
    answer_source = models.CharField(max_length=10, blank=True, help_text="text or voice")
    answered_at = models.DateTimeField(null=True, blank=True)
    answer_score = models.JSONField(null=True, blank=True)

    followup_question = models.TextField(blank=True)
    followup_reason = models.TextField(blank=True)
    followup_asked_at = models.DateTimeField(null=True, blank=True)
    followup_answer_text = models.TextField(blank=True)
    followup_answer_source = models.CharField(max_length=10, blank=True)
    followup_answered_at = models.DateTimeField(null=True, blank=True)
    followup_score = models.JSONField(null=True, blank=True)

    technical = models.FloatField(null=True, blank=True)
    design = models.FloatField(null=True, blank=True)
    communication = models.FloatField(null=True, blank=True)
    overall = models.FloatField(null=True, blank=True)
    scored_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["session", "order"]
        constraints = [
            models.UniqueConstraint(fields=["session", "order"], name="live_turn_order_unique"),
            models.UniqueConstraint(fields=["session", "source_key"], name="live_turn_question_once"),
            models.CheckConstraint(
                condition=models.Q(difficulty__in=Difficulty.values), name="live_turn_difficulty_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"#{self.order} {self.content[:60]}"

    @property
    def is_done(self) -> bool:
        return self.scored_at is not None
