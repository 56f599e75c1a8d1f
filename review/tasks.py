"""The OKR coach's kinds of job, run by the one job runner (`analysis.jobs`): thin, taking ids."""

from __future__ import annotations

from analysis import jobs
from review import services

# The dashboard waits on the LLM provider (timeout x retries) and may transcribe recordings first.
ANALYSIS = jobs.register(
    jobs.JobKind(
        name=services.JOB_KIND,
        run=services.analysis_run,
        complete=services.analysis_complete,
        notify=services.analysis_announce,
        time_limit_seconds=15 * 60,
    )
)


def answer_transcribe_run(ctx: jobs.JobContext) -> None:
    # A redelivery finds the transcript done; a file that cannot be read marks the answer failed.
    services.answer_transcribe(answer_id=ctx.inputs["answer_id"])


ANSWER_TRANSCRIBE = jobs.register(
    jobs.JobKind(name=services.TRANSCRIBE_JOB_KIND, run=answer_transcribe_run, time_limit_seconds=5 * 60)
)
