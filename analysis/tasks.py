"""Celery jobs of the OKR analysis: thin, taking ids; the work is in analysis.services."""

from __future__ import annotations

import uuid
from typing import Any

from celery import shared_task

from analysis import services


@shared_task(acks_late=True, reject_on_worker_lost=True, ignore_result=True)
def analysis_run_task(analysis_id: str, run_token: str, llm: dict[str, Any] | None = None) -> None:
    # acks_late + reject_on_worker_lost: a worker that dies mid-job leaves the message to be
    # delivered again, and analysis_run takes the run over once its lease has run out.
    # `llm`: the engine choice of the process that started the run (providers.llm_options()).
    services.analysis_run(analysis_id=uuid.UUID(analysis_id), run_token=uuid.UUID(run_token), llm_options=llm)


@shared_task(ignore_result=True)
def analysis_reap_task() -> int:
    """Periodic (celery beat): requeue or fail analyses whose worker died or whose message was lost."""
    return services.analysis_reap_stale()
