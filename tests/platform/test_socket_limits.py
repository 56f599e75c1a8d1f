"""Oversized socket messages, as the server a browser meets (config.ws_server on a real port)
answers them: a close with 1009 and a reason, not a dropped connection (1006, no reason)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import pytest
import requests
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from tests.conftest import _database_url_for_worker
from tests.stack import Stack

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(120)]


@pytest.mark.parametrize("path", ["/ws/health/", f"/ws/analysis/{uuid.UUID(int=7)}/"])
def test_a_message_over_the_limit_is_closed_with_1009_and_a_reason(path: str) -> None:
    with Stack(
        database_url=_database_url_for_worker(),
        redis_url=None,
        env={"WS_MAX_MESSAGE_MB": "1"},
        name="wslimit",
    ) as stack:
        stack.start_web()
        with connect(f"{stack.ws_url}{path}", open_timeout=10, max_size=None) as socket:
            socket.recv(timeout=10)  # the consumer's greeting or snapshot
            socket.send(b"\0" * (2 * 1024 * 1024))
            with pytest.raises(ConnectionClosed) as closed:
                socket.recv(timeout=10)
    assert closed.value.rcvd is not None
    assert closed.value.rcvd.code == 1009 and "exceeds payload limit" in closed.value.rcvd.reason


def test_a_message_under_the_limit_is_served() -> None:
    with Stack(database_url=_database_url_for_worker(), redis_url=None, name="wslimit-ok") as stack:
        stack.start_web()
        with connect(f"{stack.ws_url}/ws/health/", open_timeout=10) as socket:
            socket.recv(timeout=10)
            socket.send('{"hello": "' + "x" * 500_000 + '"}')
            echoed = socket.recv(timeout=10)
    assert '"type": "echo"' in echoed and len(echoed) > 500_000


# --- request bodies under `make run` (issue 12, finding 2) ----------------------------------------


def rss_kb(pid: int) -> int:
    for line in open(f"/proc/{pid}/status"):
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise AssertionError("no VmRSS")


def post_body(stack: Stack, path: str, size: int, *, chunked: bool = False) -> tuple[int, dict[str, Any]]:
    """POST `size` bytes; with chunked=True no Content-Length tells the server the size up front."""

    def chunks() -> Iterator[bytes]:
        block = b"\0" * 2**20
        for _ in range(size // len(block)):
            yield block

    response = requests.post(
        f"{stack.base_url}{path}",
        data=chunks() if chunked else b"\0" * size,
        headers={"Content-Type": "application/octet-stream"},
        timeout=30,
    )
    return response.status_code, response.json()


def test_bodies_over_a_routes_limit_are_refused_before_they_are_buffered() -> None:
    with Stack(database_url=_database_url_for_worker(), redis_url=None, name="bodylimit") as stack:
        stack.start_web()
        assert stack.web is not None
        before = rss_kb(stack.web.pid)
        # given 80 MB posted to a socket path, 60 MB to an upload route (limit 51 MB), 30 MB chunked elsewhere
        socket_path = post_body(stack, "/ws/x", 80 * 2**20)
        upload = post_body(stack, f"/interview/sessions/{uuid.uuid4()}/media", 60 * 2**20)
        chunked = post_body(stack, "/generate", 30 * 2**20, chunked=True)
        grown_mb = (rss_kb(stack.web.pid) - before) / 1024
        healthy = stack.request("GET", "/healthz")[0]
    # then each is a 413 in its route's dialect
    assert socket_path == (413, {"detail": "Request body is too large: this route accepts at most 16 KB."})
    assert upload == (413, {"detail": "Request body is too large: this route accepts at most 52,224 KB."})
    assert chunked[0] == 413 and chunked[1]["data"]["error_code"] == "PAYLOAD_TOO_LARGE"
    # and the server did not hold the bodies in memory, and still serves
    assert grown_mb < 40, f"the server grew by {grown_mb:.0f} MB"
    assert healthy == 200


def test_a_body_within_the_limit_reaches_the_view_which_answers_in_its_dialect() -> None:
    with Stack(database_url=_database_url_for_worker(), redis_url=None, name="bodylimit-ok") as stack:
        stack.start_web()
        status, body = post_body(stack, "/generate", 2 * 2**20)
    # the view, not the server, refused it: not JSON
    assert status in (400, 401, 415, 422) and body["status"] == "error"


def test_a_multipart_body_the_server_cannot_parse_reaches_the_view_which_answers_in_its_dialect() -> None:
    # Twisted parses multipart bodies itself unless told not to, and answers a broken one with an
    # empty 400 and no Content-Type before Django sees it (found by tests/e2e/test_fuzz.py).
    with Stack(database_url=_database_url_for_worker(), redis_url=None, name="multipart") as stack:
        stack.start_web()
        response = requests.post(
            f"{stack.base_url}/api/review/start/",
            data=b"--fuzz--\r\n",
            headers={"Content-Type": "multipart/form-data; boundary=fuzz"},
            timeout=30,
        )
    assert response.headers.get("Content-Type") == "application/json", response.content
    assert response.status_code in (200, 201, 400), response.content
    assert response.json()
