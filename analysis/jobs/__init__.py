"""The one job runner every product uses (DESIGN.md §1 "Jobs").

A product registers a `JobKind` (what to run, lease, time limit, attempts, and the product writes
made when it finishes), enqueues with `job_enqueue` inside its service, and reads or waits with
`job_get` / `job_wait` / `ajob_wait`. One Celery task (`analysis.tasks.job_run_task`) runs every
kind; `job_reap` takes over jobs whose worker died or whose message was lost.
"""

from __future__ import annotations

from analysis.jobs.context import JobCancelled, JobContext, JobFailure
from analysis.jobs.events import announce, group_name
from analysis.jobs.kinds import JobKind, kind_get, register, registered_kinds
from analysis.jobs.reaper import ReaperThread, job_reap
from analysis.jobs.runner import Enqueued, job_cancel, job_enqueue, job_run
from analysis.jobs.waiting import ajob_wait, job_get, job_wait, parse_job_id
from analysis.models import Job

__all__ = [
    "Enqueued",
    "Job",
    "JobCancelled",
    "JobContext",
    "JobFailure",
    "JobKind",
    "ReaperThread",
    "ajob_wait",
    "announce",
    "group_name",
    "job_cancel",
    "job_enqueue",
    "job_get",
    "job_reap",
    "job_run",
    "job_wait",
    "kind_get",
    "parse_job_id",
    "register",
    "registered_kinds",
]
