"""A dropped connection does not lose the interview: reconnecting resumes it (the same question,
the timer from the original start), and a second socket on a session takes it over."""

from __future__ import annotations

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from interviews.models import LiveSession, LiveTurn
from tests.interviews.live.conftest import (
    VAGUE_ANSWER,
    answer,
    closed_with,
    frames_until,
    open_socket,
    send,
    started,
)

pytestmark = pytest.mark.django_db(transaction=True)


async def test_reconnecting_resumes_the_same_question_on_the_original_clock(interview: str) -> None:
    # given an interview on its first question, whose connection drops
    socket, frames = await started(interview)
    question = frames[-1]["data"]
    await socket.disconnect()
    # and ten minutes pass before the candidate is back
    await database_sync_to_async(LiveSession.objects.filter(pk=interview).update)(
        started_at=timezone.now() - timedelta(minutes=10)
    )
    # when they reconnect
    socket = await open_socket(interview)
    connected = await socket.receive_json_from(timeout=10)
    resumed = await socket.receive_json_from(timeout=10)
    # then they are told where the interview stands, and get the same question back
    assert connected["data"]["phase"] == "questioning" and connected["data"]["question_number"] == 1
    assert connected["data"]["status"] == "in_progress"
    assert resumed["type"] == "new_question"
    assert {k: resumed["data"][k] for k in ("question", "question_number", "topic")} == {
        k: question[k] for k in ("question", "question_number", "topic")
    }
    # with the time counted from the original start, not from the reconnect
    assert 1490 <= resumed["data"]["time_remaining"] <= 1500
    # and the interview goes on from there
    frames = await answer(socket, VAGUE_ANSWER)
    assert [f["type"] for f in frames] == ["score_update", "followup"]
    await socket.disconnect()


async def test_a_pending_follow_up_is_asked_again_after_a_reconnect(interview: str) -> None:
    socket, _frames = await started(interview)
    followup = (await answer(socket, VAGUE_ANSWER))[-1]
    assert followup["type"] == "followup"
    await socket.disconnect()
    socket = await open_socket(interview)
    frames = await frames_until(socket, "followup", timeout=10)
    assert [f["type"] for f in frames] == ["connected", "followup"]
    assert frames[-1]["data"]["question"] == followup["data"]["question"]
    # a client that sends start on every connection gets the same follow-up, not a new interview
    await send(socket, "start")
    assert (await socket.receive_json_from(timeout=10))["data"]["question"] == followup["data"]["question"]
    assert await database_sync_to_async(LiveTurn.objects.filter(session_id=interview).count)() == 1
    await socket.disconnect()


async def test_an_answer_scored_while_disconnected_leads_to_the_next_question(interview: str) -> None:
    # given the first question answered and scored, and the next one not yet asked (the
    # connection dropped between the two)
    socket, frames = await started(interview)
    await socket.disconnect()
    await database_sync_to_async(
        LiveTurn.objects.filter(session_id=interview).update
    )(answer_text="An answer", answered_at=timezone.now(), answer_score={"overall": 5.0, "technical": 5.0,
      "design": 5.0, "communication": 5.0, "key_points": [], "card": {}}, technical=5.0, design=5.0,
      communication=5.0, overall=5.0, scored_at=timezone.now())  # fmt: skip
    # when the candidate reconnects, the interview moves on by itself
    socket = await open_socket(interview)
    frames = await frames_until(socket, "new_question", timeout=10)
    assert frames[-1]["data"]["question_number"] == 2
    await socket.disconnect()


async def test_a_second_socket_takes_the_interview_over(interview: str) -> None:
    first, frames = await started(interview)
    question = frames[-1]["data"]["question"]
    # when the same session is opened in a second connection
    second = await open_socket(interview)
    # then the first is told and closed with 4409
    error, code = await closed_with(first)
    assert code == 4409 and error is not None and error["data"]["code"] == 4409
    assert "another connection" in error["data"]["message"]
    await first.disconnect()
    # and the second carries on with the same question
    resumed = await frames_until(second, "new_question", timeout=10)
    assert resumed[-1]["data"]["question"] == question
    assert [f["type"] for f in await answer(second, VAGUE_ANSWER)] == ["score_update", "followup"]
    await second.disconnect()


async def test_reconnecting_after_the_end_shows_the_feedback_again(interview: str, fast_clock: float) -> None:
    socket, _frames = await started(interview)
    await database_sync_to_async(LiveSession.objects.filter(pk=interview).update)(
        started_at=timezone.now() - timedelta(minutes=36)
    )
    await frames_until(socket, "feedback")
    await socket.disconnect()
    socket = await open_socket(interview)
    frames = await frames_until(socket, "feedback", timeout=10)
    assert frames[0]["data"]["phase"] == "completed" and frames[0]["data"]["time_remaining"] == 0
    assert frames[-1]["data"]["phase"] == "completed" and frames[-1]["data"]["report"]
    await socket.disconnect()
