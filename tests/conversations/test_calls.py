"""The REST routes of a call over HTTP: start, upload-audio, stop, details, history, transcript,
their errors in the spec's dialect, limits, and who may see what."""

from __future__ import annotations

import io
import re
import threading
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np
import pytest
from django.conf import settings
from rest_framework.test import APIClient

from accounts.models import User
from analysis.engines import audio as audio_engine
from analysis.models import Job
from conversations.models import Chunk, Conversation
from tests.conftest import bearer
from tests.conversations.conftest import FIXTURES, START_BODY, chunk_files, start_call, upload

pytestmark = pytest.mark.django_db

CONV_ID = re.compile(r"^CONV-\d{8}-\d{3}$")


def error_of(response: Any) -> dict[str, Any]:
    body = response.json()
    assert set(body) == {"error"} and set(body["error"]) == {"code", "message", "details"}, body
    return body["error"]


def wav_bytes(seconds: float, *, rate: int = 16000) -> bytes:
    samples = (0.1 * np.sin(2 * np.pi * 220 * np.arange(int(seconds * rate)) / rate) * 32767).astype("<i2")
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(samples.tobytes())
    return buffer.getvalue()


# --- start ------------------------------------------------------------------------------------


def test_start_numbers_the_call_and_builds_the_socket_url_from_the_request(api, alice_technician, settings):
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "api.example.com"]
    # when Alice starts a call through a TLS proxy at api.example.com
    response = api.post(
        "/conversations/start", START_BODY, format="json", HTTP_HOST="api.example.com", secure=True,
        **bearer(alice_technician),
    )  # fmt: skip
    # then the call is in progress, numbered for today, with a wss:// socket on that host
    assert response.status_code == 201, response.content
    body = response.json()
    assert CONV_ID.match(body["conversation_id"]) and body["conversation_id"].endswith("-001")
    assert body["status"] == "in_progress" and body["started_at"]
    assert (
        body["websocket_url"] == f"wss://api.example.com/conversations/{body['conversation_id']}/transcribe"
    )
    # and a second call over plain HTTP gets the next number and a ws:// url
    second = start_call(api, alice_technician)
    assert second["conversation_id"].endswith("-002")
    assert second["websocket_url"].startswith("ws://testserver/conversations/")


def test_a_candidate_cannot_start_a_call(api, carol_candidate):
    response = api.post("/conversations/start", START_BODY, format="json", **bearer(carol_candidate))
    assert response.status_code == 403
    assert error_of(response)["code"] == "FORBIDDEN"


@pytest.mark.django_db(transaction=True)
def test_calls_started_at_once_get_distinct_ids(alice_technician):
    # given eight requests racing to start a call
    ids: list[str] = []
    failures: list[Any] = []

    def start() -> None:
        try:
            ids.append(start_call(APIClient(), alice_technician)["conversation_id"])
        except Exception as error:  # pragma: no cover - reported below
            failures.append(error)
        finally:
            from django.db import connection

            connection.close()

    threads = [threading.Thread(target=start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    # then every one got its own number
    assert failures == []
    assert len(set(ids)) == 8
    assert sorted(int(i.rsplit("-", 1)[1]) for i in ids) == list(range(1, 9))


# --- upload -----------------------------------------------------------------------------------


def test_a_chunk_is_probed_stored_and_queued_once_per_sequence(api, alice_technician):
    call = start_call(api, alice_technician)["conversation_id"]
    first = upload(api, alice_technician, call, chunk_files("service_call")[0], 1)
    assert first.status_code == 200, first.content
    body = first.json()
    assert body["received"] is True and body["chunk_id"].startswith("CHUNK-") and body["duplicate"] is False
    # when the phone sends sequence 1 again (its first answer was lost)
    again = upload(api, alice_technician, call, chunk_files("service_call")[0], 1)
    # then it answers the same chunk and queues no second transcription
    assert again.status_code == 200
    assert again.json()["chunk_id"] == body["chunk_id"] and again.json()["duplicate"] is True
    assert Chunk.objects.filter(conversation__public_id=call).count() == 1
    assert Job.objects.filter(kind="conversations.transcribe", inputs__chunk_id__isnull=False).count() == 1
    chunk = Chunk.objects.get(conversation__public_id=call)
    assert chunk.container == "mov,mp4,m4a,3gp,3g2,mj2" and chunk.duration_seconds > 7


@pytest.mark.parametrize(
    "path", [p.name for p in chunk_files("service_call") + chunk_files("quick_turns_call")]
)
def test_every_recorded_format_is_accepted(api, alice_technician, path):
    call = start_call(api, alice_technician)["conversation_id"]
    source = next(p for p in FIXTURES.rglob(path))
    assert upload(api, alice_technician, call, source, 1).status_code == 200


def test_sequences_may_arrive_out_of_order(api, alice_technician):
    call = start_call(api, alice_technician)["conversation_id"]
    files = chunk_files("service_call")
    for sequence in (3, 1, 2):
        assert upload(api, alice_technician, call, files[sequence - 1], sequence).status_code == 200
    assert list(Chunk.objects.filter(conversation__public_id=call).values_list("sequence", flat=True)) == [
        1,
        2,
        3,
    ]


@pytest.mark.parametrize(
    ("content", "name", "sequence", "field"),
    [
        (b"\x00\x01garbage" * 300, "chunk.m4a", 1, "chunk"),  # corrupt
        ((FIXTURES.parent / "audio" / "truncated.webm").read_bytes(), "chunk.webm", 1, "chunk"),
        (b"just some text, not audio\n" * 20, "notes.txt", 1, "chunk"),
        (b"", "empty.wav", 1, "chunk"),
        (None, "", 0, "sequence"),
        (None, "", "two", "sequence"),
    ],
)
def test_bad_chunks_are_422_and_nothing_is_stored(api, alice_technician, content, name, sequence, field):
    call = start_call(api, alice_technician)["conversation_id"]
    body = content if content is not None else chunk_files("service_call")[0].read_bytes()
    response = upload(api, alice_technician, call, body, sequence, name=name or "chunk.m4a")
    assert response.status_code == 422, response.content
    error = error_of(response)
    assert error["code"] == "VALIDATION_ERROR" and field in error["message"]
    assert not Chunk.objects.exists()
    folder = Path(settings.MEDIA_ROOT) / "conversations" / call
    assert not folder.exists() or not any(folder.iterdir())


def test_a_missing_chunk_field_is_422(api, alice_technician):
    call = start_call(api, alice_technician)["conversation_id"]
    response = api.post(
        f"/conversations/{call}/upload-audio", {"sequence": 1}, format="multipart", **bearer(alice_technician)
    )
    assert response.status_code == 422 and "chunk" in error_of(response)["message"]


def test_an_oversized_chunk_is_refused_before_it_is_read(api, alice_technician):
    call = start_call(api, alice_technician)["conversation_id"]
    response = upload(api, alice_technician, call, wav_bytes(11 * 1024 * 1024 / 32000 + 1), 1)
    assert response.status_code == 422
    assert error_of(response)["details"]["max_bytes"] == 10 * 1024 * 1024
    assert not Chunk.objects.exists()


def test_uploads_past_10_mb_a_minute_are_429_with_retry_after(api, alice_technician):
    call = start_call(api, alice_technician)["conversation_id"]
    six_mb = wav_bytes(6 * 1024 * 1024 / 32000)
    # given a 6 MB chunk accepted this minute
    assert upload(api, alice_technician, call, six_mb, 1).status_code == 200
    # when another 6 MB follows within the minute
    response = upload(api, alice_technician, call, six_mb, 2)
    # then it is refused with the time to wait, and nothing is stored
    assert response.status_code == 429
    assert error_of(response)["code"] == "RATE_LIMITED"
    assert 1 <= int(response["Retry-After"]) <= 60
    assert Chunk.objects.count() == 1
    # while a small chunk still fits in what is left of the budget
    assert upload(api, alice_technician, call, chunk_files("service_call")[1], 2).status_code == 200


# --- stop -------------------------------------------------------------------------------------


def test_stop_assembles_the_recording_in_sequence_order_and_twice_answers_the_same(api, alice_technician):
    call = start_call(api, alice_technician)["conversation_id"]
    files = chunk_files("service_call")
    for sequence in (2, 3, 1):
        upload(api, alice_technician, call, files[sequence - 1], sequence)
    # when the technician stops the call
    first = api.post(f"/conversations/{call}/stop", **bearer(alice_technician))
    assert first.status_code == 200, first.content
    body = first.json()
    # then it is processing, with the recording's length and a signed link to it
    assert body["status"] == "processing" and body["conversation_id"] == call and body["ended_at"]
    expected = sum(audio_engine.decode(f).duration_seconds for f in files)
    assert abs(body["duration_seconds"] - expected) <= 1
    recording = api.get(body["recording_url"].replace("http://testserver", ""))
    assert recording.status_code == 200
    joined = audio_engine.decode(b"".join(recording.streaming_content))
    assert abs(joined.duration_seconds - expected) < 0.2
    # the chunks are joined in sequence order, not upload order: the recording starts like chunk 1
    head = audio_engine.decode(files[0]).samples[:16000]
    assert np.corrcoef(head[4000:12000], joined.samples[4000:12000])[0, 1] > 0.9
    # and a second stop answers the same call, the same end and the same recording
    second = api.post(f"/conversations/{call}/stop", **bearer(alice_technician)).json()
    assert {k: second[k] for k in ("conversation_id", "ended_at", "duration_seconds", "status")} == {
        k: body[k] for k in ("conversation_id", "ended_at", "duration_seconds", "status")
    }
    assert Conversation.objects.get(public_id=call).recording.name.endswith("recording.m4a")


def test_audio_after_stop_is_409_never_500(api, alice_technician):
    call = start_call(api, alice_technician)["conversation_id"]
    upload(api, alice_technician, call, chunk_files("service_call")[0], 1)
    api.post(f"/conversations/{call}/stop", **bearer(alice_technician))
    response = upload(api, alice_technician, call, chunk_files("service_call")[1], 2)
    assert response.status_code == 409
    assert error_of(response)["code"] == "CONFLICT" and "processing" in error_of(response)["message"]
    # a retry of a chunk stored before the stop still answers it
    assert upload(api, alice_technician, call, chunk_files("service_call")[0], 1).json()["duplicate"] is True


def test_stopping_a_call_without_audio_has_no_recording(api, alice_technician):
    call = start_call(api, alice_technician)["conversation_id"]
    body = api.post(f"/conversations/{call}/stop", **bearer(alice_technician)).json()
    assert body["status"] == "processing" and body["duration_seconds"] == 0 and body["recording_url"] is None


def test_deleting_a_call_deletes_its_media(api, alice_technician, django_capture_on_commit_callbacks):
    call = start_call(api, alice_technician)["conversation_id"]
    upload(api, alice_technician, call, chunk_files("service_call")[0], 1)
    api.post(f"/conversations/{call}/stop", **bearer(alice_technician))
    folder = Path(settings.MEDIA_ROOT) / "conversations" / call
    assert len(list(folder.iterdir())) == 2  # the chunk and the recording
    with django_capture_on_commit_callbacks(execute=True):
        Conversation.objects.get(public_id=call).delete()
    assert not any(folder.iterdir())


# --- reads ------------------------------------------------------------------------------------


def test_details_history_and_an_empty_transcript(api, alice_technician, bob_supervisor):
    first = start_call(api, alice_technician)["conversation_id"]
    second = start_call(api, alice_technician, customer_name="Acme Cooling")["conversation_id"]
    api.post(f"/conversations/{first}/stop", **bearer(alice_technician))
    detail = api.get(f"/conversations/{first}", **bearer(alice_technician)).json()
    assert detail["technician"] == {"user_id": alice_technician.public_id, "full_name": "Alice Technician"}
    assert detail["job"] == {"job_id": "JOB-2024-1022-001", "title": "Fire Pump Inspection"}
    assert detail["customer_name"] == "Phoenix Mills Ltd" and detail["status"] == "processing"
    assert detail["has_insights"] is False and detail["ended_at"] and detail["duration_seconds"] == 0

    history = api.get(
        f"/conversations/technician/{alice_technician.public_id}", **bearer(bob_supervisor)
    ).json()
    assert history["total"] == 2 and history["limit"] == 20 and history["offset"] == 0
    assert [c["conversation_id"] for c in history["conversations"]] == [second, first]
    page = api.get(
        f"/conversations/technician/{alice_technician.public_id}?limit=1&offset=1", **bearer(alice_technician)
    ).json()
    assert [c["conversation_id"] for c in page["conversations"]] == [first] and page["total"] == 2
    processing = api.get(
        f"/conversations/technician/{alice_technician.public_id}?status=processing",
        **bearer(alice_technician),
    ).json()
    assert processing["total"] == 1 and processing["conversations"][0]["conversation_id"] == first
    bad = api.get(
        f"/conversations/technician/{alice_technician.public_id}?limit=0&status=done",
        **bearer(alice_technician),
    )
    assert bad.status_code == 422 and {d["loc"][-1] for d in error_of(bad)["details"]} == {"limit", "status"}

    transcript = api.get(f"/conversations/{second}/transcript", **bearer(alice_technician)).json()
    assert transcript == {
        "conversation_id": second,
        "segments": [],
        "total_segments": 0,
        "is_complete": False,
    }


# --- access -----------------------------------------------------------------------------------

READS = ["/conversations/{id}", "/conversations/{id}/transcript"]


@pytest.mark.parametrize(
    ("who", "read", "write"),
    [
        ("alice_technician", 200, 200),  # her own call
        ("bob_supervisor", 200, 403),  # her team's supervisor reads, does not record
        ("dave_technician", 404, 404),  # a teammate: not his call
        ("erin_supervisor", 404, 404),  # another team's supervisor
        ("mallory", 404, 404),
    ],
)
def test_the_access_matrix(api, request, alice_technician, who, read, write):
    user: User = request.getfixturevalue(who)
    call = start_call(api, alice_technician)["conversation_id"]
    for path in READS:
        response = api.get(path.format(id=call), **bearer(user))
        assert response.status_code == read, (path, response.content)
        if read == 404:
            assert error_of(response)["code"] == "NOT_FOUND"
    history = api.get(f"/conversations/technician/{alice_technician.public_id}", **bearer(user))
    assert history.status_code == read
    assert upload(api, user, call, chunk_files("service_call")[0], 1).status_code == write
    if write != 200:
        assert api.post(f"/conversations/{call}/stop", **bearer(user)).status_code == write


@pytest.mark.parametrize("path", ["/conversations/CONV-20240101-999", "/conversations/nonsense/transcript"])
def test_unknown_calls_are_404(api, alice_technician, path):
    response = api.get(path, **bearer(alice_technician))
    assert response.status_code == 404 and error_of(response)["code"] == "NOT_FOUND"


# --- auth, errors and request limits ------------------------------------------------------------

ROUTES = [
    ("post", "/conversations/start"),
    ("post", "/conversations/{id}/upload-audio"),
    ("post", "/conversations/{id}/stop"),
    ("get", "/conversations/{id}"),
    ("get", "/conversations/technician/USER-00001"),
    ("get", "/conversations/{id}/transcript"),
    ("get", "/users/USER-00001"),
    ("get", "/users/technicians"),
]


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_route_needs_a_token_and_says_so_with_rate_limit_headers(api, alice_technician, method, path):
    call = start_call(api, alice_technician)["conversation_id"]
    response = getattr(api, method)(path.format(id=call))
    assert response.status_code == 401
    assert error_of(response)["code"] == "UNAUTHORIZED"
    assert response["X-RateLimit-Limit"] == "100"


@pytest.mark.parametrize(("method", "path"), ROUTES)
def test_every_route_sends_rate_limit_headers(api, alice_technician, bob_supervisor, method, path):
    call = start_call(api, alice_technician)["conversation_id"]
    user = bob_supervisor if path == "/users/technicians" else alice_technician
    response = getattr(api, method)(path.format(id=call), **bearer(user))
    assert response.status_code < 500
    assert response["X-RateLimit-Limit"] == "100"
    assert 0 <= int(response["X-RateLimit-Remaining"]) < 100
    assert int(response["X-RateLimit-Reset"]) > 0


def test_the_101st_request_in_a_minute_is_429(api, alice_technician):
    # given a fresh one-minute window with time to spare (the windows are fixed, like the spec's reset)
    if 60 - time.time() % 60 < 20:
        time.sleep(60 - time.time() % 60 + 0.1)
    call = start_call(api, alice_technician)["conversation_id"]  # request 1
    for _ in range(99):
        assert api.get(f"/conversations/{call}", **bearer(alice_technician)).status_code == 200
    response = api.get(f"/conversations/{call}", **bearer(alice_technician))
    assert response.status_code == 429
    assert error_of(response)["code"] == "RATE_LIMITED"
    assert response["X-RateLimit-Remaining"] == "0" and int(response["Retry-After"]) >= 1
    # one budget for every route of the product
    assert api.get(f"/users/{alice_technician.public_id}", **bearer(alice_technician)).status_code == 429
