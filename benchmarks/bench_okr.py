"""OKR coach (issue 4): the analysis from trigger to result, and the answer route under load.

Rows, each beside a baseline measured in the same run:
- the local dashboard engine alone, in this process (the floor under the socket figures);
- trigger -> `result` over ws/analysis/{id}/ on daphne with the embedded Celery worker, one
  analysis at a time and four at once (median and p95), against the engine alone and against a
  ws/health/ echo round trip (what the socket path costs with no work at all);
- answers recorded per second by POST /api/review/{id}/answer/ on gunicorn -w 2 (the production
  REST topology) with 16 concurrent founders each starting a session and answering its five
  questions, against the platform's one-row DRF read on the same server kind;
- (issue 13) the engine's reading of the labelled founder answers (tests/fixtures/okr/labelled):
  accuracy per field (metric, baseline, target, due date, activities, blockers) beside the
  issue's 90% target, and the engine's time per founder of that set beside the SaaS example's.

    make bench BENCH_ARGS=okr
"""

from __future__ import annotations

import asyncio
import json
import os
import statistics
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from benchmarks import bench_platform, harness

ANSWERS = json.loads((harness.ROOT / "tests" / "fixtures" / "okr" / "saas_specific.json").read_text())[
    "answers"
]
SEQUENTIAL_RUNS = 40
CONCURRENT_RUNS = 10  # rounds of four at once
REST_SECONDS = 8.0
REST_SESSIONS = 16


def _seed_questions() -> list[int]:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings"}
    out = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django, json; django.setup(); from review.seeds import seed_questions; seed_questions(); "
            "from review.models import Question; "
            "print(json.dumps(list(Question.objects.filter(is_active=True).order_by('order').values_list('id', flat=True))))",
        ],
        cwd=harness.ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    return json.loads(out.stdout.strip().splitlines()[-1])


def _engine_alone(runs: int = 200) -> list[float]:
    from analysis.engines import llm
    from review import ai as okr
    from review.ai.local import forget_readings

    config = llm.LLMConfig()
    llm.run(okr.TASK_NAME, {"answers": ANSWERS}, config=config)  # warm the lexicons
    timings = []
    for _ in range(runs):
        forget_readings()  # each run reads the answers afresh, as a new analysis would
        started = time.perf_counter()
        llm.run(okr.TASK_NAME, {"answers": ANSWERS}, config=config)
        timings.append(time.perf_counter() - started)
    return timings


async def _one_analysis(port: int) -> float:
    import websockets

    session_id = str(uuid.uuid4())
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws/analysis/{session_id}/", open_timeout=30) as ws:
        await ws.recv()  # the snapshot
        started = time.perf_counter()
        await ws.send(json.dumps({"session_id": session_id, "answers": ANSWERS}))
        while True:
            frame = json.loads(await asyncio.wait_for(ws.recv(), timeout=60))
            if frame.get("type") == "result":
                return time.perf_counter() - started
            if frame.get("type") == "error" or frame.get("status") == "failed":
                raise RuntimeError(f"analysis failed: {frame}")


async def _echo_round_trips(port: int, count: int = 200) -> list[float]:
    import websockets

    timings = []
    async with websockets.connect(f"ws://127.0.0.1:{port}/ws/health/", open_timeout=30) as ws:
        await ws.recv()
        for index in range(count):
            started = time.perf_counter()
            await ws.send(json.dumps({"n": index}))
            await ws.recv()
            timings.append(time.perf_counter() - started)
    return timings


@contextmanager
def _worker() -> Iterator[None]:
    """With a broker configured the server runs no embedded worker: start one, as production does."""
    from django.conf import settings

    if settings.CELERY_EMBEDDED:
        yield
        return
    with harness.celery_worker(name="bench-okr"):
        yield


def _socket_figures() -> dict[str, list[float]]:
    with _worker(), harness.server("daphne") as (port, _pid):

        async def main() -> dict[str, list[float]]:
            for _ in range(3):  # warm-up: worker threads, database connections, lexicons
                await _one_analysis(port)
            sequential = [await _one_analysis(port) for _ in range(SEQUENTIAL_RUNS)]
            concurrent: list[float] = []
            for _ in range(CONCURRENT_RUNS):
                concurrent += await asyncio.gather(*(_one_analysis(port) for _ in range(4)))
            echo = await _echo_round_trips(port)
            return {"sequential": sequential, "concurrent": concurrent, "echo": echo}

        return asyncio.run(main())


class _Connection:
    """Keep-alive HTTP/1.1 that reopens when the server closes (gunicorn's sync workers do)."""

    def __init__(self, port: int) -> None:
        self.port = port
        self.reader: asyncio.StreamReader | None = None
        self.writer: asyncio.StreamWriter | None = None

    async def post(self, path: str, body: bytes) -> tuple[int, bytes]:
        if self.writer is None:
            self.reader, self.writer = await asyncio.open_connection("127.0.0.1", self.port)
        assert self.reader is not None
        self.writer.write(
            (
                f"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                f"Content-Length: {len(body)}\r\n\r\n"
            ).encode()
            + body
        )
        await self.writer.drain()
        status_line = await self.reader.readline()
        if not status_line:  # closed between requests: send again on a fresh connection
            self.close()
            return await self.post(path, body)
        length, close = 0, False
        while True:
            line = await self.reader.readline()
            if line in (b"\r\n", b""):
                break
            name, _, value = line.decode("latin-1").partition(":")
            if name.lower() == "content-length":
                length = int(value.strip())
            if name.lower() == "connection" and "close" in value.lower():
                close = True
        payload = await self.reader.readexactly(length)
        if close:
            self.close()
        return int(status_line.split()[1]), payload

    def close(self) -> None:
        if self.writer is not None:
            self.writer.close()
        self.reader = self.writer = None


async def _founder(
    port: int, question_ids: list[int], deadline: float, answers: list[float], errors: list[str]
) -> None:
    """One founder after another: start a session, then answer its five questions in order."""
    connection = _Connection(port)
    try:
        while time.perf_counter() < deadline:
            status, body = await connection.post("/api/review/start/", b"{}")
            if status != 201:
                errors.append(f"start {status}")
                continue
            session_id = json.loads(body)["session"]["id"]
            for question_id, answer in zip(question_ids, ANSWERS, strict=False):
                payload = json.dumps({"question_id": question_id, "answer_text": answer["answer"]}).encode()
                started = time.perf_counter()
                status, _ = await connection.post(f"/api/review/{session_id}/answer/", payload)
                if status != 201:
                    errors.append(f"answer {status}")
                    break
                answers.append(time.perf_counter() - started)
    finally:
        connection.close()


def _answer_route_load(question_ids: list[int]) -> dict[str, Any]:
    with harness.server("gunicorn") as (port, pid):

        async def run(seconds: float) -> tuple[list[float], list[str], float]:
            answers: list[float] = []
            errors: list[str] = []
            started = time.perf_counter()
            deadline = started + seconds
            await asyncio.gather(
                *(_founder(port, question_ids, deadline, answers, errors) for _ in range(REST_SESSIONS))
            )
            return answers, errors, time.perf_counter() - started

        asyncio.run(run(1.0))  # warm-up
        cpu_before = harness.cpu_seconds([pid])
        answers, errors, elapsed = asyncio.run(run(REST_SECONDS))
        cpu = (harness.cpu_seconds([pid]) - cpu_before) / elapsed
    return {
        "rps": len(answers) / elapsed,
        "errors": len(errors),
        "server_cpu_cores": cpu,
        **harness.summary(answers),
    }


def _labelled_set() -> list[dict[str, Any]]:
    """Field accuracy on the labelled set, as the test suite scores it (the same code)."""
    from tests.review.test_okr_labelled import FIELDS, accuracy, evaluate, founders

    everyone = list(founders())
    started = time.perf_counter()
    outcomes = [evaluate(f) for f in everyone]
    per_founder_ms = (time.perf_counter() - started) * 1000 / len(everyone)
    figures = accuracy(outcomes)
    rows = []
    for name in FIELDS:
        missed = [o.founder.id for o in outcomes if not o.correct[name]]
        rows.append(
            harness.row(
                f"OKR labelled set ({len(everyone)} founders), {name} accuracy",
                100 * figures[name],
                "%",
                "issue 13 target",
                90.0,
                note=f"missed: {', '.join(missed)}" if missed else "no miss",
            )
        )
    rows.append(
        harness.row(
            "OKR labelled set, read + dashboard per founder",
            per_founder_ms,
            "ms",
            "engine alone on the SaaS set, p50",
            None,
            higher_is_better=False,
        )
    )
    return rows


def _ms(values: list[float], q: float) -> float:
    return harness.percentile([v * 1000 for v in values], q)


def run() -> list[dict[str, Any]]:
    labelled = _labelled_set()
    harness.prepare_database()
    question_ids = _seed_questions()
    engine = _engine_alone()
    sockets = _socket_figures()
    rest = harness.memo("rest_baselines", bench_platform.rest_baselines)
    load = _answer_route_load(question_ids)
    engine_p50, echo_p50 = statistics.median(engine) * 1000, statistics.median(sockets["echo"]) * 1000
    rows = [
        harness.row(
            "local OKR engine alone (in process), p50",
            engine_p50,
            "ms",
            note=f"p95 {_ms(engine, 95):.1f} ms over {len(engine)} runs of the SaaS answer set",
        ),
        harness.row(
            "ws/health echo round trip, p50", echo_p50, "ms", note=f"p95 {_ms(sockets['echo'], 95):.2f} ms"
        ),
    ]
    for label, timings in (("one at a time", sockets["sequential"]), ("four at once", sockets["concurrent"])):
        p50, p95 = _ms(timings, 50), _ms(timings, 95)
        rows.append(
            harness.row(
                f"trigger -> result, local engine, {label}, p50",
                p50,
                "ms",
                "engine alone p50",
                engine_p50,
                higher_is_better=False,
                note=f"{len(timings)} analyses through Celery and the channel layer; echo p50 {echo_p50:.2f} ms",
            )
        )
        rows.append(
            harness.row(
                f"trigger -> result, local engine, {label}, p95",
                p95,
                "ms",
                "engine alone p95",
                _ms(engine, 95),
                higher_is_better=False,
            )
        )
    for item in labelled:
        if item["unit"] == "ms":  # evaluation runs twice the engine (reading, then dashboard)
            item.update(
                harness.row(
                    item["name"],
                    item["value"],
                    "ms",
                    "engine alone, SaaS set, p50",
                    engine_p50,
                    higher_is_better=False,
                )
            )
    rows.extend(labelled)
    baseline = rest["gunicorn"]
    rows.append(
        harness.row(
            f"answers recorded/s, {REST_SESSIONS} concurrent founders, gunicorn -w 2",
            load["rps"],
            "req/s",
            "DRF one-row read, gunicorn -w 2",
            baseline["rps"],
            note=f"p50 {load['p50_ms']:.1f} ms, p99 {load['p99_ms']:.1f} ms, {load['errors']} errors, "
            f"server CPU {load['server_cpu_cores']:.2f} cores",
        )
    )
    return rows
