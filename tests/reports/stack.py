"""A whole report-sections deployment as real processes, for tests that restart parts of it.

`Stack` runs the web process (gunicorn, or daphne with its embedded worker when no Redis is
given) and, with Redis, a separate `celery -A config worker`, all on the test database. Tests talk
to it over HTTP like a frontend and can stop, start and restart each process.
"""

from __future__ import annotations

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
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


class Stack:
    def __init__(
        self,
        *,
        database_url: str,
        api_key: str,
        redis_url: str | None,
        env: dict[str, str] | None = None,
        name: str = "stack",
    ) -> None:
        base = {k: v for k, v in os.environ.items() if k not in {"REDIS_URL", "CELERY_BROKER_URL"}}
        base.update(
            {
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "DATABASE_URL": database_url,
                "REPORTS_API_KEYS": api_key,
                "PYTHONUNBUFFERED": "1",
                "LOG_LEVEL": "WARNING",
            }
        )
        if redis_url:
            base["REDIS_URL"] = redis_url
        base.update(env or {})
        self.env = base
        self.api_key = api_key
        self.redis_url = redis_url
        self.name = name
        self.port = 0
        self.web: subprocess.Popen[bytes] | None = None
        self.worker: subprocess.Popen[bytes] | None = None
        self._logs: list[Any] = []

    # -- processes -----------------------------------------------------------------------------

    def _log(self, part: str) -> Any:
        handle = open(LOG_DIR / f"test-{self.name}-{part}.log", "ab")  # noqa: SIM115 - closed in close()
        self._logs.append(handle)
        return handle

    def start_web(self) -> None:
        self.port = free_port()
        if self.redis_url:
            # Production REST: gunicorn (WSGI); the worker is a separate process.
            command = [
                str(BIN / "gunicorn"),
                "config.wsgi:application",
                "-b",
                f"127.0.0.1:{self.port}",
                "-w",
                "1",
            ]
        else:
            # Embedded mode: daphne starts a Celery worker inside the web process.
            command = [
                str(BIN / "daphne"),
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

    def start_worker(self) -> None:
        assert self.redis_url, "without Redis the worker runs inside the web process"
        command = [
            sys.executable, "-m", "celery", "-A", "config", "worker", "--pool", "threads", "--concurrency", "2",
            "--loglevel", "WARNING", "--without-gossip", "--without-mingle", "--without-heartbeat",
            "--hostname", f"{self.name}-{os.getpid()}-{time.monotonic_ns()}@%h",
        ]  # fmt: skip
        log = self._log("worker")
        self.worker = subprocess.Popen(command, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT)

    def stop_worker(self) -> None:
        _stop(self.worker)
        self.worker = None

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
                status, _ = self.request("GET", f"/status/{'0' * 32}")
                if status in (401, 404):
                    return
            except OSError:
                pass
            time.sleep(0.1)
        raise RuntimeError(f"web process did not answer; see var/test-{self.name}-web.log")

    # -- HTTP ----------------------------------------------------------------------------------

    def request(
        self, method: str, path: str, body: Any = None, *, session_id: str | None = None
    ) -> tuple[int, dict[str, Any]]:
        headers = {"X-API-Key": self.api_key, "Content-Type": "application/json"}
        if session_id is not None:
            headers["Session-Id"] = session_id
        connection = http.client.HTTPConnection("127.0.0.1", self.port, timeout=30)
        try:
            connection.request(method, path, json.dumps(body) if body is not None else None, headers)
            response = connection.getresponse()
            return response.status, json.loads(response.read() or b"{}")
        finally:
            connection.close()

    def wait_for_job(self, job_id: str, *, timeout: float = 60.0) -> dict[str, Any]:
        deadline = time.monotonic() + timeout
        while True:
            status, body = self.request("GET", f"/status/{job_id}")
            if status != 200 or body["status"] != "processing":
                return body
            if time.monotonic() > deadline:
                raise AssertionError(f"job {job_id} still {body['data']['status']} after {timeout} s")
            time.sleep(0.1)
