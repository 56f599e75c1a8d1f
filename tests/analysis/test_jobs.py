"""The one job runner: claim by conditional update, finish once, take over after a lost worker,
bounded attempts and retries, dedupe, expiry, cancellation. Jobs here run inline in the test
process (kinds registered by this module exist only here); product kinds are driven through
real workers in each product's tests and in tests/e2e/test_fault_drills.py."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import OperationalError
from django.utils import timezone

from analysis import jobs
from analysis.models import Job
from analysis.tasks import job_run_task

pytestmark = pytest.mark.django_db

CALLS: list[str] = []
COMPLETED: list[Any] = []
FAILED: list[str] = []


def _echo(ctx: jobs.JobContext) -> dict[str, Any]:
    CALLS.append(str(ctx.job.pk))
    ctx.step("echoing")
    return {"echo": ctx.inputs.get("say")}


def _refuse(ctx: jobs.JobContext) -> None:
    raise jobs.JobFailure("the input says no", code="invalid")


def _crash(ctx: jobs.JobContext) -> None:
    raise ZeroDivisionError("secret internals")


def _flaky(ctx: jobs.JobContext) -> str:
    CALLS.append(f"flaky-{ctx.attempt}")
    if ctx.attempt < 2:
        raise OperationalError("database restarting")
    return "recovered"


ECHO = jobs.register(
    jobs.JobKind(
        name="test.echo",
        run=_echo,
        complete=lambda job, result: COMPLETED.append(result),
        fail=lambda job: FAILED.append(job.error_code),
    )
)
REFUSE = jobs.register(
    jobs.JobKind(name="test.refuse", run=_refuse, fail=lambda job: FAILED.append(job.error_code))
)
CRASH = jobs.register(jobs.JobKind(name="test.crash", run=_crash))


def _overrun(ctx: jobs.JobContext) -> None:
    from celery.exceptions import SoftTimeLimitExceeded

    raise SoftTimeLimitExceeded  # what a prefork worker raises inside a task past its soft limit


OVERRUN = jobs.register(jobs.JobKind(name="test.overrun", run=_overrun, time_limit_seconds=5))
FLAKY = jobs.register(
    jobs.JobKind(name="test.flaky", run=_flaky, retry_on=(OperationalError,), retry_backoff_seconds=0.01)
)


@pytest.fixture(autouse=True)
def _clean_records() -> None:
    CALLS.clear()
    COMPLETED.clear()
    FAILED.clear()


def enqueue(kind: str = "test.echo", **fields: Any) -> Job:
    return jobs.job_enqueue(kind=kind, inputs={"say": "hello"}, **fields).job


def abandoned(*, attempts: int = 1, lease_left: timedelta = timedelta(hours=-1)) -> Job:
    """A job as a dead worker leaves it: running, its lease run out."""
    job = enqueue()
    now = timezone.now()
    Job.objects.filter(pk=job.pk).update(
        status="running",
        attempts=attempts,
        started_at=now - timedelta(hours=1),
        lease_expires_at=now + lease_left,
    )
    return Job.objects.get(pk=job.pk)


# --- the task ----------------------------------------------------------------------------------


def test_the_task_is_acked_late_but_a_lost_worker_does_not_redeliver_it() -> None:
    # the lease and the reaper bring a job back, a bounded number of times; a broker redelivery
    # of a job that killed its worker would crash-loop every worker
    assert job_run_task.acks_late is True
    assert job_run_task.reject_on_worker_lost is False


# --- enqueue -----------------------------------------------------------------------------------


def test_a_job_is_handed_to_the_queue_only_after_its_transaction_commits(
    django_capture_on_commit_callbacks: Any,
) -> None:
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        job = enqueue()
    assert job.status == "pending" and job.attempts == 0 and job.queued_at is not None
    assert len(callbacks) == 2  # the send and the "queued" announcement, both after commit


def test_a_dedupe_key_returns_the_live_job_instead_of_a_second_one() -> None:
    first = jobs.job_enqueue(kind="test.echo", dedupe_key="media-1")
    again = jobs.job_enqueue(kind="test.echo", dedupe_key="media-1")
    other_kind = jobs.job_enqueue(kind="test.refuse", dedupe_key="media-1")
    assert first.created and not again.created and again.job.pk == first.job.pk
    assert other_kind.created
    # once the first finished, the same work may run again
    jobs.job_run(job_id=first.job.pk)
    assert jobs.job_enqueue(kind="test.echo", dedupe_key="media-1").created


def test_the_database_keeps_one_live_job_per_dedupe_key() -> None:
    from django.db import IntegrityError, transaction

    enqueue(dedupe_key="k")
    with pytest.raises(IntegrityError), transaction.atomic():
        Job.objects.create(kind="test.echo", dedupe_key="k", status="running")


def test_an_unknown_kind_is_refused_at_enqueue() -> None:
    with pytest.raises(KeyError, match="unknown job kind 'test.nope'"):
        jobs.job_enqueue(kind="test.nope")


# --- run ---------------------------------------------------------------------------------------


def test_a_job_runs_records_its_steps_and_finishes_once_with_its_result() -> None:
    job = enqueue()
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result == {"echo": "hello"}
    assert [p["step"] for p in job.progress] == ["echoing"]
    assert job.attempts == 1 and job.finished_at is not None and job.lease_expires_at is None
    assert COMPLETED == [{"echo": "hello"}]
    # delivered again: nothing runs, nothing is written twice
    finished_at = job.finished_at
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.finished_at == finished_at and CALLS == [str(job.pk)] and len(COMPLETED) == 1


def test_a_redelivered_message_leaves_a_run_with_a_live_lease_alone() -> None:
    job = abandoned(lease_left=timedelta(minutes=5))
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "running" and CALLS == []


def test_a_redelivered_message_takes_over_a_run_whose_lease_ran_out() -> None:
    job = abandoned(attempts=1)
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.attempts == 2


def test_an_expected_failure_fails_the_job_with_its_code_and_message() -> None:
    job = enqueue("test.refuse")
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error_code, job.error) == ("failed", "invalid", "the input says no")
    assert FAILED == ["invalid"]


def test_an_unexpected_error_fails_the_job_without_its_internals() -> None:
    job = enqueue("test.crash")
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.error_code == "internal"
    assert "ZeroDivisionError" in job.error and "secret" not in job.error


def test_a_run_past_its_soft_time_limit_fails_as_a_timeout() -> None:
    job = enqueue("test.overrun")
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error_code) == ("failed", "timeout")
    assert job.error == "The job ran past its time limit of 5 s."


def test_the_queue_is_told_each_kinds_time_limits(
    django_capture_on_commit_callbacks: Any, monkeypatch
) -> None:
    sent: list[dict[str, Any]] = []
    monkeypatch.setattr(job_run_task, "apply_async", lambda **options: sent.append(options))
    with django_capture_on_commit_callbacks(execute=True):
        enqueue("test.overrun")
    assert sent[0]["soft_time_limit"] == 5 and sent[0]["time_limit"] == 35


def test_a_transient_error_is_retried_after_a_backoff_until_it_succeeds(
    django_capture_on_commit_callbacks: Any,
) -> None:
    job = enqueue("test.flaky")
    with django_capture_on_commit_callbacks(execute=False):
        jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "pending" and job.not_before is not None and job.attempts == 1
    # not before its time
    jobs.job_run(job_id=job.pk)
    assert CALLS == ["flaky-1"]
    Job.objects.filter(pk=job.pk).update(not_before=timezone.now() - timedelta(seconds=1))
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.result == "recovered" and CALLS == ["flaky-1", "flaky-2"]


def test_a_transient_error_on_the_last_attempt_fails_the_job() -> None:
    job = enqueue("test.flaky")
    Job.objects.filter(pk=job.pk).update(max_attempts=1)
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "failed" and job.error_code == "transient" and "database restarting" in job.error


def test_a_run_that_lost_its_job_writes_nothing_at_its_next_step() -> None:
    job = enqueue()
    claimed_by_a_late_worker = abandoned(attempts=1, lease_left=timedelta(minutes=5))
    ctx = jobs.JobContext(claimed_by_a_late_worker, ECHO)
    # another worker took it over meanwhile (attempt 2)
    Job.objects.filter(pk=claimed_by_a_late_worker.pk).update(attempts=2)
    with pytest.raises(jobs.JobCancelled):
        ctx.step("late")
    assert Job.objects.get(pk=claimed_by_a_late_worker.pk).step == ""
    assert job.pk != claimed_by_a_late_worker.pk


def test_a_cancelled_job_is_failed_and_its_run_stops() -> None:
    job = enqueue()
    assert jobs.job_cancel(job_id=job.pk, reason="Superseded.") is True
    assert jobs.job_cancel(job_id=job.pk, reason="again") is False
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.error_code, job.error) == ("failed", "superseded", "Superseded.")
    assert CALLS == []


# --- reaper ------------------------------------------------------------------------------------


def test_the_reaper_requeues_a_run_whose_worker_died(django_capture_on_commit_callbacks: Any) -> None:
    job = abandoned(attempts=1)
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        assert jobs.job_reap() == 1
    job.refresh_from_db()
    assert job.status == "pending" and job.lease_expires_at is None and callbacks
    jobs.job_run(job_id=job.pk)
    job.refresh_from_db()
    assert job.status == "succeeded" and job.attempts == 2


def test_the_reaper_fails_a_run_after_its_last_attempt() -> None:
    job = abandoned(attempts=3)
    assert jobs.job_reap(job_id=job.pk) == 1
    job.refresh_from_db()
    assert job.status == "failed" and job.error_code == "worker_lost"
    assert job.error == "The job did not finish: its worker stopped responding (3 attempts)."
    assert FAILED == ["worker_lost"]


def test_the_reaper_resends_a_pending_job_whose_message_was_lost_then_gives_up() -> None:
    job = enqueue()
    Job.objects.filter(pk=job.pk).update(queued_at=timezone.now() - timedelta(minutes=5))
    assert jobs.job_reap() == 1
    job.refresh_from_db()
    assert job.status == "pending" and job.sends == 2
    # a job no worker ever claims is failed with the reason, not left pending forever
    Job.objects.filter(pk=job.pk).update(queued_at=timezone.now() - timedelta(minutes=5), sends=30)
    jobs.job_reap()
    job.refresh_from_db()
    assert job.status == "failed" and job.error_code == "no_worker"


def test_the_reaper_leaves_live_waiting_and_finished_jobs_alone() -> None:
    live = abandoned(lease_left=timedelta(minutes=5))
    fresh = enqueue()
    waiting_retry = enqueue()
    Job.objects.filter(pk=waiting_retry.pk).update(
        queued_at=timezone.now() - timedelta(minutes=5), not_before=timezone.now() + timedelta(minutes=1)
    )
    done = enqueue()
    jobs.job_run(job_id=done.pk)
    assert jobs.job_reap() == 0
    assert [Job.objects.get(pk=j.pk).status for j in (live, fresh, waiting_retry, done)] == [
        "running",
        "pending",
        "pending",
        "succeeded",
    ]


def test_expired_jobs_are_gone_for_readers_and_deleted_by_the_reaper() -> None:
    job = jobs.job_enqueue(kind="test.echo", expires_in=timedelta(seconds=60)).job
    jobs.job_run(job_id=job.pk)
    assert jobs.job_get(job_id=job.pk) is not None
    Job.objects.filter(pk=job.pk).update(expires_at=timezone.now() - timedelta(seconds=1))
    assert jobs.job_get(job_id=job.pk) is None
    jobs.job_reap()
    assert not Job.objects.filter(pk=job.pk).exists()


def test_readers_see_only_their_own_jobs_and_never_raise_on_bad_ids() -> None:
    job = enqueue(owner="user:1")
    assert jobs.job_get(job_id=str(job.pk), owner="user:1") is not None
    assert jobs.job_get(job_id=str(job.pk), owner="user:2") is None
    assert jobs.job_get(job_id=str(job.pk), kind="test.refuse") is None
    for bad in ("not-a-uuid", None, 42, str(uuid.uuid4())):
        assert jobs.job_get(job_id=bad) is None


def test_a_reader_takes_over_a_dead_run_it_finds() -> None:
    job = abandoned(attempts=3)
    seen = jobs.job_get(job_id=job.pk)
    assert seen is not None and seen.status == "failed" and seen.error_code == "worker_lost"


def test_waiting_returns_a_live_job_when_the_bound_runs_out() -> None:
    job = enqueue()
    waited = jobs.job_wait(job_id=job.pk, timeout_seconds=0.2)
    assert waited.status == "pending"
