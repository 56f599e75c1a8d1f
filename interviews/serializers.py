"""Request and response shapes of interview-practice.md."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from interviews.models import (
    MAX_DURATION_MINUTES,
    MIN_DURATION_MINUTES,
    InterviewerType,
    PracticeMedia,
    PracticeReport,
    PracticeSession,
    PracticeTurn,
)

INTERVIEWER_TYPES_HELP = "; ".join(f"{value}: {label}" for value, label in InterviewerType.choices)


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
