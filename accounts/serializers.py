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
    phone = serializers.CharField()
    profile_picture_url = serializers.SerializerMethodField()
    team = TeamRef(allow_null=True)
    supervisor = SupervisorRef(allow_null=True)

    def get_profile_picture_url(self, user: User) -> str | None:
        return user.profile_picture_url or None

    def to_representation(self, instance: Any) -> dict[str, Any]:
        data = super().to_representation(instance)
        data["phone"] = data["phone"] or None
        return data
