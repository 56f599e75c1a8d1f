"""AI tasks of the interview products, registered with `analysis.engines.llm` on import:

- `interview_answer_score` (scoring.py): an answer against its question, 0-10 per dimension.
  Recorded practice and the live mock interview both use it, through `services.answer_score`.
- `practice_feedback` (feedback.py): the report's feedback on one recording.
- `practice_next_question` (questions.py): the adaptive choice of the next bank question.

Each has a deterministic local engine and prompts for the openai provider.
"""

from __future__ import annotations

import dataclasses
from typing import Any

from django.conf import settings

from analysis.engines.llm import LLMConfig
from analysis.providers import llm_config as settings_llm_config
from interviews.ai import feedback, questions, scoring

__all__ = ["feedback", "llm_config", "llm_options", "questions", "scoring"]

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
    """This process's LLM configuration, with the engine choice a job carried applied on top."""
    base = settings_llm_config()
    if not options:
        return base
    return dataclasses.replace(base, **{k: v for k, v in options.items() if k in _OPTION_FIELDS})
