"""The one Celery task that runs every kind of job, and the periodic reaper; thin, taking ids."""

from __future__ import annotations

from celery import shared_task

from analysis import jobs


# acks_late without reject_on_worker_lost: a message whose worker died is not redelivered by
# the broker (a poison job would crash-loop the workers); the job's lease lapses instead and the
# reaper queues it again, a bounded number of times.
@shared_task(acks_late=True, reject_on_worker_lost=False, ignore_result=True)
def job_run_task(job_id: str) -> None:
    jobs.job_run(job_id=job_id)


@shared_task(ignore_result=True)
def job_reap_task() -> int:
    """For `celery beat` deployments; every worker also reaps on its own (see config.celery)."""
    return jobs.job_reap()
