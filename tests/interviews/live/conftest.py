"""The live mock interview as a candidate meets it: a session over REST, a resume and a job
description uploaded, then the interview on ws/interview/{id} through the project's ASGI app.

Uploads wait on the profiling job, so these tests run the real Celery worker on committed rows.
"""

from __future__ import annotations

import json
import mimetypes
import shutil
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from interviews.consumers import LiveInterviewConsumer
from interviews.models import LiveSession, LiveTurn
from interviews.seeds import seed_questions

LIVE = Path(__file__).resolve().parents[2] / "fixtures" / "live"
TRUTH = json.loads((LIVE / "truth.json").read_text())
ROLE = "Senior Backend Engineer"
# Generous: the first job of a worker may load the speech model, and the machine may be busy.
WAIT = 90.0

# An answer that covers none of a question's key points, and one written to cover every key point
# of the question it answers (see `complete_answer`).
VAGUE_ANSWER = "I think it depends on the situation and the team, and I would do my best to handle it well."


@pytest.fixture(autouse=True)
def live_media() -> Iterator[None]:
    """Voice recordings live under MEDIA_ROOT/live until their job ends; none may outlive a test."""
    yield
    shutil.rmtree(Path(settings.MEDIA_ROOT) / "live", ignore_errors=True)


@pytest.fixture
def bank(transactional_db: Any) -> None:
    seed_questions()


@pytest.fixture
def interview(transactional_db: Any, celery_worker: str, bank: None) -> str:
    """A session with the senior backend resume (PDF) and the backend job description, ready."""
    api = APIClient()
    session_id = new_session(api)
    assert upload_jd(api, session_id).status_code == 200
    response = upload_resume(api, session_id, "resume_senior_backend.pdf")
    assert response.status_code == 200, response.content
    return session_id


def new_session(api: APIClient) -> str:
    response = api.post("/session/start")
    assert response.status_code == 200, response.content
    return str(response.json()["session_id"])


def upload_resume(
    api: APIClient,
    session_id: str,
    name: str,
    *,
    data: bytes | None = None,
    content_type: str | None = None,
    filename: str | None = None,
) -> Any:
    body = data if data is not None else (LIVE / name).read_bytes()
    kind = content_type if content_type is not None else mimetypes.guess_type(filename or name)[0] or ""
    upload = SimpleUploadedFile(filename or name, body, content_type=kind)
    return api.post("/upload/resume", {"session_id": session_id, "file": upload}, format="multipart")


def upload_jd(api: APIClient, session_id: str, name: str = "jd_backend.txt", role: str = ROLE) -> Any:
    return api.post(
        "/upload/jd",
        {"session_id": session_id, "job_description": (LIVE / name).read_text(), "role": role},
        format="multipart",
    )


def application() -> Any:
    from config.asgi import application as app

    return app


async def open_socket(
    session_id: str, *, headers: list[tuple[bytes, bytes]] | None = None
) -> WebsocketCommunicator:
    socket = WebsocketCommunicator(application(), f"/ws/interview/{session_id}", headers=headers or [])
    connected, _ = await socket.connect(timeout=10)
    assert connected
    return socket


async def frames_until(
    socket: WebsocketCommunicator, done: Callable[[dict[str, Any]], bool] | str, timeout: float = WAIT
) -> list[dict[str, Any]]:
    """Every frame up to and including the first one `done` accepts (or of type `done`)."""
    accept = (lambda frame: frame["type"] == done) if isinstance(done, str) else done
    received: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"timed out; received so far: {received}")
        frame = await socket.receive_json_from(timeout=remaining)
        received.append(frame)
        if accept(frame):
            return received


def of_type(frames: list[dict[str, Any]], kind: str) -> list[dict[str, Any]]:
    return [frame for frame in frames if frame["type"] == kind]


async def send(socket: WebsocketCommunicator, kind: str, data: Any = None) -> None:
    frame: dict[str, Any] = {"type": kind}
    if data is not None:
        frame["data"] = data
    await socket.send_json_to(frame)


async def closed_with(socket: WebsocketCommunicator) -> tuple[dict[str, Any] | None, int]:
    """(the error frame sent before closing, the close code)."""
    error = None
    output = await socket.receive_output(timeout=10)
    if output["type"] == "websocket.send":
        error = json.loads(output["text"])
        output = await socket.receive_output(timeout=10)
    assert output["type"] == "websocket.close", output
    return error, output["code"]


def complete_answer(question: str) -> str:
    """An answer that says a cue of every key point of the turn asking `question`."""
    from interviews.ai.language import KeyPoint
    from interviews.models import LiveTurn

    turn = LiveTurn.objects.filter(content=question).order_by("-asked_at").first()
    assert turn is not None
    sentences = []
    for raw in turn.key_points:
        point = KeyPoint.parse(raw)
        cue = next((c for c in point.cues if not c.startswith("#")), None)
        if cue is None:
            sentences.append(f"{point.name}: we cut the error rate by 40% in 3 months.")
        else:
            sentences.append(
                f"On {point.name.lower()}, {cue} mattered, because it drove the outcome, for example in my last project."
            )
    return " ".join(sentences)


acomplete_answer = database_sync_to_async(complete_answer)


@database_sync_to_async
def session_row(session_id: str) -> LiveSession:
    return LiveSession.objects.select_related("resume", "job_description").get(pk=session_id)


# The frames that end a turn: the next question, a follow-up, or the end of the interview.
NEXT = ("new_question", "followup", "feedback")


async def started(session_id: str) -> tuple[WebsocketCommunicator, list[dict[str, Any]]]:
    """A socket on the session, the interview started: (socket, frames up to the first question)."""
    socket = await open_socket(session_id)
    assert (await socket.receive_json_from(timeout=10))["type"] == "connected"
    await send(socket, "start")
    return socket, await frames_until(socket, "new_question")


async def answer(socket: WebsocketCommunicator, text: str) -> list[dict[str, Any]]:
    """Send an answer: the frames up to what comes next (or an error)."""
    await send(socket, "answer", {"text": text})
    return await frames_until(socket, lambda frame: frame["type"] in (*NEXT, "error"))


@database_sync_to_async
def turns_of(session_id: str) -> list[LiveTurn]:
    return list(LiveTurn.objects.filter(session_id=session_id).order_by("order"))


@pytest.fixture
def fast_clock(monkeypatch: pytest.MonkeyPatch) -> float:
    """time_remaining every 0.2 s instead of every 30 s."""
    monkeypatch.setattr(LiveInterviewConsumer, "tick_seconds", 0.2)
    return 0.2
