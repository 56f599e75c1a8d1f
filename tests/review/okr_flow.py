"""Example answer sets (tests/fixtures/okr) and the moves of the OKR flow shared by the analysis tests."""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from channels.testing import WebsocketCommunicator
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from review.models import Question
from review.seeds import seed_questions

OKR_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "okr"
ANSWER_SETS = ("saas_specific", "marketplace_mixed", "bakery_vague")


def answer_set(name: str) -> list[dict[str, Any]]:
    return json.loads((OKR_FIXTURES / f"{name}.json").read_text())["answers"]


# --- the OKR flow over the real protocols --------------------------------------------------------


AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "audio"
WORKER_TIMEOUT = 90.0  # the first job of a worker process may load the speech model


def application() -> Any:
    from config.asgi import application as app

    return app


def review_through_the_api(api: APIClient, texts: list[str | Path], *, partial: bool = False) -> str:
    """Start a review and answer its questions in order (a Path is sent as a recording); returns its id."""
    seed_questions()
    session_id = api.post("/api/review/start/", {}, format="json").json()["session"]["id"]
    questions = list(Question.objects.filter(is_active=True).order_by("order"))
    for question, answer in zip(questions[: len(texts)] if partial else questions, texts, strict=True):
        if isinstance(answer, Path):
            upload = SimpleUploadedFile(answer.name, answer.read_bytes())
            response = api.post(
                f"/api/review/{session_id}/answer/",
                {"question_id": question.id, "audio_file": upload},
                format="multipart",
            )
        else:
            response = api.post(
                f"/api/review/{session_id}/answer/",
                {"question_id": question.id, "answer_text": answer},
                format="json",
            )
        assert response.status_code == 201, response.content
    return session_id


async def open_socket(path: str) -> tuple[WebsocketCommunicator, dict[str, Any]]:
    """A connected socket and its first frame."""
    socket = WebsocketCommunicator(application(), path)
    connected, _ = await socket.connect(timeout=10)
    assert connected
    return socket, await socket.receive_json_from(timeout=10)


async def frames_until(
    socket: WebsocketCommunicator, done: Callable[[dict[str, Any]], bool], timeout: float = WORKER_TIMEOUT
) -> list[dict[str, Any]]:
    """Every frame up to and including the first one `done` accepts."""
    received: list[dict[str, Any]] = []
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise AssertionError(f"timed out; received so far: {received}")
        try:
            frame = await socket.receive_json_from(timeout=remaining)
        except TimeoutError:
            raise AssertionError(f"timed out; received so far: {received}") from None
        received.append(frame)
        if done(frame):
            return received


def is_final(frame: dict[str, Any]) -> bool:
    """The last frame of a run: the result after success, or the failed status."""
    return frame.get("type") == "result" or (
        frame.get("type") == "status" and frame.get("status") == "failed"
    )


def statuses(frames: list[dict[str, Any]]) -> list[str]:
    return [f["status"] for f in frames if f["type"] == "status"]


def analysis_in_state(
    *,
    status: str,
    review: Any = None,
    answers: list[dict[str, Any]] | None = None,
    error: str = "",
    dashboard: dict[str, Any] | None = None,
    attempts: int = 1,
    lease_left_seconds: float = 300.0,
) -> Any:
    """An analysis whose current run (its job) is in `status`, as the runner would have left it."""
    from datetime import timedelta

    from django.utils import timezone

    from analysis.models import Job
    from review.models import AnalysisSession

    now = timezone.now()
    analysis = AnalysisSession.objects.create(
        review_session=review, source="review" if review is not None else "payload", answers=answers or []
    )
    running = status == "running"
    analysis.job = Job.objects.create(
        kind="review.analysis",
        inputs={"analysis_id": str(analysis.pk)},
        status=status,
        attempts=attempts if status != "pending" else 0,
        # A pending job was queued just now: one queued long ago would be resent by the reaper.
        queued_at=now if status == "pending" else now - timedelta(hours=1),
        started_at=now - timedelta(hours=1) if running else None,
        lease_expires_at=now + timedelta(seconds=lease_left_seconds) if running else None,
        error=error,
        error_code="failed" if status == "failed" else "",
        result={"answers": answers or [], "dashboard": dashboard} if status == "succeeded" else None,
    )
    analysis.save(update_fields=["job"])
    return analysis
