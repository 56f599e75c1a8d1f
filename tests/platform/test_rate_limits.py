"""Limits that hold (issue 12, finding 4): the address is the peer unless trusted proxies are
configured, requests with bad credentials are counted, and the sign-in routes, the report jobs,
the open OKR routes and sockets, and the admin sign-in each have a limit."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from channels.testing import WebsocketCommunicator

from reports.api import ApiKeyThrottle
from review.api import ReviewAddressThrottle
from review.consumers import AnalysisConsumer
from tests.conftest import PASSWORD
from tests.reports.conftest import api_key, generate_body, key_headers  # noqa: F401  (fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _one_window(monkeypatch: pytest.MonkeyPatch) -> None:
    """The counters are fixed one-minute windows: a test that crossed a minute boundary would see
    its count start again. The clock is held in the middle of one window."""
    import time as real_time
    from types import SimpleNamespace

    from accounts import ratelimit

    held = (real_time.time() // 60) * 60 + 30
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: held))


def token_attempt(api: Any, *, forwarded: str | None = None, username: str = "nobody@example.com") -> Any:
    extra = {"HTTP_X_FORWARDED_FOR": forwarded} if forwarded else {}
    return api.post("/auth/token", {"username": username, "password": "wrong"}, **extra)


def test_a_client_cannot_escape_the_limit_by_writing_x_forwarded_for(api) -> None:
    # given no trusted proxy: X-Forwarded-For is whatever the client wrote
    answers = [
        token_attempt(api, forwarded=f"10.0.0.{n}", username=f"u{n}@example.com").status_code
        for n in range(11)
    ]
    # then every attempt counts against the one real address: 10 a minute, then 429
    assert answers[:10] == [401] * 10 and answers[10] == 429


def test_behind_a_trusted_proxy_the_address_it_appended_is_the_client(api, settings) -> None:
    settings.NUM_PROXIES = 1
    # a client writes a fake address first; the proxy appends the real one last
    for n in range(10):
        assert (
            token_attempt(api, forwarded="6.6.6.6, 198.51.100.7", username=f"a{n}@x.org").status_code == 401
        )
    assert token_attempt(api, forwarded="9.9.9.9, 198.51.100.7", username="b@x.org").status_code == 429
    # another real client behind the same proxy has its own budget
    assert token_attempt(api, forwarded="6.6.6.6, 203.0.113.5", username="c@x.org").status_code == 401


def test_password_guesses_against_one_account_are_limited_across_addresses(
    api, settings, carol_candidate
) -> None:
    settings.NUM_PROXIES = 1
    answers = [
        token_attempt(api, forwarded=f"203.0.113.{n}", username=carol_candidate.email).status_code
        for n in range(11)
    ]
    assert answers[:10] == [401] * 10 and answers[10] == 429
    # and the right password from a fresh address is refused too until the minute passes
    ok = api.post(
        "/auth/token",
        {"username": carol_candidate.email, "password": PASSWORD},
        HTTP_X_FORWARDED_FOR="192.0.2.1",
    )
    assert ok.status_code == 429 and ok["Retry-After"]


def test_requests_with_an_invalid_token_are_counted_before_their_401(api) -> None:
    bad = {"HTTP_AUTHORIZATION": "Bearer not-a-token"}
    answers = [api.get("/interview/sessions", **bad).status_code for _ in range(11)]
    assert answers[:10] == [401] * 10 and answers[10] == 429
    # the conversation routes show the budget on the 401s too
    response = api.get("/auth/me", **bad)
    assert response.status_code == 401 and response["X-RateLimit-Limit"] == "100"


def test_the_sign_in_and_refresh_routes_send_the_spec_headers(api) -> None:
    for path, body in (("/auth/google/login", {"id_token": "x"}), ("/auth/refresh", {"refresh_token": "x"})):
        response = api.post(path, body, format="json")
        assert response.status_code in (400, 401, 403, 422)
        assert response["X-RateLimit-Limit"] == "30" and int(response["X-RateLimit-Remaining"]) == 29


def test_report_jobs_are_limited_per_api_key_and_wrong_keys_per_address(api, api_key, monkeypatch) -> None:  # noqa: F811 (fixture)
    monkeypatch.setattr(ApiKeyThrottle, "rate", "3/min")
    answers = [
        api.post("/generate", generate_body(), format="json", **key_headers(api_key, f"s-{n}")).status_code
        for n in range(4)
    ]
    assert answers == [202, 202, 202, 429]
    limited = api.post("/generate", generate_body(), format="json", **key_headers(api_key, "s-x")).json()
    assert limited["status"] == "error" and limited["data"]["error_code"] == "RATE_LIMITED"
    guesses = [
        api.get(f"/status/{uuid.uuid4()}", HTTP_X_API_KEY=f"rk_guess{n}").status_code for n in range(31)
    ]
    assert guesses[:30] == [401] * 30 and guesses[30] == 429


def test_the_open_okr_routes_are_limited_per_address(api, monkeypatch) -> None:
    monkeypatch.setattr(ReviewAddressThrottle, "anon_rate", "3/min")
    answers = [api.post("/api/review/start/", {}, format="json").status_code for _ in range(4)]
    assert answers == [201, 201, 201, 429]
    assert "detail" in api.post("/api/review/start/", {}, format="json").json()  # DRF's dialect


@pytest.mark.django_db(transaction=True)
async def test_okr_socket_connections_are_limited_per_address(monkeypatch) -> None:
    from config.asgi import application

    monkeypatch.setattr(AnalysisConsumer, "connects_per_minute", 2)
    codes = []
    for _ in range(3):
        socket = WebsocketCommunicator(application, f"/ws/analysis/{uuid.uuid4()}/")
        await socket.connect(timeout=10)
        first = await socket.receive_output(timeout=10)
        codes.append(first.get("code") if first["type"] == "websocket.close" else "open")
        await socket.disconnect()
    assert codes == ["open", "open", 4429]


def test_admin_sign_in_is_limited(client) -> None:
    answers = [
        client.post("/admin/login/", {"username": "ops@example.com", "password": f"guess-{n}"}).status_code
        for n in range(11)
    ]
    assert answers[:10] == [200] * 10 and answers[10] == 429
