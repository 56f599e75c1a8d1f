"""The report writer's kind of job, run by the one job runner (`analysis.jobs`)."""

from __future__ import annotations

from analysis import jobs
from reports import services

# Failures are recorded on the job; the openai provider already retried, and a client is
# polling for the outcome, so nothing here is worth a retry of the whole job.
SECTION = jobs.register(
    jobs.JobKind(
        name=services.JOB_KIND,
        run=services.section_job_run,
        complete=services.section_job_complete,
        time_limit_seconds=10 * 60,
    )
)
