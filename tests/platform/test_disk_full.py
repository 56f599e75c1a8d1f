"""A full disk on upload (issue 12, finding 8): each product answers 507 in its own dialect, keeps
no row and leaves no partial file. The media folder is a 256 KB tmpfs mounted for the test, so
the disk really fills (skipped where mounting is not allowed)."""

from __future__ import annotations

import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from conversations.models import Chunk
from interviews.models import PracticeMedia
from review.models import Answer
from tests.conftest import bearer
from tests.conversations.conftest import start_call
from tests.interviews.conftest import AUDIO, create_session

pytestmark = pytest.mark.django_db

BIG = AUDIO / "speech_clean.wav"  # 700 KB: more than the disk holds


@pytest.fixture
def full_disk(settings: Any) -> Iterator[Path]:
    root = Path(tempfile.mkdtemp(prefix="full-disk-"))
    mounted = subprocess.run(
        ["mount", "-t", "tmpfs", "-o", "size=256k", "tmpfs", str(root)], capture_output=True
    )
    if mounted.returncode != 0:
        pytest.skip(f"cannot mount a small tmpfs here: {mounted.stderr.decode().strip()}")
    settings.MEDIA_ROOT = str(root)
    try:
        yield root
    finally:
        subprocess.run(["umount", str(root)], check=False)
        root.rmdir()


def files_under(root: Path) -> list[Path]:
    return [p for p in root.rglob("*") if p.is_file()]


def test_a_practice_upload_on_a_full_disk_is_507_and_leaves_nothing(api, carol_candidate, full_disk) -> None:
    session = create_session(api, carol_candidate)
    response = api.post(
        f"/interview/sessions/{session['id']}/media?media_type=audio",
        {"file": SimpleUploadedFile("answer.wav", BIG.read_bytes())},
        format="multipart",
        **bearer(carol_candidate),
    )
    assert response.status_code == 507
    assert response.json() == {
        "detail": "The server's storage is full; the upload was not kept. Try again later."
    }
    assert not PracticeMedia.objects.exists() and files_under(full_disk) == []


def test_a_call_chunk_on_a_full_disk_is_507_in_the_conversation_dialect(
    api, alice_technician, full_disk
) -> None:
    conversation_id = start_call(api, alice_technician)["conversation_id"]
    response = api.post(
        f"/conversations/{conversation_id}/upload-audio",
        {"chunk": SimpleUploadedFile("chunk.wav", BIG.read_bytes()), "sequence": 1},
        format="multipart",
        **bearer(alice_technician),
    )
    assert response.status_code == 507
    assert response.json()["error"]["code"] == "INSUFFICIENT_STORAGE"
    assert not Chunk.objects.exists() and files_under(full_disk) == []


def test_an_okr_audio_answer_on_a_full_disk_is_507_and_the_question_stays_open(api, full_disk) -> None:
    from review.seeds import seed_questions

    seed_questions()
    started = api.post("/api/review/start/", {}, format="json").json()
    question_id = started["next_question"]["id"]
    response = api.post(
        f"/api/review/{started['session']['id']}/answer/",
        {"question_id": question_id, "audio_file": SimpleUploadedFile("answer.wav", BIG.read_bytes())},
        format="multipart",
    )
    assert response.status_code == 507 and "storage is full" in response.json()["detail"]
    assert not Answer.objects.exists() and files_under(full_disk) == []
    # the same question can be answered once there is room (here: typed)
    typed = api.post(
        f"/api/review/{started['session']['id']}/answer/",
        {"question_id": question_id, "answer_text": "Grow revenue"},
        format="json",
    )
    assert typed.status_code == 201
