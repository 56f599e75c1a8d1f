"""Field conversations: the cast beyond tests/conftest.py, fixture calls and their truth, HTTP and
socket helpers, and per-test isolation of counters, socket caps and media."""

from __future__ import annotations

import json
import re
import shutil
import uuid
from collections.abc import Iterator
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from accounts import api as accounts_api
from accounts.models import Team, User
from conversations import limits
from conversations.consumers import TranscriptionConsumer
from tests.conftest import PASSWORD, bearer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "conversations"


@cache
def truth() -> dict[str, Any]:
    return json.loads((FIXTURES / "truth.json").read_text())["calls"]


def chunk_files(call: str) -> list[Path]:
    return [FIXTURES / chunk["file"] for chunk in truth()[call]["chunks"]]


@pytest.fixture(autouse=True)
def conversations_isolation(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """User ids repeat between tests and the cache outlives them: each test counts requests,
    upload bytes and sockets in its own namespace, and leaves no media behind."""
    tag = uuid.uuid4().hex[:10]
    monkeypatch.setattr(accounts_api.ConversationsRateThrottle, "scope", f"conversations-{tag}")
    monkeypatch.setattr(limits, "KEY_PREFIX", f"ci-upload-{tag}")
    monkeypatch.setattr(TranscriptionConsumer, "socket_kind", f"conversations-{tag}")
    root = Path(settings.MEDIA_ROOT) / "conversations"
    before = set(root.iterdir()) if root.exists() else set()
    yield
    for path in (set(root.iterdir()) if root.exists() else set()) - before:
        shutil.rmtree(path, ignore_errors=True)


@pytest.fixture
def dave_technician(db: Any, team: Team, bob_supervisor: User) -> User:
    """Alice's teammate: same team and supervisor, but her calls are not his."""
    return User.objects.create_user(
        "dave@example.com", PASSWORD, full_name="Dave Technician", role=User.Role.TECHNICIAN,
        team=team, supervisor=bob_supervisor,
    )  # fmt: skip


@pytest.fixture
def erin_supervisor(db: Any) -> User:
    """A supervisor of another team."""
    other = Team.objects.create(name="North Team")
    return User.objects.create_user(
        "erin@example.com", PASSWORD, full_name="Erin Supervisor", role=User.Role.SUPERVISOR, team=other
    )


START_BODY = {
    "job_id": "JOB-2024-1022-001",
    "job_title": "Fire Pump Inspection",
    "customer_name": "Phoenix Mills Ltd",
    "customer_phone": "+91 20 2553 4567",
    "location_address": "FC Road, Pune",
}


def start_call(api: APIClient, user: User, **extra: Any) -> dict[str, Any]:
    response = api.post("/conversations/start", {**START_BODY, **extra}, format="json", **bearer(user))
    assert response.status_code == 201, response.content
    return response.json()


def upload(
    api: APIClient, user: User, conversation_id: str, path: Path | bytes, sequence: Any, name: str = ""
) -> Any:
    content = path if isinstance(path, bytes) else path.read_bytes()
    filename = name or (path.name if isinstance(path, Path) else "chunk.bin")
    return api.post(
        f"/conversations/{conversation_id}/upload-audio",
        {"chunk": SimpleUploadedFile(filename, content), "sequence": sequence},
        format="multipart",
        **bearer(user),
    )


_WORD = re.compile(r"[a-z0-9']+")


def speaker_accuracy(segments: list[dict[str, Any]], call: str) -> tuple[int, int]:
    """(words on the right speaker, words) for stored segments against the call's truth: a word's
    true speaker is the turn around its middle, or the nearest turn."""
    turns = truth()[call]["turns"]
    right = total = 0
    for segment in segments:
        for word in segment["words"]:
            middle = (word["start"] + word["end"]) / 2
            turn = min(
                turns,
                key=lambda t: (
                    0.0
                    if t["start"] <= middle <= t["end"]
                    else min(abs(middle - t["start"]), abs(middle - t["end"]))
                ),
            )
            right += turn["speaker"] == segment["speaker_type"]
            total += 1
    return right, total


def words_of(text: str) -> list[str]:
    return _WORD.findall(text.lower())


def word_recall(reference: str, hypothesis: str) -> float:
    """Share of the reference's words found, in order, in the hypothesis (longest common subsequence)."""
    ref, hyp = words_of(reference), words_of(hypothesis)
    previous = [0] * (len(hyp) + 1)
    for r in ref:
        current = [0]
        for j, h in enumerate(hyp, 1):
            current.append(previous[j - 1] + 1 if r == h else max(previous[j], current[j - 1]))
        previous = current
    return previous[-1] / max(len(ref), 1)
