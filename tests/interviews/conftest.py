"""Shared setup for the interview-practice tests: media fixtures, per-test counters, cleanup."""

from __future__ import annotations

import shutil
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts.models import User
from interviews import api as practice_api
from interviews.consumers import PracticeMetricsConsumer
from interviews.seeds import seed_questions
from tests.conftest import bearer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures"
AUDIO = FIXTURES / "audio"
VIDEO = FIXTURES / "video"
PRACTICE = FIXTURES / "practice"

SESSION = {
    "job_title": "Software Engineer",
    "job_description": "Full-stack developer position: Python, Django and PostgreSQL on the backend, "
    "React on the frontend, REST APIs, production on-call.",
    "interviewer_type": "Tech",
    "duration_minutes": 45,
}


@pytest.fixture(autouse=True)
def practice_isolation(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Each test counts requests and sockets in its own namespace (user ids repeat between tests
    and the cache, Redis included, outlives them) and leaves no uploaded files behind."""
    tag = uuid.uuid4().hex[:10]
    monkeypatch.setattr(practice_api.PracticeRateThrottle, "scope", f"practice-{tag}")
    monkeypatch.setattr(PracticeMetricsConsumer, "socket_kind", f"practice-{tag}")
    root = Path(settings.MEDIA_ROOT) / "practice"
    before = set(root.iterdir()) if root.exists() else set()
    yield
    for path in (set(root.iterdir()) if root.exists() else set()) - before:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def question_bank(db: Any) -> int:
    created, _updated = seed_questions()
    return created


def create_session(api: APIClient, user: User, **overrides: Any) -> dict[str, Any]:
    response = api.post("/interview/sessions", {**SESSION, **overrides}, format="json", **bearer(user))
    assert response.status_code == 201, response.content
    return response.json()


def start_session(api: APIClient, user: User, session_id: str) -> dict[str, Any]:
    response = api.post(f"/interview/sessions/{session_id}/start", **bearer(user))
    assert response.status_code == 200, response.content
    return response.json()


def upload(
    api: APIClient,
    user: User,
    session_id: str,
    path: Path,
    media_type: str = "audio",
    *,
    query: str = "",
    name: str | None = None,
) -> Any:
    file = SimpleUploadedFile(name or path.name, path.read_bytes())
    return api.post(
        f"/interview/sessions/{session_id}/media?media_type={media_type}{query}",
        {"file": file},
        format="multipart",
        **bearer(user),
    )


def stored_files(session_id: str) -> list[Path]:
    folder = Path(settings.MEDIA_ROOT) / "practice" / session_id
    return sorted(folder.iterdir()) if folder.exists() else []
