"""Writes for identity: token issuing and Google sign-in."""

from __future__ import annotations

import logging
import re
import threading
import time
from dataclasses import dataclass
from typing import Any, cast

import google.auth.exceptions
import google.auth.transport
import google.auth.transport.requests
import requests
from django.conf import settings
from django.db import transaction
from google.oauth2 import id_token as google_id_token
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.state import token_backend
from rest_framework_simplejwt.token_blacklist.models import BlacklistedToken, OutstandingToken
from rest_framework_simplejwt.tokens import RefreshToken

from accounts.models import User

logger = logging.getLogger(__name__)

GOOGLE_ISSUERS = {"accounts.google.com", "https://accounts.google.com"}


class AuthFailed(Exception):
    """Credentials or token are wrong, expired or unverifiable: 401."""


class AccessDenied(Exception):
    """The identity is real but may not use this service: 403."""


@dataclass(frozen=True)
class TokenPair:
    access: str
    refresh: str
    expires_in: int


def tokens_issue(*, user: User) -> TokenPair:
    refresh = RefreshToken.for_user(user)  # recorded as outstanding, so it can be revoked
    lifetime = int(settings.ACCESS_TOKEN_LIFETIME.total_seconds())
    return TokenPair(access=str(refresh.access_token), refresh=str(refresh), expires_in=lifetime)


def tokens_refresh(*, refresh_token: str) -> TokenPair:
    """A new access token and a new refresh token; the one presented is revoked (rotation).

    A refresh token used a second time is a stolen copy or its thief's: every refresh token of
    that user is revoked, so whoever holds one must sign in again."""
    try:
        refresh = RefreshToken(refresh_token)  # type: ignore[arg-type]  # simplejwt's stub names the wrong type
    except TokenError as error:
        _revoke_all_if_reused(refresh_token)
        raise AuthFailed("Invalid or expired refresh token") from error
    user = User.objects.filter(pk=refresh.payload.get("user_id", 0), is_active=True).first()
    if user is None:
        raise AuthFailed("Invalid or expired refresh token")
    with transaction.atomic():
        # simplejwt orders outstanding tokens by their nullable user, an outer join PostgreSQL
        # will not lock: clear the ordering so only the token row is locked.
        outstanding = (
            OutstandingToken.objects.select_for_update().filter(jti=refresh.payload["jti"]).order_by().first()
        )
        if outstanding is None or BlacklistedToken.objects.filter(token=outstanding).exists():
            # Refreshed a moment ago by a racing request with the same token: that one won.
            raise AuthFailed("Invalid or expired refresh token")
        BlacklistedToken.objects.create(token=outstanding)
    return tokens_issue(user=user)


def _revoke_all_if_reused(refresh_token: str) -> None:
    try:
        # The stub wants a Token; decode takes the encoded string at run time.
        payload = token_backend.decode(cast(Any, refresh_token), verify=True)
    except Exception:  # not ours, tampered or expired: nothing to learn from it
        return
    if payload.get("token_type") != "refresh" or not payload.get("jti"):
        return
    if BlacklistedToken.objects.filter(token__jti=payload["jti"]).exists():
        logger.warning(
            "refresh token reused for user %s: revoking all their refresh tokens", payload.get("user_id")
        )
        tokens_revoke_all(user_id=payload.get("user_id"))


def tokens_revoke_all(*, user_id: Any) -> int:
    """Sign a user out everywhere: every outstanding refresh token is revoked."""
    revoked = 0
    for outstanding in OutstandingToken.objects.filter(user_id=user_id, blacklistedtoken__isnull=True):
        BlacklistedToken.objects.get_or_create(token=outstanding)
        revoked += 1
    return revoked


def tokens_revoke(*, user: User, refresh_token: str) -> None:
    """Sign out: the refresh token (which must be the caller's) can no longer be used."""
    try:
        refresh = RefreshToken(refresh_token)  # type: ignore[arg-type]
    except TokenError as error:
        raise AuthFailed("Invalid or expired refresh token") from error
    if str(refresh.payload.get("user_id")) != str(user.pk):
        raise AuthFailed("Invalid or expired refresh token")
    refresh.blacklist()


def password_login(*, email: str, password: str) -> User:
    user = User.objects.filter(email__iexact=email.strip()).first()
    # Check the password even for unknown emails so response time does not reveal which emails exist.
    valid = User().check_password(password) if user is None else user.check_password(password)
    if user is None or not valid or not user.is_active:
        raise AuthFailed("Incorrect username or password")
    return user


# A Google id_token is a JWT: three base64url parts. Anything else is refused before any network
# call, so garbage cannot make the server fetch Google's certificates.
_JWT_SHAPE = re.compile(r"^[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*$")
MAX_ID_TOKEN_CHARS = 4096
CERTS_TIMEOUT_SECONDS = 5.0
# Google serves its certificates with Cache-Control max-age (hours); without one we keep them 5 min.
DEFAULT_CERTS_MAX_AGE = 300
MAX_CERTS_MAX_AGE = 24 * 3600
INVALID_GOOGLE_TOKEN = "Invalid Google token"


class _CachedCertsRequest(google.auth.transport.Request):
    """google-auth's transport with the certificate fetch cached by its Cache-Control and bounded
    by a short timeout: a sign-in no longer pays a round trip to Google, and a slow Google cannot
    hold a request thread for two minutes."""

    _lock = threading.Lock()
    _cache: dict[str, tuple[float, Any]] = {}

    def __call__(
        self,
        url: str,
        method: str = "GET",
        body: Any = None,
        headers: Any = None,
        timeout: Any = None,
        **kwargs: Any,
    ) -> Any:
        now = time.monotonic()
        with self._lock:
            cached = self._cache.get(url)
        if cached is not None and cached[0] > now and method == "GET":
            return cached[1]
        with requests.Session() as session:
            response = google.auth.transport.requests.Request(session=session)(
                url, method=method, body=body, headers=headers, timeout=CERTS_TIMEOUT_SECONDS, **kwargs
            )
        if method == "GET" and response.status == 200:
            with self._lock:
                self._cache[url] = (now + _max_age(response.headers), response)
        return response

    @classmethod
    def forget(cls) -> None:
        with cls._lock:
            cls._cache.clear()


def _max_age(headers: Any) -> float:
    match = re.search(r"max-age=(\d+)", str((headers or {}).get("cache-control", "")), re.IGNORECASE)
    return float(min(int(match.group(1)), MAX_CERTS_MAX_AGE)) if match else float(DEFAULT_CERTS_MAX_AGE)


def _google_claims(token: str) -> dict[str, Any]:
    client_ids = settings.GOOGLE_OAUTH_CLIENT_IDS
    if not client_ids:
        raise AccessDenied("Google sign-in is not configured on this server")
    if len(token) > MAX_ID_TOKEN_CHARS or not _JWT_SHAPE.match(token):
        raise AuthFailed(INVALID_GOOGLE_TOKEN)
    try:
        claims = google_id_token.verify_token(
            token,
            _CachedCertsRequest(),
            audience=client_ids,
            certs_url=settings.GOOGLE_OAUTH_CERTS_URL,
            clock_skew_in_seconds=10,
        )
    except google.auth.exceptions.TransportError as error:
        logger.warning("could not fetch Google certificates: %s", error)
        raise AuthFailed("Could not verify the Google token right now") from error
    except (ValueError, google.auth.exceptions.GoogleAuthError) as error:
        # The verifier's words name its internals (key ids, expected audiences): kept in the log.
        logger.info("Google token refused: %s", error)
        raise AuthFailed(INVALID_GOOGLE_TOKEN) from error
    if claims.get("iss") not in GOOGLE_ISSUERS:
        raise AuthFailed(INVALID_GOOGLE_TOKEN)
    if not claims.get("email") or claims.get("email_verified") not in (True, "true"):
        raise AuthFailed("Invalid Google token: the email address is not verified")
    return dict(claims)


@transaction.atomic
def google_login(*, id_token: str) -> User:
    """Verify a Google id_token; log in a known user or enrol one from an allowed domain."""
    claims = _google_claims(id_token)
    email = str(claims["email"]).lower()
    user = User.objects.filter(email__iexact=email).first()
    if user is None:
        domain = email.rsplit("@", 1)[-1]
        if domain not in settings.GOOGLE_OAUTH_ALLOWED_DOMAINS:
            raise AccessDenied(f"{email} is not allowed to sign in here")
        user = User.objects.create_user(
            email,
            None,
            full_name=str(claims.get("name", ""))[:200],
            role=User.Role.TECHNICIAN,
            profile_picture_url=str(claims.get("picture", ""))[:500],
        )
    elif not user.is_active:
        raise AccessDenied("This account is disabled")
    elif claims.get("picture") and not user.profile_picture_url:
        user.profile_picture_url = str(claims["picture"])[:500]
        user.save(update_fields=["profile_picture_url"])
    return user
