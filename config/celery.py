"""The Celery application. Every slow job (LLM, Whisper, audio/video features) runs through it."""

from __future__ import annotations

import logging
import os

from celery import Celery
from celery.signals import worker_init, worker_process_init

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

logger = logging.getLogger(__name__)

app = Celery("config")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@app.task(name="config.ping")
def ping() -> str:
    """Answered by any live worker: /healthz and the test suite use it to prove the job path works."""
    return "pong"


@worker_process_init.connect
@worker_init.connect
def _warm_speech_model(**kwargs: object) -> None:
    """Load Whisper when a worker starts, so the first transcription does not pay ~1 s of loading.
    A model that fails to load is reported by the first job that needs it, not here."""
    from analysis.engines import speech
    from analysis.providers import whisper_options

    try:
        speech.load_model(**whisper_options())
    except speech.TranscriptionError:
        logger.exception("Whisper model could not be preloaded")
