"""Signed, expiring URLs for private media: uploads are never served from a public path. The
link a URL carries is checked by `accounts.selectors.media_file_get`."""

from __future__ import annotations

from django.core import signing
from django.http import HttpRequest
from django.urls import reverse

SALT = "accounts.media"


def media_token(name: str) -> str:
    return signing.TimestampSigner(salt=SALT).sign_object({"n": name}, compress=True)


def signed_media_url(name: str, *, request: HttpRequest | None = None) -> str:
    """A URL that serves `name` (relative to MEDIA_ROOT) until MEDIA_URL_TTL_SECONDS have passed."""
    path = reverse("media-signed", kwargs={"token": media_token(name)})
    return request.build_absolute_uri(path) if request is not None else path
