"""Views that exist only to drive the shared edge machinery (dialects, throttles) in tests."""

from __future__ import annotations

from rest_framework import serializers
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.ratelimit import CacheRateThrottle, RateLimitHeadersMixin
from config import errors


class Payload(serializers.Serializer):
    name = serializers.CharField(max_length=10)
    count = serializers.IntegerField(min_value=1)


def make_view(dialect: errors.Dialect) -> type[APIView]:
    class DialectProbeApi(APIView):
        error_dialect = dialect

        def get(self, request: Request, case: str) -> Response:
            if case == "missing":
                raise errors.ApiError("Widget 7 not found", status=404, code="WIDGET_NOT_FOUND")
            if case == "private":
                self.permission_denied(request)
            if case == "crash":
                raise RuntimeError("secret connection string postgres://admin:hunter2@db")
            if case == "auth":
                raise errors.ApiError("Token expired", status=401)
            return Response({"ok": True})

        def post(self, request: Request, case: str) -> Response:
            data = Payload(data=request.data)
            data.is_valid(raise_exception=True)
            return Response(data.validated_data, status=201)

    return DialectProbeApi


class ThreePerMinute(CacheRateThrottle):
    scope = "probe"
    user_rate = "3/min"
    anon_rate = "2/min"


class ThrottledApi(RateLimitHeadersMixin, APIView):
    error_dialect = errors.CONVERSATIONS
    throttle_classes = [ThreePerMinute]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})


class PrivateApi(APIView):
    error_dialect = errors.ENVELOPE
    permission_classes = [IsAuthenticated]

    def get(self, request: Request) -> Response:
        return Response({"ok": True})
