"""Signed, expiring URLs for private media: uploads are never served from a public path."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import signing
from django.http import HttpRequest
from django.urls import reverse

SALT = "accounts.media"


class MediaLinkInvalid(Exception):
    """Bad signature, tampered path or expired link."""


def media_token(name: str) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"n": name}, compress=True)


def signed_media_url(name: str, *, request: HttpRequest | None = None) -> str:
    """A URL that serves `name` (relative to MEDIA_ROOT) until MEDIA_URL_TTL_SECONDS have passed."""
    path = reverse("media-signed", kwargs={"token": media_token(name)})
    return request.build_absolute_uri(path) if request is not None else path


def resolve_media_token(token: str) -> Path:
    try:
        payload = signing.TimestampSigner(salt=SALT).unsign_object(
            token, max_age=settings.MEDIA_URL_TTL_SECONDS
        )
    except signing.SignatureExpired as error:
        raise MediaLinkInvalid("This media link has expired") from error
    except signing.BadSignature as error:
        raise MediaLinkInvalid("This media link is not valid") from error
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / str(payload.get("n", ""))).resolve()
    if root not in path.parents or not path.is_file():
        raise MediaLinkInvalid("This media file does not exist")
    return path
