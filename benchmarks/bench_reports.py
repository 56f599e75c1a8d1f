"""Report sections (issue 5): jobs per second through POST /generate -> GET /status -> ready,
with the local engine, at 10 concurrent pollers.

- generate -> ready through the server (HTTP, API-key check, job store, Celery, the local writer,
  the audit row), 10 pollers each polling its job every 50 ms, against the local writer alone
  in this process (sections/s, one thread): the gap is what the job machinery costs.
- GET /status of a finished job (what pollers mostly do) against the DRF one-row read on the same
  kind of server (benchmarks/bench_platform.py's baseline).

Embedded by default: one daphne process with its in-process Celery worker and in-memory job
store. With REDIS_URL set, the worker is a separate `celery -A config worker` process and jobs
live in Redis.

    .venv/bin/python -m benchmarks reports
"""

from __future__ import annotations

import base64
import http.client
import json
import shutil
import subprocess
import threading
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from typing import Any

from django.conf import settings

from benchmarks import harness
from benchmarks.bench_platform import rest_baselines

POLLERS = 10
SECONDS = 10.0
POLL_INTERVAL_SECONDS = 0.05
TITLES = (
    "Executive Summary",
    "Risk Assessment",
    "Cost-Benefit Analysis",
    "Timeline Feasibility",
    "Stakeholder Analysis",
    "Recommendations",
)


def _seed() -> tuple[str, str]:
    from reports.models import Customer, Opportunity

    customer, _ = Customer.objects.update_or_create(
        external_id="BENCH-CUST",
        defaults={
            "name": "Bench Logistics",
            "industry": "Logistics",
            "region": "EU",
            "employee_count": 800,
            "description": "Bench Logistics moves parcels across 12 countries and is growing 10% a year.",
            "current_state": "Planners re-key orders from email into a legacy TMS, which is slow and error-prone.",
        },
    )
    Opportunity.objects.update_or_create(
        customer=customer,
        external_id="BENCH-OPP",
        defaults={
            "name": "Order intake automation",
            "description": "Automate order intake and give customers live tracking.",
            "objectives": "Cut order handling time by 60%\nReduce re-keying errors",
            "requirements": "Orders must be read from email automatically\nMust integrate with the TMS\n"
            "Customers should see live tracking\nResponse time under 2 seconds",
            "proposed_solution": "A Django service reads order emails, validates them and pushes them to "
            "the TMS through its REST API. A portal shows live tracking.",
            "technologies": "Django\nPostgreSQL\nReact\nAzure",
            "integrations": "TMS: push orders via REST API\nMail server: read order emails",
            "stakeholders": "Eva Novak: CFO and sponsor\nLeo Park: Operations manager",
            "resources": "2 backend engineers\n1 QA engineer\n1 project manager",
            "risks": "Email formats vary by customer | high | medium\nTMS vendor may be slow to respond",
            "benefits": "Save EUR 200k per year in handling",
            "currency": "EUR",
            "budget_amount": Decimal("250000"),
            "estimated_cost": Decimal("230000"),
            "expected_annual_benefit": Decimal("200000"),
            "start_on": date(2026, 1, 12),
            "target_on": date(2026, 7, 1),
            "duration_weeks": 20,
        },
    )
    return "BENCH-CUST", "BENCH-OPP"


def engine_alone(customer_id: str, opportunity_id: str, seconds: float = 3.0) -> float:
    """Sections per second from the local writer called directly (context read once)."""
    from analysis.engines import llm
    from reports import selectors
    from reports.ai import WRITE_TASK

    context = selectors.section_context(customer_id=customer_id, opportunity_id=opportunity_id).model_dump(
        mode="json"
    )
    config = llm.LLMConfig()
    done, started = 0, time.perf_counter()
    while time.perf_counter() - started < seconds:
        title = TITLES[done % len(TITLES)]
        llm.run(
            WRITE_TASK,
            {"report_type": "Feasibility_report", "section_title": title, "context": context},
            config=config,
        )
        done += 1
    return done / (time.perf_counter() - started)


@contextmanager
def _serve(kind: str, env: dict[str, str]) -> Iterator[tuple[int, list[int]]]:
    """The server, plus a worker process when a broker is configured; yields (port, pids)."""
    embedded = not (env.get("REDIS_URL") or settings.REDIS_URL)
    with harness.server(kind, env=env) as (port, pid):
        if embedded:
            yield port, [pid]
            return
        with harness.celery_worker(env=env, name="bench-reports") as worker_pid:
            yield port, [pid, worker_pid]


@contextmanager
def _redis() -> Iterator[str | None]:
    """The configured Redis, or a private redis-server for the production-topology figure."""
    if settings.REDIS_URL:
        yield settings.REDIS_URL
        return
    binary = shutil.which("redis-server")
    if binary is None:
        yield None
        return
    port = harness.free_port()
    process = subprocess.Popen(
        [binary, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        harness.wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(timeout=10)


def _call(
    connection: http.client.HTTPConnection, method: str, path: str, headers: dict[str, str], body: Any = None
) -> tuple[int, dict[str, Any]]:
    connection.request(method, path, json.dumps(body) if body is not None else None, headers)
    response = connection.getresponse()
    return response.status, json.loads(response.read())


def jobs_load(
    port: int, api_key: str, customer_id: str, opportunity_id: str, *, seconds: float, pollers: int
) -> dict[str, Any]:
    """`pollers` clients, each: POST /generate, poll its job until ready, decode, repeat."""
    latencies: list[float] = []
    polls: list[int] = []
    errors: list[str] = []
    lock = threading.Lock()
    deadline = time.perf_counter() + seconds

    def poller(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        headers = {"X-API-Key": api_key, "Content-Type": "application/json"}
        count = 0
        try:
            while time.perf_counter() < deadline:
                body = {
                    "type": "Feasibility_report",
                    "customer_id": customer_id,
                    "opportunity_id": opportunity_id,
                    "section_title": TITLES[(index + count) % len(TITLES)],
                }
                started = time.perf_counter()
                status, accepted = _call(
                    connection, "POST", "/generate", {**headers, "Session-Id": f"bench-{index}-{count}"}, body
                )
                count += 1
                if status != 202:
                    raise RuntimeError(f"generate answered {status}: {accepted}")
                job_id, asked = accepted["data"]["job_id"], 0
                while True:
                    time.sleep(POLL_INTERVAL_SECONDS)
                    status, answer = _call(connection, "GET", f"/status/{job_id}", headers)
                    asked += 1
                    if answer["status"] == "ready":
                        base64.b64decode(answer["data"]["result"]["generated_section_b64"]).decode("utf-8")
                        break
                    if answer["status"] == "error":
                        raise RuntimeError(f"job failed: {answer['data']}")
                with lock:
                    latencies.append(time.perf_counter() - started)
                    polls.append(asked)
        except Exception as error:  # reported beside the figures, not hidden
            with lock:
                errors.append(f"{type(error).__name__}: {error}")
        finally:
            connection.close()

    started = time.perf_counter()
    threads = [threading.Thread(target=poller, args=(i,)) for i in range(pollers)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "jobs": len(latencies),
        "jobs_per_second": len(latencies) / elapsed,
        "polls_per_job": sum(polls) / len(polls) if polls else float("nan"),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        **harness.summary(latencies),
    }


def measure(
    kind: str, env: dict[str, str], api_key: str, customer_id: str, opportunity_id: str
) -> dict[str, Any]:
    with _serve(kind, env) as (port, pids):
        jobs_load(port, api_key, customer_id, opportunity_id, seconds=2.0, pollers=2)  # warm up
        cpu_before, started = harness.cpu_seconds(pids), time.perf_counter()
        load = jobs_load(port, api_key, customer_id, opportunity_id, seconds=SECONDS, pollers=POLLERS)
        load["server_cpu_cores"] = (harness.cpu_seconds(pids) - cpu_before) / (time.perf_counter() - started)
        # One finished job, polled as hard as 16 connections can: the poll endpoint's own cost.
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        headers = {"X-API-Key": api_key, "Content-Type": "application/json"}
        body = {"type": "Feasibility_report", "customer_id": customer_id, "opportunity_id": opportunity_id, "section_title": "Appendix"}  # fmt: skip
        _, accepted = _call(connection, "POST", "/generate", {**headers, "Session-Id": "bench-status"}, body)
        job_id = accepted["data"]["job_id"]
        while _call(connection, "GET", f"/status/{job_id}", headers)[1]["status"] == "processing":
            time.sleep(0.05)
        connection.close()
        load["status"] = harness.http_load(
            port, f"/status/{job_id}", seconds=5.0, headers={"X-API-Key": api_key}
        )
    return load


def _jobs_row(name: str, load: dict[str, Any], alone: float) -> dict[str, Any]:
    return harness.row(
        name,
        load["jobs_per_second"],
        "jobs/s",
        "local writer alone, 1 thread",
        alone,
        note=f"{load['jobs']} jobs, p50 {load['p50_ms']:.0f} ms, p99 {load['p99_ms']:.0f} ms, "
        f"{load['polls_per_job']:.1f} polls/job at {POLL_INTERVAL_SECONDS * 1000:.0f} ms, "
        f"server CPU {load['server_cpu_cores']:.2f} cores, {load['errors']} errors"
        + (f" ({load['first_error']})" if load["first_error"] else ""),
    )


def run() -> list[dict[str, Any]]:
    harness.prepare_database()
    customer_id, opportunity_id = _seed()
    api_key = f"bench-{uuid.uuid4().hex}"
    env = {"REPORTS_API_KEYS": api_key}
    alone = engine_alone(customer_id, opportunity_id)
    rest = harness.memo("rest_baselines", rest_baselines)
    daphne = measure("daphne", env, api_key, customer_id, opportunity_id)
    mode = "daphne + embedded worker" if not settings.REDIS_URL else "daphne + worker process"
    rows = [
        _jobs_row(f"generate->ready, {POLLERS} pollers, {mode}", daphne, alone),
        harness.row(
            "GET /status of a finished job, daphne",
            daphne["status"]["rps"],
            "req/s",
            "DRF one-row read, daphne",
            rest["daphne"]["rps"],
            note=f"p50 {daphne['status']['p50_ms']:.1f} ms, p99 {daphne['status']['p99_ms']:.1f} ms "
            "(API key lookup + job store read)",
        ),
    ]
    with _redis() as redis_url:
        if redis_url is None:
            return rows
        production = measure(
            "gunicorn", {**env, "REDIS_URL": redis_url}, api_key, customer_id, opportunity_id
        )
    rows += [
        _jobs_row(f"generate->ready, {POLLERS} pollers, gunicorn -w 2 + worker, Redis", production, alone),
        harness.row(
            "GET /status of a finished job, gunicorn -w 2, Redis",
            production["status"]["rps"],
            "req/s",
            "DRF one-row read, gunicorn -w 2",
            rest["gunicorn"]["rps"],
            note=f"p50 {production['status']['p50_ms']:.1f} ms, p99 {production['status']['p99_ms']:.1f} ms",
        ),
    ]
    return rows
