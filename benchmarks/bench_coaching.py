"""The coach platform's analytics at scale (issue 15), on PostgreSQL: a team of 100 technicians
with 90 days of analysed calls (5 a day each: 45,000 calls, their opportunities and coaching
moments), the nightly rollup run as production runs it.

Rows, each beside a one-row DRF read on the same gunicorn server (2 workers, PostgreSQL) in the
same run, with authentication and rate limiting on as clients meet them (the target: within 3×):

- GET /analytics/leaderboard/weekly and /monthly, GET /analytics/team/overview (req/s, p50/p99),
  as dashboards poll them: 64 supervisors of the team take turns, so answers come from the short-lived
  cached copy (`coaching.selectors.cached`) that every change through the services refreshes;
  GET /auth/me is printed too, the cost of the bearer token alone;
- an answer computed from scratch, in-process: the monthly leaderboard with the rollup, and with
  every day read from the calls (what the rollup saves), the weekly one, the team overview;
- the nightly rollup itself over the 90 days.

The database is `COACHING_BENCH_DATABASE_URL` (default: a `coachhub_bench_coaching` database on
the local PostgreSQL, created if missing and kept between runs; the calls are generated once).

    make bench BENCH_ARGS=coaching
"""

from __future__ import annotations

import asyncio
import json
import os
import random
import statistics
import subprocess
import sys
import time
from typing import Any

from benchmarks import harness

DEFAULT_URL = "postgres://postgres@127.0.0.1:5432/coachhub_bench_coaching"
TECHNICIANS = 100
DAYS = 90
CALLS_PER_DAY = 5
SUPERVISORS = 64  # each has a token of their own: 100 requests a minute apiece
TEAM = "Bench Coaching Team"
TIME_ZONE = "America/Chicago"
SECONDS = 5.0
CONNECTIONS = 16


def _database_url() -> str:
    return os.environ.get("COACHING_BENCH_DATABASE_URL", DEFAULT_URL)


def _ensure_database(url: str) -> None:
    from urllib.parse import urlsplit

    import psycopg

    parts = urlsplit(url)
    name = parts.path.lstrip("/")
    admin = parts._replace(path="/postgres").geturl().replace("postgres://", "postgresql://", 1)
    with psycopg.connect(admin, autocommit=True) as connection:
        if not connection.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name]).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


# --------------------------------------------------------------------------------------------
# In a subprocess on the PostgreSQL database


def _populate() -> dict[str, Any]:
    from datetime import datetime, timedelta
    from datetime import time as clock
    from decimal import Decimal

    from django.db import transaction

    from accounts.models import Team, User
    from coaching.selectors.periods import local_today, zone
    from conversations.models import CoachingMoment, Conversation, ConversationAnalysis, UpsellOpportunity

    expected = TECHNICIANS * DAYS * CALLS_PER_DAY
    team, _ = Team.objects.get_or_create(name=TEAM, defaults={"time_zone": TIME_ZONE})
    if Conversation.objects.filter(technician__team=team).count() == expected:
        return {"generated": False, "calls": expected}
    Conversation.objects.filter(technician__team=team).delete()
    rng = random.Random(15)
    with transaction.atomic():
        technicians = []
        for index in range(TECHNICIANS):
            user, _ = User.objects.get_or_create(
                email=f"bench-coaching-tech-{index}@example.com",
                defaults={"full_name": f"Technician {index:03d}", "role": User.Role.TECHNICIAN, "team": team},
            )
            technicians.append(user)
        today = local_today(TIME_ZONE)
        numbers: dict[Any, int] = {}
        calls = []
        for day_offset in range(DAYS - 1, -1, -1):
            day = today - timedelta(days=day_offset)
            for technician in technicians:
                for slot in range(CALLS_PER_DAY):
                    started = datetime.combine(day, clock(8), tzinfo=zone(TIME_ZONE)) + timedelta(
                        minutes=105 * slot
                    )
                    utc_day = started.astimezone(zone("UTC")).date()
                    numbers[utc_day] = numbers.get(utc_day, 0) + 1
                    duration = rng.uniform(300, 1500)
                    calls.append(
                        Conversation(
                            public_id=f"CONV-{utc_day:%Y%m%d}-{numbers[utc_day]:03d}-B",
                            day=utc_day,
                            number=numbers[utc_day] + 10_000,
                            technician=technician,
                            customer_name="Bench Customer",
                            status="analyzed",
                            started_at=started,
                            ended_at=started + timedelta(seconds=duration),
                            duration_seconds=duration,
                            customer_satisfaction_score=rng.randint(40, 100),
                            transcript_completed_at=started + timedelta(seconds=duration),
                        )
                    )
        Conversation.objects.bulk_create(calls, batch_size=5000)
        analyses = ConversationAnalysis.objects.bulk_create(
            [ConversationAnalysis(conversation=call, engine="local", is_current=True) for call in calls],
            batch_size=5000,
        )
        opportunities, moments = [], []
        statuses = ["identified", "presented", "quoted", "closed_won", "closed_lost"]
        for call, analysis in zip(calls, analyses, strict=True):
            for index in range(rng.choice([0, 0, 1, 1, 2])):
                status = rng.choice(statuses)
                value = Decimal(rng.randrange(150, 12000))
                opportunities.append(
                    UpsellOpportunity(
                        analysis=analysis, conversation=call, opportunity_type=f"type_{index}", title="Bench",
                        description="-", trigger_phrase="-", timestamp_in_call=10.0, confidence=0.8,
                        estimated_value=value, priority="medium", status=status,
                        actual_value=value if status == "closed_won" else None, engine="local",
                    )
                )  # fmt: skip
            for _ in range(rng.choice([0, 1, 2, 3])):
                moments.append(
                    CoachingMoment(
                        analysis=analysis, conversation=call, category=rng.choice(["no_recap", "jargon", "upsell_missed"]),
                        title="Bench", timestamp_in_call=20.0, what_happened="-", what_should_happen="-",
                        example_better_response="-", severity="minor", engine="local",
                    )
                )  # fmt: skip
        UpsellOpportunity.objects.bulk_create(opportunities, batch_size=5000)
        CoachingMoment.objects.bulk_create(moments, batch_size=5000)
    return {
        "generated": True,
        "calls": len(calls),
        "opportunities": len(opportunities),
        "moments": len(moments),
    }


def _timed(function: Any, repeats: int = 30) -> float:
    function()
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        function()
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _prepare_and_measure() -> dict[str, Any]:
    from django.db import connection, transaction

    from accounts.models import Team, User
    from accounts.services import tokens_issue
    from coaching import selectors, services
    from coaching.models import RollupWatermark, TechnicianDay

    result = _populate()
    team = Team.objects.get(name=TEAM)
    supervisors = []
    for index in range(SUPERVISORS):
        user, _ = User.objects.get_or_create(
            email=f"bench-coaching-supervisor-{index}@example.com",
            defaults={"full_name": f"Supervisor {index}", "role": User.Role.SUPERVISOR, "team": team},
        )
        supervisors.append(user)
    # The nightly rollup, as beat runs it (forced: a run per bench, over all 90 days).
    RollupWatermark.objects.all().delete()
    TechnicianDay.objects.all().delete()
    started = time.perf_counter()
    services.rollup_run(force=True)
    result["rollup_seconds"] = time.perf_counter() - started
    result["rollup_rows"] = TechnicianDay.objects.count()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    members = selectors.team_members(supervisor=supervisors[0])

    def monthly() -> Any:
        return selectors.leaderboard(members=members, kind="monthly", time_zone=TIME_ZONE)

    result["monthly_query_ms"] = _timed(monthly)
    result["weekly_query_ms"] = _timed(
        lambda: selectors.leaderboard(members=members, kind="weekly", time_zone=TIME_ZONE)
    )
    result["overview_ms"] = _timed(
        lambda: selectors.team_overview(supervisor=supervisors[0], members=members)
    )
    with transaction.atomic():
        RollupWatermark.objects.all().delete()  # every day read from the calls, then put back
        result["monthly_live_ms"] = _timed(monthly, repeats=10)
        transaction.set_rollback(True)
    result["tokens"] = [tokens_issue(user=user).access for user in supervisors]
    return result


# --------------------------------------------------------------------------------------------
# In the bench process


async def _worker(
    port: int, requests: list[bytes], deadline: float, latencies: list[float], offset: int
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    turn = offset
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(requests[turn % len(requests)])
            turn += 1
            await writer.drain()
            status = await reader.readline()
            if not status:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            if b" 200 " not in status:
                raise RuntimeError(f"unexpected answer: {status!r}")
            length = 0
            while (line := await reader.readline()) not in (b"\r\n", b""):
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value)
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
    finally:
        writer.close()


def _load(port: int, path: str, tokens: list[str], seconds: float = SECONDS) -> dict[str, Any]:
    """Keep-alive load over CONNECTIONS connections, each request with the next supervisor's token."""
    requests = [
        f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {token}\r\n\r\n".encode()
        for token in tokens
    ]

    async def main() -> list[float]:
        latencies: list[float] = []
        deadline = time.perf_counter() + seconds
        await asyncio.gather(
            *(_worker(port, requests, deadline, latencies, i * 7) for i in range(CONNECTIONS))
        )
        return latencies

    started = time.perf_counter()
    latencies = asyncio.run(main())
    return {"rps": len(latencies) / (time.perf_counter() - started), **harness.summary(latencies)}


def run() -> list[dict[str, Any]]:
    url = _database_url()
    try:
        _ensure_database(url)
    except Exception as error:  # no PostgreSQL here: say so instead of measuring SQLite
        return [harness.row("coach analytics (PostgreSQL)", float("nan"), "", note=f"skipped: {error}")]
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", "DATABASE_URL": url}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"],
        cwd=harness.ROOT,
        env=env,
        check=True,
    )
    done = subprocess.run(
        [sys.executable, "-m", "benchmarks.bench_coaching"],
        cwd=harness.ROOT,
        env=env,
        check=True,
        capture_output=True,
        text=True,
    )
    prepared = json.loads(done.stdout.strip().splitlines()[-1])
    tokens = prepared.pop("tokens")
    rows: list[dict[str, Any]] = []
    with harness.server("gunicorn", env={"DATABASE_URL": url}) as (port, _pid):
        harness.http_load(port, "/bench/one-row", seconds=1.0)
        baseline = harness.http_load(port, "/bench/one-row", seconds=SECONDS)
        rows.append(
            harness.row(
                "DRF one-row read, gunicorn -w 2, PostgreSQL",
                baseline["rps"],
                "req/s",
                note=f"p50 {baseline['p50_ms']:.1f} ms, p99 {baseline['p99_ms']:.1f} ms",
            )
        )
        _load(port, "/auth/me", tokens, seconds=1.0)
        me = _load(port, "/auth/me", tokens)
        rows.append(
            harness.row(
                "JWT-authenticated one-row read (GET /auth/me)",
                me["rps"],
                "req/s",
                "one-row read",
                baseline["rps"],
                note=f"p50 {me['p50_ms']:.1f} ms: what a bearer token costs every analytics route",
            )
        )
        for name, path in (
            ("leaderboard weekly, 100 technicians", "/analytics/leaderboard/weekly"),
            ("leaderboard monthly, 100 technicians", "/analytics/leaderboard/monthly"),
            ("team overview, 100 technicians", "/analytics/team/overview"),
        ):
            _load(port, path, tokens, seconds=1.0)
            measured = _load(port, path, tokens)
            rows.append(
                harness.row(
                    name,
                    measured["rps"],
                    "req/s",
                    "one-row read",
                    baseline["rps"],
                    note=f"p50 {measured['p50_ms']:.1f} ms, p99 {measured['p99_ms']:.1f} ms; "
                    f"{measured['rps'] / me['rps']:.2f}x of /auth/me (target: ratio ≥ 0.33)",
                )
            )
    rows.append(
        harness.row(
            "monthly leaderboard computed (no cached copy), with the rollup",
            prepared["monthly_query_ms"],
            "ms",
            "every day from the calls",
            prepared["monthly_live_ms"],
            higher_is_better=False,
            note=f"in-process; weekly {prepared['weekly_query_ms']:.1f} ms, team overview {prepared['overview_ms']:.1f} ms",
        )
    )
    rows.append(
        harness.row(
            f"nightly rollup, {DAYS} days × {TECHNICIANS} technicians",
            prepared["rollup_seconds"],
            "s",
            note=f"{prepared['rollup_rows']} rows from {prepared['calls']} calls",
        )
    )
    return rows


if __name__ == "__main__":
    import django

    django.setup()
    print(json.dumps(_prepare_and_measure()))
