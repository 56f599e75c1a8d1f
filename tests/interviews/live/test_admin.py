"""Staff edit the question bank the live interviewer asks from (topic, difficulty, key points, role
tags), and read live sessions with their questions, answers and scores without changing them."""

from __future__ import annotations

import json
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from interviews.models import LiveDocument, LiveSession, LiveTurn, Question
from interviews.seeds import seed_questions

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("staff@example.com", "pw-staff-123456"))
    return client


def _question_form(question: Question, **changes: Any) -> dict[str, Any]:
    form = {
        "slug": question.slug,
        "content": question.content,
        "type": question.type,
        "topic": question.topic,
        "difficulty": question.difficulty,
        "is_active": "on",
        "interviewer_types": json.dumps(question.interviewer_types),
        "key_points": json.dumps(question.key_points),
        "tags": json.dumps(question.tags),
        "explanation": question.explanation,
    }
    return {**form, **changes}


def test_staff_edit_a_bank_questions_topic_difficulty_key_points_and_role_tags(staff: Client) -> None:
    seed_questions()
    question = Question.objects.filter(type="technical").order_by("slug").first()
    assert question is not None
    response = staff.post(
        f"/admin/interviews/question/{question.pk}/change/",
        _question_form(
            question,
            topic="Payments",
            difficulty="hard",
            key_points=json.dumps(
                ["Idempotency keys (idempotent, retry)", "Reconciliation (ledger, reconcile)"]
            ),
            tags=json.dumps(["payments", "fintech"]),
        ),
    )
    assert response.status_code == 302
    question.refresh_from_db()
    assert (question.topic, question.difficulty) == ("Payments", "hard")
    assert question.key_points[0].startswith("Idempotency keys") and question.tags == ["payments", "fintech"]
    # and the list shows the role tags
    assert "payments, fintech" in staff.get("/admin/interviews/question/").content.decode()


def test_a_bad_key_point_list_is_refused_in_the_form(staff: Client) -> None:
    seed_questions()
    question = Question.objects.order_by("slug").first()
    assert question is not None
    response = staff.post(
        f"/admin/interviews/question/{question.pk}/change/", _question_form(question, key_points='["", 3]')
    )
    assert response.status_code == 200 and "non-empty strings" in response.content.decode()


def test_staff_read_a_live_session_with_its_answers_and_scores_but_cannot_change_it(staff: Client) -> None:
    session = LiveSession.objects.create(phase="questioning", status="in_progress", detected_seniority="mid")
    LiveDocument.objects.create(
        session=session, kind="job_description", format="text", text="Build APIs.", role="API Engineer"
    )
    LiveTurn.objects.create(
        session=session, order=1, source="generated", source_key="plan:0", content="How do you version an API?",
        type="technical", topic="APIs", difficulty="medium", answer_text="With a version in the path.",
        answered_at=timezone.now(), technical=6.5, design=5.0, communication=8.0, overall=6.4,
        scored_at=timezone.now(),
    )  # fmt: skip
    page = staff.get(f"/admin/interviews/livesession/{session.pk}/change/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "How do you version an API?" in html and "With a version in the path." in html and "6.4" in html
    assert staff.get("/admin/interviews/livesession/").status_code == 200
    # read-only: no saving, no adding
    assert (
        staff.post(f"/admin/interviews/livesession/{session.pk}/change/", {"phase": "completed"}).status_code
        == 403
    )
    assert staff.get("/admin/interviews/livesession/add/").status_code == 403
    session.refresh_from_db()
    assert session.phase == "questioning"
