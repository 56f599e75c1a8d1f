"""Fixed-window rate limits counted in the cache, so every server process shares one counter.

DRF's stock throttles keep a list of timestamps and rewrite it (read-modify-write), which loses
counts when two processes race; `cache.incr` is atomic in Redis and under the lock in locmem.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.core.cache import cache
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle

PERIODS = {"s": 1, "sec": 1, "m": 60, "min": 60, "h": 3600, "hour": 3600, "d": 86400, "day": 86400}


@dataclass(frozen=True)
class RateLimitState:
    limit: int
    remaining: int
    reset_epoch: int


def parse_rate(rate: str) -> tuple[int, int]:
    """'100/min' → (100, 60)."""
    count, _, period = rate.partition("/")
    return int(count), PERIODS[period.strip().lower()]


def hit(
    *, key: str, limit: int, period_seconds: int, now: float | None = None
) -> tuple[bool, RateLimitState]:
    """Count one request against `key`; returns (allowed, state after the hit)."""
    now = time.time() if now is None else now
    window = int(now // period_seconds)
    cache_key = f"rl:{key}:{window}"
    cache.add(cache_key, 0, timeout=period_seconds + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window's key expired between add and incr
        cache.set(cache_key, 1, timeout=period_seconds + 5)
        count = 1
    reset = (window + 1) * period_seconds
    state = RateLimitState(limit=limit, remaining=max(0, limit - count), reset_epoch=reset)
    return count <= limit, state


class CacheRateThrottle(BaseThrottle):
    """Per-user (or per-IP when anonymous) limits; subclasses set `scope` and the two rates."""

    scope = "default"
    user_rate = "100/min"
    anon_rate = "10/min"

    def __init__(self) -> None:
        self._wait: float | None = None

    def allow_request(self, request: Request, view: Any) -> bool:
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            ident, rate = f"user:{user.pk}", self.user_rate
        else:
            ident, rate = f"ip:{self.get_ident(request)}", self.anon_rate
        limit, period = parse_rate(rate)
        allowed, state = hit(key=f"{self.scope}:{ident}", limit=limit, period_seconds=period)
        request.ratelimit = state  # type: ignore[attr-defined]
        if not allowed:
            self._wait = max(1.0, state.reset_epoch - time.time())
        return allowed

    def wait(self) -> float | None:
        return self._wait


class RateLimitHeadersMixin:
    """Adds X-RateLimit-Limit/Remaining/Reset to every answer of a throttled view, 429s included."""

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        response = super().finalize_response(request, response, *args, **kwargs)  # type: ignore[misc]
        state: RateLimitState | None = getattr(request, "ratelimit", None)
        if state is not None:
            response["X-RateLimit-Limit"] = str(state.limit)
            response["X-RateLimit-Remaining"] = str(state.remaining)
            response["X-RateLimit-Reset"] = str(state.reset_epoch)
        return response
