"""Short-lived copies of a team's analytics answers (leaderboards, the team overview, the
technicians' week), so a dashboard that a whole team polls costs one computation per change
rather than one per poll.

A copy is keyed by what it is about (the technicians, the period) and by the versions of the
scopes its figures come from: the whole platform, and the technicians' teams. Services bump the versions after commit whenever a
figure may change (a call of the team ends or is analysed, an opportunity moves, a call is
deleted, the rollup runs), so a reader never gets a copy older than the last change made through
them. A write that bypasses every service (a raw edit in the database) shows within `TTL_SECONDS`.
The cache is Django's (Redis in production, so all processes share copies and versions).
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable
from typing import Any, TypeVar

from django.core.cache import cache

from accounts.models import User

NAMESPACE = "coaching-analytics"
TTL_SECONDS = 60
EVERYTHING = "all"

T = TypeVar("T")


def member_scopes(members: Iterable[tuple[int, int | None]]) -> set[str]:
    """What an answer about these technicians ((id, team id) pairs) depends on: their teams, and
    each technician without a team on their own. Every viewer of the same technicians shares it."""
    return {f"team:{team}" if team is not None else f"technician:{pk}" for pk, team in members}


def technician_scopes(technician: User) -> list[str]:
    """The scopes a change to one technician's calls makes stale."""
    return [f"team:{technician.team_id}" if technician.team_id is not None else f"technician:{technician.pk}"]


def _version_key(scope: str) -> str:
    return f"{NAMESPACE}:version:{scope}"


def remember(*, scopes: Iterable[str], name: str, key: Iterable[Any], compute: Callable[[], T]) -> T:
    """`compute()`, or its copy made since the scopes last changed (at most `TTL_SECONDS` old)."""
    if TTL_SECONDS <= 0:
        return compute()
    ordered = sorted({EVERYTHING, *scopes})
    versions = cache.get_many([_version_key(scope) for scope in ordered])
    stamp = ",".join(f"{scope}={versions.get(_version_key(scope), 0)}" for scope in ordered)
    digest = hashlib.sha1(f"{stamp}|{'|'.join(map(str, key))}".encode()).hexdigest()
    cache_key = f"{NAMESPACE}:{name}:{digest}"
    found = cache.get(cache_key)
    if found is not None:
        return found  # type: ignore[no-any-return]
    value = compute()
    cache.set(cache_key, value, TTL_SECONDS)
    return value


def invalidate(scopes: Iterable[str]) -> None:
    """Copies depending on these scopes are stale from now on."""
    for scope in set(scopes):
        key = _version_key(scope)
        if not cache.add(key, 1, timeout=None):
            try:
                cache.incr(key)
            except ValueError:  # expired between add and incr
                cache.set(key, 1, timeout=None)
