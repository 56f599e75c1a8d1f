"""A whole deployment as real processes, for tests that restart or kill parts of it.

`Stack` runs the web process (gunicorn, or daphne for sockets; daphne with its embedded worker
when no Redis is given) and, with Redis, separate `celery -A config worker` processes, all on the
test database. `RedisServer` is a Redis of the test's own that it can restart. Tests talk to the
stack over HTTP and WebSockets like a frontend, and stop, start, restart or SIGKILL each part.
"""

from __future__ import annotations

import http.client
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

import redis

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
LOG_DIR = ROOT / "var"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _stop(process: subprocess.Popen[bytes] | None) -> None:
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=20)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait(timeout=5)


class RedisServer:
    """redis-server on a free port, keeping nothing on disk: a restart loses every queued message,
    as a crashed production Redis without persistence would."""

    def __init__(self) -> None:
        binary = shutil.which("redis-server")
        if binary is None:
            raise RuntimeError("redis-server is not installed")
        self.binary = binary
        self.port = free_port()
        self.url = f"redis://127.0.0.1:{self.port}/0"
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                self.binary,
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        client = redis.Redis.from_url(self.url)
        deadline = time.monotonic() + 10
        try:
            while True:
                try:
                    client.ping()
                    return
                except redis.ConnectionError:
                    if time.monotonic() > deadline:
                        raise
                    time.sleep(0.05)
        finally:
            client.close()

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(timeout=10)
            self.process = None

    def restart(self) -> None:
        self.stop()
        self.start()


class Stack:
    def __init__(
        self,
        *,
        database_url: str,
        redis_url: str | None,
        api_key: str = "",
        env: dict[str, str] | None = None,
        name: str = "stack",
        web: str = "gunicorn",
        web_workers: int = 1,
    ) -> None:
        base = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL"}}
        base.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DATABASE_URL": database_url,
                "PYTHONUNBUFFERED": "1",
                "LOG_LEVEL": "WARNING",
            }
        )
        if api_key:
            base["REPORTS_API_KEYS"] = api_key
        if redis_url:
            base["REDIS_URL"] = redis_url
        base.update(env or {})
        self.env = base
        self.api_key = api_key
        self.redis_url = redis_url
        self.name = name
        self.web_server = web if redis_url else "daphne"
        self.web_workers = web_workers  # gunicorn's sync workers (daphne is one process)
        self.port = 0
        self.web: subprocess.Popen[bytes] | None = None
        self.workers: list[subprocess.Popen[bytes]] = []
        self._logs: list[Any] = []

    # -- processes -----------------------------------------------------------------------------

    def _log(self, part: str) -> Any:
        handle = open(LOG_DIR / f"test-{self.name}-{part}.log", "ab")  # noqa: SIM115 - closed in close()
        self._logs.append(handle)
        return handle

    def start_web(self) -> None:
        self.port = free_port()
        if self.web_server == "gunicorn":
            # Production REST: gunicorn (WSGI); the worker is a separate process.
            command = [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                str(self.web_workers),
            ]
        else:
            # Sockets (and, without Redis, the embedded worker inside the web process): daphne.
            command = [
                sys.executable,
                "-m",
                "config.ws_server",
                "-b",
                "127.0.0.1",
                "-p",
                str(self.port),
                "config.asgi:application",
            ]
        log = self._log("web")
        self.web = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self._wait_for_web()

    def stop_web(self) -> None:
        _stop(self.web)
        self.web = None

    def restart_web(self) -> None:
        self.stop_web()
        self.start_web()

    @property
    def worker(self) -> subprocess.Popen[bytes] | None:
        """The newest worker."""
        return self.workers[-1] if self.workers else None

    def start_worker(self) -> subprocess.Popen[bytes]:
        assert self.redis_url, "without Redis the worker runs inside the web process"
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "threads", "--concurrency", "2",
            "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--hostname", f"{self.name}-{os.getpid()}-{time.monotonic_ns()}@%h",
        ]  # fmt: skip
        log = self._log("worker")
        worker = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)
        self.workers.append(worker)
        return worker

    def stop_worker(self) -> None:
        for worker in self.workers:
            _stop(worker)
        self.workers = []

    def kill_worker(self) -> None:
        """SIGKILL the newest worker: no shutdown, no acks, no goodbye, as an OOM kill does."""
        worker = self.workers.pop()
        worker.kill()
        worker.wait(timeout=10)

    def restart_worker(self) -> None:
        self.stop_worker()
        self.start_worker()

    def close(self) -> None:
        self.stop_worker()
        self.stop_web()
        for handle in self._logs:
            handle.close()

    def __enter__(self) -> Stack:
        return self

    def __exit__(self, *exc_info: object) -> None:
        self.close()

    def _wait_for_web(self, timeout: float = 60.0) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.web is not None and self.web.poll() is not None:
                raise RuntimeError(f"web process exited; see var/test-{self.name}-web.log")
            try:
                # Any answer proves Django serves; an unknown path is the cheapest one.
                status, _ = self.request("GET", "/stack-ready-probe")
                if status == 404:
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"web process did not answer; see var/test-{self.name}-web.log")

    # -- HTTP ----------------------------------------------------------------------------------

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def request(
        self,
        method: str,
        path: str,
        body: Any = None,
        *,
        session_id: str | None = None,
        headers: dict[str, str] | None = None,
        timeout: float = 30,
    ) -> tuple[int, dict[str, Any]]:
        sent = {"Content-Type": "application/json", **(headers or {})}
        if self.api_key:
            sent.setdefault("X-API-Key", self.api_key)
        if session_id is not None:
            sent["Session-Id"] = session_id
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=timeout)
        try:
            connection.request(method, path, json.dumps(body) if body is not None else None, sent)
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        finally:
            connection.close()

    def wait_for_job(self, job_id: str, *, timeout: float = 60.0) -> dict[str, Any]:
        """Poll a report job's /status until it is no longer processing."""
        deadline = time.monotonic() + timeout
        while True:
            status, body = self.request("GET", f"/status/{job_id}")
            if status != 200 or body["status"] != "processing":
                return body
            if time.monotonic() > deadline:
                raise AssertionError(f"job {job_id} still {body['data']['status']} after {timeout} s")
            time.sleep(0.1)
