"""Answer scoring (shared with the live mock interview), the local picker's rules, the admin
pages and the API schema."""

from __future__ import annotations

import pytest

from interviews import services
from interviews.ai import questions as picker
from interviews.exceptions import AIServiceUnavailable
from interviews.models import Question
from tests.engines.llm_server import FakeLLMServer, Reply

pytestmark = pytest.mark.django_db

STRONG = (
    "In my last role I was the tech lead of a team of four engineers rebuilding our checkout page. "
    "My job was to ship it before the holiday season without losing orders. "
    "I planned the work in two-week milestones, I set up feature flags and I built the payment form myself. "
    "As a result conversion grew by 10% and checkout errors dropped by 40% within six weeks. "
    "I learned to share progress every Friday, which kept the stakeholders on our side."
)
WEAK = "Um, we did, like, a project. It was, uh, fine I think. You know, the team worked on it."


@pytest.fixture
def project_question(question_bank) -> Question:
    return Question.objects.get(slug="beh-project-led")


def test_a_complete_quantified_star_answer_outscores_a_vague_one(project_question):
    strong = services.answer_score(question=project_question, answer_text=STRONG)
    weak = services.answer_score(question=project_question, answer_text=WEAK)
    assert strong.overall > weak.overall + 3
    assert strong.engine == "local"
    assert all(0 <= s <= 10 for s in (strong.technical, strong.design, strong.communication))
    assert strong.star.result and strong.star.has_metrics
    assert [k.covered for k in strong.key_points] == [True, True, True, True]
    outcome = next(k for k in strong.key_points if k.point == "Measurable outcome")
    assert "grew by 10%" in outcome.evidence
    assert any("filler" in line for line in weak.improvements)


def test_scoring_is_deterministic(project_question):
    assert services.answer_score(question=project_question, answer_text=STRONG) == services.answer_score(
        question=project_question, answer_text=STRONG
    )


def test_a_design_answer_is_judged_on_design_concerns(question_bank):
    question = Question.objects.get(slug="sd-rate-limiter")
    answer = (
        "I would use a token bucket per API key, with the counters in Redis so every server shares them atomically. "
        "When a client is over the limit we answer 429 with a Retry-After header. "
        "If Redis is down we fail open for a short timeout, a trade-off between availability and protection, "
        "because blocking all traffic would be worse than letting some extra requests through."
    )
    score = services.answer_score(question=question, answer_text=answer)
    assert [k.covered for k in score.key_points] == [True, True, True, True]
    assert score.design >= 5
    assert score.overall >= 6


def test_an_empty_answer_scores_zero(project_question):
    score = services.answer_score(question=project_question, answer_text="   ")
    assert score.overall == 0 and score.word_count == 0
    assert score.improvements


def test_without_a_question_an_answer_is_judged_as_star(db):
    score = services.answer_score(question=None, answer_text=STRONG)
    assert score.key_points == [] and score.overall > 5


def test_the_openai_provider_scores_and_an_outage_raises_ai_unavailable(project_question, settings):
    reply = {
        "overall": 8.0, "technical": 8.0, "design": 8.0, "communication": 8.0, "key_points": [],
        "star": {"situation": True, "task": True, "action": True, "result": True, "has_metrics": True},
        "word_count": 70, "strengths": [], "improvements": [], "summary": "Good.",
    }  # fmt: skip
    with FakeLLMServer() as server:
        server.script(Reply.json(reply))
        settings.LLM_PROVIDER, settings.OPENAI_BASE_URL, settings.LLM_MAX_RETRIES = (
            "openai",
            server.base_url,
            0,
        )
        assert services.answer_score(question=project_question, answer_text=STRONG).overall == 8.0
        server.script(Reply.error(503))
        with pytest.raises(AIServiceUnavailable):
            services.answer_score(question=project_question, answer_text=STRONG)


def _candidate(id_: str, difficulty: str, topic: str = "T", kind: str = "technical") -> dict:
    return {"id": id_, "content": id_, "type": kind, "topic": topic, "difficulty": difficulty, "tags": [],
            "interviewer_types": ["Tech"]}  # fmt: skip


@pytest.mark.parametrize(
    ("score", "expected"), [(None, "medium"), (9.0, "hard"), (2.0, "easy"), (5.0, "medium")]
)
def test_the_picker_targets_difficulty_from_the_last_scored_answer(score, expected):
    history = [{"type": "technical", "topic": "A", "difficulty": "medium", "score": score}]
    candidates = [_candidate(f"{d}-{t}", d, t) for d in ("easy", "medium", "hard") for t in ("A", "B")]
    choice = picker.next_question_local(
        {"interviewer_type": "Tech", "history": history, "candidates": candidates}
    )
    assert choice.target_difficulty == expected
    assert choice.question_id.startswith(expected)
    if score is not None and score < 7:
        assert choice.question_id.endswith("-B")  # a different topic after a weak or middling answer


def test_admin_pages_render(admin_client, question_bank, carol_candidate):
    from interviews.models import PracticeSession

    session = PracticeSession.objects.create(
        user=carol_candidate, job_title="Engineer", interviewer_type="Tech"
    )
    question = Question.objects.first()
    for url in (
        "/admin/interviews/question/",
        f"/admin/interviews/question/{question.pk}/change/",
        "/admin/interviews/question/add/",
        "/admin/interviews/practicesession/",
        f"/admin/interviews/practicesession/{session.pk}/change/",
        "/admin/interviews/practicemedia/",
        "/admin/interviews/practicereport/",
    ):
        assert admin_client.get(url).status_code == 200, url


def test_the_api_schema_documents_every_practice_route(api):
    schema = api.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    paths = set(schema["paths"])
    for path in (
        "/interview/sessions",
        "/interview/sessions/{session_id}",
        "/interview/sessions/{session_id}/start",
        "/interview/sessions/{session_id}/media",
        "/interview/sessions/{session_id}/next-question",
        "/interview/media/{media_id}/transcribe",
        "/interview/media/{media_id}/report",
    ):
        assert any(p.rstrip("/") == path for p in paths), path
