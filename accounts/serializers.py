from __future__ import annotations

from typing import Any

from rest_framework import serializers

from accounts.models import User


class TokenInput(serializers.Serializer):
    username = serializers.CharField(max_length=254)
    password = serializers.CharField(max_length=256, trim_whitespace=False)


class TokenOutput(serializers.Serializer):
    access_token = serializers.CharField()
    token_type = serializers.CharField(default="bearer")
    refresh_token = serializers.CharField(help_text="for POST /auth/refresh (14 days, rotated on use)")


class GoogleLoginInput(serializers.Serializer):
    id_token = serializers.CharField(max_length=8192)


class RefreshInput(serializers.Serializer):
    refresh_token = serializers.CharField(max_length=4096)


class UserSummary(serializers.Serializer):
    user_id = serializers.CharField(source="public_id")
    email = serializers.EmailField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    profile_picture_url = serializers.SerializerMethodField()

    def get_profile_picture_url(self, user: User) -> str | None:
        return user.profile_picture_url or None


class LoginOutput(serializers.Serializer):
    access_token = serializers.CharField()
    refresh_token = serializers.CharField()
    expires_in = serializers.IntegerField()
    user = UserSummary()


class RefreshOutput(serializers.Serializer):
    access_token = serializers.CharField()
    expires_in = serializers.IntegerField()
    refresh_token = serializers.CharField(help_text="the rotated refresh token; the one sent is revoked")


class TeamRef(serializers.Serializer):
    team_id = serializers.CharField(source="public_id")
    name = serializers.CharField()


class SupervisorRef(serializers.Serializer):
    user_id = serializers.CharField(source="public_id")
    full_name = serializers.CharField()


class MeOutput(serializers.Serializer):
    user_id = serializers.CharField(source="public_id")
    email = serializers.EmailField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    phone = serializers.CharField(allow_null=True)
    profile_picture_url = serializers.SerializerMethodField()
    team = TeamRef(allow_null=True)
    supervisor = SupervisorRef(allow_null=True)

    def get_profile_picture_url(self, user: User) -> str | None:
        return user.profile_picture_url or None

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["phone"] = data["phone"] or None
        return data


class UserStatsOutput(serializers.Serializer):
    total_calls = serializers.IntegerField()
    avg_satisfaction = serializers.FloatField(
        allow_null=True, help_text="Mean customer_satisfaction_score / 20 (1-5)."
    )
    upsell_conversion = serializers.FloatField(allow_null=True, help_text="Won upsells / identified (0-1).")


class UserProfileOutput(serializers.Serializer):
    user_id = serializers.CharField(source="public_id")
    email = serializers.EmailField()
    full_name = serializers.CharField()
    role = serializers.CharField()
    stats = serializers.SerializerMethodField()

    def get_stats(self, user: User) -> dict[str, Any]:
        return UserStatsOutput(self.context["stats"][user.pk]).data


class TechnicianTodayStats(serializers.Serializer):
    calls_today = serializers.IntegerField()
    avg_call_duration = serializers.IntegerField(allow_null=True, help_text="Seconds, over today's calls.")
    customer_satisfaction = serializers.FloatField(
        allow_null=True, help_text="1-5, over today's analysed calls."
    )


class TechnicianOutput(serializers.Serializer):
    user_id = serializers.CharField(source="public_id")
    full_name = serializers.CharField()
    stats = serializers.SerializerMethodField()

    def get_stats(self, user: User) -> dict[str, Any]:
        return TechnicianTodayStats(self.context["stats"][user.pk]).data


class TechniciansOutput(serializers.Serializer):
    technicians = TechnicianOutput(many=True)
