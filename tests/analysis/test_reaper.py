"""A worker that dies mid-job never leaves an analysis `running` forever: the task is delivered
again (acks_late) and takes over once the lease ran out, and the reaper requeues or fails runs
whose worker or queue message was lost."""

from __future__ import annotations

import asyncio
import time
import uuid
from datetime import timedelta
from typing import Any

import pytest
from channels.db import database_sync_to_async
from django.utils import timezone

from analysis import services
from analysis.models import AnalysisSession
from analysis.tasks import analysis_reap_task, analysis_run_task
from tests.analysis.conftest import answer_set, frames_until, is_final, open_socket, statuses
from tests.engines.llm_server import FakeLLMServer, Reply

LONG_AGO = timedelta(hours=1)


def abandoned(
    *, status: str = "running", attempts: int = 1, lease_left: timedelta = -LONG_AGO
) -> AnalysisSession:
    """An analysis as a dead worker leaves it: running, its lease run out (or pending, long queued)."""
    now = timezone.now()
    return AnalysisSession.objects.create(
        source=AnalysisSession.Source.PAYLOAD,
        answers=answer_set("saas_specific"),
        status=status,
        attempts=attempts,
        queued_at=now - LONG_AGO,
        started_at=now - LONG_AGO if status == "running" else None,
        lease_expires_at=now + lease_left if status == "running" else None,
    )


def test_the_run_task_is_acked_late_and_rejected_when_its_worker_is_lost() -> None:
    assert analysis_run_task.acks_late is True
    assert analysis_run_task.reject_on_worker_lost is True


@pytest.mark.django_db
def test_a_redelivered_task_leaves_a_run_with_a_live_lease_alone() -> None:
    analysis = abandoned(lease_left=timedelta(minutes=5))
    analysis_run_task.apply(args=[str(analysis.id), str(analysis.run_token)])
    analysis.refresh_from_db()
    assert analysis.status == "running" and analysis.result is None


@pytest.mark.django_db
def test_a_redelivered_task_takes_over_a_run_whose_lease_ran_out() -> None:
    analysis = abandoned()
    analysis_run_task.apply(args=[str(analysis.id), str(analysis.run_token)])
    analysis.refresh_from_db()
    assert analysis.status == "succeeded" and analysis.result["engine"] == "local"
    assert analysis.lease_expires_at is None and analysis.finished_at is not None


@pytest.mark.django_db
def test_a_task_for_a_run_that_was_reset_does_nothing() -> None:
    analysis = abandoned(status="pending")
    analysis_run_task.apply(args=[str(analysis.id), str(uuid.uuid4())])
    analysis.refresh_from_db()
    assert analysis.status == "pending"


@pytest.mark.django_db
def test_a_finished_run_delivered_again_is_not_run_twice() -> None:
    analysis = abandoned(status="pending")
    analysis_run_task.apply(args=[str(analysis.id), str(analysis.run_token)])
    analysis.refresh_from_db()
    finished_at = analysis.finished_at
    analysis_run_task.apply(args=[str(analysis.id), str(analysis.run_token)])
    analysis.refresh_from_db()
    assert analysis.status == "succeeded" and analysis.finished_at == finished_at


@pytest.mark.django_db
def test_the_reaper_fails_a_run_after_its_last_attempt() -> None:
    analysis = abandoned(attempts=services.MAX_ATTEMPTS)
    assert analysis_reap_task.apply().get() == 1
    analysis.refresh_from_db()
    assert analysis.status == "failed"
    assert (
        analysis.error
        == "The analysis did not finish: its worker stopped responding (3 attempts). Start it again."
    )


@pytest.mark.django_db
def test_the_reaper_fails_a_run_no_worker_ever_picked_up() -> None:
    analysis = abandoned(status="pending", attempts=services.MAX_ATTEMPTS)
    analysis_reap_task.apply()
    analysis.refresh_from_db()
    assert analysis.status == "failed" and "no worker picked it up" in analysis.error


@pytest.mark.django_db
def test_the_reaper_leaves_live_and_finished_runs_alone() -> None:
    live = abandoned(lease_left=timedelta(minutes=5))
    fresh = AnalysisSession.objects.create(
        source="payload", answers=[], status="pending", queued_at=timezone.now()
    )
    done = AnalysisSession.objects.create(source="payload", answers=[], status="succeeded", result={})
    assert analysis_reap_task.apply().get() == 0
    for analysis, status in ((live, "running"), (fresh, "pending"), (done, "succeeded")):
        analysis.refresh_from_db()
        assert analysis.status == status


@pytest.mark.django_db(transaction=True)
def test_the_reaper_requeues_a_lost_run_and_the_worker_finishes_it(celery_worker: str) -> None:
    # given a run whose worker died (lease long gone)
    analysis = abandoned(attempts=1)
    # when the periodic reaper runs
    assert analysis_reap_task.apply().get() == 1
    # then it is requeued (a second attempt) and a live worker completes it
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        analysis.refresh_from_db()
        if analysis.status in ("succeeded", "failed"):
            break
        time.sleep(0.1)
    assert analysis.status == "succeeded" and analysis.attempts == 2


@pytest.mark.django_db(transaction=True)
async def test_a_client_connecting_to_a_dead_run_sees_it_taken_over_and_finished(celery_worker: str) -> None:
    # given a run left `running` by a dead worker
    analysis = await database_sync_to_async(abandoned)()
    # when a client connects to it
    socket, snapshot = await open_socket(f"/ws/analysis/{analysis.id}/")
    # then it is not shown as running forever: it was requeued and runs to the end
    assert snapshot["status"] in ("pending", "running", "succeeded")
    if snapshot["status"] != "succeeded":
        frames = await frames_until(socket, is_final)
        assert statuses(frames)[-1] == "succeeded" and frames[-1]["type"] == "result"
    await socket.disconnect()
    await database_sync_to_async(analysis.refresh_from_db)()
    assert analysis.status == "succeeded" and analysis.attempts == 2


@pytest.mark.django_db(transaction=True)
async def test_a_start_sent_while_a_run_is_going_supersedes_it(celery_worker: str, settings: Any) -> None:
    from analysis import okr
    from analysis.engines import llm

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
    analysis = await database_sync_to_async(AnalysisSession.objects.get)(pk=session_id)
    assert analysis.status == "succeeded" and analysis.engine.startswith("openai:")
