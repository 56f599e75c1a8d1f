"""Inputs of the coach and analytics routes, and the output shapes (conversation-intelligence.md
§7-8). Fields the spec does not show are additions, never renames."""

from __future__ import annotations

from rest_framework import serializers

from coaching.models import CallFeedback, UpsellStatusChange
from coaching.selectors.periods import MAX_RANGE_DAYS
from conversations.models import Conversation, UpsellOpportunity

DATE_FORMATS = ["%Y-%m-%d"]
TEXT_LIMIT = 5000


class PersonOutput(serializers.Serializer):
    user_id = serializers.CharField(source="public_id")
    full_name = serializers.CharField()


# --- /coach ---------------------------------------------------------------------------------


class CoachingFocusOutput(serializers.Serializer):
    category = serializers.CharField()
    count = serializers.IntegerField()


class TechnicianWeekStatsOutput(serializers.Serializer):
    calls_this_week = serializers.IntegerField()
    avg_satisfaction = serializers.FloatField(allow_null=True, help_text="1-5 (satisfaction score / 20)")
    upsell_conversion = serializers.FloatField(allow_null=True, help_text="won / found, 0-1")
    coaching_moments_count = serializers.IntegerField()
    avg_call_duration = serializers.IntegerField(allow_null=True, help_text="seconds")
    upsell_revenue = serializers.FloatField()
    coaching_focus = CoachingFocusOutput(
        many=True, help_text="this week's coaching categories, most frequent first"
    )


class CoachTechnicianOutput(serializers.Serializer):
    user_id = serializers.CharField()
    full_name = serializers.CharField()
    stats = TechnicianWeekStatsOutput()


class CoachTechniciansOutput(serializers.Serializer):
    technicians = CoachTechnicianOutput(many=True)


class RecentCallsQuery(serializers.Serializer):
    limit = serializers.IntegerField(min_value=1, max_value=100, default=20)
    days = serializers.IntegerField(min_value=1, max_value=MAX_RANGE_DAYS, default=7)
    min_rating = serializers.FloatField(
        min_value=0, max_value=5, required=False, help_text="customer satisfaction on the 1-5 scale"
    )


class RecentCallOutput(serializers.Serializer):
    conversation_id = serializers.CharField(source="public_id")
    technician = PersonOutput()
    customer_name = serializers.CharField()
    duration_seconds = serializers.SerializerMethodField()
    satisfaction_score = serializers.IntegerField(source="customer_satisfaction_score", allow_null=True)
    upsells_count = serializers.IntegerField()
    coaching_moments_count = serializers.IntegerField()
    feedback_count = serializers.IntegerField()
    status = serializers.CharField()
    started_at = serializers.DateTimeField()

    def get_duration_seconds(self, conversation: Conversation) -> int | None:
        return None if conversation.duration_seconds is None else round(conversation.duration_seconds)


class RecentCallsOutput(serializers.Serializer):
    calls = RecentCallOutput(many=True)


class FeedbackInput(serializers.Serializer):
    overall_rating = serializers.IntegerField(min_value=1, max_value=5)
    rapport_rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    technical_rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    upsell_rating = serializers.IntegerField(min_value=1, max_value=5, required=False, allow_null=True)
    strengths = serializers.CharField(max_length=TEXT_LIMIT, required=False, allow_blank=True, default="")
    areas_for_improvement = serializers.CharField(
        max_length=TEXT_LIMIT, required=False, allow_blank=True, default=""
    )
    is_training_example = serializers.BooleanField(required=False, default=False)


class FeedbackOutput(serializers.ModelSerializer):
    feedback_id = serializers.IntegerField(source="pk")
    conversation_id = serializers.CharField(source="conversation.public_id")

    class Meta:
        model = CallFeedback
        fields = ["feedback_id", "conversation_id", "created_at"]


class UpsellStatusInput(serializers.Serializer):
    status = serializers.CharField(max_length=40)
    actual_value = serializers.DecimalField(
        max_digits=12, decimal_places=2, min_value=0, required=False, allow_null=True, coerce_to_string=False
    )
    notes = serializers.CharField(max_length=TEXT_LIMIT, required=False, allow_blank=True)


class StatusChangeOutput(serializers.ModelSerializer):
    changed_by = PersonOutput(allow_null=True)
    actual_value = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False, allow_null=True
    )

    class Meta:
        model = UpsellStatusChange
        fields = ["from_status", "to_status", "actual_value", "notes", "changed_by", "changed_at"]


class UpsellStatusOutput(serializers.ModelSerializer):
    opportunity_id = serializers.IntegerField(source="pk")
    conversation_id = serializers.CharField(source="conversation.public_id")
    estimated_value = serializers.DecimalField(max_digits=12, decimal_places=2, coerce_to_string=False)
    actual_value = serializers.DecimalField(
        max_digits=12, decimal_places=2, coerce_to_string=False, allow_null=True
    )
    allowed_next = serializers.ListField(child=serializers.CharField())
    history = StatusChangeOutput(many=True)

    class Meta:
        model = UpsellOpportunity
        fields = [
            "opportunity_id",
            "conversation_id",
            "opportunity_type",
            "title",
            "status",
            "estimated_value",
            "actual_value",
            "notes",
            "status_changed_at",
            "closed_at",
            "allowed_next",
            "history",
        ]


# --- /analytics -----------------------------------------------------------------------------


class DailyQuery(serializers.Serializer):
    start_date = serializers.DateField(input_formats=DATE_FORMATS, required=False)
    end_date = serializers.DateField(input_formats=DATE_FORMATS, required=False)


class DailyMetricOutput(serializers.Serializer):
    date = serializers.DateField()
    total_calls = serializers.IntegerField()
    avg_call_duration = serializers.IntegerField(allow_null=True)
    upsells_identified = serializers.IntegerField()
    upsells_closed = serializers.IntegerField(help_text="won, of the opportunities found on that day's calls")
    upsell_revenue = serializers.FloatField()
    avg_customer_satisfaction = serializers.FloatField(allow_null=True, help_text="1-5")
    coaching_moments_count = serializers.IntegerField()


class DailyOutput(serializers.Serializer):
    technician_id = serializers.CharField()
    time_zone = serializers.CharField()
    start_date = serializers.DateField()
    end_date = serializers.DateField()
    metrics = DailyMetricOutput(many=True)


class TrendsQuery(serializers.Serializer):
    weeks = serializers.IntegerField(min_value=3, max_value=52, default=8, help_text="complete weeks fitted")


class WeeklyStatOutput(serializers.Serializer):
    week_start = serializers.DateField()
    week_end = serializers.DateField()
    is_complete = serializers.BooleanField()
    total_calls = serializers.IntegerField()
    avg_call_duration = serializers.IntegerField(allow_null=True)
    avg_satisfaction = serializers.FloatField(allow_null=True)
    upsells_identified = serializers.IntegerField()
    upsells_closed = serializers.IntegerField()
    upsell_conversion = serializers.FloatField(allow_null=True)
    upsell_revenue = serializers.FloatField()
    coaching_moments_count = serializers.IntegerField()


class TrendsBodyOutput(serializers.Serializer):
    calls_trend = serializers.ChoiceField(choices=["up", "down", "stable"])
    satisfaction_trend = serializers.ChoiceField(choices=["up", "down", "stable"])
    upsell_trend = serializers.ChoiceField(choices=["up", "down", "stable"])
    weekly_stats = WeeklyStatOutput(many=True)
    basis = serializers.DictField(help_text="the fitted slopes behind each trend")


class TrendsOutput(serializers.Serializer):
    trends = TrendsBodyOutput()


class LeaderboardQuery(serializers.Serializer):
    offset = serializers.IntegerField(
        min_value=0, max_value=520, default=0, help_text="0: the current period; 1: the one before..."
    )


class RankingMetricsOutput(serializers.Serializer):
    calls = serializers.IntegerField()
    satisfaction = serializers.FloatField(allow_null=True)
    upsell_conversion = serializers.FloatField(allow_null=True)
    revenue = serializers.FloatField()
    upsells_identified = serializers.IntegerField()
    upsells_closed = serializers.IntegerField()
    coaching_moments_count = serializers.IntegerField()


class RankingOutput(serializers.Serializer):
    rank = serializers.IntegerField()
    user_id = serializers.CharField()
    full_name = serializers.CharField()
    score = serializers.FloatField(help_text="0-100; the formula is in the README")
    metrics = RankingMetricsOutput()


class LeaderboardOutput(serializers.Serializer):
    period_type = serializers.CharField()
    period_start = serializers.DateField()
    period_end = serializers.DateField()
    time_zone = serializers.CharField()
    rankings = RankingOutput(many=True)


class TeamOverviewOutput(serializers.Serializer):
    team_stats = serializers.DictField()
