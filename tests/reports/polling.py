"""The spec's frontend polling code (report-sections.md, "Example Polling Code"), in Python.

Same algorithm, same order of checks: wait `delay` before each poll, starting at 1 s and growing
×1.5 up to 10 s; `ready` returns the result, `error` with data.status `failed` raises, a 404
means the job was lost, and the whole wait is capped (600 s by default). `time_scale` shrinks
every wait (and the cap) so a test can run the real schedule in a fraction of the time.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

Fetch = Callable[[str], tuple[int, dict[str, Any]]]  # path -> (HTTP status, JSON body)

INITIAL_DELAY_SECONDS = 1.0
BACKOFF = 1.5
MAX_DELAY_SECONDS = 10.0


class JobFailed(Exception):
    pass


class JobLost(Exception):
    """404: backend restart or expiry; the spec says to re-submit."""


class PollTimeout(Exception):
    pass


@dataclass
class SpecPoller:
    fetch: Fetch
    max_wait_seconds: float = 600.0
    time_scale: float = 1.0
    sleep: Callable[[float], None] = time.sleep
    clock: Callable[[], float] = time.monotonic
    delays: list[float] = field(default_factory=list)  # unscaled, as the spec's code computes them
    polls: int = 0

    def poll(self, job_id: str) -> dict[str, Any]:
        started = self.clock()
        delay = INITIAL_DELAY_SECONDS
        while self.clock() - started < self.max_wait_seconds * self.time_scale:
            self.sleep(delay * self.time_scale)
            self.delays.append(delay)
            status, body = self.fetch(f"/status/{job_id}")
            self.polls += 1
            if body.get("status") == "ready":
                return body["data"]["result"]
            if body.get("status") == "error" and body.get("data", {}).get("status") == "failed":
                raise JobFailed(body["data"]["error"]["message"])
            if status == 404:
                raise JobLost("Job not found - may have expired")
            delay = min(delay * BACKOFF, MAX_DELAY_SECONDS)
        raise PollTimeout("Job polling timeout")
