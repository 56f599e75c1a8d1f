"""What a kind of job is: how to run it, how long a run may last, and what the product does when it
finishes. Products register their kinds when their `tasks` module is imported (AppConfig.ready)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from analysis.jobs.context import JobContext
    from analysis.models import Job


@dataclass(frozen=True)
class JobKind:
    """A kind of job.

    `run(ctx)` does the work and returns a JSON-able result (or None); it raises `JobFailure`
    for an expected failure whose message the client may read. `complete(job, result)` and
    `fail(job)` are product writes made in the same transaction that finishes the job, so they
    happen exactly once however often the work was delivered. `notify(job, event)` runs after
    commit for each event ("queued", "started", "progress", "succeeded", "failed") and pushes
    the product's own frames to its sockets.

    `lease_seconds`: a running job renews its lease every third of it (a heartbeat thread); a
    lease that lapses means its worker died and the job is taken over. `time_limit_seconds`: a
    run still going after this is failed (`timeout`) and its late writes are ignored.
    `retry_on`: transient errors that put the job back in the queue (after `retry_backoff_seconds`,
    doubled each time) until `max_attempts` runs have been claimed.
    """

    name: str
    run: Callable[[JobContext], Any]
    complete: Callable[[Job, Any], None] | None = None
    fail: Callable[[Job], None] | None = None
    notify: Callable[[Job, str], None] | None = None
    lease_seconds: float = 30.0
    time_limit_seconds: float = 600.0
    max_attempts: int = 3
    retry_on: tuple[type[BaseException], ...] = field(default_factory=tuple)
    retry_backoff_seconds: float = 2.0

    def __post_init__(self) -> None:
        if self.lease_seconds <= 0 or self.time_limit_seconds <= 0 or self.max_attempts < 1:
            raise ValueError(f"job kind {self.name!r}: lease, time limit and attempts must be positive")


_kinds: dict[str, JobKind] = {}
_lock = threading.Lock()


def register(kind: JobKind) -> JobKind:
    """Add (or, on a module reload, replace) a kind; returns it for module-level assignment."""
    with _lock:
        _kinds[kind.name] = kind
    return kind


def kind_get(name: str) -> JobKind:
    try:
        return _kinds[name]
    except KeyError:
        raise KeyError(
            f"unknown job kind {name!r}; registered: {', '.join(sorted(_kinds)) or 'none'}"
        ) from None


def registered_kinds() -> list[str]:
    return sorted(_kinds)
