"""The Celery application. Every slow job (LLM, Whisper, audio/video features) runs through it."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="config.ping")
def ping() -> str:
    """Answered by any live worker: /healthz and the test suite use it to prove the job path works."""
    return "pong"
