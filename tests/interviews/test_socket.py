"""Live audio metrics on ws/analysis/{session_id} for practice sessions, over a real WebSocket
handshake through the project's ASGI app (JWT middleware and the ws/analysis dispatch)."""

from __future__ import annotations

import json
import uuid

import numpy as np
import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator

from accounts import sockets
from accounts.services import tokens_issue
from analysis.engines import audio
from config.asgi import application
from interviews import consumers
from interviews.consumers import PracticeMetricsConsumer
from interviews.models import PracticeSession
from tests.interviews.conftest import AUDIO

pytestmark = pytest.mark.django_db(transaction=True)

# Generous: the machine running the suite may be busy, and a slow answer is not a wrong one.
WAIT = 10


@database_sync_to_async
def _session_of(user) -> str:
    return str(PracticeSession.objects.create(user=user, job_title="Engineer", interviewer_type="Tech").pk)


@database_sync_to_async
def _token(user) -> str:
    return tokens_issue(user=user).access


async def _socket(
    user, session_id: str | None = None, query: str = "", path_suffix: str = ""
) -> WebsocketCommunicator:
    session_id = session_id or await _session_of(user)
    token = await _token(user)
    ws = WebsocketCommunicator(application, f"/ws/analysis/{session_id}{path_suffix}?token={token}{query}")
    connected, _ = await ws.connect(timeout=WAIT)
    assert connected
    return ws


async def _closed_with(ws: WebsocketCommunicator) -> tuple[str | None, int]:
    """(error message sent before closing, close code)."""
    message = None
    output = await ws.receive_output(timeout=WAIT)
    if output["type"] == "websocket.send":
        message = json.loads(output["text"])["message"]
        output = await ws.receive_output(timeout=WAIT)
    assert output["type"] == "websocket.close"
    return message, output["code"]


def _frame(samples: np.ndarray) -> bytes:
    return samples.astype("<f4").tobytes()


async def test_every_frame_gets_one_metrics_message_in_the_spec_shape(alice_technician):
    ws = await _socket(alice_technician)
    rng = np.random.default_rng(3)
    for size in (1, 128, 480, 4096, 48000):
        samples = (0.3 * rng.standard_normal(size)).clip(-1, 1).astype(np.float32)
        await ws.send_to(bytes_data=_frame(samples))
        message = await ws.receive_json_from(timeout=WAIT)
        assert set(message) == {"type", "data"}
        assert message["type"] == "metrics"
        assert set(message["data"]) == {"volume", "is_speaking", "nudge"}
        assert message["data"]["volume"] == pytest.approx(
            float(np.sqrt(np.mean(samples.astype(np.float64) ** 2))), abs=1e-4
        )
        assert isinstance(message["data"]["is_speaking"], bool)
        assert message["data"]["nudge"] is None
    assert await ws.receive_nothing()
    await ws.disconnect()


async def test_quiet_speech_gets_a_nudge_message_beside_its_metrics(alice_technician):
    # given speech at a tenth of its level (a laptop microphone far away), streamed as a browser does
    speech = audio.decode(AUDIO / "speech_clean.wav", sample_rate=48000).samples[: 48000 * 6] * 0.1
    ws = await _socket(alice_technician)
    nudges, metrics = [], []
    for start in range(0, speech.size, 4096):
        await ws.send_to(bytes_data=_frame(speech[start : start + 4096]))
        message = await ws.receive_json_from(timeout=WAIT)
        metrics.append(message)
        if message["data"]["nudge"]:
            nudges.append(await ws.receive_json_from(timeout=WAIT))
    assert all(m["type"] == "metrics" for m in metrics)
    assert any(m["data"]["is_speaking"] for m in metrics)
    assert len(nudges) == 1
    nudge = nudges[0]
    assert set(nudge) == {"type", "message", "data"}
    assert nudge["type"] == "nudge" and nudge["message"] == "Speak up a bit?"
    assert nudge["data"]["nudge"] == "Speak up a bit?" and set(nudge["data"]) == {
        "volume",
        "is_speaking",
        "nudge",
    }
    await ws.disconnect()


async def test_the_sample_rate_comes_from_the_query_string(alice_technician):
    ws = await _socket(alice_technician, query="&sample_rate=16000")
    # one second of a 16 kHz tone is 16000 samples: the analyzer counts time by the declared rate
    await ws.send_to(bytes_data=_frame(0.2 * np.sin(2 * np.pi * 200 * np.arange(16000) / 16000)))
    assert (await ws.receive_json_from(timeout=WAIT))["type"] == "metrics"
    await ws.disconnect()


@pytest.mark.parametrize("rate", ["abc", "100", "1000000", "48000.5", "-1"])
async def test_an_invalid_sample_rate_is_refused_with_4400(alice_technician, rate):
    ws = await _socket(alice_technician, query=f"&sample_rate={rate}")
    message, code = await _closed_with(ws)
    assert code == consumers.CLOSE_BAD_REQUEST
    assert "sample_rate" in message
    await ws.disconnect()


@pytest.mark.parametrize(
    ("frame", "expected"),
    [({"text": "hello"}, "binary"), ({"bytes": b"\x00" * 5}, "multiple of 4"), ({"bytes": b""}, "Empty")],
)
async def test_text_and_malformed_frames_get_an_error_and_the_socket_stays_usable(
    alice_technician, frame, expected
):
    ws = await _socket(alice_technician)
    await ws.send_input({"type": "websocket.receive", **frame})  # raw, so an empty frame can be sent
    error = await ws.receive_json_from(timeout=WAIT)
    assert error["type"] == "error" and expected in error["message"]
    await ws.send_to(bytes_data=_frame(np.zeros(480)))
    assert (await ws.receive_json_from(timeout=WAIT))["type"] == "metrics"
    await ws.disconnect()


async def test_garbage_samples_do_not_break_the_stream(alice_technician):
    ws = await _socket(alice_technician)
    await ws.send_to(bytes_data=np.array([np.nan, np.inf, -np.inf, 1e30], "<f4").tobytes())
    message = await ws.receive_json_from(timeout=WAIT)
    assert message["type"] == "metrics" and 0 <= message["data"]["volume"] <= 1
    await ws.disconnect()


@pytest.mark.parametrize("query", ["", "?token=garbage"])
async def test_a_missing_or_invalid_token_closes_with_4401(alice_technician, query):
    session_id = await _session_of(alice_technician)
    ws = WebsocketCommunicator(application, f"/ws/analysis/{session_id}{query}")
    connected, _ = await ws.connect(timeout=WAIT)
    assert connected
    _message, code = await _closed_with(ws)
    assert code == sockets.CLOSE_UNAUTHORIZED
    await ws.disconnect()


async def test_someone_elses_session_closes_with_4404(alice_technician, mallory):
    session_id = await _session_of(alice_technician)
    ws = await _socket(mallory, session_id)
    message, code = await _closed_with(ws)
    assert (message, code) == ("Session not found", consumers.CLOSE_SESSION_NOT_FOUND)
    await ws.disconnect()


async def test_the_path_works_with_a_trailing_slash(alice_technician):
    ws = await _socket(alice_technician, path_suffix="/")
    await ws.send_to(bytes_data=_frame(np.zeros(16)))
    assert (await ws.receive_json_from(timeout=WAIT))["type"] == "metrics"
    await ws.disconnect()


async def test_one_connection_per_user_and_the_slot_is_freed_on_disconnect(alice_technician):
    session_id = await _session_of(alice_technician)
    first = await _socket(alice_technician, session_id)
    second = await _socket(alice_technician, session_id)
    message, code = await _closed_with(second)
    assert code == sockets.CLOSE_TOO_MANY_CONNECTIONS and "already have" in message
    await second.disconnect()
    # a second session of the same user counts too
    other = await _socket(alice_technician)
    assert (await _closed_with(other))[1] == sockets.CLOSE_TOO_MANY_CONNECTIONS
    await other.disconnect()
    await first.disconnect()
    third = await _socket(alice_technician, session_id)
    await third.send_to(bytes_data=_frame(np.zeros(16)))
    assert (await third.receive_json_from(timeout=WAIT))["type"] == "metrics"
    await third.disconnect()


async def test_at_most_100_sockets_are_open_in_total(alice_technician, bob_supervisor):
    # given 99 sockets of other users already open (possibly on other server processes)
    held = [
        sockets.ConnectionSlot(
            kind=PracticeMetricsConsumer.socket_kind, user_key=f"other-{i}", per_user=1, total=100
        )
        for i in range(99)
    ]
    for slot in held:
        await slot.acquire()
    try:
        hundredth = await _socket(alice_technician)
        await hundredth.send_to(bytes_data=_frame(np.zeros(16)))
        assert (await hundredth.receive_json_from(timeout=WAIT))["type"] == "metrics"
        refused = await _socket(bob_supervisor)
        message, code = await _closed_with(refused)
        assert code == sockets.CLOSE_TOO_MANY_CONNECTIONS and "Too many" in message
        await refused.disconnect()
        await hundredth.disconnect()
    finally:
        for slot in held:
            await slot.release()


async def test_an_id_that_is_no_practice_session_is_left_to_the_okr_stream(alice_technician):
    from interviews.selectors import practice_session_exists

    assert not await database_sync_to_async(practice_session_exists)(session_id="not-a-uuid")
    assert not await database_sync_to_async(practice_session_exists)(session_id=str(uuid.uuid4()))
    assert await database_sync_to_async(practice_session_exists)(
        session_id=await _session_of(alice_technician)
    )
