"""With the openai provider an answer is scored by a job on the real worker, against an
OpenAI-compatible server on loopback: the provider's score and follow-up reach the socket in the
same frames, and an outage is an `error` frame after which `ready` scores the kept answer."""

from __future__ import annotations

from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.test import override_settings

from analysis.models import Job
from interviews.models import LiveTurn
from tests.engines.llm_server import FakeLLMServer, Reply
from tests.interviews.live.conftest import NEXT, answer, frames_until, send, started

pytestmark = pytest.mark.django_db(transaction=True)

ANSWER = "I would ship it with a Helm chart from the pipeline and keep an eye on it."


def provider_score(key_points: list[str], covered: int) -> dict[str, Any]:
    return {
        "overall": 4.2,
        "technical": 3.5,
        "design": 5.0,
        "communication": 6.0,
        "key_points": [
            {
                "point": point.split(" (")[0],
                "covered": index < covered,
                "evidence": ANSWER if index < covered else "",
            }
            for index, point in enumerate(key_points)
        ],
        "star": {"situation": False, "task": False, "action": True, "result": False, "has_metrics": False},
        "word_count": 16,
        "strengths": ['Named the deployment path: "a Helm chart from the pipeline"'],
        "improvements": ["Say how you would keep it reliable."],
        "summary": "Covers deployment only.",
    }


@database_sync_to_async
def first_turn(session_id: str) -> LiveTurn:
    return LiveTurn.objects.get(session_id=session_id, order=1)


async def test_the_provider_scores_through_a_job_and_words_the_follow_up(interview: str) -> None:
    socket, _frames = await started(interview)
    turn = await first_turn(interview)
    with FakeLLMServer() as server:
        server.script(
            Reply.json(provider_score(turn.key_points, covered=1)),
            Reply.json(
                {
                    "question": "How would you roll it back if it failed?",
                    "reason": "Answer was vague on reliability",
                }
            ),
        )
        with override_settings(LLM_PROVIDER="openai", OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="k"):
            frames = await answer(socket, ANSWER)
    # then the frames carry the provider's score and its follow-up
    score, followup = frames
    assert score["data"]["current_scores"] == {"technical": 3.5, "design": 5.0, "communication": 6.0}
    assert score["data"]["strengths"] == ['Named the deployment path: "a Helm chart from the pipeline"']
    assert "1 of 4 key points" in score["data"]["feedback"]
    assert followup["data"] == {
        "question": "How would you roll it back if it failed?",
        "reason": "Answer was vague on reliability",
        "time_remaining": followup["data"]["time_remaining"],
        "question_number": 1,
    }
    # and the work ran as a job of the worker, on the answer and the question's key points
    job = await database_sync_to_async(Job.objects.get)(kind="live.answer")
    assert job.status == "succeeded" and job.inputs["turn_id"] == str(turn.pk)
    prompt = server.requests[0].body["messages"][1]["content"]
    assert ANSWER in prompt and turn.key_points[0] in prompt
    await socket.disconnect()


async def test_an_outage_keeps_the_answer_and_ready_scores_it_later(interview: str) -> None:
    socket, _frames = await started(interview)
    turn = await first_turn(interview)
    with FakeLLMServer() as server:
        server.script(Reply.error(500))
        with override_settings(
            LLM_PROVIDER="openai", OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="k", LLM_MAX_RETRIES=0
        ):
            # when the provider is down
            await send(socket, "answer", {"text": ANSWER})
            error = (await frames_until(socket, "error"))[-1]
            # then the candidate is told, and the answer is kept for scoring
            assert error["data"]["code"] == 4503 and "unavailable" in error["data"]["message"]
            kept = await first_turn(interview)
            assert kept.answer_text == ANSWER and kept.answer_score is None
            # and answering again is refused while it waits to be scored
            await send(socket, "answer", {"text": "again"})
            refused = await socket.receive_json_from(timeout=10)
            assert refused["data"]["code"] == 4409 and "still being scored" in refused["data"]["message"]
            # when the provider is back and the candidate sends ready
            server.script(Reply.json(provider_score(turn.key_points, covered=4)))
            await send(socket, "ready")
            frames = await frames_until(socket, lambda frame: frame["type"] in NEXT)
    # then the kept answer is scored and the interview moves on (all key points: no follow-up)
    assert [f["type"] for f in frames] == ["score_update", "new_question"]
    assert (await first_turn(interview)).answer_text == ANSWER
    await socket.disconnect()
