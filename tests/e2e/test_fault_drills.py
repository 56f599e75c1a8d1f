"""Fault drills on whole deployments (web process, Redis, separate workers, all real processes):
a worker SIGKILLed in the middle of a job, for each kind of job clients wait on, and Redis
restarted while jobs wait in its queue. The job runner's lease, not the broker's one-hour
visibility timeout, brings the work back: another worker finishes it within a minute and the
client sees exactly one result."""

from __future__ import annotations

import json
import threading
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
import requests
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import connect

from accounts.models import User
from accounts.services import tokens_issue
from analysis.models import Job
from interviews.models import PracticeReport
from reports.models import SectionRecord
from tests.conftest import _database_url_for_worker
from tests.engines.llm_server import FakeLLMServer, Reply
from tests.interviews.conftest import AUDIO
from tests.reports.conftest import generate_body
from tests.review.okr_flow import answer_set
from tests.stack import RedisServer, Stack

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(300)]

# The lease (30 s) plus a reaper round (10 s) plus the work itself, with room for a loaded machine.
RECOVERY_SECONDS = 60
FIXTURES = Path(__file__).resolve().parent.parent / "fixtures"


@pytest.fixture
def database_url(transactional_db: object) -> str:
    return _database_url_for_worker()


@pytest.fixture
def drill_redis() -> Iterator[RedisServer]:
    """A Redis of this drill's own, which it may restart."""
    try:
        server = RedisServer()
    except RuntimeError as error:
        pytest.skip(str(error))
    server.start()
    try:
        yield server
    finally:
        server.stop()


def openai_env(server: FakeLLMServer) -> dict[str, str]:
    # A timeout longer than the drill: the first call hangs until its worker is killed.
    return {
        "LLM_PROVIDER": "openai",
        "OPENAI_BASE_URL": server.base_url,
        "OPENAI_API_KEY": "sk-test",
        "OPENAI_MODEL": "test-model",
        "LLM_MAX_RETRIES": "0",
        "LLM_TIMEOUT_SECONDS": "200",
    }


def wait_until(condition: Any, *, timeout: float, what: str) -> None:
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out waiting for {what}")
        time.sleep(0.05)


def kill_mid_call_and_replace(stack: Stack, llm: FakeLLMServer) -> float:
    """Wait until the worker is inside its provider call, SIGKILL it, start a fresh worker; returns
    the moment of the kill."""
    wait_until(lambda: len(llm.requests) >= 1, timeout=60, what="the worker's first provider call")
    stack.kill_worker()
    killed_at = time.monotonic()
    stack.start_worker()
    return killed_at


def test_a_report_job_whose_worker_dies_is_finished_once_by_another_worker(
    acme: Any, database_url: str, drill_redis: RedisServer
) -> None:
    section = {"markdown": "## Risk Assessment\n\nWritten after the drill.\n", "gaps": []}
    key = f"drill-key-{uuid.uuid4().hex}"
    with FakeLLMServer() as llm:
        llm.script(Reply.slow(250, section), Reply.json(section))
        with Stack(
            database_url=database_url,
            api_key=key,
            redis_url=drill_redis.url,
            env=openai_env(llm),
            name="drill-report",
        ) as stack:
            stack.start_web()
            stack.start_worker()
            # given a section job in the hands of a worker, waiting on the provider
            status, accepted = stack.request("POST", "/generate", generate_body(), session_id="s-drill")
            assert status == 202
            job_id = accepted["data"]["job_id"]
            # when that worker is killed and another one starts
            killed_at = kill_mid_call_and_replace(stack, llm)
            body = stack.wait_for_job(job_id, timeout=120)
            recovered_in = time.monotonic() - killed_at
    # then the new worker finished it within a minute, as one result
    assert body["status"] == "ready", body
    assert recovered_in < RECOVERY_SECONDS
    assert Job.objects.get(pk=job_id).attempts == 2
    assert SectionRecord.objects.filter(job_id=job_id).count() == 1
    assert len(llm.requests) == 2


def test_an_okr_analysis_whose_worker_dies_is_finished_once_by_another_worker(
    database_url: str, drill_redis: RedisServer
) -> None:
    from analysis.engines import llm as llm_engine
    from review import ai

    answers = answer_set("saas_specific")
    dashboard = llm_engine.run(ai.TASK_NAME, {"answers": answers}, config=llm_engine.LLMConfig()).model_dump(
        exclude={"engine"}
    )
    with FakeLLMServer() as llm:
        llm.script(Reply.slow(250, dashboard), Reply.json(dashboard))
        with Stack(
            database_url=database_url,
            redis_url=drill_redis.url,
            env=openai_env(llm),
            name="drill-okr",
            web="daphne",
        ) as stack:
            stack.start_web()
            stack.start_worker()
            session_id = str(uuid.uuid4())
            frames: list[dict[str, Any]] = []
            with connect(f"{stack.ws_url}/ws/analysis/{session_id}/", open_timeout=10) as socket:
                frames.append(json.loads(socket.recv(timeout=10)))
                # given an analysis in the hands of a worker, waiting on the provider
                socket.send(json.dumps({"session_id": session_id, "answers": answers}))
                # when that worker is killed and another one starts
                killed_at = kill_mid_call_and_replace(stack, llm)
                # then the socket hears the run taken over and finished, with one result
                while not frames or frames[-1].get("type") != "result":
                    frames.append(json.loads(socket.recv(timeout=120)))
                recovered_in = time.monotonic() - killed_at
                socket.send(json.dumps({"ping": True}))  # nothing more arrives for the old run
                extra = [json.loads(socket.recv(timeout=3))]
    statuses = [f["status"] for f in frames if f.get("type") == "status"]
    assert statuses[0] == "not_found" and statuses[-1] == "succeeded"
    assert "running" in statuses and statuses.count("succeeded") == 1
    assert [f for f in frames if f.get("type") == "result"][0]["data"]["engine"] == "openai:test-model"
    assert len([f for f in frames + extra if f.get("type") == "result"]) == 1
    assert extra[0]["type"] == "error"  # the ping is not a start message
    assert recovered_in < RECOVERY_SECONDS
    assert Job.objects.get(kind="review.analysis", inputs__analysis_id=session_id).attempts == 2


def test_a_practice_report_whose_worker_dies_is_delivered_to_the_waiting_request(
    database_url: str, drill_redis: RedisServer
) -> None:
    user = User.objects.create_user("drill@example.com", "drill-password-1", full_name="Drill Candidate")
    headers = {"Authorization": f"Bearer {tokens_issue(user=user).access}"}
    score = {
        "overall": 6.5, "technical": 7.0, "design": 6.0, "communication": 6.0, "key_points": [],
        "star": {"situation": True, "task": False, "action": True, "result": True, "has_metrics": False},
        "word_count": 30, "strengths": ["Clear"], "improvements": ["Add a result"], "summary": "Fine.",
    }  # fmt: skip
    feedback = {"feedback": "A clear answer.", "points": []}
    with FakeLLMServer() as llm:
        llm.script(Reply.slow(250, score), Reply.json(score), Reply.json(feedback))
        with Stack(
            database_url=database_url,
            redis_url=drill_redis.url,
            env=openai_env(llm),
            name="drill-practice",
            web="daphne",
        ) as stack:
            stack.start_web()
            stack.start_worker()
            base = stack.base_url
            session = requests.post(
                f"{base}/interview/sessions",
                json={"job_title": "Engineer", "interviewer_type": "Behavioral", "duration_minutes": 30},
                headers=headers,
                timeout=30,
            ).json()
            with (AUDIO / "speech_no_fillers.wav").open("rb") as audio:
                media = requests.post(
                    f"{base}/interview/sessions/{session['id']}/media?media_type=audio",
                    files={"file": ("answer.wav", audio, "audio/wav")},
                    headers=headers,
                    timeout=30,
                ).json()
            # given a report request waiting on its job, which a worker is running
            answered: dict[str, Any] = {}

            def ask() -> None:
                response = requests.post(
                    f"{base}/interview/media/{media['id']}/report", headers=headers, timeout=200
                )
                answered.update(status=response.status_code, body=response.json())

            waiting = threading.Thread(target=ask)
            waiting.start()
            wait_until(
                lambda: llm.requests or answered, timeout=60, what="the report job to reach the provider"
            )
            assert not answered, answered
            # when that worker is killed and another one starts
            killed_at = kill_mid_call_and_replace(stack, llm)
            waiting.join(timeout=180)
            recovered_in = time.monotonic() - killed_at
    # then the request that was waiting gets the report, made once
    assert answered["status"] == 200, answered
    assert answered["body"]["feedback"] == "A clear answer."
    assert recovered_in < RECOVERY_SECONDS
    assert PracticeReport.objects.filter(media_id=media["id"]).count() == 1
    assert Job.objects.get(kind="practice.report", dedupe_key=media["id"]).attempts == 2


def test_a_field_call_whose_worker_dies_mid_transcription_is_transcribed_and_analysed_once(
    alice_technician: User, database_url: str, drill_redis: RedisServer
) -> None:
    from conversations.models import Conversation, ConversationAnalysis, Segment
    from conversations.services.calls import TRANSCRIBE_KIND

    chunks = sorted((FIXTURES / "conversations" / "service_call").iterdir())
    headers = {"Authorization": f"Bearer {tokens_issue(user=alice_technician).access}"}
    with Stack(database_url=database_url, redis_url=drill_redis.url, name="drill-call") as stack:
        stack.start_web()
        stack.start_worker()
        status, call = stack.request("POST", "/conversations/start", {}, headers=headers)
        assert status == 201
        conversation_id = call["conversation_id"]

        def upload(sequence: int) -> None:
            chunk = chunks[sequence - 1]
            response = requests.post(
                f"{stack.base_url}/conversations/{conversation_id}/upload-audio",
                headers=headers,
                data={"sequence": sequence},
                files={"chunk": (chunk.name, chunk.read_bytes())},
                timeout=30,
            )
            assert response.status_code == 200, response.text

        # given a call whose first chunk a worker is transcribing
        upload(1)
        wait_until(
            lambda: Job.objects.filter(kind=TRANSCRIBE_KIND, status=Job.Status.RUNNING).exists(),
            timeout=60,
            what="the worker to take the first chunk",
        )
        # when that worker is killed, the call goes on and another worker starts
        stack.kill_worker()
        killed_at = time.monotonic()
        upload(2)
        upload(3)
        assert stack.request("POST", f"/conversations/{conversation_id}/stop", {}, headers=headers)[0] == 200
        stack.start_worker()
        # then the call is transcribed and analysed, within the recovery budget
        wait_until(
            lambda: Conversation.objects.filter(public_id=conversation_id, status="analyzed").exists(),
            timeout=RECOVERY_SECONDS * 2,
            what="the call to be analysed",
        )
        # and the killed worker's job, once its lease lapses, is taken back and ended
        wait_until(
            lambda: not Job.objects.filter(kind=TRANSCRIBE_KIND, status__in=Job.LIVE).exists(),
            timeout=RECOVERY_SECONDS * 2,
            what="the killed worker's job to end",
        )
        recovered_in = time.monotonic() - killed_at
        status, transcript = stack.request(
            "GET", f"/conversations/{conversation_id}/transcript", headers=headers
        )
    assert status == 200 and transcript["is_complete"] is True
    assert recovered_in < RECOVERY_SECONDS, recovered_in
    # and once: the first chunk's words are not in the transcript twice, and one analysis is current
    kept = Segment.objects.filter(conversation__public_id=conversation_id, is_final=True, is_retracted=False)
    starts = list(kept.values_list("start_time", flat=True))
    assert len(starts) == len(set(starts)) == transcript["total_segments"] > 0
    assert "sam" in transcript["segments"][0]["text"].lower()
    assert (
        ConversationAnalysis.objects.filter(conversation__public_id=conversation_id, is_current=True).count()
        == 1
    )
    # and no transcription job of the call was given up as failed
    assert Job.objects.filter(kind=TRANSCRIBE_KIND, status=Job.Status.FAILED).count() == 0


def transcribe_socket(stack: Stack, conversation_id: str, token: str) -> Any:
    return connect(
        f"{stack.ws_url}/conversations/{conversation_id}/transcribe?token={token}", open_timeout=10
    )


def is_open(socket: Any) -> bool:
    """A refused socket says why and closes; an accepted one answers a ping."""
    try:
        socket.send(json.dumps({"type": "ping"}))
        return json.loads(socket.recv(timeout=10)) == {"type": "pong"}
    except ConnectionClosed:
        return False


def close_code(socket: Any) -> tuple[int | None, str]:
    """Wait for the server to close the socket, answering with its close code and reason."""
    try:
        while True:
            socket.recv(timeout=60)
    except ConnectionClosed as closed:
        return (closed.rcvd.code, closed.rcvd.reason) if closed.rcvd else (None, "")


def reconnect(stack: Stack, conversation_id: str, token: str, *, timeout: float) -> Any:
    """What a client does on 4503: connect again until a socket stays open."""
    deadline = time.monotonic() + timeout
    while True:
        socket = transcribe_socket(stack, conversation_id, token)
        if is_open(socket):
            return socket
        socket.close()
        assert time.monotonic() < deadline, "the socket never reconnected"
        time.sleep(0.5)


def test_a_redis_restart_loses_no_queued_job_and_open_sockets_reconnect_within_their_caps(
    acme: Any, alice_technician: User, database_url: str, drill_redis: RedisServer
) -> None:
    from conversations.consumers import SOCKETS_PER_USER

    key = f"drill-key-{uuid.uuid4().hex}"
    titles = ["Risk Assessment", "Executive Summary", "Appendix"]
    token = tokens_issue(user=alice_technician).access
    with Stack(
        database_url=database_url, api_key=key, redis_url=drill_redis.url, name="drill-redis", web="daphne"
    ) as stack:
        stack.start_web()
        # given three jobs waiting in Redis's queue, no worker running
        job_ids = []
        for title in titles:
            status, accepted = stack.request(
                "POST", "/generate", generate_body(section_title=title), session_id="s-redis"
            )
            assert status == 202
            job_ids.append(accepted["data"]["job_id"])
        # and a technician with as many live-transcript sockets open as the cap allows
        status, call = stack.request(
            "POST", "/conversations/start", {}, headers={"Authorization": f"Bearer {token}"}
        )
        assert status == 201
        conversation_id = call["conversation_id"]
        sockets = [transcribe_socket(stack, conversation_id, token) for _ in range(SOCKETS_PER_USER)]
        assert all(is_open(socket) for socket in sockets)
        # when Redis restarts (it keeps nothing on disk: the queued messages and socket groups are gone)
        drill_redis.restart()
        restarted_at = time.monotonic()
        stack.start_worker()
        # then every open socket is told to reconnect, rather than being dropped with no reason
        closes = [close_code(socket) for socket in sockets]
        # and the technician gets every socket back, and not one more
        back = [reconnect(stack, conversation_id, token, timeout=60) for _ in range(SOCKETS_PER_USER)]
        extra = transcribe_socket(stack, conversation_id, token)
        refused = json.loads(extra.recv(timeout=10))
        extra_close = close_code(extra)
        for socket in back:
            socket.close()
        # and every queued job is sent again and finished, each once
        bodies = [stack.wait_for_job(job_id, timeout=120) for job_id in job_ids]
        recovered_in = time.monotonic() - restarted_at
    assert {code for code, _ in closes} == {4503}, closes
    assert closes[0][1] == "Server restarting; reconnect"
    assert refused == {
        "type": "error",
        "message": f"You already have {SOCKETS_PER_USER} conversation connections open",
    }
    assert extra_close[0] == 4429
    assert [b["status"] for b in bodies] == ["ready"] * 3
    assert recovered_in < RECOVERY_SECONDS
    assert SectionRecord.objects.filter(job_id__in=job_ids).count() == 3
    assert all(Job.objects.get(pk=job_id).attempts == 1 for job_id in job_ids)


def poison_ogg() -> bytes:
    """speech.ogg with every audio packet replaced by noise and each Ogg page's checksum
    recomputed: the container reads as 5 s of Opus, so it passes the upload's probe, but no
    packet decodes. The worker meets it, as it would a file damaged after upload."""
    import random
    import re

    table = []
    for byte in range(256):
        crc = byte << 24
        for _ in range(8):
            crc = ((crc << 1) ^ 0x04C11DB7) if crc & 0x80000000 else crc << 1
        table.append(crc & 0xFFFFFFFF)

    def checksum(page: bytes) -> int:
        crc = 0
        for byte in page:
            crc = ((crc << 8) & 0xFFFFFFFF) ^ table[((crc >> 24) & 0xFF) ^ byte]
        return crc

    data = bytearray((AUDIO / "speech.ogg").read_bytes())
    starts = [m.start() for m in re.finditer(b"OggS", bytes(data))]
    noise = random.Random(7)
    for index, start in enumerate(starts):
        end = starts[index + 1] if index + 1 < len(starts) else len(data)
        if index >= 2:  # pages 0 and 1 are the Opus headers; the rest carry audio
            payload = start + 27 + data[start + 26]
            data[payload:end] = bytes(noise.randrange(256) for _ in range(end - payload))
        data[start + 22 : start + 26] = b"\0\0\0\0"
        data[start + 22 : start + 26] = checksum(bytes(data[start:end])).to_bytes(4, "little")
    return bytes(data)


def test_a_poison_media_file_fails_its_job_once_with_a_clear_error_and_the_worker_stays_up(
    database_url: str, drill_redis: RedisServer
) -> None:
    from review.models import Answer
    from review.seeds import seed_questions

    seed_questions()
    with Stack(database_url=database_url, redis_url=drill_redis.url, name="drill-poison") as stack:
        stack.start_web()
        worker = stack.start_worker()
        status, started = stack.request("POST", "/api/review/start/", {})
        assert status == 201
        session_id = started["session"]["id"]

        def answer(name: str, content: bytes, question_id: int) -> requests.Response:
            return requests.post(
                f"{stack.base_url}/api/review/{session_id}/answer/",
                data={"question_id": question_id},
                files={"audio_file": (name, content)},
                timeout=30,
            )

        # given a recorded answer that passes the upload's checks but cannot be decoded
        poisoned = answer("answer.ogg", poison_ogg(), started["next_question"]["id"])
        assert poisoned.status_code == 201, poisoned.text
        # and after it, an honest recording
        sound = answer(
            "answer.wav", (AUDIO / "speech_clean.wav").read_bytes(), poisoned.json()["next_question"]["id"]
        )
        assert sound.status_code == 201, sound.text
        # when the worker has taken both
        wait_until(
            lambda: not Answer.objects.filter(session_id=session_id, transcription_status="pending").exists(),
            timeout=120,
            what="both transcriptions to finish",
        )
        worker_alive = worker.poll() is None
    bad, good = Answer.objects.filter(session_id=session_id).order_by("pk")
    # then the poison fails once, saying why, and is not retried
    assert bad.transcription_status == "failed"
    assert bad.transcription_error == "could not decode audio: Invalid data found when processing input"
    assert Job.objects.get(kind="review.answer_transcribe", inputs__answer_id=bad.pk).attempts == 1
    # and the same worker goes on to transcribe the next answer
    assert worker_alive
    assert good.transcription_status == "done" and good.answer_text


def _postgres_cluster() -> list[str] | None:
    """`pg_ctlcluster <version> main` for this machine's cluster, when the suite runs on it."""
    import shutil
    from pathlib import Path

    from django.db import connection

    versions = (
        sorted(p.name for p in Path("/etc/postgresql").glob("*")) if Path("/etc/postgresql").exists() else []
    )
    if connection.vendor != "postgresql" or not versions or shutil.which("pg_ctlcluster") is None:
        return None
    return ["pg_ctlcluster", "--skip-systemctl-redirect", versions[-1], "main"]


def test_during_a_postgres_restart_requests_answer_503_in_their_dialect_and_recover(
    database_url: str,
) -> None:
    import subprocess

    from django.db import connections

    cluster = _postgres_cluster()
    if cluster is None:
        pytest.skip("runs where the suite's database is this machine's PostgreSQL (CI)")
    key = f"drill-key-{uuid.uuid4().hex}"
    # A valid token, so that reading its user is what meets the missing database (a malformed one
    # is refused before any query).
    candidate = User.objects.create_user(
        "drill-pg@example.com", "drill-password-1", full_name="Drill Candidate"
    )
    practice_headers = {"Authorization": f"Bearer {tokens_issue(user=candidate).access}"}
    with Stack(database_url=database_url, api_key=key, redis_url=None, name="drill-postgres") as stack:
        stack.start_web()
        assert stack.request("POST", "/api/review/start/", {})[0] == 201
        subprocess.run([*cluster, "stop", "-m", "fast"], check=True, capture_output=True)
        try:
            # then each product answers 503 in its own error body while the database is away
            okr = stack.request("POST", "/api/review/start/", {})
            report = stack.request("GET", f"/status/{uuid.uuid4()}")
            practice = stack.request("GET", "/interview/sessions", headers=practice_headers)
        finally:
            subprocess.run([*cluster, "start"], check=True, capture_output=True)
        connections.close_all()  # this process's own connection died with the server
        deadline = time.monotonic() + 60
        while True:
            status, _ = stack.request("POST", "/api/review/start/", {})
            if status == 201 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
    assert okr[0] == 503 and set(okr[1]) == {"detail"}
    assert report[0] == 503 and report[1]["data"]["error_code"] == "SERVICE_UNAVAILABLE"
    assert practice[0] == 503 and set(practice[1]) == {"detail"}
    assert status == 201  # and it recovers by itself once the database is back
