from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.media_urls import signed_media_url
from conversations.models import CoachingMoment, Conversation, Insight, Segment, UpsellOpportunity


class ConversationStartInput(serializers.Serializer):
    job_id = serializers.CharField(max_length=100, required=False, allow_blank=True, default="")
    job_title = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    customer_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
    customer_phone = serializers.CharField(max_length=40, required=False, allow_blank=True, default="")
    location_address = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")


class ConversationStartOutput(serializers.Serializer):
    conversation_id = serializers.CharField(source="public_id")
    started_at = serializers.DateTimeField()
    status = serializers.CharField()
    websocket_url = serializers.SerializerMethodField()

    def get_websocket_url(self, conversation: Conversation) -> str:
        request = self.context["request"]
        scheme = "wss" if request.is_secure() else "ws"
        return f"{scheme}://{request.get_host()}/conversations/{conversation.public_id}/transcribe"


class ChunkUploadInput(serializers.Serializer):
    chunk = serializers.FileField(allow_empty_file=True)
    sequence = serializers.IntegerField(min_value=1, max_value=1_000_000)


class ChunkUploadOutput(serializers.Serializer):
    chunk_id = serializers.CharField()
    received = serializers.BooleanField()
    sequence = serializers.IntegerField()
    duplicate = serializers.BooleanField(help_text="True when this sequence was already stored.")


def _recording_url(conversation: Conversation, request: Any) -> str | None:
    name = conversation.recording.name if conversation.recording else ""
    return signed_media_url(name, request=request) if name else None


def _duration(conversation: Conversation) -> int | None:
    return None if conversation.duration_seconds is None else round(conversation.duration_seconds)


class ConversationStopOutput(serializers.Serializer):
    conversation_id = serializers.CharField(source="public_id")
    ended_at = serializers.DateTimeField()
    duration_seconds = serializers.SerializerMethodField()
    status = serializers.CharField()
    recording_url = serializers.SerializerMethodField()

    def get_duration_seconds(self, conversation: Conversation) -> int | None:
        return _duration(conversation)

    def get_recording_url(self, conversation: Conversation) -> str | None:
        return _recording_url(conversation, self.context["request"])


class ConversationPersonRef(serializers.Serializer):
    user_id = serializers.CharField(source="public_id")
    full_name = serializers.CharField()


class ConversationOutput(serializers.Serializer):
    conversation_id = serializers.CharField(source="public_id")
    technician = ConversationPersonRef()
    job = serializers.SerializerMethodField()
    customer_name = serializers.CharField()
    started_at = serializers.DateTimeField()
    ended_at = serializers.DateTimeField(allow_null=True)
    duration_seconds = serializers.SerializerMethodField()
    status = serializers.CharField()
    recording_url = serializers.SerializerMethodField()
    has_insights = serializers.BooleanField()
    failure_reason = serializers.SerializerMethodField(help_text="Why the analysis failed (status failed).")

    def get_failure_reason(self, conversation: Conversation) -> str | None:
        return conversation.analysis_error or None if conversation.status == "failed" else None

    def get_job(self, conversation: Conversation) -> dict[str, Any] | None:
        if not conversation.service_job_id and not conversation.service_job_title:
            return None
        return {
            "job_id": conversation.service_job_id or None,
            "title": conversation.service_job_title or None,
        }

    def get_duration_seconds(self, conversation: Conversation) -> int | None:
        return _duration(conversation)

    def get_recording_url(self, conversation: Conversation) -> str | None:
        return _recording_url(conversation, self.context["request"])


class ConversationListQuery(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20)
    offset = serializers.IntegerField(min_value=0, default=0)
    status = serializers.ChoiceField(choices=Conversation.Status.values, required=False)


class ConversationListOutput(serializers.Serializer):
    conversations = ConversationOutput(many=True)
    total = serializers.IntegerField()
    limit = serializers.IntegerField()
    offset = serializers.IntegerField()


class TranscriptSegmentOutput(serializers.ModelSerializer):
    segment_id = serializers.IntegerField(source="pk")

    class Meta:
        model = Segment
        fields = ["segment_id", "speaker_type", "text", "start_time", "end_time", "confidence"]


class ConversationTranscriptOutput(serializers.Serializer):
    conversation_id = serializers.CharField()
    segments = TranscriptSegmentOutput(many=True)
    total_segments = serializers.IntegerField()
    is_complete = serializers.BooleanField(
        help_text="False while chunks or the last words are still being transcribed."
    )


# --- analysis (§5) ---------------------------------------------------------------------------


class InsightOutput(serializers.ModelSerializer):
    insight_id = serializers.IntegerField(source="pk")
    conversation_id = serializers.CharField(source="conversation.public_id")
    analyzed_at = serializers.DateTimeField(source="created_at")

    class Meta:
        model = Insight
        fields = [
            "insight_id",
            "conversation_id",
            "summary",
            "key_topics",
            "overall_sentiment",
            "customer_satisfaction_score",
            "positive_keywords",
            "improvement_keywords",
            "action_items",
            # beyond the spec: the evidence behind the score and the items, and which engine wrote it
            "sentiment_score",
            "satisfaction_signals",
            "action_item_details",
            "evidence",
            "engine",
            "analyzed_at",
        ]


class OpportunityOutput(serializers.ModelSerializer):
    opportunity_id = serializers.IntegerField(source="pk")
    estimated_value = serializers.FloatField()
    actual_value = serializers.FloatField(allow_null=True)

    class Meta:
        model = UpsellOpportunity
        fields = [
            "opportunity_id",
            "opportunity_type",
            "title",
            "description",
            "trigger_phrase",
            "timestamp_in_call",
            "confidence",
            "estimated_value",
            "priority",
            "status",
            "equipment_facts",
            "actual_value",
            "engine",
        ]


class UpsellsOutput(serializers.Serializer):
    opportunities = OpportunityOutput(many=True)


class CoachingMomentOutput(serializers.ModelSerializer):
    moment_id = serializers.IntegerField(source="pk")

    class Meta:
        model = CoachingMoment
        fields = [
            "moment_id",
            "category",
            "title",
            "timestamp_in_call",
            "what_happened",
            "what_should_happen",
            "example_better_response",
            "severity",
            "evidence",
            "engine",
        ]


class CoachingOutput(serializers.Serializer):
    coaching_moments = CoachingMomentOutput(many=True)
    metrics = serializers.DictField(help_text="Call metrics from the transcript timings.")


class AnalyzeOutput(serializers.Serializer):
    conversation_id = serializers.CharField()
    status = serializers.CharField()
    estimated_completion = serializers.DateTimeField()
