"""How interview practice uses the job runner: the kinds of its slow work, and the bounded wait a
request makes on one. A request enqueues the work (or joins the live job doing it), waits up to
a bound, and answers from the stored result; past the bound the job goes on and a repeated call
waits on the same job instead of queueing a duplicate."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from analysis import jobs
from analysis.models import Job
from interviews.exceptions import JobStillRunning, PracticeError, from_job_failure, job_failure_code

TRANSCRIBE = "practice.transcribe"
REPORT = "practice.report"
NEXT_QUESTION = "practice.next_question"


def owner_of(user_id: Any) -> str:
    return f"user:{user_id}"


def practice_job_await(
    *, kind: str, inputs: dict[str, Any], dedupe_key: str, owner: str, wait_seconds: float, what: str
) -> Job:
    """The finished job (succeeded); raises the practice error it failed with, or JobStillRunning."""
    enqueued = jobs.job_enqueue(kind=kind, inputs=inputs, owner=owner, dedupe_key=dedupe_key)
    job = jobs.job_wait(job_id=enqueued.job.pk, timeout_seconds=wait_seconds)
    if job.is_live:
        raise JobStillRunning(f"{what} is still running; call again in a few seconds to collect it.")
    if job.status == Job.Status.FAILED:
        error = from_job_failure(code=job.error_code, message=job.error)
        if error is None:
            raise RuntimeError(f"{what} failed unexpectedly (job {job.pk})")
        raise error
    return job


def practice_job_runner(work: Callable[[dict[str, Any]], Any]) -> Callable[[jobs.JobContext], Any]:
    """A job kind's `run` from a service taking the job's inputs: practice errors become job
    failures with a code the waiting request turns back into its HTTP answer."""

    def run(ctx: jobs.JobContext) -> Any:
        try:
            return work(ctx.inputs)
        except PracticeError as error:
            raise jobs.JobFailure(error.message, code=job_failure_code(error)) from error

    return run
