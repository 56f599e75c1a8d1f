"""Celery jobs of the OKR analysis: thin, taking ids; the work is in analysis.services."""

from __future__ import annotations

import uuid

from celery import shared_task

from analysis import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def analysis_run_task(analysis_id: str, run_token: str) -> None:
    # acks_late + reject_on_worker_lost: a worker that dies mid-job leaves the message to be
    # delivered again, and analysis_run takes the run over once its lease has run out.
    services.analysis_run(analysis_id=uuid.UUID(analysis_id), run_token=uuid.UUID(run_token))


@shared_task(ignore_result=True)
def analysis_reap_task() -> int:
    """Periodic (celery beat): requeue or fail analyses whose worker died or whose message was lost."""
    return services.analysis_reap_stale()
