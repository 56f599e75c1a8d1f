"""An OKR analysis whose worker dies never stays `running`: its job's lease lapses and the runner
takes it over (tests/analysis/test_jobs.py covers the runner itself); a restart supersedes the run
going on, which then writes and sends nothing."""

from __future__ import annotations

import asyncio
import time
import uuid
from typing import Any

import pytest
from channels.db import database_sync_to_async

from analysis import jobs
from review.models import AnalysisSession
from tests.engines.llm_server import FakeLLMServer, Reply
from tests.review.okr_flow import analysis_in_state, answer_set, frames_until, is_final, open_socket, statuses


@pytest.mark.django_db
def test_a_job_of_a_restarted_analysis_does_nothing() -> None:
    # given an analysis restarted while its first job was still queued
    analysis = analysis_in_state(status="pending", answers=answer_set("saas_specific"))
    first_job = analysis.job
    from review import services

    services.analysis_start(session_id=analysis.pk)
    analysis.refresh_from_db()
    # when the first job's message arrives
    jobs.job_run(job_id=first_job.pk)
    # then it was superseded: failed as such, and the analysis belongs to the new job
    first_job.refresh_from_db()
    assert first_job.status == "failed" and first_job.error_code == "superseded"
    assert analysis.job_id != first_job.pk and analysis.job.status == "pending"


@pytest.mark.django_db(transaction=True)
def test_the_reaper_requeues_a_lost_run_and_the_worker_finishes_it(celery_worker: str) -> None:
    # given a run whose worker died (lease long gone)
    analysis = analysis_in_state(
        status="running", answers=answer_set("saas_specific"), lease_left_seconds=-3600
    )
    # when the reaper runs (every worker runs it periodically too)
    jobs.job_reap()
    # then it is requeued (a second attempt) and a live worker completes it
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        analysis = AnalysisSession.objects.select_related("job").get(pk=analysis.pk)
        if analysis.status in ("succeeded", "failed"):
            break
        time.sleep(0.1)
    assert analysis.status == "succeeded" and analysis.job.attempts == 2
    assert analysis.result is not None and analysis.result["engine"] == "local"


@pytest.mark.django_db(transaction=True)
async def test_a_client_connecting_to_a_dead_run_sees_it_taken_over_and_finished(celery_worker: str) -> None:
    # given a run left `running` by a dead worker
    analysis = await database_sync_to_async(analysis_in_state)(
        status="running", answers=answer_set("saas_specific"), lease_left_seconds=-3600
    )
    # when a client connects to it
    socket, snapshot = await open_socket(f"/ws/analysis/{analysis.id}/")
    # then it is not shown as running forever: it was requeued and runs to the end
    assert snapshot["status"] in ("pending", "running", "succeeded")
    if snapshot["status"] != "succeeded":
        frames = await frames_until(socket, is_final)
        assert statuses(frames)[-1] == "succeeded" and frames[-1]["type"] == "result"
    await socket.disconnect()
    job = await database_sync_to_async(lambda: AnalysisSession.objects.get(pk=analysis.pk).job)()
    assert job.status == "succeeded" and job.attempts == 2


@pytest.mark.django_db(transaction=True)
async def test_a_start_sent_while_a_run_is_going_supersedes_it(celery_worker: str, settings: Any) -> None:
    from analysis.engines import llm
    from review import ai as okr

    answers = answer_set("saas_specific")
    payload = llm.run(okr.TASK_NAME, {"answers": answers}, config=llm.LLMConfig()).model_dump(
        exclude={"engine"}
    )
    with FakeLLMServer() as server:
        # the first run's provider call is slow; the second one answers at once
        server.script(Reply.slow(1.5, payload), Reply.json(payload))
        settings.LLM_PROVIDER, settings.OPENAI_BASE_URL, settings.LLM_MAX_RETRIES = (
            "openai",
            server.base_url,
            0,
        )
        session_id = str(uuid.uuid4())
        socket, _ = await open_socket(f"/ws/analysis/{session_id}/")
        await socket.send_json_to({"session_id": session_id, "answers": answers})
        await frames_until(socket, lambda f: f.get("step") == "analyzing", timeout=30)
        # when the start is sent again while the first run waits on the provider
        await socket.send_json_to({"session_id": session_id, "answers": answers})
        frames = await frames_until(socket, is_final, timeout=30)
        # then the new run finishes and the old one, finishing later, writes and sends nothing
        await asyncio.sleep(2.0)
        assert await socket.receive_nothing(timeout=0.5)
        await socket.disconnect()
    assert frames[0] == {"type": "accepted", "session_id": session_id}
    assert statuses(frames) == ["pending", "running", "succeeded"]
    assert len([f for f in frames if f["type"] == "result"]) == 1
    analysis = await database_sync_to_async(AnalysisSession.objects.select_related("job").get)(pk=session_id)
    assert analysis.status == "succeeded" and analysis.engine.startswith("openai:")
