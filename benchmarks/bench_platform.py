"""Framework baselines every other benchmark divides by (issue: platform).

- a one-row DRF read on daphne (ASGI) and on gunicorn with 2 workers (WSGI);
- a bare echo WebSocket consumer on daphne carrying 100 real-time audio sockets.
"""

from __future__ import annotations

import time
from typing import Any

from benchmarks import harness


def rest_baselines(seconds: float = 5.0) -> dict[str, dict[str, Any]]:
    results = {}
    for kind in ("daphne", "gunicorn"):
        with harness.server(kind) as (port, pid):
            harness.http_load(port, "/bench/one-row", seconds=1.0)  # warm up connections and caches
            cpu_before, started = harness.cpu_seconds([pid]), time.perf_counter()
            result = harness.http_load(port, "/bench/one-row", seconds=seconds)
            elapsed = time.perf_counter() - started
            result["server_cpu_cores"] = (harness.cpu_seconds([pid]) - cpu_before) / elapsed
            results[kind] = result
    return results


def echo_socket_baseline(sockets: int, seconds: float = 5.0, path: str = "/bench/echo") -> dict[str, Any]:
    with harness.server("daphne") as (port, pid):
        cpu_before, started = harness.cpu_seconds([pid]), time.perf_counter()
        result = harness.socket_load(
            lambda i: f"ws://127.0.0.1:{port}{path}", sockets=sockets, seconds=seconds
        )
        result["server_cpu_cores"] = (harness.cpu_seconds([pid]) - cpu_before) / (
            time.perf_counter() - started
        )
    return result


def run() -> list[dict[str, Any]]:
    harness.prepare_database()
    rest = harness.memo("rest_baselines", rest_baselines)
    daphne, gunicorn = rest["daphne"], rest["gunicorn"]
    rows = [
        harness.row(
            "DRF one-row read, gunicorn -w 2",
            gunicorn["rps"],
            "req/s",
            note=f"p50 {gunicorn['p50_ms']:.1f} ms, p99 {gunicorn['p99_ms']:.1f} ms, server CPU {gunicorn['server_cpu_cores']:.2f} cores",
        ),
        harness.row(
            "DRF one-row read, daphne",
            daphne["rps"],
            "req/s",
            "gunicorn -w 2",
            gunicorn["rps"],
            note=f"p50 {daphne['p50_ms']:.1f} ms, p99 {daphne['p99_ms']:.1f} ms, server CPU {daphne['server_cpu_cores']:.2f} cores",
        ),
    ]
    for count in (1, 100):
        echo = harness.memo(f"echo_ws_{count}", lambda count=count: echo_socket_baseline(count))
        rows.append(
            harness.row(
                f"bare echo socket, {count} real-time audio sockets, p99",
                echo["p99_ms"],
                "ms",
                note=f"p50 {echo['p50_ms']:.2f} ms, {echo['frames']} frames, {echo['errors']} errors, server CPU {echo['server_cpu_cores']:.2f} cores",
            )
        )
    return rows
