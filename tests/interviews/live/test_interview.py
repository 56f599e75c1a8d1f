"""The interview over ws/interview/{session_id} with the real worker: connected, intro, questions,
scores, follow-ups (one on a vague answer, none on a complete one, never two), time_remaining,
the end by time or by questions, feedback, the report and what memory opt-in keeps."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone
from rest_framework.test import APIClient

from interviews.ai import live_report
from interviews.ai.language import KeyPoint, appears_in
from interviews.models import LiveSession
from tests.interviews.live.conftest import (
    VAGUE_ANSWER,
    acomplete_answer,
    answer,
    frames_until,
    of_type,
    open_socket,
    send,
    session_row,
    started,
    turns_of,
)

pytestmark = pytest.mark.django_db(transaction=True)

# Says one of the Kubernetes question's key points' words without its cues: the closest it came.
PARTLY = "Reliable releases depend on many people, good planning, clear ownership, careful reviews and steady communication."


async def test_connecting_says_where_the_session_stands_and_nothing_more(interview: str) -> None:
    socket = await open_socket(interview)
    frame = await socket.receive_json_from(timeout=10)
    assert frame["type"] == "connected"
    assert {k: frame["data"][k] for k in ("session_id", "status", "phase", "seniority")} == {
        "session_id": interview,
        "status": "created",
        "phase": "setup",
        "seniority": "senior",
    }
    # no question and no clock before start
    assert await socket.receive_nothing(timeout=0.5)
    await socket.disconnect()


async def test_start_introduces_the_interview_and_asks_the_first_focus_area(interview: str) -> None:
    socket, frames = await started(interview)
    intro, phase, question = frames
    session = await session_row(interview)
    focus = [area["name"] for area in session.profile["focus_areas"]]
    # then the intro names the focus areas the profile chose
    assert intro["type"] == "intro"
    assert intro["data"]["phase"] == "intro" and intro["data"]["focus_areas"] == focus
    assert "35 minutes" in intro["data"]["message"] and "8 questions" in intro["data"]["message"]
    assert phase == {
        "type": "phase_update",
        "data": {"phase": "questioning", "message": "Questions start now."},
    }
    # and the first question is the one written for the first focus area (a resume gap)
    data = question["data"]
    assert data["question_number"] == 1 and data["focus_area"] == focus[0] == "Kubernetes"
    assert {"question", "difficulty", "topic", "explanation", "time_remaining"} <= set(data)
    assert data["difficulty"] in ("easy", "medium", "hard") and data["explanation"]
    assert 2090 <= data["time_remaining"] <= 2100
    assert session.phase == "questioning" and session.status == "in_progress" and session.started_at
    await socket.disconnect()


async def test_a_vague_answer_gets_one_follow_up_and_never_a_second(interview: str) -> None:
    socket, _frames = await started(interview)
    # when the answer misses the question's key points
    frames = await answer(socket, f"{VAGUE_ANSWER} {PARTLY}")
    score, followup = frames
    # then it is scored, with improvements that quote the answer where it came close
    assert score["type"] == "score_update"
    data = score["data"]
    assert set(data["current_scores"]) == {"technical", "design", "communication"}
    assert all(0 <= value <= 10 for value in data["current_scores"].values())
    assert data["running_average"] == data["current_scores"]
    assert data["feedback"].startswith("Weak answer") and "0 of 4 key points" in data["feedback"]
    assert data["strengths"] == []
    quoted = [i for i in data["improvements"] if "the closest you came was" in i]
    assert quoted and appears_in(quoted[0].split('"')[-2], PARTLY)
    # and a follow-up asks for what was missed
    assert followup["type"] == "followup"
    turn = (await turns_of(interview))[0]
    missed = [KeyPoint.parse(p).name for p in turn.key_points]
    assert missed[0].lower() in followup["data"]["question"].lower()
    assert followup["data"]["reason"].startswith("Answer was")
    assert followup["data"]["question_number"] == 1 and followup["data"]["time_remaining"] > 2000
    # when the follow-up answer is vague too
    frames = await answer(socket, VAGUE_ANSWER)
    # then it is scored and the interview moves on: never a second follow-up on one question
    assert [f["type"] for f in frames] == ["score_update", "new_question"]
    assert frames[0]["data"]["is_followup"] is True and frames[1]["data"]["question_number"] == 2
    first = (await turns_of(interview))[0]
    assert first.followup_question and first.scored_at and first.followup_answer_text == VAGUE_ANSWER
    await socket.disconnect()


async def test_a_complete_answer_gets_no_follow_up(interview: str) -> None:
    socket, frames = await started(interview)
    question = frames[-1]["data"]["question"]
    # when the answer covers every key point
    frames = await answer(socket, await acomplete_answer(question))
    # then it is scored and the next question follows at once
    assert [f["type"] for f in frames] == ["score_update", "new_question"]
    score = frames[0]["data"]
    assert "4 of 4 key points" in score["feedback"] and score["strengths"]
    assert not [i for i in score["improvements"] if i.startswith("Missed")]
    turn = (await turns_of(interview))[0]
    assert not turn.followup_question and turn.scored_at and turn.overall == score["overall"]
    assert frames[1]["data"]["question_number"] == 2
    await socket.disconnect()


async def test_the_follow_up_answer_is_scored_with_the_first_one(interview: str) -> None:
    socket, frames = await started(interview)
    question = frames[-1]["data"]["question"]
    first = (await answer(socket, VAGUE_ANSWER))[0]["data"]
    # when the follow-up covers what the first answer missed
    second = (await answer(socket, await acomplete_answer(question)))[0]["data"]
    # then the question's score rises, and the running average counts the question once
    assert second["is_followup"] and second["overall"] > first["overall"]
    assert second["running_average"] == second["current_scores"]
    await socket.disconnect()


async def test_ready_sends_the_waiting_question_again_without_moving_on(interview: str) -> None:
    socket, frames = await started(interview)
    await send(socket, "ready")
    again = await frames_until(socket, "new_question")
    assert again[-1]["data"]["question"] == frames[-1]["data"]["question"]
    assert again[-1]["data"]["question_number"] == 1
    # a second start does not introduce the interview again: it carries on
    await send(socket, "start")
    assert [f["type"] for f in await frames_until(socket, "new_question")] == ["new_question"]
    assert len(await turns_of(interview)) == 1
    await socket.disconnect()


@pytest.mark.parametrize(
    ("raw", "code", "says"),
    [
        ("not json", 4400, "Invalid JSON"),
        ('["start"]', 4400, "JSON object"),
        ('{"type": "dance"}', 4400, "Unknown message type"),
        ('{"type": "answer", "data": "text"}', 4400, '"text"'),
        ('{"type": "answer", "data": {"text": "   "}}', 4400, "empty"),
        ('{"type": "voice_toggle", "data": {"enabled": "yes"}}', 4400, "voice_toggle"),
    ],
)
async def test_malformed_messages_get_an_error_and_the_socket_stays_usable(
    interview: str, raw: str, code: int, says: str
) -> None:
    socket, frames = await started(interview)
    await socket.send_to(text_data=raw)
    error = await socket.receive_json_from(timeout=10)
    assert error["type"] == "error" and error["data"]["code"] == code and says in error["data"]["message"]
    await send(socket, "ready")
    assert (await frames_until(socket, "new_question"))[-1]["data"]["question_number"] == 1
    await socket.disconnect()


async def test_answers_and_ready_before_start_are_refused(interview: str) -> None:
    socket = await open_socket(interview)
    await socket.receive_json_from(timeout=10)
    for kind, data in (("answer", {"text": "hello there"}), ("ready", None)):
        await send(socket, kind, data)
        error = await socket.receive_json_from(timeout=10)
        assert (
            error["type"] == "error" and error["data"]["code"] == 4409 and "start" in error["data"]["message"]
        )
    assert (await session_row(interview)).phase == "setup"
    await socket.disconnect()


async def test_time_remaining_comes_every_tick_from_start(interview: str, fast_clock: float) -> None:
    socket = await open_socket(interview)
    await socket.receive_json_from(timeout=10)
    # before start the clock does not run
    assert await socket.receive_nothing(timeout=fast_clock * 3)
    await send(socket, "start")
    await frames_until(socket, "new_question")
    ticks = [(await frames_until(socket, "time_remaining"))[-1] for _ in range(3)]
    seconds = [tick["data"]["seconds"] for tick in ticks]
    assert all(2095 <= s <= 2100 for s in seconds) and seconds == sorted(seconds, reverse=True)
    for tick in ticks:
        s = tick["data"]["seconds"]
        assert tick["data"]["formatted"] == f"{s // 60:02d}:{s % 60:02d}"
    await socket.disconnect()


async def test_when_time_runs_out_the_interview_is_evaluated(interview: str, fast_clock: float) -> None:
    socket, _frames = await started(interview)
    # given the interview started 35 minutes ago, less a second
    await database_sync_to_async(LiveSession.objects.filter(pk=interview).update)(
        started_at=timezone.now() - timedelta(minutes=35) + timedelta(seconds=1)
    )
    # then the clock ends it: evaluation, the feedback, completed
    frames = await frames_until(socket, "feedback")
    phases = [f["data"]["phase"] for f in of_type(frames, "phase_update")]
    assert phases == ["evaluation"]
    feedback = frames[-1]["data"]
    assert feedback["phase"] == "completed" and feedback["recommendation"] == "No Hire"
    assert "time ran out" in feedback["report"]
    assert (await socket.receive_json_from(timeout=10))["data"]["phase"] == "completed"
    session = await session_row(interview)
    assert session.end_reason == "time" and session.phase == "completed" and session.report
    # and an answer sent now is refused
    await send(socket, "answer", {"text": "one more thing"})
    error = await socket.receive_json_from(timeout=10)
    assert error["type"] == "error" and "over" in error["data"]["message"]
    await socket.disconnect()


async def _interview_to_the_end(session_id: str) -> tuple[list[dict[str, Any]], list[dict[str, Any]]]:
    """Eight questions: odd ones answered completely, even ones vaguely (twice, with the follow-up).
    Returns (every score_update, the frames from the last answer to the end)."""
    socket, frames = await started(session_id)
    question = frames[-1]["data"]
    scores: list[dict[str, Any]] = []
    while True:
        text = (
            await acomplete_answer(question["question"]) if question["question_number"] % 2 else VAGUE_ANSWER
        )
        frames = await answer(socket, text)
        scores += of_type(frames, "score_update")
        last = frames[-1]
        if last["type"] == "feedback":
            frames.append(await socket.receive_json_from(timeout=10))
            await socket.disconnect()
            return scores, frames
        if last["type"] == "new_question":
            question = last["data"]


async def test_a_full_interview_ends_with_feedback_and_a_report(interview: str) -> None:
    api = APIClient()
    scores, end = await _interview_to_the_end(interview)
    # then eight questions were asked, the even ones followed up once
    turns = await turns_of(interview)
    assert [t.order for t in turns] == list(range(1, 9))
    assert [bool(t.followup_question) for t in turns] == [False, True] * 4
    assert len(scores) == 12
    # and the end: evaluation, the feedback in the spec's shape, completed
    assert [f["type"] for f in end[-4:]] == ["score_update", "phase_update", "feedback", "phase_update"]
    assert end[-3]["data"]["phase"] == "evaluation" and end[-1]["data"]["phase"] == "completed"
    feedback = end[-2]["data"]
    assert set(feedback) == {"report", "recommendation", "skill_roadmap", "final_scores", "phase"}
    assert set(feedback["final_scores"]) == {"technical", "design", "communication"}
    # and the report over REST agrees with it
    report = (await database_sync_to_async(api.get)(f"/interview/report/{interview}")).json()
    assert report["status"] == "completed" and report["detected_seniority"] == "senior"
    assert report["scores"] == feedback["final_scores"] and report["final_report"] == feedback["report"]
    assert report["recommendation"] == feedback["recommendation"]
    # the recommendation is the documented threshold on the scores
    overall = report["overall"]
    assert overall == round(sum(t.overall for t in turns) / 8, 1)
    expected, _why = live_report.recommend({**report["scores"], "overall": overall}, 8)
    assert report["recommendation"] == expected
    # every roadmap item rests on questions that showed the gap
    assert report["skill_roadmap"]
    weak = {item["question_number"] for item in report["qa_history"] if item["scores"]["overall"] < 6.5}
    missed = {
        item["question_number"]
        for item in report["qa_history"]
        if not all(k["covered"] for k in item["key_points"])
    }
    for item in report["skill_roadmap"]:
        assert item["evidence"] and item["actions"] and item["priority"] in ("high", "medium", "low")
        assert {e["question_number"] for e in item["evidence"]} <= weak | missed
    # the history has every question with its scores, timestamps and duration
    assert [item["question_number"] for item in report["qa_history"]] == list(range(1, 9))
    assert all(item["scores"] and item["feedback"] for item in report["qa_history"])
    assert report["started_at"] < report["ended_at"] and report["duration_minutes"] >= 0
    assert (await session_row(interview)).end_reason == "questions"


async def test_without_memory_opt_in_the_answers_are_erased_once_the_report_exists(interview: str) -> None:
    await _interview_to_the_end(interview)
    # then the answer texts are gone from the turns and the report; scores and report stay
    turns = await turns_of(interview)
    assert all(t.answer_text == "" and t.followup_answer_text == "" for t in turns)
    assert all(t.overall is not None for t in turns)
    assert all(k["evidence"] == "" for t in turns for k in (t.answer_score or {}).get("key_points", []))
    report = (await database_sync_to_async(APIClient().get)(f"/interview/report/{interview}")).json()
    assert report["answers_erased"] is True
    assert all(item["answer"] is None for item in report["qa_history"])
    assert all(item["followup"]["answer"] is None for item in report["qa_history"] if item["followup"])
    assert report["final_report"] and report["scores"]


async def test_with_memory_opt_in_the_answers_are_kept(interview: str) -> None:
    api = APIClient()
    # given the candidate opted in before the interview
    response = await database_sync_to_async(api.post)(
        "/interview/opt-in-memory", {"session_id": interview, "opt_in": True}, format="json"
    )
    assert response.json()["memory_opt_in"] is True
    await _interview_to_the_end(interview)
    # then the answers stay, in the turns and in the report
    turns = await turns_of(interview)
    assert all(t.answer_text for t in turns)
    report = (await database_sync_to_async(api.get)(f"/interview/report/{interview}")).json()
    assert report["answers_erased"] is False
    assert [item["answer"] for item in report["qa_history"]] == [t.answer_text for t in turns]
    # and opting out afterwards erases them at once
    response = await database_sync_to_async(api.post)(
        "/interview/opt-in-memory", {"session_id": interview, "opt_in": False}, format="json"
    )
    assert response.json()["message"] == "Memory storage disabled; the answer texts have been erased"
    assert all(t.answer_text == "" for t in await turns_of(interview))
    report = (await database_sync_to_async(api.get)(f"/interview/report/{interview}")).json()
    assert all(item["answer"] is None for item in report["qa_history"]) and report["scores"]
