"""Fixed-window rate limits counted in the cache, so every server process shares one counter.

DRF's stock throttles keep a list of timestamps and rewrite it (read-modify-write), which loses
counts when two processes race; `cache.incr` is atomic in Redis and under the lock in locmem.

Who is counted: the user once authenticated, else the client's address. The address is the TCP
peer unless NUM_PROXIES says how many trusted proxies append to X-Forwarded-For (a header any
client can write, so it is never trusted by default). A request whose token fails is counted
against its address before it is refused (`CountFirstMixin`), so bad tokens cannot flood.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.core.cache import cache
from rest_framework import exceptions
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.throttling import BaseThrottle
from rest_framework.views import APIView

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
    # A namespace of its own per test (the cache, Redis included, outlives each test).
    namespace = getattr(settings, "RATELIMIT_NAMESPACE", "")
    cache_key = f"rl:{namespace}:{key}:{window}"
    cache.add(cache_key, 0, timeout=period_seconds + 5)
    try:
        count = cache.incr(cache_key)
    except ValueError:  # the window's key expired between add and incr
        cache.set(cache_key, 1, timeout=period_seconds + 5)
        count = 1
    reset = (window + 1) * period_seconds
    state = RateLimitState(limit=limit, remaining=max(0, limit - count), reset_epoch=reset)
    return count <= limit, state


def _address(peer: str, forwarded: str | None) -> str:
    proxies = int(getattr(settings, "NUM_PROXIES", 0) or 0)
    if proxies <= 0 or not forwarded:
        return peer
    # Counted from the right: entries further left were written by the client.
    addresses = [a.strip() for a in forwarded.split(",") if a.strip()]
    return addresses[-min(proxies, len(addresses))] if addresses else peer


def client_ip(request: Any) -> str:
    """The caller's address: the peer, or the entry NUM_PROXIES trusted proxies put in front of
    X-Forwarded-For."""
    meta = getattr(request, "META", {})
    return _address(str(meta.get("REMOTE_ADDR") or "unknown"), meta.get("HTTP_X_FORWARDED_FOR"))


def scope_client_ip(scope: dict[str, Any]) -> str:
    """`client_ip` for a socket's ASGI scope (behind the proxy the peer is the proxy)."""
    forwarded = next(
        (value.decode("latin-1") for name, value in scope.get("headers", []) if name == b"x-forwarded-for"),
        None,
    )
    return _address(str((scope.get("client") or ["unknown"])[0]), forwarded)


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
            ident, rate = f"ip:{client_ip(request)}", self.anon_rate
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


class KeyedThrottle(BaseThrottle):
    """A limit on something other than the caller: the account a login names, an API key.
    Subclasses set `scope`, `rate` and `key(request)` (None: not counted)."""

    scope = "keyed"
    rate = "10/min"

    def __init__(self) -> None:
        self._wait: float | None = None

    def key(self, request: Request) -> str | None:
        raise NotImplementedError

    def allow_request(self, request: Request, view: Any) -> bool:
        key = self.key(request)
        if key is None:
            return True
        limit, period = parse_rate(self.rate)
        allowed, state = hit(key=f"{self.scope}:{key}", limit=limit, period_seconds=period)
        shown: RateLimitState | None = getattr(request, "ratelimit", None)
        # The headers show the budget closest to running out.
        if shown is None or state.remaining < shown.remaining:
            request.ratelimit = state  # type: ignore[attr-defined]
        if not allowed:
            self._wait = max(1.0, state.reset_epoch - time.time())
        return allowed

    def wait(self) -> float | None:
        return self._wait


class CountFirstMixin:
    """Counts a request whose credentials fail against its address before answering 401: without
    it authentication fails before any throttle runs, and bad tokens are never counted."""

    def perform_authentication(self, request: Request) -> None:
        try:
            super().perform_authentication(request)  # type: ignore[misc]
        except exceptions.APIException as error:
            if error.status_code != 401:
                raise
            # Now anonymous: its address pays. The base check, since some views count in
            # check_permissions instead and make their check_throttles a no-op.
            APIView.check_throttles(self, request)  # type: ignore[arg-type]
            raise


class AddressThrottle(CacheRateThrottle):
    """Routes anyone may call (sign-in, token refresh): counted per address only."""

    def allow_request(self, request: Request, view: Any) -> bool:
        limit, period = parse_rate(self.anon_rate)
        allowed, state = hit(key=f"{self.scope}:ip:{client_ip(request)}", limit=limit, period_seconds=period)
        request.ratelimit = state  # type: ignore[attr-defined]
        if not allowed:
            self._wait = max(1.0, state.reset_epoch - time.time())
        return allowed


class FailedAuthThrottle(AddressThrottle):
    """Counts only callers whose credentials failed (or who sent none), by address: guessing API
    keys or tokens is throttled without a budget on legitimate traffic."""

    scope = "auth-failures"
    anon_rate = "30/min"

    def allow_request(self, request: Request, view: Any) -> bool:
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "is_authenticated", False):
            return True
        return super().allow_request(request, view)
