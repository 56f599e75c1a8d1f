"""ws/interview/{session_id} refusals: accepted, told why in an `error` frame, then closed with the
spec's code (4001, 4004, 4000, 4003), through the project's ASGI app."""

from __future__ import annotations

import uuid

import pytest
from channels.db import database_sync_to_async
from rest_framework.test import APIClient

from interviews.models import LiveSession
from tests.interviews.live.conftest import closed_with, new_session, open_socket, upload_jd

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.parametrize("session_id", ["not-a-uuid", "123", ""])
async def test_a_malformed_session_id_closes_with_4001(session_id: str) -> None:
    socket = await open_socket(session_id)
    error, code = await closed_with(socket)
    assert code == 4001
    assert error == {"type": "error", "data": {"message": "Invalid session ID format", "code": 4001}}
    await socket.disconnect()


async def test_an_unknown_session_closes_with_4004() -> None:
    socket = await open_socket(str(uuid.uuid4()))
    error, code = await closed_with(socket)
    assert code == 4004
    assert error == {"type": "error", "data": {"message": "Session not found", "code": 4004}}
    await socket.disconnect()


async def test_a_session_without_resume_and_job_description_closes_with_4000() -> None:
    # given a session with only a job description
    session_id = await database_sync_to_async(new_session)(APIClient())
    for stage in ("nothing uploaded", "job description only"):
        socket = await open_socket(session_id)
        error, code = await closed_with(socket)
        assert code == 4000, stage
        assert error == {"type": "error", "data": {"message": "Upload resume and JD first", "code": 4000}}
        await socket.disconnect()
        await database_sync_to_async(upload_jd)(APIClient(), session_id)
    assert (await database_sync_to_async(LiveSession.objects.get)(pk=session_id)).phase == "setup"


async def test_a_foreign_origin_closes_with_4003_and_an_allowed_one_connects(interview: str) -> None:
    foreign = await open_socket(interview, headers=[(b"origin", b"https://evil.example")])
    error, code = await closed_with(foreign)
    assert code == 4003 and error is not None and error["data"]["code"] == 4003
    await foreign.disconnect()
    # the spec's frontend origins connect
    allowed = await open_socket(interview, headers=[(b"origin", b"http://localhost:5173")])
    frame = await allowed.receive_json_from(timeout=10)
    assert frame["type"] == "connected"
    await allowed.disconnect()
