"""Every REST route of specs/okr-review.md over the DRF test client, errors included."""

from __future__ import annotations

import uuid
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from rest_framework.test import APIClient

from review.models import Answer, MeetingRequest, Question, ReviewSession
from tests.review.conftest import AUDIO, answer_all, answer_url

pytestmark = pytest.mark.django_db

SESSION_KEYS = {"id", "phone_number", "email", "created_at", "updated_at", "completed_at"}


# --- start ------------------------------------------------------------------------------------


def test_start_creates_a_session_and_returns_the_first_question(
    api: APIClient, questions: list[Question]
) -> None:
    # when
    response = api.post("/api/review/start/", {}, format="json")
    # then
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"session", "next_question"}
    assert set(body["session"]) == SESSION_KEYS
    assert body["session"]["phone_number"] == "" and body["session"]["email"] == ""
    assert body["session"]["completed_at"] is None
    assert body["next_question"] == {"id": questions[0].id, "prompt": questions[0].prompt, "order": 1}
    assert ReviewSession.objects.filter(pk=body["session"]["id"]).exists()


def test_start_accepts_contact_and_normalizes_the_phone(api: APIClient, questions: list[Question]) -> None:
    response = api.post(
        "/api/review/start", {"phone_number": "0912 123 4567", "email": "founder@example.com"}, format="json"
    )
    assert response.status_code == 201
    assert response.json()["session"]["phone_number"] == "+989121234567"
    assert response.json()["session"]["email"] == "founder@example.com"


@pytest.mark.parametrize(
    "payload,field",
    [({"phone_number": "+1 415 555 0123"}, "phone_number"), ({"email": "not-an-email"}, "email")],
)
def test_start_rejects_invalid_contact(
    api: APIClient, questions: list[Question], payload: dict, field: str
) -> None:
    response = api.post("/api/review/start/", payload, format="json")
    assert response.status_code == 400
    assert field in response.json()


def test_start_skips_inactive_questions(api: APIClient, questions: list[Question]) -> None:
    Question.objects.filter(pk=questions[0].pk).update(is_active=False)
    response = api.post("/api/review/start/", {}, format="json")
    assert response.json()["next_question"]["id"] == questions[1].id


def test_start_ignores_a_stale_bearer_token_from_another_product(
    api: APIClient, questions: list[Question]
) -> None:
    response = api.post("/api/review/start/", {}, format="json", HTTP_AUTHORIZATION="Bearer expired.garbage")
    assert response.status_code == 201


def test_start_with_malformed_json_is_400(api: APIClient, questions: list[Question]) -> None:
    response = api.generic("POST", "/api/review/start/", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "detail" in response.json()


# --- next -------------------------------------------------------------------------------------


def test_next_returns_the_first_unanswered_question(
    api: APIClient, started: dict, questions: list[Question]
) -> None:
    session_id = started["session"]["id"]
    answer_all(api, session_id, questions[:2], ["Grow revenue.", "Hiring."])
    response = api.get(f"/api/review/{session_id}/next/")
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"session", "completed", "next_question"}
    assert body["completed"] is False
    assert body["next_question"]["id"] == questions[2].id


def test_next_marks_the_session_complete_when_nothing_is_left(
    api: APIClient, started: dict, questions: list[Question]
) -> None:
    session_id = started["session"]["id"]
    answer_all(api, session_id, questions, ["a", "b", "c", "d", "e"])
    response = api.get(f"/api/review/{session_id}/next")
    body = response.json()
    assert body["completed"] is True and body["next_question"] is None
    assert body["session"]["completed_at"] is not None


def test_next_completes_a_session_whose_remaining_questions_were_deactivated(
    api: APIClient, started: dict, questions: list[Question]
) -> None:
    Question.objects.update(is_active=False)
    body = api.get(f"/api/review/{started['session']['id']}/next/").json()
    assert body["completed"] is True
    assert ReviewSession.objects.get(pk=started["session"]["id"]).completed_at is not None


@pytest.mark.parametrize("session_id", [str(uuid.uuid4()), "not-a-uuid"])
def test_next_for_an_unknown_session_is_404(api: APIClient, session_id: str) -> None:
    response = api.get(f"/api/review/{session_id}/next/")
    assert response.status_code == 404
    assert response.json() == {"detail": "Review session not found."}


# --- answer -----------------------------------------------------------------------------------


def test_answer_records_text_and_returns_the_next_question(
    api: APIClient, started: dict, questions: list[Question]
) -> None:
    session_id = started["session"]["id"]
    response = api.post(
        answer_url(session_id),
        {"question_id": questions[0].id, "answer_text": "Reach $80k MRR by Q2."},
        format="json",
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"session", "answer", "next_question", "completed"}
    assert set(body["answer"]) == {"id", "question", "answer_text", "audio_url", "created_at"}
    assert body["answer"]["question"] == {"id": questions[0].id, "prompt": questions[0].prompt, "order": 1}
    assert body["answer"]["answer_text"] == "Reach $80k MRR by Q2."
    assert body["answer"]["audio_url"] is None
    assert body["next_question"]["id"] == questions[1].id
    assert body["completed"] is False


def test_answer_accepts_multipart_form_data(api: APIClient, started: dict, questions: list[Question]) -> None:
    response = api.post(
        answer_url(started["session"]["id"]), {"question_id": str(questions[0].id), "answer_text": "Grow."}
    )
    assert response.status_code == 201


def test_the_last_answer_completes_the_session(
    api: APIClient, started: dict, questions: list[Question]
) -> None:
    body = answer_all(api, started["session"]["id"], questions, ["a", "b", "c", "d", "e"])
    assert body["completed"] is True and body["next_question"] is None
    assert body["session"]["completed_at"] is not None


def test_answer_out_of_order_is_400(api: APIClient, started: dict, questions: list[Question]) -> None:
    response = api.post(
        answer_url(started["session"]["id"]),
        {"question_id": questions[2].id, "answer_text": "x"},
        format="json",
    )
    assert response.status_code == 400
    assert "order" in response.json()["detail"]
    assert not Answer.objects.exists()


def test_answering_the_same_question_twice_is_400(
    api: APIClient, started: dict, questions: list[Question]
) -> None:
    session_id = started["session"]["id"]
    answer_all(api, session_id, questions[:1], ["first"])
    response = api.post(
        answer_url(session_id), {"question_id": questions[0].id, "answer_text": "again"}, format="json"
    )
    assert response.status_code == 400
    assert "already been answered" in response.json()["detail"]


def test_answer_to_a_completed_session_is_400(
    api: APIClient, started: dict, questions: list[Question]
) -> None:
    session_id = started["session"]["id"]
    answer_all(api, session_id, questions, ["a", "b", "c", "d", "e"])
    response = api.post(
        answer_url(session_id), {"question_id": questions[4].id, "answer_text": "more"}, format="json"
    )
    assert response.status_code == 400
    assert "completed" in response.json()["detail"]


@pytest.mark.parametrize("payload", [{}, {"answer_text": "   "}, {"answer_text": ""}])
def test_answer_without_text_or_audio_is_400(
    api: APIClient, started: dict, questions: list[Question], payload: dict
) -> None:
    response = api.post(
        answer_url(started["session"]["id"]), {"question_id": questions[0].id, **payload}, format="json"
    )
    assert response.status_code == 400
    assert "answer_text" in response.json()


@pytest.mark.parametrize("question_id", ["two", None, -1, 1.5, [1]])
def test_answer_with_a_malformed_question_id_is_400(
    api: APIClient, started: dict, questions: list[Question], question_id: Any
) -> None:
    response = api.post(
        answer_url(started["session"]["id"]), {"question_id": question_id, "answer_text": "x"}, format="json"
    )
    assert response.status_code == 400
    assert "question_id" in response.json()


def test_answer_to_an_unknown_question_is_404(
    api: APIClient, started: dict, questions: list[Question]
) -> None:
    response = api.post(
        answer_url(started["session"]["id"]), {"question_id": 999999, "answer_text": "x"}, format="json"
    )
    assert response.status_code == 404


def test_answer_to_an_inactive_question_is_404(
    api: APIClient, started: dict, questions: list[Question]
) -> None:
    Question.objects.filter(pk=questions[0].pk).update(is_active=False)
    response = api.post(
        answer_url(started["session"]["id"]),
        {"question_id": questions[0].id, "answer_text": "x"},
        format="json",
    )
    assert response.status_code == 404


@pytest.mark.parametrize("session_id", [str(uuid.uuid4()), "nope"])
def test_answer_to_an_unknown_session_is_404(
    api: APIClient, questions: list[Question], session_id: str
) -> None:
    response = api.post(
        answer_url(session_id), {"question_id": questions[0].id, "answer_text": "x"}, format="json"
    )
    assert response.status_code == 404


def test_answer_with_audio_stores_it_and_signs_an_expiring_url(
    api: APIClient, started: dict, questions: list[Question], media_cleanup: list[str], settings: Any
) -> None:
    # given a recorded answer
    session_id = started["session"]["id"]
    media_cleanup.append(session_id)
    upload = SimpleUploadedFile(
        "my answer.wav", (AUDIO / "speech_clean.wav").read_bytes(), content_type="audio/wav"
    )
    # when it is submitted without text
    response = api.post(
        answer_url(session_id), {"question_id": questions[0].id, "audio_file": upload}, format="multipart"
    )
    # then it is stored under MEDIA_ROOT, queued for transcription, and served by a signed link
    assert response.status_code == 201, response.content
    answer = Answer.objects.get()
    assert answer.audio_file.name.startswith(
        f"review/audio/{session_id}/"
    ) and answer.audio_file.name.endswith(".wav")
    assert answer.transcription_status == Answer.Transcription.PENDING
    url = response.json()["answer"]["audio_url"]
    assert url.startswith("http://testserver/media/signed/")
    assert response.json()["answer"]["answer_text"] == ""
    served = api.get(url)
    assert served.status_code == 200
    assert b"".join(served.streaming_content) == (AUDIO / "speech_clean.wav").read_bytes()
    # and the link stops working once it expires
    settings.MEDIA_URL_TTL_SECONDS = 1
    import time

    time.sleep(2.1)
    assert api.get(url).status_code == 403


@pytest.mark.parametrize("name", ["corrupt.bin", "truncated.webm", "video_no_audio.mp4"])
def test_answer_with_unreadable_audio_is_400(
    api: APIClient, started: dict, questions: list[Question], name: str
) -> None:
    upload = SimpleUploadedFile(name, (AUDIO / name).read_bytes())
    response = api.post(
        answer_url(started["session"]["id"]),
        {"question_id": questions[0].id, "audio_file": upload},
        format="multipart",
    )
    assert response.status_code == 400, response.content
    assert "audio_file" in response.json()
    assert not Answer.objects.exists()


def test_answer_with_an_empty_audio_file_is_400(
    api: APIClient, started: dict, questions: list[Question]
) -> None:
    upload = SimpleUploadedFile("empty.wav", b"")
    response = api.post(
        answer_url(started["session"]["id"]),
        {"question_id": questions[0].id, "audio_file": upload},
        format="multipart",
    )
    assert response.status_code == 400
    assert "audio_file" in response.json()


def test_answer_with_audio_over_the_upload_limit_is_413(
    api: APIClient, started: dict, questions: list[Question], settings: Any
) -> None:
    settings.MAX_UPLOAD_MB = 0.5  # type: ignore[assignment]
    upload = SimpleUploadedFile("long.wav", (AUDIO / "speech_fillers.wav").read_bytes())
    response = api.post(
        answer_url(started["session"]["id"]),
        {"question_id": questions[0].id, "audio_file": upload},
        format="multipart",
    )
    assert response.status_code == 413
    assert "larger than" in response.json()["detail"]


# --- contact ----------------------------------------------------------------------------------


def test_contact_is_attached_and_normalized(api: APIClient, started: dict) -> None:
    session_id = started["session"]["id"]
    response = api.post(
        "/api/review/session/contact/",
        {"review_session_id": session_id, "email": "user@example.com", "phone_number": "۰۹۱۲ ۱۲۳ ۴۵۶۷"},
        format="json",
    )
    assert response.status_code == 200
    assert response.json() == {
        "review_session_id": session_id,
        "email": "user@example.com",
        "phone_number": "+989121234567",
    }


def test_a_second_contact_call_updates_it(api: APIClient, started: dict) -> None:
    session_id = started["session"]["id"]
    url = "/api/review/session/contact/"
    api.post(
        url,
        {"review_session_id": session_id, "email": "a@example.com", "phone_number": "09121234567"},
        format="json",
    )
    response = api.post(
        url,
        {"review_session_id": session_id, "email": "b@example.com", "phone_number": "+98 935 765 4321"},
        format="json",
    )
    assert response.status_code == 200
    session = ReviewSession.objects.get(pk=session_id)
    assert (session.email, session.phone_number) == ("b@example.com", "+989357654321")


@pytest.mark.parametrize(
    "payload,field",
    [
        ({"email": "user@example.com", "phone_number": "+1 415 555 0123"}, "phone_number"),
        ({"email": "user@example.com", "phone_number": "12345"}, "phone_number"),
        ({"email": "user@example.com", "phone_number": "0912ABC4567"}, "phone_number"),
        ({"email": "nope", "phone_number": "09121234567"}, "email"),
        ({"phone_number": "09121234567"}, "email"),
        ({"email": "user@example.com"}, "phone_number"),
    ],
)
def test_contact_with_invalid_or_missing_fields_is_400(
    api: APIClient, started: dict, payload: dict, field: str
) -> None:
    response = api.post(
        "/api/review/session/contact/",
        {"review_session_id": started["session"]["id"], **payload},
        format="json",
    )
    assert response.status_code == 400
    assert field in response.json()


def test_contact_with_a_malformed_session_id_is_400(api: APIClient) -> None:
    response = api.post(
        "/api/review/session/contact/",
        {"review_session_id": "x", "email": "user@example.com", "phone_number": "09121234567"},
        format="json",
    )
    assert response.status_code == 400
    assert "review_session_id" in response.json()


def test_contact_for_an_unknown_session_is_404(api: APIClient) -> None:
    response = api.post(
        "/api/review/session/contact/",
        {"review_session_id": str(uuid.uuid4()), "email": "user@example.com", "phone_number": "09121234567"},
        format="json",
    )
    assert response.status_code == 404


def test_contact_status_without_contact(api: APIClient, started: dict) -> None:
    session_id = started["session"]["id"]
    response = api.get(f"/api/review/session/{session_id}/contact/")
    assert response.status_code == 200
    assert response.json() == {
        "review_session_id": session_id,
        "has_contact": False,
        "email": None,
        "phone_number": None,
    }


def test_contact_status_with_contact(api: APIClient, started: dict) -> None:
    session_id = started["session"]["id"]
    api.post(
        "/api/review/session/contact/",
        {"review_session_id": session_id, "email": "user@example.com", "phone_number": "9121234567"},
        format="json",
    )
    response = api.get(f"/api/review/session/{session_id}/contact")
    assert response.json() == {
        "review_session_id": session_id,
        "has_contact": True,
        "email": "user@example.com",
        "phone_number": "+989121234567",
    }


@pytest.mark.parametrize("session_id", [str(uuid.uuid4()), "zzz"])
def test_contact_status_for_an_unknown_session_is_404(api: APIClient, session_id: str) -> None:
    assert api.get(f"/api/review/session/{session_id}/contact/").status_code == 404


# --- meetings ---------------------------------------------------------------------------------


def _with_contact(api: APIClient, session_id: str) -> None:
    response = api.post(
        "/api/review/session/contact/",
        {"review_session_id": session_id, "email": "user@example.com", "phone_number": "09121234567"},
        format="json",
    )
    assert response.status_code == 200


def test_meeting_request_needs_contact_first(api: APIClient, started: dict) -> None:
    response = api.post(
        "/api/review/session/meeting/request/", {"review_session_id": started["session"]["id"]}, format="json"
    )
    assert response.status_code == 400
    assert "contact" in response.json()["detail"].lower() or "email" in response.json()["detail"]
    assert not MeetingRequest.objects.exists()


def test_meeting_request_is_created_pending_with_the_contact(api: APIClient, started: dict) -> None:
    session_id = started["session"]["id"]
    _with_contact(api, session_id)
    response = api.post(
        "/api/review/session/meeting/request/", {"review_session_id": session_id}, format="json"
    )
    assert response.status_code == 201
    body = response.json()
    assert set(body) == {"id", "review_session_id", "status", "email", "phone_number", "created_at"}
    assert body["review_session_id"] == session_id
    assert body["status"] == "PENDING"
    assert (body["email"], body["phone_number"]) == ("user@example.com", "+989121234567")


@pytest.mark.parametrize(
    "payload,status",
    [({"review_session_id": str(uuid.uuid4())}, 404), ({}, 400), ({"review_session_id": 7}, 400)],
)
def test_meeting_request_errors(api: APIClient, payload: dict, status: int) -> None:
    assert api.post("/api/review/session/meeting/request/", payload, format="json").status_code == status


def test_meeting_requests_are_listed_newest_first(api: APIClient, started: dict) -> None:
    session_id = started["session"]["id"]
    _with_contact(api, session_id)
    ids = [
        api.post(
            "/api/review/session/meeting/request/", {"review_session_id": session_id}, format="json"
        ).json()["id"]
        for _ in range(3)
    ]
    response = api.get(f"/api/review/session/{session_id}/meeting/requests/")
    assert response.status_code == 200
    assert [m["id"] for m in response.json()] == list(reversed(ids))
    assert all(m["status"] == "PENDING" for m in response.json())


def test_meeting_list_is_empty_for_a_session_without_requests(api: APIClient, started: dict) -> None:
    assert api.get(f"/api/review/session/{started['session']['id']}/meeting/requests").json() == []


@pytest.mark.parametrize("session_id", [str(uuid.uuid4()), "abc"])
def test_meeting_list_for_an_unknown_session_is_404(api: APIClient, session_id: str) -> None:
    assert api.get(f"/api/review/session/{session_id}/meeting/requests/").status_code == 404


def test_wrong_method_is_405_in_the_drf_dialect(api: APIClient, started: dict) -> None:
    response = api.get("/api/review/start/")
    assert response.status_code == 405
    assert "detail" in response.json()


def test_an_hour_long_recording_is_refused_before_it_is_stored(api, started, media_cleanup):
    # an hour of Opus in 1.4 MB: under the upload size limit, far over any spoken answer
    session_id = started["session"]["id"]
    media_cleanup.append(session_id)
    hour = (AUDIO / "hour_of_silence.ogg").read_bytes()
    response = api.post(
        answer_url(session_id),
        {"question_id": started["next_question"]["id"], "audio_file": SimpleUploadedFile("a.ogg", hour)},
        format="multipart",
    )
    assert response.status_code == 400
    assert response.json() == {
        "audio_file": ["audio_file lasts 60 minutes; a spoken answer may last 10 minutes."]
    }
    assert not Answer.objects.exists()
