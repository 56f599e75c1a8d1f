"""Shared tools for benchmarks: start a server, load it from a second process, read its CPU time."""

from __future__ import annotations

import asyncio
import os
import signal
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent
CLOCK_TICKS = os.sysconf("SC_CLK_TCK")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def cpu_seconds(pids: list[int]) -> float:
    """User+system CPU of the processes and their children (gunicorn workers) from /proc."""
    total = 0.0
    for pid in pids:
        for proc in [pid, *_children(pid)]:
            try:
                fields = Path(f"/proc/{proc}/stat").read_text().rsplit(")", 1)[1].split()
            except FileNotFoundError:
                continue
            total += (int(fields[11]) + int(fields[12])) / CLOCK_TICKS
    return total


def _children(pid: int) -> list[int]:
    try:
        out = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True).stdout
    except FileNotFoundError:
        return []
    return [int(p) for p in out.split()]


def wait_for_port(port: int, timeout: float = 60.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=0.5):
                return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"server on port {port} did not start")


@contextmanager
def server(
    kind: str, *, env: dict[str, str] | None = None, app: str = "benchmarks.asgi:application"
) -> Iterator[tuple[int, int]]:
    """Run daphne (ASGI) or gunicorn with 2 workers (WSGI) on a free port; yields (port, pid)."""
    port = free_port()
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", **(env or {})}
    if kind == "daphne":
        cmd = [str(BIN / "python"), "-m", "config.ws_server", "-b", "127.0.0.1", "-p", str(port), app]
    elif kind == "gunicorn":
        cmd = [
            str(BIN / "gunicorn"),
            "config.wsgi:application",
            "-b",
            f"127.0.0.1:{port}",
            "-w",
            "2",
            "--log-level",
            "error",
        ]
    else:
        raise ValueError(kind)
    process = subprocess.Popen(cmd, cwd=ROOT, env=full_env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        wait_for_port(port)
        yield port, process.pid
    finally:
        process.send_signal(signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()


def percentile(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))
    return ordered[index]


def summary(latencies_s: list[float]) -> dict[str, float]:
    ms = [v * 1000 for v in latencies_s]
    return {"p50_ms": statistics.median(ms) if ms else float("nan"), "p99_ms": percentile(ms, 99)}


async def _http_worker(
    port: int, path: str, deadline: float, latencies: list[float], headers: str, body: bytes
) -> None:
    reader, writer = await asyncio.open_connection("127.0.0.1", port)
    method = "POST" if body else "GET"
    request = (
        f"{method} {path} HTTP/1.1\r\nHost: 127.0.0.1\r\n{headers}Content-Length: {len(body)}\r\n\r\n"
    ).encode() + body
    try:
        while time.perf_counter() < deadline:
            started = time.perf_counter()
            writer.write(request)
            await writer.drain()
            status_line = await reader.readline()
            if not status_line:
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
                continue
            length, close = 0, False
            while True:
                line = await reader.readline()
                if line in (b"\r\n", b""):
                    break
                name, _, value = line.decode("latin-1").partition(":")
                if name.lower() == "content-length":
                    length = int(value.strip())
                if name.lower() == "connection" and "close" in value.lower():
                    close = True
            await reader.readexactly(length)
            latencies.append(time.perf_counter() - started)
            if close:
                writer.close()
                reader, writer = await asyncio.open_connection("127.0.0.1", port)
    finally:
        writer.close()


def http_load(
    port: int,
    path: str,
    *,
    seconds: float = 5.0,
    connections: int = 16,
    headers: dict[str, str] | None = None,
    body: bytes = b"",
) -> dict[str, Any]:
    """Keep-alive HTTP/1.1 load from this process; the server is another process."""
    header_text = "".join(f"{k}: {v}\r\n" for k, v in (headers or {}).items())

    async def main() -> list[float]:
        latencies: list[float] = []
        deadline = time.perf_counter() + seconds
        await asyncio.gather(
            *(_http_worker(port, path, deadline, latencies, header_text, body) for _ in range(connections))
        )
        return latencies

    started = time.perf_counter()
    latencies = asyncio.run(main())
    elapsed = time.perf_counter() - started
    return {"requests": len(latencies), "rps": len(latencies) / elapsed, **summary(latencies)}


_memo: dict[str, Any] = {}


def memo(name: str, compute: Any) -> Any:
    """Baselines shared by several benchmarks are measured once per `make bench` run."""
    if name not in _memo:
        _memo[name] = compute()
    return _memo[name]


def row(
    name: str,
    value: float,
    unit: str,
    baseline_name: str = "",
    baseline_value: float | None = None,
    *,
    higher_is_better: bool = True,
    note: str = "",
) -> dict[str, Any]:
    """One printed line: a figure beside the baseline it is judged against, and their ratio."""
    ratio = None
    if baseline_value:
        ratio = value / baseline_value if higher_is_better else baseline_value / value if value else None
    return {
        "name": name,
        "value": value,
        "unit": unit,
        "baseline_name": baseline_name,
        "baseline_value": baseline_value,
        "ratio": ratio,
        "note": note,
    }


def prepare_database() -> None:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings"}
    subprocess.run(
        [sys.executable, "manage.py", "migrate", "--noinput", "-v", "0"], cwd=ROOT, env=env, check=True
    )
    subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from accounts.models import Team; "
            "Team.objects.get_or_create(name='Bench Team')",
        ],
        cwd=ROOT,
        env=env,
        check=True,
    )


async def _socket_client(
    url: str,
    frame: bytes,
    interval: float,
    deadline: float,
    latencies: list[float],
    errors: list[str],
    record_after: float = 0.0,
    reply_type: str | None = None,
) -> None:
    import json

    import websockets

    try:
        async with websockets.connect(url, max_size=None, open_timeout=30) as ws:
            next_send = time.perf_counter()
            while time.perf_counter() < deadline:
                started = time.perf_counter()
                await ws.send(frame)
                reply = await ws.recv()
                # A server may send extra messages (a nudge after the metrics): wait for the reply
                # to this frame, or every later round trip would read a stale message at once.
                while reply_type is not None and json.loads(reply).get("type") != reply_type:
                    reply = await ws.recv()
                if started >= record_after:
                    latencies.append(time.perf_counter() - started)
                next_send += interval
                await asyncio.sleep(max(0.0, next_send - time.perf_counter()))
    except Exception as error:  # a refused or dropped socket is a result, reported beside the numbers
        errors.append(f"{type(error).__name__}: {error}")


def socket_load(
    url_for: Any,
    *,
    sockets: int,
    seconds: float = 5.0,
    samples: int = 4096,
    sample_rate: int = 48000,
    reply_type: str | None = None,
) -> dict[str, Any]:
    """`sockets` clients each streaming float32 audio frames at real time; round trip per frame."""
    import numpy as np

    rng = np.random.default_rng(7)
    t = np.arange(samples) / sample_rate
    frame = (
        (0.2 * np.sin(2 * np.pi * 180 * t) + 0.01 * rng.standard_normal(samples)).astype(np.float32).tobytes()
    )
    interval = samples / sample_rate

    async def main() -> tuple[list[float], list[str]]:
        latencies: list[float] = []
        errors: list[str] = []
        # Handshakes are not what is measured: frames count once every socket had a second to settle.
        record_after = time.perf_counter() + interval + 1.0
        deadline = record_after + seconds
        clients = []
        for index in range(sockets):
            client = _socket_client(
                url_for(index), frame, interval, deadline, latencies, errors, record_after
            )
            clients.append(asyncio.create_task(client))
            await asyncio.sleep(interval / max(1, sockets))  # spread the sends over one frame period
        await asyncio.gather(*clients)
        return latencies, errors

    latencies, errors = asyncio.run(main())
    return {
        "frames": len(latencies),
        "errors": len(errors),
        "first_error": errors[0] if errors else None,
        **summary(latencies),
    }


@contextmanager
def celery_worker(*, env: dict[str, str] | None = None, name: str = "bench") -> Iterator[int]:
    """A separate `celery -A config worker` on the benchmark settings, as production runs it;
    yields its pid so its CPU can be counted."""
    process = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "threads", "--concurrency", "2",
         "--loglevel", "ERROR", "--without-gossip", "--without-mingle", "-n", f"{name}-{os.getpid()}@%h"],
        cwd=ROOT,
        env={**os.environ, "DJANGO_SETTINGS_MODULE": "benchmarks.settings", **(env or {})},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )  # fmt: skip
    try:
        yield process.pid
    finally:
        process.terminate()
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            process.kill()
