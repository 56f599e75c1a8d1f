"""Writes for identity: token issuing and Google sign-in."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import google.auth.exceptions
import google.auth.transport.requests
import requests
from django.conf import settings
from django.db import transaction
from google.oauth2 import id_token as google_id_token
from rest_framework_simplejwt.exceptions import TokenError
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
    refresh = RefreshToken.for_user(user)
    lifetime = int(settings.ACCESS_TOKEN_LIFETIME.total_seconds())
    return TokenPair(access=str(refresh.access_token), refresh=str(refresh), expires_in=lifetime)


def tokens_refresh(*, refresh_token: str) -> tuple[str, int]:
    try:
        refresh = RefreshToken(refresh_token)  # type: ignore[arg-type]  # simplejwt's stub names the wrong type
        user_id = refresh.payload.get("user_id")
    except TokenError as error:
        raise AuthFailed("Invalid or expired refresh token") from error
    if user_id is None or not User.objects.filter(pk=user_id, is_active=True).exists():
        raise AuthFailed("Invalid or expired refresh token")
    lifetime = int(settings.ACCESS_TOKEN_LIFETIME.total_seconds())
    return str(refresh.access_token), lifetime


def password_login(*, email: str, password: str) -> User:
    user = User.objects.filter(email__iexact=email.strip()).first()
    # Check the password even for unknown emails so response time does not reveal which emails exist.
    valid = User().check_password(password) if user is None else user.check_password(password)
    if user is None or not valid or not user.is_active:
        raise AuthFailed("Incorrect username or password")
    return user


def _google_claims(token: str) -> dict[str, Any]:
    client_ids = settings.GOOGLE_OAUTH_CLIENT_IDS
    if not client_ids:
        raise AccessDenied("Google sign-in is not configured on this server")
    session = requests.Session()
    transport = google.auth.transport.requests.Request(session=session)
    try:
        claims = google_id_token.verify_token(
            token,
            transport,
            audience=client_ids,
            certs_url=settings.GOOGLE_OAUTH_CERTS_URL,
            clock_skew_in_seconds=10,
        )
    except google.auth.exceptions.TransportError as error:
        logger.warning("could not fetch Google certificates: %s", error)
        raise AuthFailed("Could not verify the Google token right now") from error
    except (ValueError, google.auth.exceptions.GoogleAuthError) as error:
        raise AuthFailed(f"Invalid Google token: {error}") from error
    finally:
        session.close()
    if claims.get("iss") not in GOOGLE_ISSUERS:
        raise AuthFailed("Invalid Google token: wrong issuer")
    if not claims.get("email") or claims.get("email_verified") not in (True, "true"):
        raise AuthFailed("Invalid Google token: email is not verified")
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
