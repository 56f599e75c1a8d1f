"""How the live interview uses the job runner: its kinds of slow work, and the bounded wait a
request or the interview socket makes on one. The work is enqueued (or the live job doing it is
joined, by its dedupe key), waited on up to a bound, and read from the job's result; past the
bound the job goes on, and asking again waits on the same job instead of queueing another."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from typing import Any

from channels.db import database_sync_to_async

from analysis import jobs
from analysis.models import Job
from interviews.exceptions import LiveError, LiveUnavailable, live_error_from_job, live_failure_code

PROFILE = "live.profile"
ANSWER = "live.answer"
TRANSCRIBE = "live.transcribe"
REPORT = "live.report"


def owner_of(session_id: Any) -> str:
    return f"live:{session_id}"


def _outcome(job: Job, what: str) -> Job:
    if job.is_live:
        raise LiveUnavailable(f"{what} is taking longer than expected; it goes on, ask again shortly.")
    if job.status == Job.Status.FAILED:
        error = live_error_from_job(code=job.error_code, message=job.error)
        if error is None:
            raise RuntimeError(f"{what} failed unexpectedly (job {job.pk})")
        raise error
    return job


def live_job_await(
    *, kind: str, inputs: dict[str, Any], dedupe_key: str, session_id: Any, wait_seconds: float, what: str
) -> Job:
    """The finished job (succeeded); raises the live error it failed with, or LiveUnavailable
    when it is still running after `wait_seconds`."""
    enqueued = jobs.job_enqueue(kind=kind, inputs=inputs, owner=owner_of(session_id), dedupe_key=dedupe_key)
    return _outcome(jobs.job_wait(job_id=enqueued.job.pk, timeout_seconds=wait_seconds), what)


async def alive_job_await(
    *, kind: str, inputs: dict[str, Any], dedupe_key: str, session_id: Any, wait_seconds: float, what: str
) -> Job:
    """`live_job_await` for the interview socket: the wait sleeps on the event loop."""
    enqueued = await database_sync_to_async(jobs.job_enqueue)(
        kind=kind, inputs=inputs, owner=owner_of(session_id), dedupe_key=dedupe_key
    )
    job_id: uuid.UUID = enqueued.job.pk
    return _outcome(await jobs.ajob_wait(job_id=job_id, timeout_seconds=wait_seconds), what)


def live_job_runner(work: Callable[[dict[str, Any]], Any]) -> Callable[[jobs.JobContext], Any]:
    """A kind's `run` from a service taking the job's inputs: live errors become job failures
    with a code that the waiting side turns back into the same error."""

    def run(ctx: jobs.JobContext) -> Any:
        try:
            return work(ctx.inputs)
        except LiveError as error:
            raise jobs.JobFailure(error.message, code=live_failure_code(error)) from error

    return run
