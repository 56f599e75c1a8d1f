"""Rate limits counted in the cache, with X-RateLimit-* headers, shared across processes."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
import uuid

import pytest
from django.conf import settings

from accounts import ratelimit
from tests.conftest import ROOT, bearer

pytestmark = pytest.mark.django_db


def _ip() -> str:
    # A fresh client address per test keeps counters apart when the cache (Redis) outlives a test.
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


@pytest.mark.urls("tests.platform.urls")
def test_authenticated_user_gets_headers_and_429_after_the_limit(api, mallory):
    headers = bearer(mallory)
    remaining = []
    for _ in range(3):
        response = api.get("/probe/throttled", **headers)
        assert response.status_code == 200
        assert response["X-RateLimit-Limit"] == "3"
        remaining.append(int(response["X-RateLimit-Remaining"]))
    assert remaining == [2, 1, 0]
    blocked = api.get("/probe/throttled", **headers)
    assert blocked.status_code == 429
    assert blocked.json()["error"]["code"] == "RATE_LIMITED"
    assert int(blocked["Retry-After"]) >= 1
    assert blocked["X-RateLimit-Remaining"] == "0"
    assert int(blocked["X-RateLimit-Reset"]) > 0


@pytest.mark.urls("tests.platform.urls")
def test_anonymous_clients_are_limited_per_address_at_the_lower_rate(api):
    address = _ip()
    assert [api.get("/probe/throttled", REMOTE_ADDR=address).status_code for _ in range(3)] == [200, 200, 429]
    assert api.get("/probe/throttled", REMOTE_ADDR=_ip()).status_code == 200


def test_fixed_window_resets_in_the_next_window():
    key = f"unit:{uuid.uuid4().hex}"
    assert ratelimit.hit(key=key, limit=1, period_seconds=60, now=6000.0)[0]
    allowed, state = ratelimit.hit(key=key, limit=1, period_seconds=60, now=6030.0)
    assert not allowed and state.reset_epoch == 6060
    assert ratelimit.hit(key=key, limit=1, period_seconds=60, now=6061.0)[0]


@pytest.mark.skipif(not settings.REDIS_URL, reason="the embedded mode is one process by design")
def test_counters_and_caps_are_shared_with_a_second_process():
    key = f"xproc:{uuid.uuid4().hex}"
    kind = f"xproc{uuid.uuid4().hex[:8]}"
    namespace = settings.RATELIMIT_NAMESPACE
    script = textwrap.dedent(
        f"""
        import asyncio, django
        django.setup()
        from django.conf import settings
        from accounts import ratelimit, sockets
        settings.RATELIMIT_NAMESPACE = {namespace!r}  # this test's (tests/conftest.py)
        for _ in range(4):
            ratelimit.hit(key={key!r}, limit=5, period_seconds=3600)
        slot = sockets.ConnectionSlot(kind={kind!r}, user_key="7", per_user=1, total=100)
        asyncio.run(slot.acquire())
        print("held")
        """
    )
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "config.settings"}
    out = subprocess.run(
        [sys.executable, "-c", script], cwd=ROOT, env=env, capture_output=True, text=True, timeout=60
    )
    assert out.stdout.strip() == "held", out.stderr
    # then this process continues the other's count and cannot take the slot it left held
    allowed, state = ratelimit.hit(key=key, limit=5, period_seconds=3600)
    assert allowed and state.remaining == 0
    assert not ratelimit.hit(key=key, limit=5, period_seconds=3600)[0]

    import asyncio

    from accounts import sockets

    with pytest.raises(sockets.CapExceeded):
        asyncio.run(sockets.ConnectionSlot(kind=kind, user_key="7", per_user=1, total=100).acquire())
