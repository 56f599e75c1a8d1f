"""Transcription and reports through the real Celery worker: spec shapes, feedback specific to
what was said, stored results, the openai provider and 503 when the AI provider is down."""

from __future__ import annotations

import socket
import uuid

import pytest
from django.test import override_settings
from django.utils import timezone

from analysis.models import Job
from analysis.tasks import job_run_task
from interviews.ai.language import appears_in
from interviews.models import PracticeMedia, PracticeReport
from interviews.services import media as media_service
from tests.conftest import bearer
from tests.engines.llm_server import FakeLLMServer, Reply
from tests.interviews.conftest import AUDIO, PRACTICE, create_session, upload

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_worker")]

AUDIO_KEYS = {"speech_rate", "pause_ratio", "filler_word_ratio", "pitch_variance", "emotion"}
VIDEO_KEYS = {"eye_contact_score", "smile_ratio", "posture_score", "dominant_emotion", "emotion_distribution"}


def _media(api, user, path, media_type="audio") -> dict:
    session = create_session(api, user, interviewer_type="Behavioral")
    response = upload(api, user, session["id"], path, media_type)
    assert response.status_code == 201, response.content
    return response.json()


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def test_transcribe_returns_what_was_said_and_a_second_call_is_served_from_storage(api, carol_candidate):
    media = _media(api, carol_candidate, AUDIO / "speech.webm")
    # when
    response = api.post(f"/interview/media/{media['id']}/transcribe", **bearer(carol_candidate))
    # then
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["media_id"] == media["id"]
    for word in ("weather", "Tuesday", "market", "river"):
        assert word in body["transcript"]
    assert body["segments"][0]["start"] >= 0
    stored = PracticeMedia.objects.get(pk=media["id"])
    # and asking again changes nothing: the stored transcript is returned, no job runs
    again = api.post(f"/interview/media/{media['id']}/transcribe/", **bearer(carol_candidate))
    assert again.json() == body
    assert PracticeMedia.objects.get(pk=media["id"]).transcribed_at == stored.transcribed_at
    assert Job.objects.filter(kind="practice.transcribe", dedupe_key=media["id"]).count() == 1


def test_a_job_still_running_is_a_503_and_the_same_job_delivers_later(api, carol_candidate, monkeypatch):
    # given a transcription job for the media still waiting in the queue
    media = _media(api, carol_candidate, AUDIO / "speech_no_fillers.wav")
    job = Job.objects.create(
        kind="practice.transcribe",
        inputs={"media_id": media["id"]},
        dedupe_key=media["id"],
        owner=f"user:{carol_candidate.pk}",
        queued_at=timezone.now(),
    )
    monkeypatch.setattr(media_service, "TRANSCRIBE_WAIT_SECONDS", 0.01)
    # when the client asks, its bounded wait runs out
    first = api.post(f"/interview/media/{media['id']}/transcribe", **bearer(carol_candidate))
    assert first.status_code == 503
    assert "still running" in first.json()["detail"]
    assert first["Retry-After"] == "5"
    transcriptions = Job.objects.filter(kind="practice.transcribe", dedupe_key=media["id"])
    assert list(transcriptions.values_list("pk", flat=True)) == [job.pk]  # no duplicate was queued
    # and once that job has run, the next call collects its result
    job_run_task.delay(str(job.pk))
    monkeypatch.setattr(media_service, "TRANSCRIBE_WAIT_SECONDS", 60.0)
    second = api.post(f"/interview/media/{media['id']}/transcribe", **bearer(carol_candidate))
    assert second.status_code == 200
    assert "checkout" in second.json()["transcript"]
    assert list(transcriptions.values_list("pk", flat=True)) == [job.pk]


@pytest.mark.parametrize("route", ["transcribe", "report"])
def test_someone_elses_or_unknown_media_is_not_found(api, carol_candidate, mallory, route):
    media = _media(api, carol_candidate, AUDIO / "speech.webm")
    for media_id in (media["id"], str(uuid.uuid4()), "nope"):
        response = api.post(f"/interview/media/{media_id}/{route}", **bearer(mallory))
        assert response.status_code == 404
        assert response.json() == {"detail": "Media not found."}
    assert PracticeMedia.objects.get(pk=media["id"]).transcript is None


def test_an_audio_report_has_every_audio_feature_and_no_video_features(api, carol_candidate):
    media = _media(api, carol_candidate, AUDIO / "speech_fillers.wav")
    response = api.post(f"/interview/media/{media['id']}/report", **bearer(carol_candidate))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["media_id"] == media["id"]
    assert set(body["audio_features"]) == AUDIO_KEYS
    assert body["video_features"] is None
    assert body["engine"] == "local"
    features = body["audio_features"]
    assert 100 < features["speech_rate"] < 220
    assert features["filler_word_ratio"] > 0.06
    assert features["emotion"] == "nervous"


def test_feedback_is_specific_to_what_was_said(api, carol_candidate):
    # given an answer full of "umm" and a "like", with a plan but no number on the outcome
    media = _media(api, carol_candidate, AUDIO / "speech_fillers.wav")
    body = api.post(f"/interview/media/{media['id']}/report", **bearer(carol_candidate)).json()
    transcript = PracticeMedia.objects.get(pk=media["id"]).transcript_text
    points = {(p["category"], p["kind"]): p for p in body["points"]}
    # then the fillers point counts them against the norm and quotes the densest sentence
    fillers = points[("fillers", "improvement")]
    assert "norm: under 3%" in fillers["message"] and '"umm" x' in fillers["message"]
    assert "umm" in fillers["quote"].lower()
    # the outcome is quoted and found to lack a number
    assert "has no number" in points[("results", "improvement")]["message"]
    # STAR parts are named with the sentences that carry them
    assert "STAR" in points[("structure", "strength")]["message"]
    assert "I set up a plan with weekly goals" in points[("structure", "strength")]["quote"]
    # pace is judged against the documented range
    assert (
        "120-165" in points[("pace", "strength")]["message"]
        or "120-165" in points[("pace", "improvement")]["message"]
    )
    # and every quote really is from the transcript
    for point in body["points"]:
        if point["quote"]:
            assert appears_in(point["quote"], transcript), point
    assert fillers["message"] in body["feedback"]


def test_feedback_recognises_a_quantified_result(api, carol_candidate):
    media = _media(api, carol_candidate, AUDIO / "speech_no_fillers.wav")
    body = api.post(f"/interview/media/{media['id']}/report", **bearer(carol_candidate)).json()
    results = [p for p in body["points"] if p["category"] == "results"]
    assert results[0]["kind"] == "strength"
    assert "10%" in results[0]["message"] and "sales grew" in results[0]["quote"]
    fillers = [p for p in body["points"] if p["category"] == "fillers"]
    assert fillers[0]["kind"] == "strength"


def test_a_video_report_has_every_video_feature(api, carol_candidate):
    media = _media(api, carol_candidate, PRACTICE / "answer_face.webm", "video")
    response = api.post(f"/interview/media/{media['id']}/report", **bearer(carol_candidate))
    assert response.status_code == 200, response.content
    body = response.json()
    assert set(body["audio_features"]) == AUDIO_KEYS
    assert set(body["video_features"]) == VIDEO_KEYS
    assert body["video_features"]["eye_contact_score"] > 0.5
    assert body["video_features"]["dominant_emotion"] in {"happy", "neutral", "away"}
    assert abs(sum(body["video_features"]["emotion_distribution"].values()) - 1) < 1e-6
    assert any(p["category"] == "presence" for p in body["points"])
    # a second call returns the stored report
    again = api.post(f"/interview/media/{media['id']}/report", **bearer(carol_candidate))
    assert again.json() == body
    assert PracticeReport.objects.count() == 1


def test_a_silent_recording_gets_a_report_saying_nothing_was_heard(api, carol_candidate):
    media = _media(api, carol_candidate, AUDIO / "silence.wav")
    body = api.post(f"/interview/media/{media['id']}/report", **bearer(carol_candidate)).json()
    assert "No speech was detected" in body["feedback"]
    assert body["audio_features"]["speech_rate"] == 0
    transcribed = api.post(f"/interview/media/{media['id']}/transcribe", **bearer(carol_candidate)).json()
    assert transcribed["transcript"] == ""


def _scripted_openai_replies() -> list[Reply]:
    score = {
        "overall": 6.5, "technical": 7.0, "design": 6.0, "communication": 6.0,
        "key_points": [], "star": {"situation": True, "task": False, "action": True, "result": True, "has_metrics": True},
        "word_count": 35, "strengths": ["Quantified result"], "improvements": ["Name your task"], "summary": "Solid.",
    }  # fmt: skip
    feedback = {
        "feedback": "Strong, quantified result: sales grew by 10%.",
        "points": [
            {
                "category": "results",
                "kind": "strength",
                "message": "Quantified result.",
                "quote": "sales grew by 10%",
            },
            {
                "category": "structure",
                "kind": "improvement",
                "message": "Invented quote.",
                "quote": "I founded a bank",
            },
        ],
    }
    return [Reply.json(score), Reply.json(feedback)]


def test_the_openai_provider_writes_the_feedback_when_configured(api, carol_candidate):
    media = _media(api, carol_candidate, AUDIO / "speech_no_fillers.wav")
    with FakeLLMServer() as server:
        server.script(*_scripted_openai_replies())
        with override_settings(
            LLM_PROVIDER="openai", OPENAI_BASE_URL=server.base_url, OPENAI_MODEL="test-model"
        ):
            response = api.post(f"/interview/media/{media['id']}/report", **bearer(carol_candidate))
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["engine"] == "openai:test-model"
    assert body["feedback"] == "Strong, quantified result: sales grew by 10%."
    assert body["answer_score"]["overall"] == 6.5
    # quotes are kept only when they are really in the transcript
    assert [p["quote"] for p in body["points"]] == ["sales grew by 10%", ""]
    # the provider was sent the transcript and the measurements, with the strict output schema
    sent = [r.body for r in server.requests]
    assert [b["response_format"]["json_schema"]["name"] for b in sent] == [
        "interview_answer_score",
        "practice_feedback",
    ]
    assert "sales grew by 10%" in sent[1]["messages"][1]["content"]
    assert "speech_rate=" in sent[1]["messages"][1]["content"]


@pytest.mark.parametrize("outage", ["http-500", "unreachable"])
def test_a_provider_outage_is_a_503_and_the_measurements_are_kept(api, carol_candidate, outage):
    media = _media(api, carol_candidate, AUDIO / "speech.webm")
    with FakeLLMServer() as server:
        server.script(Reply.error(500))
        base_url = server.base_url if outage == "http-500" else f"http://127.0.0.1:{_closed_port()}/v1"
        with override_settings(LLM_PROVIDER="openai", OPENAI_BASE_URL=base_url, LLM_MAX_RETRIES=0):
            response = api.post(f"/interview/media/{media['id']}/report", **bearer(carol_candidate))
    assert response.status_code == 503
    assert set(response.json()) == {"detail"}
    assert response.json()["detail"].startswith("The AI service is unavailable")
    assert not PracticeReport.objects.exists()
    stored = PracticeMedia.objects.get(pk=media["id"])
    assert stored.transcript is not None and stored.audio_features is not None
    # the failed job is over, so the next call tries again with a new one
    assert not Job.objects.filter(
        kind="practice.report", dedupe_key=media["id"], status__in=Job.LIVE
    ).exists()
    # when the provider is back (the local engine here), the report is produced
    response = api.post(f"/interview/media/{media['id']}/report", **bearer(carol_candidate))
    assert response.status_code == 200
