"""Oversized socket messages, as the server a browser meets (config.ws_server on a real port)
answers them: a close with 1009 and a reason, not a dropped connection (1006, no reason)."""

from __future__ import annotations

import uuid

import pytest
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
