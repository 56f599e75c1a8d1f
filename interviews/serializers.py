"""Request and response shapes of interview-practice.md, then of live-interview.md."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers

from interviews.models import (
    MAX_DURATION_MINUTES,
    MIN_DURATION_MINUTES,
    InterviewerType,
    LiveSession,
    PracticeMedia,
    PracticeReport,
    PracticeSession,
    PracticeTurn,
)

INTERVIEWER_TYPES_HELP = "; ".join(f"{value}: {label}" for value, label in InterviewerType.choices)


# The schema lists the canonical spellings; any case of them is accepted.
@extend_schema_field(serializers.ChoiceField(choices=InterviewerType.choices))
class InterviewerTypeField(serializers.CharField):
    """One of InterviewerType's values, matched without regard to case ("tech" is "Tech")."""

    def to_internal_value(self, data: Any) -> str:
        value = super().to_internal_value(data).strip()
        for choice in InterviewerType.values:
            if choice.lower() == value.lower():
                return choice
        raise serializers.ValidationError(f"{value!r} is not one of {', '.join(InterviewerType.values)}.")


class SessionCreateInput(serializers.Serializer):
    job_title = serializers.CharField(max_length=200)
    job_description = serializers.CharField(max_length=20000, required=False, allow_blank=True, default="")
    interviewer_type = InterviewerTypeField(help_text=INTERVIEWER_TYPES_HELP)
    duration_minutes = serializers.IntegerField(
        min_value=MIN_DURATION_MINUTES, max_value=MAX_DURATION_MINUTES, required=False, default=30
    )


class SessionOutput(serializers.ModelSerializer):
    status = serializers.CharField(source="current_status")
    ended_at = serializers.DateTimeField(source="current_ended_at", allow_null=True)

    class Meta:
        model = PracticeSession
        fields = [
            "id",
            "status",
            "started_at",
            "ended_at",
            "job_title",
            "job_description",
            "interviewer_type",
            "duration_minutes",
        ]


class MediaUploadQuery(serializers.Serializer):
    media_type = serializers.ChoiceField(choices=PracticeMedia.MediaType.values)
    question_id = serializers.CharField(required=False, allow_blank=True, max_length=64)


class MediaUploadInput(serializers.Serializer):
    file = serializers.FileField(allow_empty_file=True, max_length=255)


class MediaOutput(serializers.ModelSerializer):
    session_id = serializers.UUIDField()
    question_id = serializers.SerializerMethodField()
    url = serializers.SerializerMethodField(help_text="Signed link to the recording; it expires.")

    class Meta:
        model = PracticeMedia
        fields = [
            "id",
            "session_id",
            "media_type",
            "filename",
            "created_at",
            "duration_seconds",
            "question_id",
            "url",
        ]

    def get_question_id(self, media: PracticeMedia) -> str | None:
        return str(media.turn.question_id) if media.turn_id and media.turn else None

    def get_url(self, media: PracticeMedia) -> str:
        from accounts.media_urls import signed_media_url

        return signed_media_url(media.file.name or "", request=self.context.get("request"))


class TranscriptOutput(serializers.Serializer):
    media_id = serializers.UUIDField(source="id")
    transcript = serializers.CharField(source="transcript_text")
    segments = serializers.SerializerMethodField()

    def get_segments(self, media: PracticeMedia) -> list[dict[str, Any]]:
        segments = (media.transcript or {}).get("segments", [])
        return [{k: s[k] for k in ("start", "end", "text", "confidence")} for s in segments]


class ReportOutput(serializers.ModelSerializer):
    media_id = serializers.UUIDField()

    class Meta:
        model = PracticeReport
        fields = [
            "media_id",
            "feedback",
            "audio_features",
            "video_features",
            "points",
            "answer_score",
            "engine",
        ]


class QuestionOutput(serializers.Serializer):
    id = serializers.UUIDField(source="question.id")
    content = serializers.CharField(source="question.content")
    type = serializers.CharField(source="question.type")
    topic = serializers.CharField(source="question.topic")
    difficulty = serializers.CharField(source="question.difficulty")
    question_number = serializers.IntegerField(source="order")
    reason = serializers.SerializerMethodField(help_text="Why this question now (adaptive picker).")

    def get_reason(self, turn: PracticeTurn) -> str:
        return str(self.context.get("reason", ""))


# --------------------------------------------------------------------------------------------
# Live mock interview (live-interview.md)


class LiveResumeUploadInput(serializers.Serializer):
    session_id = serializers.UUIDField()
    # Empty files pass here and are refused by the parser with a 400 naming the problem.
    file = serializers.FileField(allow_empty_file=True, max_length=255)


class LiveJobDescriptionInput(serializers.Serializer):
    session_id = serializers.UUIDField()
    job_description = serializers.CharField(max_length=20000, trim_whitespace=True)
    role = serializers.CharField(max_length=200, trim_whitespace=True)


class LiveMemoryOptInInput(serializers.Serializer):
    session_id = serializers.UUIDField()
    opt_in = serializers.BooleanField()


class LiveSessionStartOutput(serializers.Serializer):
    session_id = serializers.UUIDField(source="pk")
    status = serializers.CharField()
    message = serializers.SerializerMethodField()

    def get_message(self, session: LiveSession) -> str:
        return "Session created successfully"


class LiveSessionOutput(serializers.Serializer):
    session_id = serializers.UUIDField(source="pk")
    status = serializers.CharField()
    current_phase = serializers.CharField(source="phase")
    has_resume = serializers.SerializerMethodField()
    has_jd = serializers.SerializerMethodField()
    memory_opt_in = serializers.BooleanField()
    detected_seniority = serializers.CharField(allow_null=True, source="seniority_or_none")
    role = serializers.CharField()
    voice_enabled = serializers.BooleanField(source="is_voice_enabled")
    started_at = serializers.DateTimeField(allow_null=True)
    ended_at = serializers.DateTimeField(allow_null=True)

    def get_has_resume(self, session: LiveSession) -> bool:
        return session.resume_id is not None

    def get_has_jd(self, session: LiveSession) -> bool:
        return session.job_description_id is not None


def _names(items: Any) -> list[str]:
    return [str(item.get("name")) for item in items or []]


class LiveResumeOutput(serializers.Serializer):
    session_id = serializers.UUIDField(source="pk")
    resume_received = serializers.SerializerMethodField()
    detected_seniority = serializers.CharField(source="seniority_or_none", allow_null=True)
    strengths = serializers.SerializerMethodField()
    gaps = serializers.SerializerMethodField()
    focus_areas = serializers.SerializerMethodField()
    profile = serializers.SerializerMethodField(
        help_text="The same profile with its evidence: each item quotes the resume or job description line it "
        "comes from; seniority_signals say what decided the level."
    )

    def get_resume_received(self, session: LiveSession) -> bool:
        return session.resume_id is not None

    def get_strengths(self, session: LiveSession) -> list[str]:
        return _names(session.profile.get("strengths"))

    def get_gaps(self, session: LiveSession) -> list[str]:
        return _names(session.profile.get("gaps"))

    def get_focus_areas(self, session: LiveSession) -> list[str]:
        return _names(session.profile.get("focus_areas"))

    def get_profile(self, session: LiveSession) -> dict[str, Any]:
        return dict(session.profile or {})


class LiveJobDescriptionOutput(serializers.Serializer):
    session_id = serializers.UUIDField(source="pk")
    jd_received = serializers.SerializerMethodField()
    role = serializers.CharField()

    def get_jd_received(self, session: LiveSession) -> bool:
        return session.job_description_id is not None


class LiveMemoryOptInOutput(serializers.Serializer):
    session_id = serializers.UUIDField(source="pk")
    memory_opt_in = serializers.BooleanField()
    message = serializers.SerializerMethodField()

    def get_message(self, session: LiveSession) -> str:
        if session.memory_opt_in:
            return "Memory storage enabled"
        if session.answers_erased_at is not None:
            return "Memory storage disabled; the answer texts have been erased"
        return "Memory storage disabled"
