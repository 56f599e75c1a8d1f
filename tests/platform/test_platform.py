"""Settings validation, schema and docs, health, signed media links, and the Celery round trip."""

from __future__ import annotations

import os
import subprocess
import sys
import time

import pytest
from django.core.management import call_command

from accounts.media_urls import signed_media_url
from config.celery import app as celery_app
from tests.conftest import ROOT


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("MAX_UPLOAD_MB", "lots"),
        ("REPORT_JOB_TTL_SECONDS", "-5"),
        ("LLM_PROVIDER", "skynet"),
        ("DATABASE_URL", "mysql://x"),
        ("REDIS_URL", "http://nope"),
        ("DEBUG", "maybe"),
    ],
)
def test_bad_environment_value_stops_start_up_naming_the_variable(name, value):
    env = {**os.environ, name: value, "DJANGO_SETTINGS_MODULE": "config.settings"}
    result = subprocess.run(
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert name in result.stderr.splitlines()[-1]


def test_openapi_schema_is_valid_and_docs_are_served(client, db, tmp_path):
    call_command("spectacular", "--validate", "--fail-on-warn", "--file", str(tmp_path / "schema.yml"))
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json")
    assert schema.status_code == 200
    paths = schema.json()["paths"]
    assert {"/auth/token", "/auth/google/login", "/auth/refresh", "/auth/me"} <= set(paths)
    docs = client.get("/docs")
    assert docs.status_code == 200
    assert b"swagger-ui" in docs.content


@pytest.mark.django_db(transaction=True)
def test_healthz_reports_every_part_ok(client, celery_worker):
    response = client.get("/healthz")
    assert response.status_code == 200, response.json()
    body = response.json()
    assert body["status"] == "ok"
    assert set(body["checks"]) == {"database", "cache", "broker", "worker"}


@pytest.mark.django_db(transaction=True)
def test_healthz_names_the_failing_cache(client, settings, celery_worker):
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",
        }
    }
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["cache"]


@pytest.mark.django_db(transaction=True)
def test_healthz_names_an_unreachable_broker(client, settings, celery_worker):
    settings.CELERY_BROKER_URL = "redis://127.0.0.1:1/0"
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.json()["failing"] == ["broker", "worker"]


@pytest.mark.django_db(transaction=True)
def test_a_task_makes_the_round_trip_through_the_worker(celery_worker):
    started = time.monotonic()
    assert celery_app.send_task("config.ping").get(timeout=20, interval=0.05) == "pong"
    assert time.monotonic() - started < 20


def test_signed_media_link_serves_the_file_until_it_expires(client, settings, tmp_path, monkeypatch):
    settings.MEDIA_ROOT = tmp_path
    (tmp_path / "review").mkdir()
    (tmp_path / "review" / "a.wav").write_bytes(b"RIFF....WAVE")
    url = signed_media_url("review/a.wav")
    response = client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content) == b"RIFF....WAVE"

    tampered = url[:-3] + ("aaa" if not url.endswith("aaa") else "bbb")
    assert client.get(tampered).status_code == 403

    import django.core.signing

    real_time = django.core.signing.time.time
    monkeypatch.setattr(
        django.core.signing.time, "time", lambda: real_time() + settings.MEDIA_URL_TTL_SECONDS + 5
    )
    expired = client.get(url)
    assert expired.status_code == 403
    assert "expired" in expired.json()["detail"]


def test_signed_media_link_cannot_escape_media_root(client, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"
    (tmp_path / "media").mkdir()
    (tmp_path / "secret.txt").write_text("x")
    assert client.get(signed_media_url("../secret.txt")).status_code == 404
