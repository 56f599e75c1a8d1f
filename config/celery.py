"""The Celery application. Every slow job (LLM, Whisper, audio/video features) runs through it."""

from __future__ import annotations

import logging
import os

from celery import Celery
from celery.signals import worker_init, worker_process_init, worker_ready, worker_shutdown

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
    from analysis.engine_config import whisper_model
    from analysis.engines import speech, speech_models

    try:
        speech.load_model(**whisper_model())
    except (speech.TranscriptionError, speech_models.ModelUnavailable):
        logger.exception("Whisper model could not be preloaded")


_reaper = None


@worker_ready.connect
def start_job_reaper(**kwargs: object) -> None:
    """Every worker (the embedded one too) takes over jobs whose worker died (their lease lapsed)
    or whose queue message was lost, so no deployment depends on beat for jobs to finish."""
    global _reaper
    from django.conf import settings

    from analysis.jobs import ReaperThread

    if settings.JOB_REAPER_INTERVAL_SECONDS and _reaper is None:
        _reaper = ReaperThread(settings.JOB_REAPER_INTERVAL_SECONDS)
        _reaper.start()


@worker_shutdown.connect
def _stop_job_reaper(**kwargs: object) -> None:
    global _reaper
    if _reaper is not None:
        _reaper.stop()
        _reaper = None
