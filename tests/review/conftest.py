"""The review questionnaire as a founder meets it: the five default questions, a started session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient

from review.models import Question
from review.seeds import seed_questions

AUDIO = Path(__file__).resolve().parents[1] / "fixtures" / "audio"


@pytest.fixture
def questions(db: Any) -> list[Question]:
    seed_questions()
    return list(Question.objects.order_by("order"))


@pytest.fixture
def started(api: APIClient, questions: list[Question]) -> dict[str, Any]:
    """A session just started over the API (the response body)."""
    response = api.post("/api/review/start/", {}, format="json")
    assert response.status_code == 201
    return response.json()


@pytest.fixture
def media_cleanup() -> Iterator[list[str]]:
    """Session ids whose uploaded audio is removed from MEDIA_ROOT after the test."""
    session_ids: list[str] = []
    yield session_ids
    for session_id in session_ids:
        shutil.rmtree(Path(settings.MEDIA_ROOT) / "review" / "audio" / session_id, ignore_errors=True)


def answer_url(session_id: str) -> str:
    return f"/api/review/{session_id}/answer/"


def answer_all(
    api: APIClient, session_id: str, questions: list[Question], texts: list[str]
) -> dict[str, Any]:
    body: dict[str, Any] = {}
    for question, text in zip(questions, texts, strict=True):
        response = api.post(
            answer_url(session_id), {"question_id": question.id, "answer_text": text}, format="json"
        )
        assert response.status_code == 201, response.content
        body = response.json()
    return body


@pytest.fixture
def completed_review(transactional_db: Any, celery_worker: str) -> str:
    """A review answered with the specific SaaS answer set, committed so the worker can read it."""
    from tests.review.okr_flow import answer_set, review_through_the_api

    return review_through_the_api(APIClient(), [a["answer"] for a in answer_set("saas_specific")])
