"""Building blocks for WebSocket consumers: JWT authentication, connection caps, origin checks.

Caps live in Redis when it is configured (sorted sets of leases, one Lua script per change, so two
server processes cannot both take the last slot) and in process memory in the embedded mode, which
has only one process. A lease is renewed by a heartbeat while its socket lives and expires on its
own within a minute if a server dies without saying goodbye.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
import uuid
from typing import Any
from urllib.parse import parse_qs, urlparse

import redis.asyncio as aioredis
import redis.exceptions
from channels.db import database_sync_to_async
from channels.middleware import BaseMiddleware
from django.conf import settings
from django.contrib.auth.models import AnonymousUser
from rest_framework_simplejwt.exceptions import TokenError
from rest_framework_simplejwt.tokens import AccessToken

# A held slot is renewed every HEARTBEAT_SECONDS by a task of its socket; a server process that
# dies without closing its sockets leaves leases that lapse within LEASE_SECONDS, not an hour.
logger = logging.getLogger(__name__)

LEASE_SECONDS = 60
HEARTBEAT_SECONDS = 20
TOUCH_EVERY_SECONDS = HEARTBEAT_SECONDS


def token_from_scope(scope: dict[str, Any]) -> str | None:
    """Browsers cannot set headers on a WebSocket, so `?token=` is accepted beside Authorization."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    if query.get("token"):
        return query["token"][0]
    for name, value in scope.get("headers", []):
        if name == b"authorization":
            kind, _, token = value.decode("latin-1").partition(" ")
            if kind.lower() == "bearer" and token.strip():
                return token.strip()
    return None


@database_sync_to_async
def _user_for(user_id: Any) -> Any:
    from accounts.models import User

    return User.objects.filter(pk=user_id, is_active=True).select_related("team").first()


async def authenticate_token(token: str | None) -> tuple[Any, str | None]:
    """(user, None) for a valid access token, (AnonymousUser, reason) otherwise."""
    if not token:
        return AnonymousUser(), "Authentication token is missing"
    try:
        access = AccessToken(token)  # type: ignore[arg-type]  # simplejwt's stub names the wrong type
    except TokenError:
        return AnonymousUser(), "Invalid or expired token"
    user = await _user_for(access.payload.get("user_id"))
    if user is None:
        return AnonymousUser(), "Invalid or expired token"
    return user, None


class JWTAuthMiddleware(BaseMiddleware):
    """Puts `user` and `auth_error` in every WebSocket scope; consumers decide what they require."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        if scope.get("type") == "websocket":
            user, error = await authenticate_token(token_from_scope(scope))
            scope = {**scope, "user": user, "auth_error": error}
        return await super().__call__(scope, receive, send)


def origin_allowed(scope: dict[str, Any], allowed: list[str] | None = None) -> bool:
    """A browser's Origin must be a configured frontend or this server itself; tools send none."""
    headers = dict(scope.get("headers", []))
    origin = headers.get(b"origin", b"").decode("latin-1")
    if not origin:
        return True
    allowed = settings.CORS_ALLOWED_ORIGINS if allowed is None else allowed
    if origin in allowed:
        return True
    host = headers.get(b"host", b"").decode("latin-1")
    return bool(host) and urlparse(origin).netloc == host


_ACQUIRE = """
local now, expires, member = tonumber(ARGV[1]), tonumber(ARGV[2]), ARGV[3]
local per_user, total, ttl = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', now)
if redis.call('ZCARD', KEYS[1]) >= per_user then return 1 end
if redis.call('ZCARD', KEYS[2]) >= total then return 2 end
redis.call('ZADD', KEYS[1], expires, member)
redis.call('ZADD', KEYS[2], expires, member)
redis.call('EXPIRE', KEYS[1], ttl)
redis.call('EXPIRE', KEYS[2], ttl)
return 0
"""

_memory_lock = threading.Lock()
_memory: dict[str, dict[str, float]] = {}


class CapExceeded(Exception):
    def __init__(self, which: str) -> None:
        super().__init__(which)
        self.which = which  # "user" or "total"


class ConnectionSlot:
    """One socket's claim on a per-user and a global connection cap for one kind of socket."""

    def __init__(self, *, kind: str, user_key: str, per_user: int, total: int) -> None:
        self.user_key = f"wscap:{kind}:user:{user_key}"
        self.total_key = f"wscap:{kind}:total"
        self.per_user = per_user
        self.total = total
        self.member = uuid.uuid4().hex
        self.held = False
        self._touched_at = 0.0
        self._heartbeat: asyncio.Task[None] | None = None

    async def acquire(self) -> None:
        """Take a slot or raise CapExceeded; safe against racing processes."""
        now = time.time()
        if settings.REDIS_URL:
            client = aioredis.from_url(settings.REDIS_URL)
            try:
                outcome = await client.eval(
                    _ACQUIRE,
                    2,
                    self.user_key,
                    self.total_key,
                    now,
                    now + LEASE_SECONDS,
                    self.member,
                    self.per_user,
                    self.total,
                    LEASE_SECONDS + 60,
                )
            finally:
                await client.aclose()
        else:
            outcome = self._acquire_in_memory(now)
        if outcome == 1:
            raise CapExceeded("user")
        if outcome == 2:
            raise CapExceeded("total")
        self.held = True
        self._touched_at = now
        self._heartbeat = asyncio.get_running_loop().create_task(self._beat())

    async def _beat(self) -> None:
        while self.held:
            await asyncio.sleep(HEARTBEAT_SECONDS)
            try:
                await self.touch()
            except Exception:  # Redis restarting: the next beat tries again before the lease lapses
                logger.warning("could not renew a socket lease", exc_info=True)

    def _acquire_in_memory(self, now: float) -> int:
        with _memory_lock:
            for key in (self.user_key, self.total_key):
                leases = _memory.setdefault(key, {})
                for member, expires in list(leases.items()):
                    if expires <= now:
                        del leases[member]
            if len(_memory[self.user_key]) >= self.per_user:
                return 1
            if len(_memory[self.total_key]) >= self.total:
                return 2
            _memory[self.user_key][self.member] = now + LEASE_SECONDS
            _memory[self.total_key][self.member] = now + LEASE_SECONDS
            return 0

    async def touch(self) -> None:
        """Extend the lease of a long-lived socket; cheap to call on every message."""
        now = time.time()
        if not self.held or now - self._touched_at < TOUCH_EVERY_SECONDS:
            return
        self._touched_at = now
        expires = now + LEASE_SECONDS
        if settings.REDIS_URL:
            client = aioredis.from_url(settings.REDIS_URL)
            try:
                async with client.pipeline(transaction=True) as pipe:
                    pipe.zadd(self.user_key, {self.member: expires}, xx=True)
                    pipe.zadd(self.total_key, {self.member: expires}, xx=True)
                    await pipe.execute()
            finally:
                await client.aclose()
        else:
            with _memory_lock:
                for key in (self.user_key, self.total_key):
                    if self.member in _memory.get(key, {}):
                        _memory[key][self.member] = expires

    async def release(self) -> None:
        if not self.held:
            return
        self.held = False
        if self._heartbeat is not None:
            self._heartbeat.cancel()
            self._heartbeat = None
        if settings.REDIS_URL:
            client = aioredis.from_url(settings.REDIS_URL)
            try:
                async with client.pipeline(transaction=True) as pipe:
                    pipe.zrem(self.user_key, self.member)
                    pipe.zrem(self.total_key, self.member)
                    await pipe.execute()
            finally:
                await client.aclose()
        else:
            with _memory_lock:
                for key in (self.user_key, self.total_key):
                    _memory.get(key, {}).pop(self.member, None)


# Application close codes shared by every product's sockets (4000–4999 is ours to define).
# Reconnect: the server lost its channel layer (Redis). Not RFC 6455's 1012/1013, which the
# protocol reserves and daphne (autobahn) refuses to send: servers may only use 1000 and 3000–4999.
CLOSE_RECONNECT = 4503
CLOSE_FORBIDDEN_ORIGIN = 4003
CLOSE_UNAUTHORIZED = 4401
CLOSE_TOO_MANY_CONNECTIONS = 4429


async def refuse(consumer: Any, code: int) -> None:
    """Accept, then close with `code`: a browser only sees application close codes after a handshake."""
    await consumer.accept()
    await consumer.close(code=code)


# What the Redis channel layer raises while Redis restarts or is unreachable.
LAYER_OUTAGE_ERRORS = (redis.exceptions.ConnectionError, redis.exceptions.TimeoutError, OSError)


class ClosesOnLayerOutage:
    """Mixed into a consumer before its Channels base class: when the channel layer (Redis) goes
    away, the socket is closed with a code that tells the client to reconnect, and its connection
    slot is given back, instead of daphne's bare 1011 or a 500 on the handshake.

    A socket whose group membership was lost with Redis would never hear its job's events again,
    so closing it is the honest answer; its reconnect joins the groups afresh.
    """

    slot: ConnectionSlot | None = None
    _accepted = False

    async def accept(self, *args: Any, **kwargs: Any) -> None:
        await super().accept(*args, **kwargs)  # type: ignore[misc]
        self._accepted = True

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        try:
            await super().__call__(scope, receive, send)  # type: ignore[misc]
        except LAYER_OUTAGE_ERRORS as error:
            logger.warning(
                "closing a socket on %s: the channel layer is unreachable (%s)", scope.get("path"), error
            )
            await self._give_back_slot()
            try:
                if not self._accepted:
                    # The handshake cannot finish without the layer; a close after accept carries a reason.
                    await send({"type": "websocket.accept"})
                await send(
                    {
                        "type": "websocket.close",
                        "code": CLOSE_RECONNECT,
                        "reason": "Server restarting; reconnect",
                    }
                )
            except Exception:  # the client may be gone already; nothing is left to tell it
                logger.debug("socket already closed", exc_info=True)

    async def _give_back_slot(self) -> None:
        slot, self.slot = self.slot, None
        if slot is None:
            return
        try:
            await slot.release()
        except LAYER_OUTAGE_ERRORS:
            # Redis is still down: the lease lapses by itself within LEASE_SECONDS.
            logger.warning("could not release a socket lease while Redis is away")
