"""The one place where Django settings become engine configuration (engines never read settings)."""

from __future__ import annotations

from typing import Any

from django.conf import settings

from analysis.engines.llm import LLMConfig


def llm_config() -> LLMConfig:
    return LLMConfig(
        provider=settings.LLM_PROVIDER,
        api_key=settings.OPENAI_API_KEY,
        base_url=settings.OPENAI_BASE_URL,
        model=settings.OPENAI_MODEL,
        timeout_seconds=settings.LLM_TIMEOUT_SECONDS,
        max_retries=settings.LLM_MAX_RETRIES,
    )


def whisper_options() -> dict[str, Any]:
    """Keyword arguments for `analysis.engines.speech.transcribe`."""
    return {"model": settings.WHISPER_MODEL or None, "compute_type": settings.WHISPER_COMPUTE_TYPE}
