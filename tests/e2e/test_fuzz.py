"""Schema-driven fuzzing: Schemathesis generates requests for every operation of `/api/schema/`
and sends them to a live deployment (tests/stack.py), failing on any 5xx, any status the schema
does not document, and any body or Content-Type the schema does not describe.

The deployment is the one this suite runs on: in CI (REDIS_URL set) gunicorn with a separate
Celery worker and a Redis of the run's own, 30 cases per operation on top of Schemathesis's
coverage cases and at least 3,000 in all (about 2 minutes here); embedded, daphne with its
in-process worker, 5 per operation and at least 1,500 (about 1 minute). FUZZ_EXAMPLES and
FUZZ_CASES override those; FUZZ_SEED picks the random seed, fixed by default so that a finding
reproduces.

Getting past the rate limits to the handlers: the server runs with NUM_PROXIES=1 and the fuzzer
plays the trusted proxy, so every request comes from an address of its own in X-Forwarded-For;
bearer tokens rotate over a cast of twenty-six users and report requests over three API keys, so no
per-address, per-user or per-key budget fills during the run. A 429 is still documented and
checked; the run fails if more than 2% of the answers are 429 (the fuzzer would not be testing
the handlers). The limits themselves are tested in tests/platform/test_rate_limits.py.

Reaching more than 404s: the run starts with one of each resource made over HTTP (practice
sessions and media, live and OKR sessions, report jobs, a field call, upsell opportunities), and
the hooks below put those ids into half of the generated paths and bodies, with the credentials
of their owner.

This module is also the fuzzer's hooks module (SCHEMATHESIS_HOOKS names it): the hooks register
only inside the schemathesis process, where FUZZ_SEEDS points at the seeds file.
"""

from __future__ import annotations

import json
import os
import random
import subprocess
import threading
import time
import uuid
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import requests

from tests.stack import BIN, ROOT, Stack

SEEDS_ENV = "FUZZ_SEEDS"
PASSWORD = "fuzz-password-123"
CALLS_ENV = "FUZZ_CALLS_LOG"
CI_MODE = bool(os.environ.get("REDIS_URL"))
# Cases per operation (Schemathesis adds its coverage phase's own on top) and the least the run
# must generate in all.
EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES") or (30 if CI_MODE else 5))
CASES = int(os.environ.get("FUZZ_CASES") or (3000 if CI_MODE else 1500))
SEED = int(os.environ.get("FUZZ_SEED") or 20261129)
CHECKS = "not_a_server_error,response_schema_conformance,status_code_conformance,content_type_conformance"
MAX_RATE_LIMITED_SHARE = 0.02
FIXTURES = ROOT / "tests" / "fixtures"
# Budgets are per user and per minute (100 on the practice and conversation routes): the cast is
# sized so that the fuzzer's pace, spread over it, stays under them.
TEAMS, TECHNICIANS_PER_TEAM, CANDIDATES = 6, 2, 8


# --- hooks, run inside the schemathesis process ---------------------------------------------------


def _serialize_ast_parse() -> None:
    """The CPython here (3.11.7) shares ast.parse's recursion counter between threads (CPython
    gh-106905): two threads parsing at once (Hypothesis describes filter lambdas by parsing their source, in
    each of the fuzzer's workers) fail with "SystemError: AST constructor recursion depth
    mismatch". One parse at a time in the fuzzer's process avoids it."""
    import ast

    parse, lock = ast.parse, threading.Lock()

    def parse_serialized(*args: Any, **kwargs: Any) -> Any:
        with lock:
            return parse(*args, **kwargs)

    ast.parse = parse_serialized  # type: ignore[assignment]


def _register_hooks(seeds: dict[str, Any]) -> None:
    import schemathesis
    from hypothesis import strategies as st

    _serialize_ast_parse()

    credentials: dict[str, tuple[str, str]] = {
        name: (header, value) for name, (header, value) in seeds["credentials"].items()
    }
    pools: dict[str, list[str]] = seeds["pools"]
    path_ids: list[dict[str, Any]] = seeds["path_ids"]
    body_ids: dict[str, list[str]] = seeds["body_ids"]
    rng = random.Random(seeds["seed"])
    lock = threading.Lock()
    calls_log = open(os.environ[CALLS_ENV], "a")  # noqa: SIM115 - lives as long as the fuzzer

    def entries_for(path: str) -> list[dict[str, Any]]:
        return [entry for entry in path_ids if path.startswith(entry["prefix"])]

    def half_real(original: dict[str, Any], name: str, values: list[str]) -> Any:
        real = st.sampled_from(values).map(lambda value: {**original, name: value})
        return st.one_of(st.just(original), real)

    @schemathesis.hook
    def flatmap_path_parameters(context: Any, path_parameters: dict[str, Any]) -> Any:
        # Half of the paths name a resource that exists, so handlers get past their 404.
        if not isinstance(path_parameters, dict):
            return st.just(path_parameters)
        for entry in entries_for(context.operation.path):
            if entry["param"] in path_parameters:
                return half_real(path_parameters, entry["param"], sorted(entry["owners"]))
        return st.just(path_parameters)

    @schemathesis.hook
    def flatmap_body(context: Any, body: Any) -> Any:
        # Fields that name a resource or an account get a real one half of the time.
        if not isinstance(body, dict):
            return st.just(body)
        fields = [field for field, values in body_ids.items() if field in body and values]
        if not fields:
            return st.just(body)
        values = [st.one_of(st.just(body[field]), st.sampled_from(body_ids[field])) for field in fields]
        return st.tuples(*values).map(lambda chosen: {**body, **dict(zip(fields, chosen, strict=True))})

    def owner_of(case: Any) -> str | None:
        for entry in entries_for(case.operation.path):
            value = str((case.path_parameters or {}).get(entry["param"]))
            if value in entry["owners"]:
                return str(entry["owners"][value])
        return None

    @schemathesis.auth(refresh_interval=None, retry_on=[])
    class RotatingCredentials:
        """The owner's credentials for a seeded id, else one of the cast (per route family), so
        that no user or key spends its rate budget."""

        def get(self, case: Any, context: Any) -> tuple[str, str] | None:
            schemes = {
                name
                for requirement in case.operation.definition.raw.get("security", [])
                for name in requirement
            }
            if not schemes:
                return None
            owner = owner_of(case)
            if owner is not None:
                return credentials[owner]
            path = case.operation.path
            if "ApiKeyAuth" in schemes:
                pool = pools["keys"]
            elif path.startswith(("/coach/", "/analytics/team", "/users/technicians")):
                pool = pools["supervisors"] if rng.random() < 0.8 else pools["users"]
            elif path.startswith(("/conversations/", "/analytics/")):
                pool = pools["technicians"] if rng.random() < 0.8 else pools["users"]
            elif path.startswith("/interview/"):
                pool = pools["candidates"] if rng.random() < 0.8 else pools["users"]
            else:
                pool = pools["users"]
            with lock:
                return credentials[rng.choice(pool)]

        def set(self, case: Any, data: tuple[str, str], context: Any) -> None:
            header, value = data
            case.headers = {**(case.headers or {}), header: value}

    @schemathesis.hook
    def before_call(context: Any, case: Any, kwargs: dict[str, Any]) -> None:
        # Every request from an address of its own (NUM_PROXIES=1: the fuzzer is the proxy).
        with lock:
            address = f"10.{rng.randrange(256)}.{rng.randrange(256)}.{rng.randrange(1, 255)}"
        case.headers = {**(case.headers or {}), "X-Forwarded-For": address}

    @schemathesis.hook
    def after_call(context: Any, case: Any, response: Any) -> None:
        with lock:
            calls_log.write(f"{response.status_code} {case.operation.method.upper()} {case.operation.path}\n")
            calls_log.flush()


if os.environ.get(SEEDS_ENV):
    _register_hooks(json.loads(Path(os.environ[SEEDS_ENV]).read_text()))


# --- the test -------------------------------------------------------------------------------------

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(900)]


@pytest.fixture
def fuzz_redis() -> Iterator[str | None]:
    """CI mode: a Redis of the run's own (rate counters, queue and caps start empty)."""
    # Imported here: this module is also the fuzzer's hooks module, loaded where Django is not.
    from tests.conftest import redis_of_its_own

    if not CI_MODE:
        yield None
        return
    yield from redis_of_its_own()


@dataclass
class Cast:
    credentials: dict[str, tuple[str, str]]
    pools: dict[str, list[str]]
    user_ids: dict[str, str]  # credential name -> public user id
    emails: list[str]
    refresh_tokens: list[str]
    supervisor_of: dict[str, str]  # technician credential -> their supervisor's


def make_cast() -> Cast:
    """TEAMS teams (a supervisor and TECHNICIANS_PER_TEAM technicians each), CANDIDATES
    candidates and three API keys: enough people that no one's rate budget fills."""
    from accounts.models import Team, User
    from accounts.services import tokens_issue
    from reports.services import api_key_create

    credentials: dict[str, tuple[str, str]] = {}
    pools: dict[str, list[str]] = {"supervisors": [], "technicians": [], "candidates": [], "keys": []}
    user_ids: dict[str, str] = {}
    refresh_tokens: list[str] = []
    supervisor_of: dict[str, str] = {}
    tag = uuid.uuid4().hex[:8]

    def enrol(name: str, pool: str, **fields: Any) -> Any:
        # No password: they sign in with the tokens issued here (and hashing one takes 0.3 s).
        user = User.objects.create_user(f"{name}-{tag}@example.com", None, full_name=name, **fields)
        pair = tokens_issue(user=user)
        credentials[name] = ("Authorization", f"Bearer {pair.access}")
        refresh_tokens.append(pair.refresh)
        pools[pool].append(name)
        user_ids[name] = user.public_id
        return user

    for index in range(1, TEAMS + 1):
        team = Team.objects.create(name=f"Fuzz Team {index}")
        supervisor = enrol(f"supervisor{index}", "supervisors", role=User.Role.SUPERVISOR, team=team)
        for member in range(1, TECHNICIANS_PER_TEAM + 1):
            name = f"technician{index}{member}"
            enrol(name, "technicians", role=User.Role.TECHNICIAN, team=team, supervisor=supervisor)
            supervisor_of[name] = f"supervisor{index}"
    for index in range(1, CANDIDATES + 1):
        enrol(f"candidate{index}", "candidates", role=User.Role.CANDIDATE)
    for index in range(1, 4):
        _key, raw = api_key_create(name=f"fuzz-{tag}-{index}")
        credentials[f"key{index}"] = ("X-API-Key", raw)
        pools["keys"].append(f"key{index}")
    pools["users"] = pools["supervisors"] + pools["technicians"] + pools["candidates"]
    # One of them signs in with a password, so that /auth/token can succeed.
    first = User.objects.get(email=f"candidate1-{tag}@example.com")
    first.set_password(PASSWORD)
    first.save(update_fields=["password"])
    emails = [f"{name}-{tag}@example.com" for name in pools["users"]]
    return Cast(credentials, pools, user_ids, emails, refresh_tokens, supervisor_of)


class Client:
    """HTTP to the stack as a frontend would, each call from an address of its own."""

    def __init__(self, stack: Stack, cast: Cast) -> None:
        self.base = stack.base_url
        self.cast = cast

    def call(self, method: str, path: str, who: str | None = None, **kwargs: Any) -> dict[str, Any]:
        headers = {"X-Forwarded-For": f"192.0.2.{random.randrange(1, 255)}", **kwargs.pop("headers", {})}
        if who is not None:
            header, value = self.cast.credentials[who]
            headers[header] = value
        response = requests.request(method, self.base + path, headers=headers, timeout=200, **kwargs)
        assert response.status_code < 300, (
            f"seeding {method} {path}: {response.status_code} {response.text[:500]}"
        )
        return response.json() if response.content else {}


def wait_until(condition: Any, *, timeout: float, what: str) -> Any:
    deadline = time.monotonic() + timeout
    while True:
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"seeding: timed out waiting for {what}")
        time.sleep(0.5)


def seed_resources(stack: Stack, cast: Cast) -> dict[str, Any]:
    """One of each resource, made over HTTP, with the credential that owns it."""
    client = Client(stack, cast)
    path_ids: list[dict[str, Any]] = []

    def ids(prefix: str, param: str, owners: dict[str, str]) -> None:
        path_ids.append({"prefix": prefix, "param": param, "owners": owners})

    # Interview practice: a started session with a question asked and an uploaded answer, per candidate.
    sessions: dict[str, str] = {}
    media: dict[str, str] = {}
    for candidate in cast.pools["candidates"]:
        session = client.call(
            "POST",
            "/interview/sessions",
            candidate,
            json={
                "job_title": "Backend Engineer",
                "job_description": "Python, Django and PostgreSQL services; on-call for production.",
                "interviewer_type": "Tech",
                "duration_minutes": 30,
            },
        )
        sessions[session["id"]] = candidate
        client.call("POST", f"/interview/sessions/{session['id']}/start", candidate)
        client.call("POST", f"/interview/sessions/{session['id']}/next-question", candidate)
        with open(FIXTURES / "audio" / "speech_clean.wav", "rb") as audio:
            uploaded = client.call(
                "POST",
                f"/interview/sessions/{session['id']}/media?media_type=audio",
                candidate,
                files={"file": ("answer.wav", audio, "audio/wav")},
            )
        media[uploaded["id"]] = candidate
    ids("/interview/sessions/", "session_id", sessions)
    ids("/interview/media/", "media_id", media)

    # Live mock interview: one session set up with a job description and a resume, one bare.
    live = [client.call("POST", "/session/start")["session_id"] for _ in range(2)]
    client.call(
        "POST",
        "/upload/jd",
        data={
            "session_id": live[0],
            "role": "Senior Backend Engineer",
            "job_description": (FIXTURES / "live" / "jd_backend.txt").read_text(),
        },
    )
    with open(FIXTURES / "live" / "resume_lead.txt", "rb") as resume:
        client.call(
            "POST", "/upload/resume", data={"session_id": live[0]}, files={"file": ("resume.txt", resume)}
        )
    ids("/session/", "session_id", dict.fromkeys(live, ""))
    ids("/interview/report/", "session_id", dict.fromkeys(live, ""))

    # OKR coach: a review with its first answer.
    started = [client.call("POST", "/api/review/start/", json={}) for _ in range(2)]
    reviews = [review["session"]["id"] for review in started]
    client.call(
        "POST",
        f"/api/review/{reviews[0]}/answer/",
        json={
            # ids are the database's (PostgreSQL does not restart them between tests)
            "question_id": started[0]["next_question"]["id"],
            "answer_text": "Double active sellers by December, from 400 to 800.",
        },
    )
    ids("/api/review/", "session_id", dict.fromkeys(reviews, ""))

    # Report sections: a job per API key (another key's job answers 404).
    jobs: dict[str, str] = {}
    for key in cast.pools["keys"]:
        accepted = client.call(
            "POST",
            "/generate",
            key,
            headers={"Session-Id": f"fuzz-{key}"},
            json={
                "type": "Feasibility_report",
                "customer_id": "CUST-ACME",
                "opportunity_id": "OPP-7",
                "section_title": "Risk Assessment",
            },
        )
        jobs[accepted["data"]["job_id"]] = key
    ids("/status/", "job_id", jobs)

    # Field conversations: a finished, analysed call, and one still recording per technician.
    technician = cast.pools["technicians"][0]
    supervisor = cast.supervisor_of[technician]
    start = {
        "job_id": "JOB-FUZZ-1",
        "customer_name": "Phoenix Mills Ltd",
        "customer_phone": "+91 20 2553 4567",
    }
    finished = client.call("POST", "/conversations/start", technician, json=start)["conversation_id"]
    call_dir = FIXTURES / "conversations" / "service_call"
    for sequence, chunk in enumerate(sorted(call_dir.iterdir()), start=1):
        with open(chunk, "rb") as audio:
            client.call(
                "POST",
                f"/conversations/{finished}/upload-audio",
                technician,
                data={"sequence": str(sequence)},
                files={"chunk": (chunk.name, audio)},
            )
    client.call("POST", f"/conversations/{finished}/stop", technician)
    calls = {finished: technician}
    for other in cast.pools["technicians"][1:]:
        recording = client.call(
            "POST", "/conversations/start", other, json={**start, "job_id": f"JOB-{other}"}
        )
        calls[recording["conversation_id"]] = other
    ids("/conversations/", "conversation_id", calls)
    ids("/coach/calls/", "conversation_id", {finished: supervisor})

    def analysis_over() -> str | None:
        status = client.call("GET", f"/conversations/{finished}", technician)["status"]
        return str(status) if status in {"analyzed", "failed"} else None

    status = wait_until(analysis_over, timeout=180, what="the seeded call's analysis")
    assert status == "analyzed", f"seeding: the seeded call's analysis ended {status}"
    opportunities = client.call("GET", f"/conversations/{finished}/upsells", technician)["opportunities"]
    assert opportunities, "seeding: the seeded call found no upsell opportunity"
    ids("/coach/upsells/", "opportunity_id", {str(o["opportunity_id"]): supervisor for o in opportunities})

    # People: each technician reads themself; their supervisor reads the team.
    ids("/users/", "user_id", {cast.user_ids[name]: name for name in cast.pools["users"]})
    technicians = {cast.user_ids[name]: name for name in cast.pools["technicians"]}
    ids("/conversations/technician/", "technician_id", technicians)
    ids("/analytics/technician/", "technician_id", technicians)
    ids(
        "/analytics/leaderboard/",
        "period",
        {"daily": technician, "weekly": supervisor, "monthly": technician},
    )

    return {
        "seed": SEED,
        "credentials": cast.credentials,
        "pools": cast.pools,
        "path_ids": path_ids,
        "body_ids": {
            "review_session_id": reviews,
            "session_id": live,
            "refresh_token": cast.refresh_tokens,
            "username": cast.emails,
            "password": [PASSWORD],
        },
    }


@dataclass
class FuzzRun:
    exit_code: int
    output: str
    report: dict[str, Any]
    statuses: Counter[int]
    per_operation: dict[str, Counter[int]]

    @property
    def generated(self) -> int:
        return int(self.report.get("test_cases", {}).get("generated", 0))

    def summary(self) -> str:
        lines = [
            f"schemathesis exit {self.exit_code}: {self.generated} cases generated, "
            f"{sum(self.statuses.values())} requests, statuses {dict(sorted(self.statuses.items()))}, "
            f"seed {SEED} (FUZZ_SEED reproduces)",
        ]
        limited = {op: counts[429] for op, counts in self.per_operation.items() if counts[429]}
        if limited:
            lines.append(f"  429 answers by operation: {limited}")
        for failure in self.report.get("failures", []):
            lines.append(
                f"  {failure['code']} {failure['title']} x{failure['count']}: {', '.join(failure['operations'])}"
            )
        for error in self.report.get("errors", []):
            lines.append(f"  error: {json.dumps(error)[:300]}")
        # The fuzzer's own account of each failure (request, response, curl to reproduce).
        starts = [at for at in (self.output.find("ERRORS ="), self.output.find("FAILURES =")) if at >= 0]
        details = self.output[min(starts) :] if starts else self.output[-6000:]
        return "\n".join(lines) + "\n\n" + details[-20000:]


def run_schemathesis(
    stack: Stack, seeds: dict[str, Any], workdir: Path, *, cases_per_operation: int
) -> FuzzRun:
    seeds_file, calls_log, report_file = (
        workdir / "seeds.json",
        workdir / "calls.log",
        workdir / "report.json",
    )
    seeds_file.write_text(json.dumps(seeds))
    calls_log.write_text("")
    env = {
        **os.environ,
        "SCHEMATHESIS_HOOKS": "tests.e2e.test_fuzz",
        SEEDS_ENV: str(seeds_file),
        CALLS_ENV: str(calls_log),
        "PYTHONPATH": str(ROOT),
    }
    command = [
        str(BIN / "schemathesis"), "run", f"{stack.base_url}/api/schema/",
        "--checks", CHECKS,
        "--max-examples", str(cases_per_operation),
        "--seed", str(SEED),
        "--workers", "4",
        "--request-timeout", "200",  # a practice report waits up to 180 s on its job
        "--generation-database", "none",
        "--suppress-health-check", "all",
        "--output-sanitize", "false",
        "--no-color",
        "--report", "json", "--report-json-path", str(report_file),
    ]  # fmt: skip
    finished = subprocess.run(command, cwd=workdir, env=env, capture_output=True, text=True, timeout=840)
    report = json.loads(report_file.read_text()) if report_file.exists() else {}
    statuses: Counter[int] = Counter()
    per_operation: dict[str, Counter[int]] = {}
    for line in calls_log.read_text().splitlines():
        status, operation = line.split(" ", 1)
        statuses[int(status)] += 1
        per_operation.setdefault(operation, Counter())[int(status)] += 1
    return FuzzRun(finished.returncode, finished.stdout + finished.stderr, report, statuses, per_operation)


def test_every_operation_answers_generated_requests_as_the_schema_says(
    tmp_path: Path, fuzz_redis: str | None
) -> None:
    from django.core.management import call_command

    from conversations.services import catalog_seed
    from tests.conftest import _database_url_for_worker

    # given a whole deployment with a cast, API keys and one of each resource (the question bank
    # and the upsell catalog come from migrations, which an earlier transactional test's flush empties)
    call_command("seed_questions", verbosity=0)
    catalog_seed()
    cast = make_cast()
    env = {"NUM_PROXIES": "1", "MEDIA_ROOT": str(tmp_path / "media"), "LOG_LEVEL": "ERROR"}
    with Stack(
        database_url=_database_url_for_worker(), redis_url=fuzz_redis, env=env, name="fuzz", web_workers=3
    ) as stack:
        stack.start_web()
        if fuzz_redis:
            stack.start_worker()
        seeds = seed_resources(stack, cast)
        schema = requests.get(f"{stack.base_url}/api/schema/?format=json", timeout=30).json()
        operations = sum(
            1
            for methods in schema["paths"].values()
            for method in methods
            if method in {"get", "post", "put", "patch", "delete"}
        )
        # when Schemathesis sends generated requests to every operation
        run = run_schemathesis(stack, seeds, tmp_path, cases_per_operation=EXAMPLES)
    print(run.summary())
    # then nothing answered 5xx or outside the schema, on every operation, over enough cases
    assert run.report, f"schemathesis wrote no report:\n{run.output[-5000:]}"
    assert run.exit_code == 0 and not run.report["failures"] and not run.report["errors"], run.summary()
    assert run.report["operations"]["tested"] == operations, run.summary()
    assert run.generated >= CASES, run.summary()
    # and the rate limits did not keep the cases from the handlers
    rate_limited = run.statuses[429] / max(1, sum(run.statuses.values()))
    assert rate_limited <= MAX_RATE_LIMITED_SHARE, run.summary()


def test_every_error_answer_in_the_schema_has_a_body_in_its_routes_dialect(client: Any) -> None:
    # given the schema the server serves
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    operations = {
        (path, method): operation
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
    }

    def body_of(path: str, method: str, status: int) -> str:
        response = operations[(path, method)]["responses"][str(status)]
        return str(response["content"]["application/json"]["schema"]["$ref"]).rsplit("/", 1)[-1]

    # then each route's errors have the body of its spec's dialect
    assert body_of("/api/review/start/", "post", 400) == "DrfValidationError"
    assert body_of("/api/review/{session_id}/next/", "get", 404) == "ErrorDetail"
    assert body_of("/session/{session_id}", "get", 422) == "FastApiValidationError"
    assert body_of("/interview/sessions", "post", 400) == "ErrorDetail"
    assert body_of("/auth/token", "post", 401) == "ErrorDetail"
    assert body_of("/generate", "post", 422) == "EnvelopeError"
    assert body_of("/status/{job_id}", "get", 404) == "EnvelopeError"
    assert body_of("/conversations/start", "post", 422) == "ConversationsError"
    assert body_of("/auth/me", "get", 401) == "ConversationsError"
    # and every operation documents the outage answer, and a body for every error it lists
    for (path, method), operation in operations.items():
        responses = operation["responses"]
        assert "503" in responses, f"{method} {path}"
        assert "Retry-After" in responses["503"]["headers"], f"{method} {path}"
        for status, response in responses.items():
            if int(status) >= 400:
                assert response["content"]["application/json"]["schema"], f"{method} {path} {status}"
    # and the statuses that follow from what a view is made of are there
    assert "429" in operations[("/interview/sessions", "get")]["responses"]  # throttled
    assert "401" in operations[("/interview/sessions", "get")]["responses"]  # authenticated
    assert "404" not in operations[("/interview/sessions", "get")]["responses"]  # no id in the path
    assert "507" in operations[("/conversations/{conversation_id}/upload-audio", "post")]["responses"]
    assert "415" in operations[("/generate", "post")]["responses"]
    assert "401" not in operations[("/api/review/start/", "post")]["responses"]  # open route
