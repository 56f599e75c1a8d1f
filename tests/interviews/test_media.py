"""Media upload over multipart: every browser format accepted, anything unusable refused with
nothing stored, ownership, listing."""

from __future__ import annotations

import io
import uuid
import wave

import numpy as np
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import override_settings

from interviews.models import PracticeMedia
from tests.conftest import bearer
from tests.interviews.conftest import AUDIO, FIXTURES, PRACTICE, VIDEO, create_session, stored_files, upload

pytestmark = pytest.mark.django_db

MEDIA_KEYS = {
    "id",
    "session_id",
    "media_type",
    "filename",
    "created_at",
    "duration_seconds",
    "question_id",
    "url",
}


@pytest.mark.parametrize(
    "name", ["speech.webm", "speech.m4a", "speech.mp3", "speech.ogg", "speech_no_fillers.wav", "speech.flac"]
)
def test_audio_a_browser_records_is_accepted(api, carol_candidate, name):
    session = create_session(api, carol_candidate)
    response = upload(api, carol_candidate, session["id"], AUDIO / name, "audio")
    assert response.status_code == 201, response.content
    body = response.json()
    assert MEDIA_KEYS == set(body)
    assert body["session_id"] == session["id"]
    assert body["media_type"] == "audio"
    assert body["filename"] == name
    assert body["duration_seconds"] > 1
    assert len(stored_files(session["id"])) == 1


@pytest.mark.parametrize("path", [PRACTICE / "answer_face.webm", AUDIO / "video.mp4", VIDEO / "face.mp4"])
def test_video_recordings_are_accepted_as_video(api, carol_candidate, path):
    session = create_session(api, carol_candidate)
    response = upload(api, carol_candidate, session["id"], path, "video")
    assert response.status_code == 201, response.content
    assert response.json()["media_type"] == "video"
    assert PracticeMedia.objects.get(pk=response.json()["id"]).has_video


def test_the_signed_link_serves_the_recording(api, carol_candidate):
    session = create_session(api, carol_candidate)
    body = upload(api, carol_candidate, session["id"], AUDIO / "speech.webm").json()
    served = api.get(body["url"])
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == (AUDIO / "speech.webm").read_bytes()


@pytest.mark.parametrize(
    ("path", "media_type", "reason"),
    [
        (AUDIO / "corrupt.bin", "audio", "not a usable recording"),
        (AUDIO / "truncated.webm", "audio", "not a usable recording"),
        (AUDIO / "truth.json", "audio", "not a usable recording"),
        (AUDIO / "empty.wav", "audio", "the file is empty"),
        (AUDIO / "video_no_audio.mp4", "video", "no audio track"),
        (VIDEO / "blank.webm", "video", "no audio track"),
        (AUDIO / "speech.webm", "video", "has no video stream"),
    ],
)
def test_unusable_files_are_refused_and_nothing_is_stored(api, carol_candidate, path, media_type, reason):
    session = create_session(api, carol_candidate)
    response = upload(api, carol_candidate, session["id"], path, media_type)
    assert response.status_code == 400
    assert set(response.json()) == {"detail"}
    assert response.json()["detail"].startswith("file:")
    assert reason in response.json()["detail"]
    assert not PracticeMedia.objects.exists()
    assert stored_files(session["id"]) == []


def test_a_picture_is_not_a_recording(api, carol_candidate):
    # given a PNG, which FFmpeg decodes as a one-frame video
    import av

    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="image2pipe") as container:
        stream = container.add_stream("png", rate=1)
        stream.width, stream.height, stream.pix_fmt = 16, 16, "rgb24"
        frame = av.VideoFrame.from_ndarray(np.zeros((16, 16, 3), np.uint8), format="rgb24")
        for packet in [*stream.encode(frame), *stream.encode(None)]:
            container.mux(packet)
    session = create_session(api, carol_candidate)
    response = api.post(
        f"/interview/sessions/{session['id']}/media?media_type=video",
        {"file": SimpleUploadedFile("photo.png", buffer.getvalue())},
        format="multipart",
        **bearer(carol_candidate),
    )
    assert response.status_code == 400
    assert not PracticeMedia.objects.exists()


def _wav_bytes(seconds: float) -> bytes:
    buffer = io.BytesIO()
    with wave.open(buffer, "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        tone = (3000 * np.sin(2 * np.pi * 220 * np.arange(int(16000 * seconds)) / 16000)).astype("<i2")
        out.writeframes(tone.tobytes())
    return buffer.getvalue()


@override_settings(MAX_UPLOAD_MB=1)
def test_a_file_over_max_upload_mb_is_refused_and_nothing_is_stored(api, carol_candidate):
    session = create_session(api, carol_candidate)
    # 1.02 MB of valid audio: just over the limit, inside the multipart slack, so the file size check answers
    big = SimpleUploadedFile("long.wav", _wav_bytes(33.5))
    assert 2**20 < big.size < 2**20 + 64 * 1024
    response = api.post(
        f"/interview/sessions/{session['id']}/media?media_type=audio",
        {"file": big},
        format="multipart",
        **bearer(carol_candidate),
    )
    assert response.status_code == 400
    assert "over the 1 MB upload limit" in response.json()["detail"]
    assert not PracticeMedia.objects.exists() and stored_files(session["id"]) == []


@override_settings(MAX_UPLOAD_MB=1)
def test_a_body_far_over_the_limit_is_refused_before_it_is_read(api, carol_candidate):
    session = create_session(api, carol_candidate)
    response = api.post(
        f"/interview/sessions/{session['id']}/media?media_type=audio",
        {"file": SimpleUploadedFile("huge.wav", _wav_bytes(70.0))},
        format="multipart",
        **bearer(carol_candidate),
    )
    assert response.status_code == 400
    assert "over the 1 MB limit" in response.json()["detail"]
    assert not PracticeMedia.objects.exists()


def test_a_recording_longer_than_its_session_is_refused_before_anything_is_stored(api, carol_candidate):
    # given a five-minute session and an hour of Opus packed into 1.4 MB
    session = create_session(api, carol_candidate, duration_minutes=5)
    response = upload(api, carol_candidate, session["id"], AUDIO / "hour_of_silence.ogg", "audio")
    # then it is refused up front, in the spec's dialect, and nothing is kept
    assert response.status_code == 400
    assert response.json() == {
        "detail": "file: the recording lasts 60 minutes, longer than this 5-minute session."
    }
    assert not PracticeMedia.objects.exists() and stored_files(session["id"]) == []


@pytest.mark.parametrize(("query", "expected"), [("", "media_type:"), ("?media_type=photo", "media_type:")])
def test_media_type_must_be_video_or_audio(api, carol_candidate, query, expected):
    session = create_session(api, carol_candidate)
    response = api.post(
        f"/interview/sessions/{session['id']}/media{query}",
        {"file": SimpleUploadedFile("a.wav", (AUDIO / "speech_no_fillers.wav").read_bytes())},
        format="multipart",
        **bearer(carol_candidate),
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith(expected)


def test_media_type_may_come_as_a_form_field(api, carol_candidate):
    session = create_session(api, carol_candidate)
    response = api.post(
        f"/interview/sessions/{session['id']}/media",
        {"file": SimpleUploadedFile("a.webm", (AUDIO / "speech.webm").read_bytes()), "media_type": "audio"},
        format="multipart",
        **bearer(carol_candidate),
    )
    assert response.status_code == 201


@pytest.mark.parametrize("body", [{}, {"file": "not a file"}])
def test_an_upload_without_a_file_is_a_400(api, carol_candidate, body):
    session = create_session(api, carol_candidate)
    response = api.post(
        f"/interview/sessions/{session['id']}/media?media_type=audio",
        body,
        format="multipart",
        **bearer(carol_candidate),
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("file:")


@pytest.mark.parametrize("body", [{"file": 1}, [1, 2], "text"])
def test_a_json_body_is_a_400_not_a_crash(api, carol_candidate, body):
    session = create_session(api, carol_candidate)
    for query in ("?media_type=audio", ""):
        response = api.post(
            f"/interview/sessions/{session['id']}/media{query}",
            body,
            format="json",
            **bearer(carol_candidate),
        )
        assert response.status_code == 400
        assert set(response.json()) == {"detail"}


def test_uploading_to_someone_elses_session_is_not_found_and_stores_nothing(api, carol_candidate, mallory):
    session = create_session(api, carol_candidate)
    response = upload(api, mallory, session["id"], AUDIO / "speech.webm")
    assert response.status_code == 404
    assert response.json() == {"detail": "Session not found."}
    assert not PracticeMedia.objects.exists() and stored_files(session["id"]) == []


def test_an_answer_to_a_question_not_asked_is_refused(api, carol_candidate):
    session = create_session(api, carol_candidate)
    response = upload(
        api, carol_candidate, session["id"], AUDIO / "speech.webm", query=f"&question_id={uuid.uuid4()}"
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith("question_id:")


def test_list_media_shows_the_sessions_recordings_in_order(api, carol_candidate, mallory):
    session = create_session(api, carol_candidate)
    first = upload(api, carol_candidate, session["id"], AUDIO / "speech.webm").json()
    second = upload(api, carol_candidate, session["id"], PRACTICE / "answer_face.webm", "video").json()
    other = create_session(api, carol_candidate)
    upload(api, carol_candidate, other["id"], AUDIO / "speech.mp3")
    response = api.get(f"/interview/sessions/{session['id']}/media", **bearer(carol_candidate))
    assert response.status_code == 200
    assert [m["id"] for m in response.json()] == [first["id"], second["id"]]
    assert [m["media_type"] for m in response.json()] == ["audio", "video"]
    # and nobody else can list them
    assert api.get(f"/interview/sessions/{session['id']}/media", **bearer(mallory)).status_code == 404


def test_fixture_paths_exist():
    assert (FIXTURES / "practice" / "answer_face.webm").is_file()
