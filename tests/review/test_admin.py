"""Staff edit questions, read sessions with their answers, and move meeting requests along."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from review.models import Answer, MeetingRequest, Question, ReviewSession

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client: Client) -> Client:
    admin = User.objects.create_superuser("staff@example.com", "pw-staff-123456")
    client.force_login(admin)
    return client


@pytest.fixture
def session_with_answers(questions: list[Question]) -> ReviewSession:
    session = ReviewSession.objects.create(email="f@example.com", phone_number="+989121234567")
    Answer.objects.create(session=session, question=questions[0], answer_text="Grow MRR to $80k by Q2.")
    return session


def test_staff_edit_a_question_prompt_order_and_active(staff: Client, questions: list[Question]) -> None:
    question = questions[1]
    response = staff.post(
        f"/admin/review/question/{question.pk}/change/",
        {"prompt": "What stands in your way?", "order": 7, "is_active": ""},
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.prompt, question.order, question.is_active) == ("What stands in your way?", 7, False)


def test_staff_add_a_question(staff: Client, questions: list[Question]) -> None:
    response = staff.post(
        "/admin/review/question/add/", {"prompt": "Who are your customers?", "order": 6, "is_active": "on"}
    )
    assert response.status_code == 302
    assert Question.objects.filter(prompt="Who are your customers?", order=6, is_active=True).exists()


def test_question_list_renders(staff: Client, questions: list[Question]) -> None:
    assert staff.get("/admin/review/question/").status_code == 200


def test_a_session_page_shows_its_answers_inline(staff: Client, session_with_answers: ReviewSession) -> None:
    response = staff.get(f"/admin/review/reviewsession/{session_with_answers.pk}/change/")
    assert response.status_code == 200
    assert "Grow MRR to $80k by Q2." in response.content.decode()
    assert staff.get("/admin/review/reviewsession/").status_code == 200


def test_staff_move_a_meeting_request_on(staff: Client, session_with_answers: ReviewSession) -> None:
    meeting = MeetingRequest.objects.create(
        session=session_with_answers, email="f@example.com", phone_number="+989121234567"
    )
    assert staff.get("/admin/review/meetingrequest/").status_code == 200
    # by the bulk action
    response = staff.post(
        "/admin/review/meetingrequest/", {"action": "mark_contacted", "_selected_action": [meeting.pk]}
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert meeting.status == MeetingRequest.Status.CONTACTED
    # and on its own page a note is kept, while the status moves only through the actions
    # (which go through meeting_request_set_status), never by editing the field
    response = staff.post(
        f"/admin/review/meetingrequest/{meeting.pk}/change/",
        {"status": "SCHEDULED", "staff_note": "Tue 10:00"},
    )
    assert response.status_code == 302
    meeting.refresh_from_db()
    assert (meeting.status, meeting.staff_note) == ("CONTACTED", "Tue 10:00")


def test_meeting_requests_cannot_be_added_by_staff(staff: Client, session_with_answers: Any) -> None:
    assert staff.get("/admin/review/meetingrequest/add/").status_code == 403
