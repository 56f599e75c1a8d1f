"""The 5-socket cap of conversation-intelligence.md held across two server processes: two daphne
processes sharing one Redis (as production's ws replicas do), sockets opened on both."""

from __future__ import annotations

import json
import time
from collections.abc import Iterator

import pytest
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from accounts.services import tokens_issue
from conversations.models import Conversation
from tests.conftest import _database_url_for_worker
from tests.stack import RedisServer, Stack

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]


@pytest.fixture
def shared_redis() -> Iterator[RedisServer]:
    try:
        server = RedisServer()
    except RuntimeError as error:
        pytest.skip(str(error))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def test_five_sockets_per_user_across_two_server_processes(alice_technician, shared_redis):
    from django.utils import timezone

    call = Conversation.objects.create(
        public_id="CONV-20250101-001", day=timezone.now().date(), number=1, technician=alice_technician
    )
    token = tokens_issue(user=alice_technician).access
    path = f"/conversations/{call.public_id}/transcribe?token={token}"
    env = {"COACHHUB_NO_EMBEDDED_WORKER": "1"}
    url = _database_url_for_worker()
    with (
        Stack(database_url=url, redis_url=shared_redis.url, web="daphne", name="ws-a", env=env) as one,
        Stack(database_url=url, redis_url=shared_redis.url, web="daphne", name="ws-b", env=env) as two,
    ):
        one.start_web()
        two.start_web()
        # given three sockets on one process and two on the other
        held = [connect(one.ws_url + path) for _ in range(3)] + [connect(two.ws_url + path) for _ in range(2)]
        try:
            # when a sixth opens on either process, it is closed with 4429
            for server in (one, two):
                with connect(server.ws_url + path) as extra:
                    # The error frame, then the close. The server closes the TCP connection right
                    # after; on a loaded machine the client's echo of the close can meet a reset,
                    # which websockets reports without the frame it had not handed over yet.
                    with pytest.raises(ConnectionClosed) as closed:
                        assert json.loads(extra.recv(timeout=10))["type"] == "error"
                        extra.recv(timeout=10)
                    assert closed.value.rcvd is not None and closed.value.rcvd.code == 4429
            # and once one closes, the other process has a slot again
            held.pop(0).close()
            deadline = time.monotonic() + 10  # the slot is released as the server sees the close
            while True:
                with connect(two.ws_url + path) as again:
                    try:
                        refusal = json.loads(again.recv(timeout=1))
                    except TimeoutError:
                        break  # accepted and open: no refusal frame
                assert refusal["type"] == "error" and time.monotonic() < deadline
                time.sleep(0.1)
        finally:
            for socket in held:
                socket.close()
