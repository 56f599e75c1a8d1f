"""Identity routes: /auth/token (interview practice) and /auth/google/login, /auth/refresh, /auth/me,
/users/{user_id}, /users/technicians (conversation intelligence). One user table, one JWT issuer."""

from __future__ import annotations

from django.http import FileResponse, HttpRequest
from django.http.response import HttpResponseBase
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts import selectors, services
from accounts.ratelimit import (
    AddressThrottle,
    CacheRateThrottle,
    CountFirstMixin,
    KeyedThrottle,
    RateLimitHeadersMixin,
)
from accounts.serializers import (
    GoogleLoginInput,
    LoginOutput,
    MeOutput,
    RefreshInput,
    RefreshOutput,
    TechniciansOutput,
    TokenInput,
    TokenOutput,
    UserProfileOutput,
)
from config import errors


class TokenAddressThrottle(AddressThrottle):
    """interview-practice.md: anonymous callers get 10 requests a minute."""

    scope = "auth-token"
    anon_rate = "10/min"


class LoginAccountThrottle(KeyedThrottle):
    """Password guesses against one account, from any number of addresses."""

    scope = "login-account"
    rate = "10/min"

    def key(self, request: Request) -> str | None:
        data = request.data if hasattr(request.data, "get") else {}
        username = str(data.get("username") or data.get("email") or "").strip().lower()
        return username[:254] or None


class SignInAddressThrottle(AddressThrottle):
    scope = "auth-sign-in"
    anon_rate = "30/min"


class RefreshAddressThrottle(AddressThrottle):
    scope = "auth-refresh"
    anon_rate = "30/min"


class TokenApi(RateLimitHeadersMixin, APIView):
    """OAuth2 password flow as interview-practice.md shows it (form body, `bearer` token)."""

    error_dialect = errors.DETAIL
    authentication_classes: list[type] = []
    parser_classes = [FormParser, MultiPartParser, JSONParser]
    throttle_classes = [TokenAddressThrottle, LoginAccountThrottle]

    @extend_schema(
        request=TokenInput,
        responses={200: TokenOutput, 401: OpenApiResponse(description="wrong email or password")},
        tags=["auth"],
    )
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
        # The spec's two fields, and a refresh token (14 days, rotated on use) for /auth/refresh.
        response = Response(
            {"access_token": tokens.access, "token_type": "bearer", "refresh_token": tokens.refresh}
        )
        response["WWW-Authenticate"] = "Bearer"
        return response


class GoogleLoginApi(RateLimitHeadersMixin, APIView):
    error_dialect = errors.CONVERSATIONS
    authentication_classes: list[type] = []
    throttle_classes = [SignInAddressThrottle]

    @extend_schema(
        request=GoogleLoginInput,
        responses={
            200: LoginOutput,
            401: OpenApiResponse(description="the id_token is not a valid Google sign-in"),
            403: OpenApiResponse(description="a Google account this service does not admit"),
        },
        tags=["auth"],
    )
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


class RefreshApi(RateLimitHeadersMixin, APIView):
    error_dialect = errors.CONVERSATIONS
    authentication_classes: list[type] = []
    throttle_classes = [RefreshAddressThrottle]

    @extend_schema(
        request=RefreshInput,
        responses={
            200: RefreshOutput,
            401: OpenApiResponse(description="refresh token invalid, expired or revoked"),
        },
        tags=["auth"],
    )
    def post(self, request: Request) -> Response:
        data = RefreshInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            tokens = services.tokens_refresh(refresh_token=data.validated_data["refresh_token"])
        except services.AuthFailed as error:
            raise errors.ApiError(str(error), status=401) from error
        # The spec's two fields, and the rotated refresh token: the one sent no longer works.
        return Response(
            {"access_token": tokens.access, "expires_in": tokens.expires_in, "refresh_token": tokens.refresh}
        )


class LogoutApi(CountFirstMixin, RateLimitHeadersMixin, APIView):
    """Sign out: the refresh token sent is revoked (the access token expires within the hour)."""

    error_dialect = errors.CONVERSATIONS
    permission_classes = [IsAuthenticated]
    throttle_classes = [RefreshAddressThrottle]

    @extend_schema(request=RefreshInput, responses={204: None}, tags=["auth"])
    def post(self, request: Request) -> Response:
        data = RefreshInput(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.tokens_revoke(user=request.user, refresh_token=data.validated_data["refresh_token"])  # type: ignore[arg-type]
        except services.AuthFailed as error:
            raise errors.ApiError(str(error), status=401) from error
        return Response(status=204)


class ConversationsRateThrottle(CacheRateThrottle):
    """conversation-intelligence.md: 100 requests a minute per user, one budget for its routes."""

    scope = "conversations"
    user_rate = "100/min"
    anon_rate = "100/min"


class MeApi(CountFirstMixin, RateLimitHeadersMixin, APIView):
    error_dialect = errors.CONVERSATIONS
    permission_classes = [IsAuthenticated]
    throttle_classes = [ConversationsRateThrottle]

    @extend_schema(responses={200: MeOutput}, tags=["auth"])
    def get(self, request: Request) -> Response:
        user = request.user
        return Response(MeOutput(user).data)


class UsersApi(CountFirstMixin, RateLimitHeadersMixin, APIView):
    error_dialect = errors.CONVERSATIONS
    permission_classes = [IsAuthenticated]
    throttle_classes = [ConversationsRateThrottle]

    def check_permissions(self, request: Request) -> None:
        # Counted before the 401, so the headers come with every answer and anonymous calls count.
        super().check_throttles(request)
        super().check_permissions(request)

    def check_throttles(self, request: Request) -> None:
        pass  # counted in check_permissions


class UserTechniciansApi(UsersApi):
    """Supervisor only: the technicians they look after, with today's stats."""

    @extend_schema(
        responses={200: TechniciansOutput, 403: OpenApiResponse(description="not a supervisor")},
        tags=["users"],
    )
    def get(self, request: Request) -> Response:
        try:
            technicians = list(selectors.team_technicians(supervisor=request.user))  # type: ignore[arg-type]
        except selectors.NotSupervisor as error:
            raise errors.ApiError(str(error), status=403) from error
        stats = selectors.user_stats(users=technicians, kind="today")
        return Response(TechniciansOutput({"technicians": technicians}, context={"stats": stats}).data)


class UserDetailApi(UsersApi):
    """A user's profile with their call stats: themselves, or (for a supervisor) their team's."""

    @extend_schema(responses={200: UserProfileOutput}, tags=["users"])
    def get(self, request: Request, user_id: str) -> Response:
        try:
            user = selectors.user_get(viewer=request.user, user_id=user_id)
        except selectors.UserNotFound as error:
            raise errors.ApiError(str(error), status=404) from error
        stats = selectors.user_stats(users=[user], kind="profile")
        return Response(UserProfileOutput(user, context={"stats": stats}).data)


def media_signed_view(request: HttpRequest, token: str) -> HttpResponseBase:
    """Serves private media to whoever holds an unexpired signed link (see accounts.media_urls)."""
    try:
        path = selectors.media_file_get(token=token)
    except selectors.MediaLinkDenied as error:
        return errors.json_error(request, 403, str(error))
    except selectors.MediaFileNotFound as error:
        return errors.json_error(request, 404, str(error))
    return FileResponse(path.open("rb"), filename=path.name)
