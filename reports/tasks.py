"""Celery tasks for report sections: thin, taking ids."""

from __future__ import annotations

from celery import shared_task

from reports import services


@shared_task(acks_late=True, ignore_result=True)
def section_job_run_task(job_id: str) -> None:
    # Failures are recorded on the job by the service; nothing here is worth a Celery retry,
    # because the openai provider already retried and a client is polling for the outcome.
    services.section_job_run(job_id=job_id)
