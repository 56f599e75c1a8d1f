"""/healthz: every part a request or a job depends on, each named when it fails."""

from __future__ import annotations

import logging
import time
import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse

from config.celery import app as celery_app

logger = logging.getLogger(__name__)


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
        cursor.fetchone()


def _cache() -> None:
    key = f"healthz:{uuid.uuid4().hex}"
    cache.set(key, "ok", timeout=10)
    if cache.get(key) != "ok":
        raise RuntimeError("value written was not read back")
    cache.delete(key)


def _broker() -> None:
    with celery_app.connection_for_write(settings.CELERY_BROKER_URL) as conn:
        conn.ensure_connection(max_retries=1, timeout=2)


def _worker() -> None:
    # A real job round trip: proves a worker consumes and the result store answers.
    result = celery_app.send_task("config.ping")
    try:
        if result.get(timeout=3, interval=0.05) != "pong":
            raise RuntimeError("unexpected answer")
    finally:
        result.forget()


CHECKS = {"database": _database, "cache": _cache, "broker": _broker, "worker": _worker}


def healthz(request: HttpRequest) -> JsonResponse:
    report: dict[str, dict[str, object]] = {}
    failing: list[str] = []
    for name, check in CHECKS.items():
        if name == "worker" and "broker" in failing:
            report[name] = {"ok": False, "error": "broker unreachable"}
            failing.append(name)
            continue
        started = time.perf_counter()
        try:
            check()
            report[name] = {"ok": True, "ms": round((time.perf_counter() - started) * 1000, 1)}
        except Exception as error:  # any failure is the answer here, not a crash
            logger.warning("healthz: %s failing: %s", name, error)
            report[name] = {"ok": False, "error": f"{type(error).__name__}: {error}"[:300]}
            failing.append(name)
    body = {
        "status": "ok" if not failing else "unavailable",
        "failing": failing,
        "checks": report,
        "mode": "embedded" if settings.CELERY_EMBEDDED else "broker",
    }
    return JsonResponse(body, status=200 if not failing else 503)
