"""ws/health/: the connect message, db_ping through the async ORM, echo, and error frames."""

from __future__ import annotations

import pytest

from tests.review.okr_flow import open_socket

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("path", ["/ws/health/", "/ws/health"])
async def test_connect_says_ok(path: str) -> None:
    socket, first = await open_socket(path)
    assert first == {"status": "ok", "message": "connected"}
    await socket.disconnect()


async def test_db_ping_reaches_the_database_through_the_async_orm() -> None:
    socket, _ = await open_socket("/ws/health/")
    await socket.send_json_to({"action": "db_ping"})
    assert await socket.receive_json_from(timeout=10) == {"type": "db_ping", "ok": True}
    await socket.disconnect()


@pytest.mark.parametrize("payload", [{"hello": "world"}, {"action": "other"}, [1, 2, 3], "text", 42, None])
async def test_anything_else_is_echoed(payload: object) -> None:
    socket, _ = await open_socket("/ws/health/")
    await socket.send_json_to(payload)
    assert await socket.receive_json_from(timeout=5) == {"type": "echo", "data": payload}
    await socket.disconnect()


async def test_a_non_json_frame_gets_an_error_frame_and_the_socket_stays_open() -> None:
    socket, _ = await open_socket("/ws/health/")
    await socket.send_to(text_data="{not json")
    error = await socket.receive_json_from(timeout=5)
    assert error["type"] == "error" and "Invalid JSON" in error["message"]
    await socket.send_to(bytes_data=b"\x00\x01")
    assert (await socket.receive_json_from(timeout=5))["type"] == "error"
    await socket.send_json_to({"still": "here"})
    assert await socket.receive_json_from(timeout=5) == {"type": "echo", "data": {"still": "here"}}
    await socket.disconnect()
