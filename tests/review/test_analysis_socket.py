"""ws/analysis/{session_id}/ end to end: snapshots, start validation, the job through the real
Celery worker, events to every watching socket, resets, reconnects, failures."""

from __future__ import annotations

import copy
import uuid
from typing import Any

import pytest
from channels.db import database_sync_to_async
from rest_framework.test import APIClient

from review.models import AnalysisSession, Answer, ReviewSession
from tests.engines.llm_server import FakeLLMServer, Reply
from tests.review.okr_flow import (
    AUDIO,
    analysis_in_state,
    answer_set,
    frames_until,
    is_final,
    open_socket,
    review_through_the_api,
    statuses,
)

pytestmark = pytest.mark.django_db(transaction=True)


def five_answers(name: str = "saas_specific") -> list[dict[str, Any]]:
    return copy.deepcopy(answer_set(name))


# --- snapshots --------------------------------------------------------------------------------


@pytest.mark.parametrize("path_id", [str(uuid.uuid4()), "not-a-uuid"])
async def test_an_unknown_id_gets_not_found(path_id: str) -> None:
    socket, snapshot = await open_socket(f"/ws/analysis/{path_id}/")
    assert snapshot == {
        "type": "status",
        "status": "not_found",
        "session_id": path_id,
        "review_session_id": None,
        "error": None,
        "result": None,
    }
    await socket.disconnect()


async def test_a_review_without_analysis_gets_not_completed() -> None:
    review = await database_sync_to_async(ReviewSession.objects.create)()
    socket, snapshot = await open_socket(f"/ws/analysis/{review.id}")
    assert snapshot["status"] == "not_completed"
    assert snapshot["review_session_id"] == str(review.id) and snapshot["result"] is None
    await socket.disconnect()


@pytest.mark.parametrize("status", ["pending", "running", "failed", "succeeded"])
async def test_an_existing_analysis_is_snapshotted_by_its_id_and_by_its_reviews_id(status: str) -> None:
    # given an analysis of a review in each state (running with a live lease)
    review = await database_sync_to_async(ReviewSession.objects.create)()
    analysis = await database_sync_to_async(analysis_in_state)(
        review=review,
        status=status,
        error="boom" if status == "failed" else "",
        dashboard={"summary": "done"} if status == "succeeded" else None,
    )
    expected = {
        "type": "status",
        "status": status,
        "session_id": str(analysis.id),
        "review_session_id": str(review.id),
        "error": "boom" if status == "failed" else None,
        "result": {"summary": "done"} if status == "succeeded" else None,
    }
    for path_id in (analysis.id, review.id):
        socket, snapshot = await open_socket(f"/ws/analysis/{path_id}/")
        assert snapshot == expected
        await socket.disconnect()


# --- start validation -------------------------------------------------------------------------


def _answers_with(change: Any) -> list[dict[str, Any]]:
    answers = five_answers()
    change(answers)
    return answers


INVALID_STARTS = [
    ([1, 2], "JSON object"),
    ({}, "review_session_id, or session_id with five answers"),
    ({"foo": "bar"}, "review_session_id, or session_id with five answers"),
    ({"review_session_id": "abc"}, "review_session_id must be a UUID"),
    ({"review_session_id": 12}, "review_session_id must be a UUID"),
    ({"session_id": "abc", "answers": five_answers()}, "session_id must be a UUID"),
    ({"review_session_id": str(uuid.uuid4()), "session_id": str(uuid.uuid4())}, "must match"),
    ({"session_id": str(uuid.uuid4()), "answers": "all good"}, "answers must be a list"),
    ({"session_id": str(uuid.uuid4()), "answers": five_answers()[:4]}, "exactly five answers"),
    (
        {"session_id": str(uuid.uuid4()), "answers": [*five_answers(), five_answers()[0]]},
        "exactly five answers",
    ),
    (
        {"session_id": str(uuid.uuid4()), "answers": _answers_with(lambda a: a[0].update(order=6))},
        "answers[0].order",
    ),
    (
        {"session_id": str(uuid.uuid4()), "answers": _answers_with(lambda a: a[0].update(order="1"))},
        "answers[0].order",
    ),
    (
        {"session_id": str(uuid.uuid4()), "answers": _answers_with(lambda a: a[0].update(order=True))},
        "answers[0].order",
    ),
    (
        {"session_id": str(uuid.uuid4()), "answers": _answers_with(lambda a: a[1].update(order=1))},
        "exactly once (repeated: 1)",
    ),
    (
        {"session_id": str(uuid.uuid4()), "answers": _answers_with(lambda a: a[2].update(prompt="  "))},
        "answers[2].prompt must be a non-empty string",
    ),
    (
        {"session_id": str(uuid.uuid4()), "answers": _answers_with(lambda a: a[2].pop("prompt"))},
        "answers[2].prompt",
    ),
    (
        {"session_id": str(uuid.uuid4()), "answers": _answers_with(lambda a: a[3].update(answer=""))},
        "answers[3].answer must be a non-empty string",
    ),
    (
        {"session_id": str(uuid.uuid4()), "answers": _answers_with(lambda a: a[3].update(answer=7))},
        "answers[3].answer",
    ),
    (
        {
            "session_id": str(uuid.uuid4()),
            "answers": _answers_with(lambda a: a[4].update(question_id="five")),
        },
        "answers[4].question_id must be an integer",
    ),
    ({"session_id": str(uuid.uuid4()), "answers": [1, 2, 3, 4, 5]}, "answers[0] must be an object"),
    (
        {"session_id": str(uuid.uuid4()), "answers": _answers_with(lambda a: a[1].update(answer="a\x00b"))},
        "answers[1].answer contains a NUL character",
    ),
    ({"review_session_id": str(uuid.uuid4())}, "Review session not found"),
    ({"session_id": str(uuid.uuid4())}, "Unknown session"),
]


@pytest.mark.parametrize("frame,message", INVALID_STARTS)
async def test_an_invalid_start_gets_an_error_frame_and_starts_nothing(frame: Any, message: str) -> None:
    socket, _ = await open_socket(f"/ws/analysis/{uuid.uuid4()}/")
    await socket.send_json_to(frame)
    error = await socket.receive_json_from(timeout=10)
    assert error["type"] == "error"
    assert message in error["message"]
    assert await database_sync_to_async(AnalysisSession.objects.count)() == 0
    await socket.disconnect()


async def test_answers_with_several_problems_name_them_all() -> None:
    answers = five_answers()
    answers[0]["order"], answers[1]["prompt"], answers[2]["answer"] = 9, "", " "
    socket, _ = await open_socket(f"/ws/analysis/{uuid.uuid4()}/")
    await socket.send_json_to({"session_id": str(uuid.uuid4()), "answers": answers})
    message = (await socket.receive_json_from(timeout=10))["message"]
    assert "answers[0].order" in message and "answers[1].prompt" in message and "answers[2].answer" in message
    await socket.disconnect()


async def test_non_json_and_binary_frames_get_error_frames() -> None:
    socket, _ = await open_socket(f"/ws/analysis/{uuid.uuid4()}/")
    await socket.send_to(text_data="start please")
    assert (await socket.receive_json_from(timeout=5))["type"] == "error"
    await socket.send_to(bytes_data=b"\x00")
    assert (await socket.receive_json_from(timeout=5))["type"] == "error"
    await socket.disconnect()


async def test_a_review_that_is_not_completed_cannot_be_analysed() -> None:
    # given a review with one of five questions answered
    texts = [a["answer"] for a in answer_set("saas_specific")]
    review_id = await database_sync_to_async(review_through_the_api)(APIClient(), texts[:1], partial=True)
    socket, snapshot = await open_socket(f"/ws/analysis/{review_id}/")
    assert snapshot["status"] == "not_completed"
    # when the analysis is started from it
    await socket.send_json_to({"review_session_id": review_id})
    # then it is refused
    assert await socket.receive_json_from(timeout=10) == {
        "type": "error",
        "message": "The review is not completed: answer every question, then start the analysis.",
    }
    await socket.disconnect()


# --- the whole flow ---------------------------------------------------------------------------


async def test_from_start_to_dashboard_through_the_worker(completed_review: str) -> None:
    # given a completed review and a socket watching it
    socket, snapshot = await open_socket(f"/ws/analysis/{completed_review}/")
    assert snapshot["status"] == "not_completed"
    # when the founder starts the analysis from the review
    await socket.send_json_to({"review_session_id": completed_review})
    accepted = await socket.receive_json_from(timeout=10)
    # then it is accepted under an analysis id of its own
    assert accepted["type"] == "accepted"
    analysis_id = accepted["session_id"]
    assert analysis_id != completed_review
    # and the job reports pending -> running -> succeeded, real progress steps, and the dashboard
    frames = await frames_until(socket, is_final)
    assert statuses(frames) == ["pending", "running", "succeeded"]
    for frame in frames:
        if frame["type"] == "status":
            assert frame["session_id"] == analysis_id and frame["review_session_id"] == completed_review
            assert frame["error"] is None and frame["result"] is None
    steps = [f["step"] for f in frames if f["type"] == "progress"]
    assert steps == [
        "collecting_answers",
        "analyzing",
        "extracting_goal",
        "drafting_okrs",
        "finding_blockers_and_strengths",
        "scoring",
        "writing_recommendations",
    ]
    result = frames[-1]
    assert result["type"] == "result"
    assert result["data"]["engine"] == "local"
    assert result["data"]["goal"]["statement"].startswith("Grow monthly recurring revenue")
    assert result["data"]["scores"]["overall"] >= 80
    await socket.disconnect()
    # and a client that reconnects (by either id) gets the result in its snapshot
    for path_id in (completed_review, analysis_id):
        again, snapshot = await open_socket(f"/ws/analysis/{path_id}/")
        assert snapshot["status"] == "succeeded"
        assert snapshot["session_id"] == analysis_id and snapshot["result"] == result["data"]
        await again.disconnect()


async def test_answers_sent_with_the_start_are_analysed_under_the_sent_id(celery_worker: str) -> None:
    session_id = str(uuid.uuid4())
    socket, snapshot = await open_socket(f"/ws/analysis/{session_id}/")
    assert snapshot["status"] == "not_found"
    await socket.send_json_to({"session_id": session_id, "answers": five_answers("marketplace_mixed")})
    assert await socket.receive_json_from(timeout=10) == {"type": "accepted", "session_id": session_id}
    frames = await frames_until(socket, is_final)
    assert statuses(frames) == ["pending", "running", "succeeded"]
    assert all(f["review_session_id"] is None for f in frames if f["type"] == "status")
    assert [a["text"] for a in frames[-1]["data"]["flagged_activities"]] == [
        "post on Instagram 5 times a week",
        "run two seller workshops every month",
    ]
    await socket.disconnect()


async def test_answers_without_an_id_are_analysed_under_the_sockets_id(celery_worker: str) -> None:
    session_id = str(uuid.uuid4())
    socket, _ = await open_socket(f"/ws/analysis/{session_id}/")
    await socket.send_json_to({"answers": five_answers("bakery_vague")})
    assert await socket.receive_json_from(timeout=10) == {"type": "accepted", "session_id": session_id}
    frames = await frames_until(socket, is_final)
    assert frames[-1]["data"]["scores"]["overall"] <= 30
    await socket.disconnect()


async def test_answers_sent_for_a_review_override_its_stored_ones(completed_review: str) -> None:
    socket, _ = await open_socket(f"/ws/analysis/{completed_review}/")
    await socket.send_json_to(
        {
            "review_session_id": completed_review,
            "session_id": completed_review,
            "answers": five_answers("bakery_vague"),
        }
    )
    accepted = await socket.receive_json_from(timeout=10)
    assert accepted["type"] == "accepted"
    frames = await frames_until(socket, is_final)
    assert frames[-1]["data"]["scores"]["overall"] <= 30
    await socket.disconnect()


async def test_every_socket_watching_the_review_or_the_analysis_gets_the_same_events(
    completed_review: str,
) -> None:
    # given a first analysis of the review, run to the end
    starter, _ = await open_socket(f"/ws/analysis/{completed_review}/")
    await starter.send_json_to({"review_session_id": completed_review})
    analysis_id = (await starter.receive_json_from(timeout=10))["session_id"]
    first_run = await frames_until(starter, is_final)
    # and two more sockets: one on the review's id, one on the analysis's id
    by_review, _ = await open_socket(f"/ws/analysis/{completed_review}/")
    by_analysis, snapshot = await open_socket(f"/ws/analysis/{analysis_id}/")
    assert snapshot["status"] == "succeeded"
    # when the start is sent again (by the analysis id this time)
    await starter.send_json_to({"session_id": analysis_id})
    assert await starter.receive_json_from(timeout=10) == {"type": "accepted", "session_id": analysis_id}
    # then the analysis is reset and all three sockets hear the same run, in the same order
    runs = [await frames_until(socket, is_final) for socket in (starter, by_review, by_analysis)]
    assert runs[0] == runs[1] == runs[2]
    assert statuses(runs[0]) == ["pending", "running", "succeeded"]
    assert runs[0][-1] == first_run[-1]  # deterministic engine, same answers
    for socket in (starter, by_review, by_analysis):
        await socket.disconnect()


async def test_resending_a_start_resets_the_analysis(completed_review: str) -> None:
    socket, _ = await open_socket(f"/ws/analysis/{completed_review}/")
    await socket.send_json_to({"review_session_id": completed_review})
    analysis_id = (await socket.receive_json_from(timeout=10))["session_id"]
    await frames_until(socket, is_final)
    before = await database_sync_to_async(AnalysisSession.objects.get)(pk=analysis_id)
    # when the start is sent again
    await socket.send_json_to({"review_session_id": completed_review})
    accepted = await socket.receive_json_from(timeout=10)
    pending = await socket.receive_json_from(timeout=10)
    # then the same analysis is back to pending with its result cleared, under a new run
    assert accepted == {"type": "accepted", "session_id": analysis_id}
    assert pending["status"] == "pending" and pending["result"] is None
    frames = await frames_until(socket, is_final)
    assert statuses(frames) == ["running", "succeeded"]
    after = await database_sync_to_async(AnalysisSession.objects.get)(pk=analysis_id)
    assert after.job_id != before.job_id
    assert await database_sync_to_async(lambda: after.status)() == "succeeded"
    assert await database_sync_to_async(AnalysisSession.objects.count)() == 1
    await socket.disconnect()


# --- audio ------------------------------------------------------------------------------------


async def test_a_recorded_answer_is_transcribed_and_analysed(
    transactional_db: Any, celery_worker: str, media_cleanup: list[str]
) -> None:
    # given a review whose first answer is a recording
    texts: list[Any] = [a["answer"] for a in answer_set("saas_specific")]
    texts[0] = AUDIO / "speech_clean.wav"
    review_id = await database_sync_to_async(review_through_the_api)(APIClient(), texts)
    media_cleanup.append(review_id)
    # when the analysis is started at once (the background transcription may still be queued)
    socket, _ = await open_socket(f"/ws/analysis/{review_id}/")
    await socket.send_json_to({"review_session_id": review_id})
    analysis_id = (await socket.receive_json_from(timeout=10))["session_id"]
    frames = await frames_until(socket, is_final)
    # then the recording was transcribed by the speech engine and the analysis read the transcript
    assert statuses(frames)[-1] == "succeeded"
    answer = await database_sync_to_async(Answer.objects.get)(session_id=review_id, question__order=1)
    assert answer.transcription_status == Answer.Transcription.DONE
    assert "weather" in answer.transcript.lower() and "market" in answer.transcript.lower()
    analysis = await database_sync_to_async(AnalysisSession.objects.get)(pk=analysis_id)
    assert analysis.answers[0]["answer"] == answer.transcript
    await socket.disconnect()


async def test_the_background_task_transcribes_a_recorded_answer(
    transactional_db: Any, celery_worker: str, media_cleanup: list[str]
) -> None:
    import asyncio
    import time

    review = await database_sync_to_async(ReviewSession.objects.create)()
    media_cleanup.append(str(review.id))

    def answer_with_audio() -> int:
        from django.core.files.uploadedfile import SimpleUploadedFile

        from review.models import Question
        from review.seeds import seed_questions

        seed_questions()
        question = Question.objects.order_by("order").first()
        upload = SimpleUploadedFile("a.wav", (AUDIO / "speech_clean.wav").read_bytes())
        response = APIClient().post(
            f"/api/review/{review.id}/answer/",
            {"question_id": question.id, "audio_file": upload},
            format="multipart",
        )
        assert response.status_code == 201
        return response.json()["answer"]["id"]

    answer_id = await database_sync_to_async(answer_with_audio)()
    deadline = time.monotonic() + 90
    while True:
        answer = await database_sync_to_async(Answer.objects.get)(pk=answer_id)
        if answer.transcription_status != Answer.Transcription.PENDING or time.monotonic() > deadline:
            break
        await asyncio.sleep(0.2)
    assert answer.transcription_status == Answer.Transcription.DONE
    assert "library" in answer.transcript.lower()


# --- failures ---------------------------------------------------------------------------------


async def test_a_failing_job_reports_failed_with_its_error(
    transactional_db: Any, celery_worker: str, media_cleanup: list[str]
) -> None:
    # given a review whose second answer is a recording of silence
    texts: list[Any] = [a["answer"] for a in answer_set("saas_specific")]
    texts[1] = AUDIO / "silence.wav"
    review_id = await database_sync_to_async(review_through_the_api)(APIClient(), texts)
    media_cleanup.append(review_id)
    socket, _ = await open_socket(f"/ws/analysis/{review_id}/")
    # when the analysis runs
    await socket.send_json_to({"review_session_id": review_id})
    analysis_id = (await socket.receive_json_from(timeout=10))["session_id"]
    frames = await frames_until(socket, is_final)
    # then it fails, saying why, and no result is sent
    assert statuses(frames) == ["pending", "running", "failed"]
    assert frames[-1]["error"] == "Answer 2 has no text: its recording contains no recognisable speech."
    assert not [f for f in frames if f["type"] == "result"]
    await socket.disconnect()
    # and a reconnecting client sees the failure in its snapshot
    again, snapshot = await open_socket(f"/ws/analysis/{analysis_id}/")
    assert snapshot["status"] == "failed" and snapshot["error"].startswith("Answer 2 has no text")
    await again.disconnect()


async def test_a_failing_ai_provider_fails_the_job_without_falling_back(
    celery_worker: str, settings: Any
) -> None:
    with FakeLLMServer() as server:
        server.script(Reply.error(500))
        settings.LLM_PROVIDER, settings.OPENAI_BASE_URL, settings.OPENAI_MODEL = (
            "openai",
            server.base_url,
            "gpt-test",
        )
        settings.LLM_MAX_RETRIES, settings.LLM_TIMEOUT_SECONDS = 0, 5.0
        session_id = str(uuid.uuid4())
        socket, _ = await open_socket(f"/ws/analysis/{session_id}/")
        await socket.send_json_to({"session_id": session_id, "answers": five_answers()})
        await socket.receive_json_from(timeout=10)
        frames = await frames_until(socket, is_final)
        await socket.disconnect()
    assert statuses(frames) == ["pending", "running", "failed"]
    assert frames[-1]["error"].startswith(
        "The AI provider failed: okr_dashboard: openai:gpt-test: provider error (HTTP 500)"
    )


async def test_the_openai_provider_produces_the_dashboard_through_the_worker(
    celery_worker: str, settings: Any
) -> None:
    from analysis.engines import llm
    from review import ai as okr

    expected = llm.run(okr.TASK_NAME, {"answers": five_answers()}, config=llm.LLMConfig()).model_dump(
        exclude={"engine"}
    )
    with FakeLLMServer() as server:
        server.script(Reply.json(expected))
        settings.LLM_PROVIDER, settings.OPENAI_BASE_URL, settings.OPENAI_MODEL = (
            "openai",
            server.base_url,
            "gpt-test",
        )
        settings.LLM_MAX_RETRIES = 0
        session_id = str(uuid.uuid4())
        socket, _ = await open_socket(f"/ws/analysis/{session_id}/")
        await socket.send_json_to({"session_id": session_id, "answers": five_answers()})
        await socket.receive_json_from(timeout=10)
        frames = await frames_until(socket, is_final)
        await socket.disconnect()
    assert frames[-1]["data"] == {**expected, "engine": "openai:gpt-test"}
