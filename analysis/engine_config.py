"""The one place where Django settings become engine configuration (engines never read settings)."""

from __future__ import annotations

import dataclasses
from typing import Any
from urllib.parse import urlparse

from django.conf import settings

from analysis.engines import speech_models
from analysis.engines.llm import LLMConfig

# What a job may carry of the engine choice: never the API key, which stays in each process's settings.
_OPTION_FIELDS = ("provider", "base_url", "model", "timeout_seconds", "max_retries")


def llm_options() -> dict[str, Any]:
    """The engine choice of the process that accepted the request, without the API key.

    Jobs carry it to the worker so that a request and the job it waits on never disagree about
    the provider (a worker started with other settings, or a test pointing at a loopback server);
    the key stays in each process's own settings and never travels through the broker.
    """
    return {
        "provider": settings.LLM_PROVIDER,
        "base_url": settings.OPENAI_BASE_URL,
        "model": settings.OPENAI_MODEL,
        "timeout_seconds": float(settings.LLM_TIMEOUT_SECONDS),
        "max_retries": int(settings.LLM_MAX_RETRIES),
    }


def llm_config(options: dict[str, Any] | None = None) -> LLMConfig:
    """This process's LLM configuration from settings, with the engine choice a job carried
    (`llm_options()` of the process that accepted the request) applied on top."""
    base = LLMConfig(
        provider=settings.LLM_PROVIDER,
        api_key=settings.OPENAI_API_KEY,
        base_url=settings.OPENAI_BASE_URL,
        model=settings.OPENAI_MODEL,
        timeout_seconds=settings.LLM_TIMEOUT_SECONDS,
        max_retries=settings.LLM_MAX_RETRIES,
    )
    if not options:
        return base
    carried = {k: v for k, v in options.items() if k in _OPTION_FIELDS}
    if not _trusted_base_url(carried.get("base_url")):
        # Whoever can write to the queue must not choose where this worker sends its API key.
        carried.pop("base_url", None)
    return dataclasses.replace(base, **carried)


def _trusted_base_url(url: str | None) -> bool:
    """A base URL a job carried is used only if it is this process's own, or its host is listed
    in LLM_TRUSTED_JOB_HOSTS (the test suite's loopback servers; empty in production)."""
    if url is None or url == settings.OPENAI_BASE_URL:
        return True
    return (urlparse(url).hostname or "") in settings.LLM_TRUSTED_JOB_HOSTS


def whisper_model() -> dict[str, Any]:
    """Keyword arguments for `analysis.engines.speech.load_model`: WHISPER_MODEL names a model
    bundled in a package ("tiny.en", the default, or "base"), a faster-whisper model already on
    disk, or a CTranslate2 directory."""
    name = settings.WHISPER_MODEL
    model: str | None
    if name in speech_models.BUNDLED:
        model = speech_models.model_dir(name, cache_dir=settings.VAR_DIR / "models")
    else:
        model = name or None
    return {"model": model, "compute_type": settings.WHISPER_COMPUTE_TYPE}


def whisper_options() -> dict[str, Any]:
    """Keyword arguments for `analysis.engines.speech.transcribe`."""
    return {**whisper_model(), "language": speech_models.LANGUAGE_OF.get(settings.WHISPER_MODEL)}
