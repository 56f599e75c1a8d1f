from django.urls import include, path
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.models import Team


class OneRowApi(APIView):
    """The baseline every REST benchmark divides by: DRF reading one row."""

    authentication_classes: list[type] = []
    permission_classes = [AllowAny]

    def get(self, request: Request) -> Response:
        team = Team.objects.order_by("id").first()
        return Response({"id": team.pk if team else None, "name": team.name if team else None})


urlpatterns = [path("bench/one-row", OneRowApi.as_view()), path("", include("config.urls"))]
