"""Telling watchers about a job: the kind's own frames, and a generic event to the job's group."""

from __future__ import annotations

import logging
import uuid

from analysis.jobs.kinds import kind_get
from analysis.models import Job
from config import events

logger = logging.getLogger(__name__)


def group_name(job_id: uuid.UUID | str) -> str:
    """The channel-layer group told of every event of one job."""
    return f"job.{uuid.UUID(str(job_id)).hex}"


# Events every watcher of a job's group hears; the others (queued, started, progress) go only to
# the kind's own notifier, so a job nobody watches does not pay a channel-layer send per step.
COMPLETION_EVENTS = frozenset({"succeeded", "failed"})


def announce(job: Job, event: str) -> None:
    """Tell the job's watchers: the kind's own frames if it has a notifier, and, on completion,
    a generic `job.event` to the job's group. A socket-layer outage must never fail the job."""
    try:
        kind = kind_get(job.kind)
        if kind.notify is not None:
            kind.notify(job, event)
        if event not in COMPLETION_EVENTS:
            return
        events.broadcast(
            group_name(job.pk),
            {
                "type": "job.event",
                "event": event,
                "job_id": str(job.pk),
                "status": job.status,
                "step": job.step,
            },
        )
    except Exception:
        logger.exception("could not announce %s of job %s", event, job.pk)
