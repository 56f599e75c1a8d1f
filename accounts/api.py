"""Identity routes: /auth/token (interview practice) and /auth/google/login, /auth/refresh, /auth/me
(conversation intelligence). One user table, one JWT issuer."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from drf_spectacular.utils import extend_schema
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.serializers import (
    GoogleLoginInput,
    LoginOutput,
    MeOutput,
    RefreshInput,
    RefreshOutput,
    TokenInput,
    TokenOutput,
)
from config import errors


class TokenApi(APIView):
    """OAuth2 password flow as interview-practice.md shows it (form body, `bearer` token)."""

    error_dialect = errors.DETAIL
    authentication_classes: list[type] = []
    parser_classes = [FormParser, MultiPartParser, JSONParser]

    @extend_schema(request=TokenInput, responses={200: TokenOutput}, tags=["auth"])
    def post(self, request: Request) -> Response:
        data = TokenInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = services.password_login(
                email=data.validated_data["username"], password=data.validated_data["password"]
            )
        except services.AuthFailed as error:
            raise errors.ApiError(str(error), status=401) from error
        tokens = services.tokens_issue(user=user)
        response = Response({"access_token": tokens.access, "token_type": "bearer"})
        response["WWW-Authenticate"] = "Bearer"
        return response


class GoogleLoginApi(APIView):
    error_dialect = errors.CONVERSATIONS
    authentication_classes: list[type] = []

    @extend_schema(request=GoogleLoginInput, responses={200: LoginOutput}, tags=["auth"])
    def post(self, request: Request) -> Response:
        data = GoogleLoginInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            user = services.google_login(id_token=data.validated_data["id_token"])
        except services.AuthFailed as error:
            raise errors.ApiError(str(error), status=401) from error
        except services.AccessDenied as error:
            raise errors.ApiError(str(error), status=403) from error
        tokens = services.tokens_issue(user=user)
        payload = {
            "access_token": tokens.access,
            "refresh_token": tokens.refresh,
            "expires_in": tokens.expires_in,
            "user": user,
        }
        return Response(LoginOutput(payload).data)


class RefreshApi(APIView):
    error_dialect = errors.CONVERSATIONS
    authentication_classes: list[type] = []

    @extend_schema(request=RefreshInput, responses={200: RefreshOutput}, tags=["auth"])
    def post(self, request: Request) -> Response:
        data = RefreshInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            access, expires_in = services.tokens_refresh(refresh_token=data.validated_data["refresh_token"])
        except services.AuthFailed as error:
            raise errors.ApiError(str(error), status=401) from error
        return Response({"access_token": access, "expires_in": expires_in})


class MeApi(APIView):
    error_dialect = errors.CONVERSATIONS
    permission_classes = [IsAuthenticated]

    @extend_schema(responses={200: MeOutput}, tags=["auth"])
    def get(self, request: Request) -> Response:
        user = request.user
        return Response(MeOutput(user).data)


def media_signed_view(request: HttpRequest, token: str) -> HttpResponseBase:
    """Serves private media to whoever holds an unexpired signed link (see accounts.media_urls)."""
    try:
        path = selectors.media_file_get(token=token)
    except selectors.MediaLinkDenied as error:
        return errors.json_error(request, 403, str(error))
    except selectors.MediaFileNotFound as error:
        return errors.json_error(request, 404, str(error))
    return FileResponse(path.open("rb"), filename=path.name)
