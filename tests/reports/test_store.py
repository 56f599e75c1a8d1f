"""The job store's contract, for both implementations: process memory and Redis."""

from __future__ import annotations

import threading
import time
import uuid
from collections.abc import Iterator

import pytest

from reports.jobs import Job, JobStatus, MemoryJobStore, RedisJobStore, job_store, memory_store


@pytest.fixture(params=["memory", "redis"])
def store(request: pytest.FixtureRequest) -> Iterator[MemoryJobStore | RedisJobStore]:
    if request.param == "memory":
        yield MemoryJobStore()
    else:
        yield RedisJobStore(request.getfixturevalue("private_redis"))


def new_job(**fields: object) -> Job:
    return Job(
        id=str(uuid.uuid4()),
        kind="generate",
        api_key_name="k",
        session_id="s",
        fingerprint=uuid.uuid4().hex,
        request={"a": 1},
        **fields,
    )  # type: ignore[arg-type]


def test_a_job_round_trips_and_unknown_ids_are_none(store):
    job = new_job()
    store.add(job, ttl_seconds=60)
    assert store.get(job.id) == job
    assert store.get(str(uuid.uuid4())) is None


def test_update_applies_a_change_atomically_and_leaves_missing_jobs_missing(store):
    job = new_job()
    store.add(job, ttl_seconds=60)

    def to_processing(current: Job) -> Job | None:
        if current.status != JobStatus.PENDING:
            return None
        current.status = JobStatus.PROCESSING
        return current

    assert store.update(job.id, to_processing).status == JobStatus.PROCESSING
    assert store.update(job.id, to_processing) is None  # the second claim finds it taken
    assert store.update(str(uuid.uuid4()), to_processing) is None
    assert store.get(str(uuid.uuid4())) is None


def test_jobs_expire_and_updates_do_not_revive_them(store):
    job = new_job()
    store.add(job, ttl_seconds=1)
    time.sleep(0.6)
    store.update(job.id, lambda current: current)  # keeps the lifetime counted from creation
    time.sleep(0.6)
    assert store.get(job.id) is None
    assert store.update(job.id, lambda current: current) is None
    assert store.get(job.id) is None


def test_a_fingerprint_has_one_holder_until_released_or_handed_over(store):
    fingerprint = uuid.uuid4().hex
    assert store.claim_request(fingerprint, "job-1", ttl_seconds=60) is None
    assert store.claim_request(fingerprint, "job-2", ttl_seconds=60) == "job-1"
    assert store.replace_claim(fingerprint, old_job_id="job-9", new_job_id="job-2", ttl_seconds=60) is False
    assert store.replace_claim(fingerprint, old_job_id="job-1", new_job_id="job-2", ttl_seconds=60) is True
    store.release_request(fingerprint, "job-1")  # not the holder any more: no effect
    assert store.claim_request(fingerprint, "job-3", ttl_seconds=60) == "job-2"
    store.release_request(fingerprint, "job-2")
    assert store.claim_request(fingerprint, "job-3", ttl_seconds=60) is None


def test_racing_claims_have_exactly_one_winner(store):
    fingerprint = uuid.uuid4().hex
    results: list[str | None] = []
    barrier = threading.Barrier(8)

    def claim(index: int) -> None:
        barrier.wait()
        results.append(store.claim_request(fingerprint, f"job-{index}", ttl_seconds=60))

    threads = [threading.Thread(target=claim, args=(i,)) for i in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results.count(None) == 1
    assert len({r for r in results if r is not None}) == 1


def test_the_store_follows_redis_url(settings, private_redis):
    settings.REDIS_URL = ""
    assert job_store() is memory_store()
    settings.REDIS_URL = private_redis
    assert isinstance(job_store(), RedisJobStore)
    assert job_store() is job_store()  # one client per URL
