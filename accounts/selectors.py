"""Reads for identity: the private media file a signed link grants (links are made in
`accounts.media_urls`). Each refusal is its own exception, so the edge maps it to a status
without reading the message."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import signing

from accounts.media_urls import SALT


class MediaLinkDenied(Exception):
    """Bad signature, tampered token or expired link: 403."""


class MediaFileNotFound(Exception):
    """A genuine link whose file is gone or lies outside MEDIA_ROOT: 404."""


def media_file_get(*, token: str) -> Path:
    """The file a signed media link names, once its signature and age check out."""
    try:
        payload = signing.TimestampSigner(salt=SALT).unsign_object(
            token, max_age=settings.MEDIA_URL_TTL_SECONDS
        )
    except signing.SignatureExpired as error:
        raise MediaLinkDenied("This media link has expired") from error
    except signing.BadSignature as error:
        raise MediaLinkDenied("This media link is not valid") from error
    root = Path(settings.MEDIA_ROOT).resolve()
    path = (root / str(payload.get("n", ""))).resolve()
    # Escaping MEDIA_ROOT answers like a missing file, so a link never tells what lies outside it.
    if root not in path.parents or not path.is_file():
        raise MediaFileNotFound("This media file does not exist")
    return path
