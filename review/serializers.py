"""Shapes of specs/okr-review.md: what the review routes accept and answer."""

from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.media_urls import signed_media_url
from review.models import Answer, MeetingRequest, Question, ReviewSession
from review.phones import InvalidPhoneNumber, normalize_iranian_phone


def _phone(value: str) -> str:
    try:
        return normalize_iranian_phone(value)
    except InvalidPhoneNumber as error:
        raise serializers.ValidationError(str(error)) from None


class UUIDStringField(serializers.UUIDField):
    """DRF reads an integer as UUID(int=...); a session id is only ever a UUID string."""

    def to_internal_value(self, data: Any) -> Any:
        if not isinstance(data, str):
            self.fail("invalid", value=data)
        return super().to_internal_value(data)


class ReviewQuestionOutput(serializers.ModelSerializer):
    class Meta:
        model = Question
        fields = ["id", "prompt", "order"]


class ReviewSessionOutput(serializers.ModelSerializer):
    class Meta:
        model = ReviewSession
        fields = ["id", "phone_number", "email", "created_at", "updated_at", "completed_at"]


class ReviewStartInput(serializers.Serializer):
    phone_number = serializers.CharField(required=False, allow_blank=True, max_length=40)
    email = serializers.EmailField(required=False, allow_blank=True)

    def validate_phone_number(self, value: str) -> str:
        return _phone(value) if value.strip() else ""


class ReviewStartOutput(serializers.Serializer):
    session = ReviewSessionOutput()
    next_question = ReviewQuestionOutput(allow_null=True)


class ReviewNextOutput(serializers.Serializer):
    session = ReviewSessionOutput()
    completed = serializers.BooleanField()
    next_question = ReviewQuestionOutput(allow_null=True)


class ReviewAnswerInput(serializers.Serializer):
    question_id = serializers.IntegerField(min_value=1, max_value=2**62)
    answer_text = serializers.CharField(required=False, allow_blank=True, max_length=20_000)
    audio_file = serializers.FileField(required=False, allow_null=True, max_length=200)

    def validate(self, attrs: dict[str, Any]) -> dict[str, Any]:
        if not attrs.get("answer_text", "").strip() and not attrs.get("audio_file"):
            raise serializers.ValidationError({"answer_text": ["Provide answer_text or an audio_file."]})
        return attrs


class ReviewAnswerOutput(serializers.ModelSerializer):
    question = ReviewQuestionOutput()
    audio_url = serializers.SerializerMethodField()

    class Meta:
        model = Answer
        fields = ["id", "question", "answer_text", "audio_url", "created_at"]

    def get_audio_url(self, answer: Answer) -> str | None:
        if not answer.audio_file.name:
            return None
        return signed_media_url(answer.audio_file.name, request=self.context.get("request"))


class ReviewAnswerSubmitOutput(serializers.Serializer):
    session = ReviewSessionOutput()
    answer = ReviewAnswerOutput()
    next_question = ReviewQuestionOutput(allow_null=True)
    completed = serializers.BooleanField()


class ReviewContactInput(serializers.Serializer):
    review_session_id = UUIDStringField()
    email = serializers.EmailField()
    phone_number = serializers.CharField(max_length=40)

    def validate_phone_number(self, value: str) -> str:
        return _phone(value)


class ReviewContactOutput(serializers.Serializer):
    review_session_id = serializers.UUIDField(source="id")
    email = serializers.EmailField()
    phone_number = serializers.CharField()


class ReviewContactStatusOutput(serializers.Serializer):
    review_session_id = serializers.UUIDField(source="id")
    has_contact = serializers.BooleanField()
    email = serializers.SerializerMethodField()
    phone_number = serializers.SerializerMethodField()

    def get_email(self, session: ReviewSession) -> str | None:
        return session.email or None

    def get_phone_number(self, session: ReviewSession) -> str | None:
        return session.phone_number or None


class MeetingRequestInput(serializers.Serializer):
    review_session_id = UUIDStringField()


class MeetingRequestOutput(serializers.ModelSerializer):
    review_session_id = serializers.UUIDField(source="session_id")

    class Meta:
        model = MeetingRequest
        fields = ["id", "review_session_id", "status", "email", "phone_number", "created_at"]
