"""Adaptive next question through the real worker: interviewer type, job description, no
repeats, harder or different after scored answers; the bank seeds idempotently."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.test import override_settings
from django.utils import timezone

from interviews import selectors
from interviews.ai import questions as picker
from interviews.models import Difficulty, PracticeSession, PracticeTurn, Question
from interviews.seeds import question_bank_read, seed_questions
from tests.conftest import bearer
from tests.engines.llm_server import FakeLLMServer, Reply
from tests.interviews.conftest import AUDIO, create_session, start_session, upload

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("celery_worker", "question_bank"),
]


def _ask(api, user, session_id):
    return api.post(f"/interview/sessions/{session_id}/next-question", **bearer(user))


def _started(api, user, **overrides) -> dict:
    session = create_session(api, user, **overrides)
    start_session(api, user, session["id"])
    return session


def test_the_next_question_has_the_spec_shape(api, carol_candidate):
    session = _started(api, carol_candidate)
    response = _ask(api, carol_candidate, session["id"])
    assert response.status_code == 200, response.content
    body = response.json()
    assert {"id", "content", "type"} <= set(body)
    question = Question.objects.get(pk=body["id"])
    assert (body["content"], body["type"]) == (question.content, question.type)
    assert body["question_number"] == 1
    assert body["reason"]


def test_a_tech_interviewer_asks_technical_questions_about_the_job_description(api, carol_candidate):
    session = _started(
        api,
        carol_candidate,
        interviewer_type="Tech",
        job_title="Backend Engineer",
        job_description="We run PostgreSQL and Python services; you will tune SQL queries and database indexes.",
    )
    first = _ask(api, carol_candidate, session["id"]).json()
    question = Question.objects.get(pk=first["id"])
    assert question.type in {"technical", "system_design"}
    assert "Tech" in question.interviewer_types
    assert question.topic in {"Databases", "Python"}
    assert question.difficulty == "medium"  # the opening level
    assert "job description" in first["reason"]


def test_an_hr_interviewer_asks_motivation_and_behavioural_questions(api, carol_candidate):
    session = _started(
        api, carol_candidate, interviewer_type="HR", job_title="Account Manager", job_description=""
    )
    kinds = [
        Question.objects.get(pk=_ask(api, carol_candidate, session["id"]).json()["id"]) for _ in range(4)
    ]
    assert all(q.type in {"culture_fit", "behavioral", "situational"} for q in kinds)
    assert all("HR" in q.interviewer_types for q in kinds)


def test_questions_never_repeat_until_the_bank_runs_out(api, carol_candidate):
    session = _started(api, carol_candidate, interviewer_type="Manager", duration_minutes=120)
    bank_size = len(question_bank_read())
    asked = [_ask(api, carol_candidate, session["id"]).json()["id"] for _ in range(bank_size)]
    assert len(set(asked)) == bank_size
    exhausted = _ask(api, carol_candidate, session["id"])
    assert exhausted.status_code == 400
    assert exhausted.json()["detail"].startswith("No questions left")


def _given_answered(session_id: str, score: float) -> Question:
    """The session has asked one medium question, whose answer's report scored `score`."""
    question = (
        Question.objects.filter(difficulty="medium", type="technical", interviewer_types__icontains="Tech")
        .order_by("slug")
        .first()
    )
    assert question is not None
    PracticeTurn.objects.create(
        session_id=session_id, question=question, order=1, score=score, scored_at=timezone.now()
    )
    return question


def test_a_strong_answer_is_followed_by_a_harder_question(api, carol_candidate):
    session = _started(api, carol_candidate)
    previous = _given_answered(session["id"], score=9.0)
    body = _ask(api, carol_candidate, session["id"]).json()
    following = Question.objects.get(pk=body["id"])
    assert Difficulty.level_of(following.difficulty) == Difficulty.level_of(previous.difficulty) + 1
    assert "9.0/10" in body["reason"] and "harder" in body["reason"]


def test_a_weak_answer_is_followed_by_an_easier_question_on_other_ground(api, carol_candidate):
    session = _started(api, carol_candidate)
    previous = _given_answered(session["id"], score=2.0)
    following = Question.objects.get(pk=_ask(api, carol_candidate, session["id"]).json()["id"])
    assert Difficulty.level_of(following.difficulty) == Difficulty.level_of(previous.difficulty) - 1
    assert following.topic != previous.topic


def test_a_middling_answer_keeps_the_level_and_changes_topic(api, carol_candidate):
    session = _started(api, carol_candidate)
    previous = _given_answered(session["id"], score=5.5)
    following = Question.objects.get(pk=_ask(api, carol_candidate, session["id"]).json()["id"])
    assert following.difficulty == previous.difficulty
    assert following.topic != previous.topic


def test_a_recorded_answer_scores_its_question_and_steers_the_next_one(api, carol_candidate):
    # given a behavioural session whose first question was answered with a recording
    session = _started(api, carol_candidate, interviewer_type="Behavioral", job_description="")
    first = _ask(api, carol_candidate, session["id"]).json()
    media = upload(api, carol_candidate, session["id"], AUDIO / "speech_no_fillers.wav").json()
    assert media["question_id"] == first["id"]
    report = api.post(f"/interview/media/{media['id']}/report", **bearer(carol_candidate)).json()
    # then the answer was scored against that question's key points
    turn = PracticeTurn.objects.get(session_id=session["id"], question_id=first["id"])
    assert turn.score == report["answer_score"]["overall"]
    assert {k["point"] for k in report["answer_score"]["key_points"]} == {
        picker_point.split(" (")[0] for picker_point in Question.objects.get(pk=first["id"]).key_points
    }
    # and the next question moves as the documented rule says for that score
    second = Question.objects.get(pk=_ask(api, carol_candidate, session["id"]).json()["id"])
    level = Difficulty.level_of(Question.objects.get(pk=first["id"]).difficulty)
    expected = level + 1 if turn.score >= 7 else level - 1 if turn.score < 4.5 else level
    assert Difficulty.level_of(second.difficulty) == max(1, min(3, expected))


def test_the_session_must_be_started_and_not_over(api, carol_candidate):
    session = create_session(api, carol_candidate)
    response = _ask(api, carol_candidate, session["id"])
    assert response.status_code == 400 and "not started" in response.json()["detail"]
    start_session(api, carol_candidate, session["id"])
    PracticeSession.objects.filter(pk=session["id"]).update(started_at=timezone.now() - timedelta(hours=2))
    response = _ask(api, carol_candidate, session["id"])
    assert response.status_code == 400 and "ended" in response.json()["detail"]


def test_someone_elses_session_gets_no_question(api, carol_candidate, mallory):
    session = _started(api, carol_candidate)
    for session_id in (session["id"], str(uuid.uuid4())):
        assert _ask(api, mallory, session_id).status_code == 404
    assert not PracticeTurn.objects.exists()


def test_the_openai_provider_chooses_from_the_shortlist(api, carol_candidate):
    session = _started(api, carol_candidate)
    offered = picker.shortlist(
        selectors.next_question_inputs(session=PracticeSession.objects.get(pk=session["id"]))
    )
    with FakeLLMServer() as server:
        chosen = offered["candidates"][-1]["id"]  # the provider may prefer what the local ranking put last
        server.script(
            Reply.json({"question_id": chosen, "target_difficulty": "hard", "reason": "Deeper dive."})
        )
        with override_settings(LLM_PROVIDER="openai", OPENAI_BASE_URL=server.base_url):
            response = _ask(api, carol_candidate, session["id"])
    assert response.status_code == 200, response.content
    assert response.json()["reason"] == "Deeper dive."
    assert response.json()["id"] == chosen
    prompt = server.requests[0].body["messages"][1]["content"]
    assert prompt.count("- id=") == picker.SHORTLIST


def test_a_provider_that_invents_a_question_or_is_down_is_a_503(api, carol_candidate):
    session = _started(api, carol_candidate)
    with FakeLLMServer() as server:
        server.script(
            Reply.json({"question_id": str(uuid.uuid4()), "target_difficulty": "easy", "reason": "?"})
        )
        with override_settings(LLM_PROVIDER="openai", OPENAI_BASE_URL=server.base_url, LLM_MAX_RETRIES=0):
            invented = _ask(api, carol_candidate, session["id"])
            server.script(Reply.error(500))
            down = _ask(api, carol_candidate, session["id"])
    assert invented.status_code == 503 and "not offered" in invented.json()["detail"]
    assert down.status_code == 503 and down.json()["detail"].startswith("The AI service is unavailable")
    assert not PracticeTurn.objects.exists()


def test_seeding_the_bank_twice_changes_nothing(question_bank):
    seeded = question_bank_read()
    assert question_bank == len(seeded)
    assert seed_questions() == (0, 0)
    # an admin edit of a seeded question is restored by a reseed, and counted
    Question.objects.filter(slug=seeded[0]["slug"]).update(content="edited")
    assert seed_questions() == (0, 1)
