"""Reads for identity: who may see whom (a supervisor their team), users by public id, the
stats products contribute to /users/*, and the private media file a signed link grants (links are
made in `accounts.media_urls`). Each refusal is its own exception, so the edge maps it to a status
without reading the message."""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core import signing
from django.db.models import Q, QuerySet

from accounts.media_urls import SALT
from accounts.models import User

_USER_ID = re.compile(r"^USER-(\d{1,12})$")


class UserNotFound(Exception):
    """Unknown id, or a user the caller may not see: 404 either way."""


class NotSupervisor(Exception):
    """A supervisor-only read asked by someone else: 403."""


def user_visible_to(*, viewer: Any, user: User) -> bool:
    """A user sees themselves; a supervisor also sees the technicians they supervise and those of
    their team."""
    if not getattr(viewer, "is_authenticated", False):
        return False
    if viewer.pk == user.pk:
        return True
    if viewer.role != User.Role.SUPERVISOR or user.role != User.Role.TECHNICIAN:
        return False
    return user.supervisor_id == viewer.pk or (viewer.team_id is not None and user.team_id == viewer.team_id)


def team_technicians(*, supervisor: User) -> QuerySet[User]:
    """The technicians a supervisor looks after: supervised directly, or in their team."""
    if supervisor.role != User.Role.SUPERVISOR:
        raise NotSupervisor("Only supervisors have a team of technicians.")
    mine = Q(supervisor=supervisor)
    if supervisor.team_id is not None:
        mine |= Q(team_id=supervisor.team_id)
    return User.objects.filter(mine, role=User.Role.TECHNICIAN, is_active=True).order_by("full_name", "id")


def user_get(*, viewer: Any, user_id: str) -> User:
    """The user `USER-00042` names, if `viewer` may see them."""
    match = _USER_ID.match(user_id or "")
    user = (
        User.objects.select_related("team").filter(pk=int(match.group(1)), is_active=True).first()
        if match
        else None
    )
    if user is None or not user_visible_to(viewer=viewer, user=user):
        raise UserNotFound("User not found.")
    return user


# Products add their figures to the stats of /users/* without accounts importing them: a provider
# takes the users and the kind of stats ("profile" for /users/{id}, "today" for /users/technicians)
# and returns {user pk: {stat: value}}.
UserStatsProvider = Callable[[list[User], str], dict[int, dict[str, Any]]]
_stats_providers: list[UserStatsProvider] = []
_stats_lock = threading.Lock()

STATS_DEFAULTS = {
    "profile": {"total_calls": 0, "avg_satisfaction": None, "upsell_conversion": None},
    "today": {"calls_today": 0, "avg_call_duration": None, "customer_satisfaction": None},
}


def user_stats_provider_register(provider: UserStatsProvider) -> None:
    with _stats_lock:
        if provider not in _stats_providers:
            _stats_providers.append(provider)


def user_stats(*, users: list[User], kind: str) -> dict[int, dict[str, Any]]:
    """Every user's stats of `kind`: the defaults (no calls, no figures) with each provider's on top."""
    stats = {user.pk: dict(STATS_DEFAULTS[kind]) for user in users}
    for provider in list(_stats_providers):
        for pk, values in provider(users, kind).items():
            stats.setdefault(pk, dict(STATS_DEFAULTS[kind])).update(values)
    return stats


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
