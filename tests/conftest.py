"""The cast and the machinery every test shares: users, clients, tokens and a real Celery worker.

With nothing configured the worker runs on threads inside the test process (in-memory broker);
with REDIS_URL set it is a separate `celery -A config worker` process on the test database.
"""

from __future__ import annotations

import os
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from rest_framework.test import APIClient
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import Team, User

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _rate_limits_of_its_own(settings: Any) -> None:
    """Each test counts requests in its own namespace: the cache (Redis in CI) outlives tests,
    and every test client calls from 127.0.0.1."""
    settings.RATELIMIT_NAMESPACE = uuid.uuid4().hex[:12]


@pytest.fixture
def api() -> APIClient:
    return APIClient()


def bearer(user: User) -> dict[str, str]:
    # An access token alone: no refresh token is recorded, so async tests may call this freely.
    return {"HTTP_AUTHORIZATION": f"Bearer {AccessToken.for_user(user)}"}


@pytest.fixture
def team(db: Any) -> Team:
    return Team.objects.create(name="Main Team")


@pytest.fixture
def bob_supervisor(db: Any, team: Team) -> User:
    return User.objects.create_user(
        "bob@example.com", PASSWORD, full_name="Bob Supervisor", role=User.Role.SUPERVISOR, team=team
    )


@pytest.fixture
def alice_technician(db: Any, team: Team, bob_supervisor: User) -> User:
    return User.objects.create_user(
        "alice@example.com",
        PASSWORD,
        full_name="Alice Technician",
        role=User.Role.TECHNICIAN,
        team=team,
        supervisor=bob_supervisor,
        phone="+14155550123",
    )


@pytest.fixture
def carol_candidate(db: Any) -> User:
    return User.objects.create_user("carol@example.com", PASSWORD, full_name="Carol Candidate")


@pytest.fixture
def mallory(db: Any) -> User:
    """Authenticated, but owns nothing and supervises no one."""
    return User.objects.create_user(
        "mallory@example.com", PASSWORD, full_name="Mallory", role=User.Role.TECHNICIAN
    )


def _database_url_for_worker() -> str:
    from django.db import connection

    db = connection.settings_dict
    if db["ENGINE"].endswith("sqlite3"):
        return f"sqlite:///{db['NAME']}"
    user = db.get("USER") or ""
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    auth = f"{user}{password}@" if user else ""
    return f"postgres://{auth}{db.get('HOST') or '127.0.0.1'}:{db.get('PORT') or 5432}/{db['NAME']}"


@pytest.fixture(scope="session")
def celery_worker(django_db_setup: Any, django_db_blocker: Any) -> Iterator[str]:
    """A real worker consuming the real queue. Tests that use it need committed rows
    (`transactional_db`), because the worker reads through its own connection."""
    from config.celery import app

    if settings.CELERY_EMBEDDED:
        from config import embedded_worker

        # As for the separate worker below: the fault drills' killed jobs are theirs to take over.
        settings.JOB_REAPER_INTERVAL_SECONDS = 0
        embedded_worker.start()
        yield "embedded"
        return

    # The tests' fake OpenAI-compatible servers listen on loopback ports the worker cannot know.
    env = {
        **os.environ,
        "DATABASE_URL": _database_url_for_worker(),
        "PYTHONUNBUFFERED": "1",
        "LLM_TRUSTED_JOB_HOSTS": "127.0.0.1",
        # The fault drills run whole stacks of their own on this database, each with its own Redis:
        # this worker must not take over their killed workers' jobs and finish them on another
        # broker and channel layer than the drill's. Tests that need the reaper call it.
        "JOB_REAPER_INTERVAL_SECONDS": "0",
    }
    log = open(ROOT / "var" / "test-worker.log", "w")  # noqa: SIM115 - closed after the process
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "--pool",
            "threads",
            "--concurrency",
            "4",
            "--loglevel",
            "WARNING",
            "--without-gossip",
            "--without-mingle",
            "--hostname",
            f"tests-{os.getpid()}@%h",
        ],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                app.send_task("config.ping").get(timeout=5, interval=0.05)
                break
            except Exception:
                if process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"Celery worker did not start; see {log.name}") from None
        yield "process"
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
        log.close()


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix: Any) -> None:
    # Async tests touch the database from executor threads; persistent connections there would
    # outlive the suite and block dropping the test database on PostgreSQL.
    settings.DATABASES["default"]["CONN_MAX_AGE"] = 0


def redis_of_its_own() -> Iterator[str]:
    """A Redis server on a free port for as long as the generator runs (skips the test where no
    redis-server is installed)."""
    from tests.stack import RedisServer

    try:
        server = RedisServer()
    except RuntimeError as error:
        pytest.skip(str(error))
    server.start()
    try:
        yield server.url
    finally:
        server.stop()


@pytest.fixture(scope="session")
def private_redis() -> Iterator[str]:
    """A Redis of our own on a free port, for tests that run whole stacks (web + worker) and
    restart them: nothing else consumes its queue or shares its keys."""
    yield from redis_of_its_own()
