"""Socket authentication, origin checks and connection caps, over a real WebSocket handshake."""

from __future__ import annotations

import uuid

import pytest
from channels.routing import URLRouter
from channels.testing import WebsocketCommunicator
from django.urls import re_path

from accounts import sockets
from accounts.services import tokens_issue
from config.asgi import application as project_application
from tests.platform.consumers import GuardedEchoConsumer

pytestmark = pytest.mark.django_db(transaction=True)

app = sockets.JWTAuthMiddleware(
    URLRouter([re_path(r"^ws/guarded/(?P<kind>[\w-]+)/$", GuardedEchoConsumer.as_asgi())])
)


def _kind() -> str:
    return f"t{uuid.uuid4().hex[:10]}"  # each test its own cap namespace, so Redis runs do not collide


async def _token(user) -> str:
    from channels.db import database_sync_to_async

    return (await database_sync_to_async(tokens_issue)(user=user)).access


async def test_token_in_query_string_authenticates(alice_technician):
    ws = WebsocketCommunicator(app, f"/ws/guarded/{_kind()}/?token={await _token(alice_technician)}")
    connected, _ = await ws.connect()
    assert connected
    assert await ws.receive_json_from() == {"type": "hello", "user": "alice@example.com"}
    await ws.send_json_to({"a": 1})
    assert await ws.receive_json_from() == {"type": "echo", "data": {"a": 1}}
    await ws.disconnect()


async def test_authorization_header_authenticates(alice_technician):
    headers = [(b"authorization", f"Bearer {await _token(alice_technician)}".encode())]
    ws = WebsocketCommunicator(app, f"/ws/guarded/{_kind()}/", headers=headers)
    connected, _ = await ws.connect()
    assert connected
    assert (await ws.receive_json_from())["type"] == "hello"
    await ws.disconnect()


@pytest.mark.parametrize("query", ["", "?token=garbage"])
async def test_missing_or_bad_token_closes_with_4401(query):
    ws = WebsocketCommunicator(app, f"/ws/guarded/{_kind()}/{query}")
    connected, _ = await ws.connect()
    assert connected  # accepted so that the browser can read the close code
    assert (await ws.receive_output())["code"] == sockets.CLOSE_UNAUTHORIZED
    await ws.disconnect()


async def test_foreign_origin_closes_with_4003(alice_technician):
    token = await _token(alice_technician)
    ws = WebsocketCommunicator(
        app, f"/ws/guarded/{_kind()}/?token={token}", headers=[(b"origin", b"https://evil.example")]
    )
    await ws.connect()
    assert (await ws.receive_output())["code"] == sockets.CLOSE_FORBIDDEN_ORIGIN
    await ws.disconnect()
    allowed = WebsocketCommunicator(
        app, f"/ws/guarded/{_kind()}/?token={token}", headers=[(b"origin", b"http://localhost:5173")]
    )
    assert (await allowed.connect())[0]
    assert (await allowed.receive_json_from())["type"] == "hello"
    await allowed.disconnect()


async def test_one_connection_per_user_and_slot_freed_on_disconnect(alice_technician):
    kind, token = _kind(), await _token(alice_technician)
    first = WebsocketCommunicator(app, f"/ws/guarded/{kind}/?token={token}")
    await first.connect()
    assert (await first.receive_json_from())["type"] == "hello"

    second = WebsocketCommunicator(app, f"/ws/guarded/{kind}/?token={token}")
    await second.connect()
    assert (await second.receive_json_from())["message"] == "connection limit reached (user)"
    assert (await second.receive_output())["code"] == sockets.CLOSE_TOO_MANY_CONNECTIONS
    await second.disconnect()

    await first.disconnect()
    third = WebsocketCommunicator(app, f"/ws/guarded/{kind}/?token={token}")
    await third.connect()
    assert (await third.receive_json_from())["type"] == "hello"
    await third.disconnect()


async def test_total_cap_counts_every_user(alice_technician, bob_supervisor, mallory):
    kind = _kind()
    open_sockets = []
    for user in (alice_technician, bob_supervisor):
        ws = WebsocketCommunicator(app, f"/ws/guarded/{kind}/?token={await _token(user)}")
        await ws.connect()
        assert (await ws.receive_json_from())["type"] == "hello"
        open_sockets.append(ws)
    third = WebsocketCommunicator(app, f"/ws/guarded/{kind}/?token={await _token(mallory)}")
    await third.connect()
    assert (await third.receive_json_from())["message"] == "connection limit reached (total)"
    await third.disconnect()
    for ws in open_sockets:
        await ws.disconnect()


async def test_caps_are_shared_between_independent_slot_holders():
    """Two holders with no shared Python state (as two server processes would be) see one count:
    Redis when configured, the process store in the single-process embedded mode."""
    kind = _kind()
    a = sockets.ConnectionSlot(kind=kind, user_key="42", per_user=1, total=10)
    b = sockets.ConnectionSlot(kind=kind, user_key="42", per_user=1, total=10)
    await a.acquire()
    with pytest.raises(sockets.CapExceeded):
        await b.acquire()
    await a.release()
    await b.acquire()
    await b.release()


async def test_unknown_socket_path_is_refused():
    ws = WebsocketCommunicator(project_application, "/ws/definitely-not-here/")
    connected, code = await ws.connect()
    assert not connected
    assert code == 4404
