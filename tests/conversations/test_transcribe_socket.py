"""WS /conversations/{id}/transcribe end to end: chunks uploaded over HTTP, transcribed by the real
worker as they arrive, speaker-labelled segments pushed to the sockets of the technician and
their supervisor; the transcript afterwards; who may connect, and how many sockets."""

from __future__ import annotations

import asyncio
import json
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework.test import APIClient

from accounts import sockets
from accounts.models import User
from accounts.services import tokens_issue
from config.asgi import application
from conversations.models import Conversation, Segment, VoiceProfile
from tests.conftest import bearer
from tests.conversations.conftest import chunk_files, speaker_accuracy, start_call, truth, upload, word_recall

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(600)]

FRAME_TIMEOUT = 120  # a loaded 2-core machine transcribing other tests' audio too


async def token_of(user: User) -> str:
    return (await database_sync_to_async(tokens_issue)(user=user)).access


async def open_socket(call: str, user: User, *, header: bool = False) -> WebsocketCommunicator:
    token = await token_of(user)
    if header:
        socket = WebsocketCommunicator(
            application,
            f"/conversations/{call}/transcribe",
            headers=[(b"authorization", f"Bearer {token}".encode())],
        )
    else:
        socket = WebsocketCommunicator(application, f"/conversations/{call}/transcribe?token={token}")
    connected, _ = await socket.connect()
    assert connected
    return socket


async def frames_until(socket: WebsocketCommunicator, done: Any) -> list[dict[str, Any]]:
    """Frames until `done(frame)` holds (that frame included)."""
    frames = []
    while True:
        frame = json.loads(await socket.receive_from(timeout=FRAME_TIMEOUT))
        frames.append(frame)
        if done(frame):
            return frames


def final_of(sequence_frames: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [f for f in sequence_frames if f["type"] == "transcription_segment" and f["is_final"]]


async def http(call: Any, *args: Any, **kwargs: Any) -> Any:
    return await database_sync_to_async(call, thread_sensitive=False)(*args, **kwargs)


def stored_segments(call: str) -> list[dict[str, Any]]:
    return list(
        Segment.objects.filter(conversation__public_id=call, is_final=True, is_retracted=False)
        .order_by("start_time", "id")
        .values("speaker_type", "words", "text", "start_time", "end_time")
    )


async def stream_call(api: APIClient, user: User, name: str, *, order: tuple[int, ...] = (1, 2, 3)) -> str:
    """Record fixture call `name` chunk by chunk, as the phone would, and stop it once its
    transcript is complete; returns the call's id."""
    call = (await http(start_call, api, user))["conversation_id"]
    socket = await open_socket(call, user)
    for sequence in order:
        response = await http(upload, api, user, call, chunk_files(name)[sequence - 1], sequence)
        assert response.status_code == 200, response.content
    await http(api.post, f"/conversations/{call}/stop", **bearer(user))
    await frames_until(socket, lambda f: f["type"] == "transcription_complete")
    await socket.disconnect()
    return call


async def test_a_three_chunk_call_streams_labelled_segments_while_chunks_arrive(
    celery_worker, alice_technician, bob_supervisor
):
    api = APIClient()
    files = chunk_files("service_call")
    call = (await http(start_call, api, alice_technician))["conversation_id"]
    # given the technician's phone and her supervisor watching the call
    phone = await open_socket(call, alice_technician)
    coach = await open_socket(call, bob_supervisor, header=True)

    # when the first chunk is uploaded, then its final segments arrive before the second is sent
    assert (await http(upload, api, alice_technician, call, files[0], 1)).status_code == 200
    first = await frames_until(phone, lambda f: f["type"] == "transcription_segment" and f["is_final"])
    opening = final_of(first)[0]
    assert opening["speaker_type"] == "technician" and "sam" in opening["text"].lower()
    assert opening["start_time"] >= 0 and opening["end_time"] <= 8.3 and 0 < opening["confidence"] <= 1
    assert set(opening) == {
        "type", "segment_id", "speaker_type", "text", "start_time", "end_time", "is_final", "confidence",
    }  # fmt: skip

    # when the other chunks follow and the call stops
    for sequence in (2, 3):
        assert (
            await http(upload, api, alice_technician, call, files[sequence - 1], sequence)
        ).status_code == 200
    await http(api.post, f"/conversations/{call}/stop", **bearer(alice_technician))
    frames = first + await frames_until(phone, lambda f: f["type"] == "transcription_complete")
    watched = await frames_until(coach, lambda f: f["type"] == "transcription_complete")

    # then both sockets saw the same final transcript, in call order, on the call's timeline
    finals: dict[int, dict[str, Any]] = {}
    for frame in frames:
        if frame["type"] == "transcription_segment":
            finals.pop(frame["segment_id"], None)
            if frame["is_final"]:
                finals[frame["segment_id"]] = frame
        elif frame["type"] == "transcription_segment_retracted":
            finals.pop(frame["segment_id"], None)
    coach_finals = {
        f["segment_id"]: f for f in watched if f["type"] == "transcription_segment" and f["is_final"]
    }
    assert {k: v["text"] for k, v in coach_finals.items()} == {k: v["text"] for k, v in finals.items()}
    transcript = (await http(api.get, f"/conversations/{call}/transcript", **bearer(alice_technician))).json()
    assert transcript["is_complete"] is True
    assert transcript["total_segments"] == len(transcript["segments"]) == len(finals)
    starts = [s["start_time"] for s in transcript["segments"]]
    assert starts == sorted(starts)
    duration = truth()["service_call"]["duration_seconds"]
    assert all(0 <= s["start_time"] <= s["end_time"] <= duration + 0.5 for s in transcript["segments"])
    # nothing said is lost, and 90% of the words are on the right speaker
    said = " ".join(turn["text"] for turn in truth()["service_call"]["turns"])
    assert word_recall(said, " ".join(s["text"] for s in transcript["segments"])) >= 0.8
    right, total = await database_sync_to_async(speaker_accuracy)(
        await database_sync_to_async(stored_segments)(call), "service_call"
    )
    assert right / total >= 0.9, (right, total)
    # and the technician's voice profile now holds this call
    profile = await database_sync_to_async(VoiceProfile.objects.get)(user=alice_technician)
    assert profile.calls == 1
    # and the call went on to its analysis (a separate worker may already have finished it)
    status = (await database_sync_to_async(Conversation.objects.get)(public_id=call)).status
    assert status in ("processing", "analyzed")
    await phone.disconnect()
    await coach.disconnect()


async def test_chunks_out_of_order_give_the_same_call_order(celery_worker, alice_technician):
    api = APIClient()
    in_order = await stream_call(api, alice_technician, "two_women_call")
    shuffled = await stream_call(api, alice_technician, "two_women_call", order=(3, 1, 2))
    first = await database_sync_to_async(stored_segments)(in_order)
    second = await database_sync_to_async(stored_segments)(shuffled)
    # the same audio makes the same transcript, whatever order the chunks came in
    assert [(s["speaker_type"], s["text"], s["start_time"]) for s in first] == [
        (s["speaker_type"], s["text"], s["start_time"]) for s in second
    ]


async def test_the_voice_profile_tells_the_technician_when_the_customer_opens(
    celery_worker, alice_technician, dave_technician
):
    api = APIClient()
    # given Alice's voice profile from an earlier call (Sam's voice in the fixtures)
    await stream_call(api, alice_technician, "service_call")
    # when her next call opens with the customer's voice
    followup = await stream_call(api, alice_technician, "followup_call")
    right, total = await database_sync_to_async(speaker_accuracy)(
        await database_sync_to_async(stored_segments)(followup), "followup_call"
    )
    # then the profile, not who spoke first, decides: 90% of the words on the right speaker
    assert right / total >= 0.9, (right, total)
    # while a technician with no profile takes the opening voice for his own and gets it backwards
    blind = await stream_call(api, dave_technician, "followup_call")
    right, total = await database_sync_to_async(speaker_accuracy)(
        await database_sync_to_async(stored_segments)(blind), "followup_call"
    )
    assert right / total < 0.5
    assert (await database_sync_to_async(VoiceProfile.objects.get)(user=alice_technician)).calls == 2


# --- who may connect --------------------------------------------------------------------------


async def refused_with(
    call: str, query: str, headers: list[tuple[bytes, bytes]] | None = None
) -> tuple[int, str]:
    socket = WebsocketCommunicator(
        application, f"/conversations/{call}/transcribe{query}", headers=headers or []
    )
    connected, _ = await socket.connect()
    assert connected  # accepted so that a browser can read the code
    message = json.loads(await socket.receive_from())
    closed = await socket.receive_output()
    await socket.disconnect()
    return closed["code"], message["message"]


async def test_refusals(alice_technician, dave_technician, erin_supervisor):
    api = APIClient()
    call = (await http(start_call, api, alice_technician))["conversation_id"]
    assert (await refused_with(call, ""))[0] == sockets.CLOSE_UNAUTHORIZED
    assert (await refused_with(call, "?token=garbage"))[0] == sockets.CLOSE_UNAUTHORIZED
    for stranger in (dave_technician, erin_supervisor):
        code, message = await refused_with(call, f"?token={await token_of(stranger)}")
        assert (code, message) == (4404, "Conversation not found")
    assert (await refused_with("CONV-20240101-404", f"?token={await token_of(alice_technician)}"))[0] == 4404
    origin = [(b"origin", b"https://evil.example")]
    socket = WebsocketCommunicator(
        application,
        f"/conversations/{call}/transcribe?token={await token_of(alice_technician)}",
        headers=origin,
    )
    await socket.connect()
    assert (await socket.receive_output())["code"] == sockets.CLOSE_FORBIDDEN_ORIGIN
    await socket.disconnect()


async def test_five_sockets_per_user_then_4429_and_a_slot_comes_back(alice_technician, bob_supervisor):
    api = APIClient()
    call = (await http(start_call, api, alice_technician))["conversation_id"]
    open_ones = [await open_socket(call, alice_technician) for _ in range(5)]
    code, message = await refused_with(call, f"?token={await token_of(alice_technician)}")
    assert code == sockets.CLOSE_TOO_MANY_CONNECTIONS and "5" in message
    # her supervisor has slots of his own
    watcher = await open_socket(call, bob_supervisor)
    await watcher.disconnect()
    # a closed socket gives its slot back
    await open_ones.pop().disconnect()
    again = await open_socket(call, alice_technician)
    await again.send_to(text_data=json.dumps({"type": "ping"}))
    assert json.loads(await again.receive_from()) == {"type": "pong"}
    await again.send_to(text_data="hello")
    assert json.loads(await again.receive_from())["type"] == "error"
    for socket in [*open_ones, again]:
        await socket.disconnect()
    await asyncio.sleep(0)
