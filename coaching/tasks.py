"""The coach platform's kinds of job and its periodic tasks (thin: ids in, one service call)."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from analysis import jobs
from coaching import services

ROLLUP_KIND = "coaching.rollup"

# One attempt of one webhook delivery. The job's own attempts cover a worker lost mid-POST (the
# receiver drops the repeat by its X-Webhook-Id); the delivery's retries are new jobs (see
# coaching.services.webhooks), so no `retry_on` here.
WEBHOOK = jobs.register(
    jobs.JobKind(
        name=services.WEBHOOK_KIND,
        run=services.webhook_attempt_run,
        complete=services.webhook_attempt_complete,
        fail=services.webhook_attempt_fail,
        time_limit_seconds=120,
        max_attempts=2,
    )
)


def _rollup_run(ctx: jobs.JobContext) -> dict[str, Any]:
    ctx.step("rolling up")
    return {"zones": services.rollup_run(force=bool(ctx.inputs.get("force")))}


ROLLUP = jobs.register(jobs.JobKind(name=ROLLUP_KIND, run=_rollup_run, time_limit_seconds=30 * 60))


@shared_task(ignore_result=True)
def rollup_task(force: bool = False) -> None:
    """Beat, every five minutes: the rollup up to now (and, once a night per time zone, the week
    before checked again); one run at a time."""
    jobs.job_enqueue(kind=ROLLUP_KIND, inputs={"force": force}, dedupe_key="rollup")


@shared_task(ignore_result=True)
def webhook_attempt_task(delivery_id: str) -> None:
    """A retry's countdown ran out: queue its attempt."""
    services.webhook_attempt_enqueue(delivery_id=delivery_id)


@shared_task(ignore_result=True)
def webhook_sweep_task() -> int:
    """Beat, every minute: attempts whose countdown was lost with a restarted worker."""
    return services.webhook_sweep()
