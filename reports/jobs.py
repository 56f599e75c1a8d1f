"""Report job state: in process memory when no Redis is configured, in Redis when it is.

The spec promises both: in development jobs vanish with the process; in production they survive
restarts of the web process and the workers for `REPORT_JOB_TTL_SECONDS` (24 h). In the embedded
mode the worker runs inside the web process, so memory is shared; with Redis the worker is another
process, so Redis is the only place both sides can see.

Two kinds of entries, both expiring:
- `job:<uuid>`: the job as JSON (request, status, result or error), TTL counted from creation.
- `request:<fingerprint>`: which job currently serves an identical request (same Session-Id and
  body), so a repeat answers `busy` instead of queueing a duplicate.
"""

from __future__ import annotations

import dataclasses
import json
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any, Protocol

import redis
from django.conf import settings


class JobStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"


LIVE_STATUSES = frozenset({JobStatus.PENDING, JobStatus.PROCESSING})


@dataclass
class Job:
    """One generate or refine job. Times are Unix seconds so the JSON is the same in both stores."""

    id: str
    kind: str  # "generate" | "refine"
    api_key_name: str
    session_id: str
    fingerprint: str
    request: dict[str, Any]
    status: str = JobStatus.PENDING
    created_at: float = field(default_factory=time.time)
    started_at: float | None = None
    finished_at: float | None = None
    result: dict[str, Any] | None = None
    error: dict[str, str] | None = None
    # The engine choice of the process that accepted the request (`providers.llm_options()`, never
    # the API key), applied by the worker; None (a job stored by an older release) uses its settings.
    llm_options: dict[str, Any] | None = None

    @property
    def is_live(self) -> bool:
        return self.status in LIVE_STATUSES

    def to_json(self) -> str:
        return json.dumps(dataclasses.asdict(self), separators=(",", ":"))

    @classmethod
    def from_json(cls, raw: str | bytes) -> Job:
        data = json.loads(raw)
        known = {f.name for f in dataclasses.fields(cls)}
        return cls(**{k: v for k, v in data.items() if k in known})


Mutation = Callable[[Job], Job | None]


class JobStore(Protocol):
    def add(self, job: Job, *, ttl_seconds: int) -> None: ...

    def get(self, job_id: str) -> Job | None: ...

    def update(self, job_id: str, mutate: Mutation) -> Job | None:
        """Apply `mutate` atomically to the stored job and keep its TTL. `mutate` returns the new
        job, or None to leave it unchanged; the call returns what was written (None if nothing)."""
        ...

    def delete(self, job_id: str) -> None: ...

    def claim_request(self, fingerprint: str, job_id: str, *, ttl_seconds: int) -> str | None:
        """Make `job_id` the holder of the fingerprint unless another job holds it; returns that
        other job's id, or None when the claim succeeded."""
        ...

    def replace_claim(self, fingerprint: str, *, old_job_id: str, new_job_id: str, ttl_seconds: int) -> bool:
        """Hand the fingerprint from a finished (or vanished) holder to a new job."""
        ...

    def release_request(self, fingerprint: str, job_id: str) -> None:
        """Forget the fingerprint if `job_id` still holds it."""
        ...


class MemoryJobStore:
    """Dict-backed, for one process. Entries expire like Redis keys (checked on read, swept on write)."""

    SWEEP_EVERY = 256

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._entries: dict[str, tuple[float, str]] = {}
        self._writes = 0

    def _live(self, key: str) -> str | None:
        entry = self._entries.get(key)
        if entry is None:
            return None
        expires_at, value = entry
        if expires_at <= time.monotonic():
            del self._entries[key]
            return None
        return value

    def _put(self, key: str, value: str, ttl_seconds: float) -> None:
        self._entries[key] = (time.monotonic() + ttl_seconds, value)
        self._writes += 1
        if self._writes % self.SWEEP_EVERY == 0:
            now = time.monotonic()
            for stale in [k for k, (expires_at, _) in self._entries.items() if expires_at <= now]:
                del self._entries[stale]

    def add(self, job: Job, *, ttl_seconds: int) -> None:
        with self._lock:
            self._put(f"job:{job.id}", job.to_json(), ttl_seconds)

    def get(self, job_id: str) -> Job | None:
        with self._lock:
            raw = self._live(f"job:{job_id}")
        return Job.from_json(raw) if raw is not None else None

    def update(self, job_id: str, mutate: Mutation) -> Job | None:
        key = f"job:{job_id}"
        with self._lock:
            raw = self._live(key)
            if raw is None:
                return None
            changed = mutate(Job.from_json(raw))
            if changed is None:
                return None
            expires_at, _ = self._entries[key]
            self._entries[key] = (expires_at, changed.to_json())
            return changed

    def delete(self, job_id: str) -> None:
        with self._lock:
            self._entries.pop(f"job:{job_id}", None)

    def claim_request(self, fingerprint: str, job_id: str, *, ttl_seconds: int) -> str | None:
        key = f"request:{fingerprint}"
        with self._lock:
            holder = self._live(key)
            if holder is not None:
                return holder
            self._put(key, job_id, ttl_seconds)
            return None

    def replace_claim(self, fingerprint: str, *, old_job_id: str, new_job_id: str, ttl_seconds: int) -> bool:
        key = f"request:{fingerprint}"
        with self._lock:
            if self._live(key) not in (old_job_id, None):
                return False
            self._put(key, new_job_id, ttl_seconds)
            return True

    def release_request(self, fingerprint: str, job_id: str) -> None:
        key = f"request:{fingerprint}"
        with self._lock:
            if self._live(key) == job_id:
                del self._entries[key]

    def clear(self) -> None:
        """What a process restart does to the development store."""
        with self._lock:
            self._entries.clear()


# Compare-and-set / compare-and-delete on the fingerprint key: GET then SET/DEL from Python could
# hand one fingerprint to two racing requests.
_REPLACE_CLAIM = """
local current = redis.call('GET', KEYS[1])
if current == false or current == ARGV[1] then
  redis.call('SET', KEYS[1], ARGV[2], 'EX', ARGV[3])
  return 1
end
return 0
"""
_RELEASE_CLAIM = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""


class RedisJobStore:
    PREFIX = "coachhub:reports:"
    UPDATE_ATTEMPTS = 20

    def __init__(self, url: str) -> None:
        self._redis = redis.Redis.from_url(url, decode_responses=True, health_check_interval=30)
        self._replace_claim = self._redis.register_script(_REPLACE_CLAIM)
        self._release_claim = self._redis.register_script(_RELEASE_CLAIM)

    def _job_key(self, job_id: str) -> str:
        return f"{self.PREFIX}job:{job_id}"

    def _request_key(self, fingerprint: str) -> str:
        return f"{self.PREFIX}request:{fingerprint}"

    def add(self, job: Job, *, ttl_seconds: int) -> None:
        self._redis.set(self._job_key(job.id), job.to_json(), ex=ttl_seconds)

    def get(self, job_id: str) -> Job | None:
        raw = self._redis.get(self._job_key(job_id))
        return Job.from_json(raw) if raw is not None else None  # type: ignore[arg-type]

    def update(self, job_id: str, mutate: Mutation) -> Job | None:
        key = self._job_key(job_id)
        for _ in range(self.UPDATE_ATTEMPTS):
            with self._redis.pipeline() as pipe:
                try:
                    pipe.watch(key)
                    raw = pipe.get(key)
                    if raw is None:
                        return None
                    changed = mutate(Job.from_json(raw))  # type: ignore[arg-type]
                    if changed is None:
                        return None
                    pipe.multi()
                    # XX: an expired job stays expired; KEEPTTL: the lifetime counts from creation.
                    pipe.set(key, changed.to_json(), xx=True, keepttl=True)
                    pipe.execute()
                    return changed
                except redis.WatchError:
                    continue  # someone else wrote in between; read again
        raise RuntimeError(f"job {job_id}: too much contention to update")

    def delete(self, job_id: str) -> None:
        self._redis.delete(self._job_key(job_id))

    def claim_request(self, fingerprint: str, job_id: str, *, ttl_seconds: int) -> str | None:
        key = self._request_key(fingerprint)
        if self._redis.set(key, job_id, nx=True, ex=ttl_seconds):
            return None
        holder = self._redis.get(key)
        if holder is None:  # the holder expired between the two calls
            return self.claim_request(fingerprint, job_id, ttl_seconds=ttl_seconds)
        return str(holder)

    def replace_claim(self, fingerprint: str, *, old_job_id: str, new_job_id: str, ttl_seconds: int) -> bool:
        key = self._request_key(fingerprint)
        return bool(self._replace_claim(keys=[key], args=[old_job_id, new_job_id, ttl_seconds]))

    def release_request(self, fingerprint: str, job_id: str) -> None:
        self._release_claim(keys=[self._request_key(fingerprint)], args=[job_id])

    def ttl_seconds(self, job_id: str) -> int:
        """Remaining lifetime (-2 when gone), for operators and tests."""
        return int(self._redis.ttl(self._job_key(job_id)))  # type: ignore[arg-type]


_memory_store = MemoryJobStore()
_redis_stores: dict[str, RedisJobStore] = {}
_redis_lock = threading.Lock()


def job_store() -> JobStore:
    """The store for the current settings: Redis when REDIS_URL is set, else this process's memory."""
    url = settings.REDIS_URL
    if not url:
        return _memory_store
    with _redis_lock:
        store = _redis_stores.get(url)
        if store is None:
            store = _redis_stores[url] = RedisJobStore(url)
        return store


def memory_store() -> MemoryJobStore:
    return _memory_store
