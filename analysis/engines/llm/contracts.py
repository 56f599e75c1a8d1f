"""What tasks, providers and callers agree on: the configuration, the task, its output's base,
and the one error a provider raises. Kept apart from the registry so providers need not import it."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

PROVIDERS = ("local", "openai")


class AIUnavailable(Exception):
    """The provider could not produce a valid result: unreachable, timed out, rate limited or
    failing (429/5xx) after the retries, refused the request, or returned malformed output.
    The message names the task and provider and never contains keys or the prompt."""


@dataclass(frozen=True)
class LLMConfig:
    """Provider settings, passed in by the caller (engines never read Django settings).

    `base_url` None means OpenAI's own API; any OpenAI-compatible server works. `max_retries`
    counts retries after the first attempt; `retry_backoff_seconds` is the first wait, doubled
    on each further retry.
    """

    provider: str = "local"
    api_key: str = ""
    base_url: str | None = None
    model: str = "gpt-4o-mini"
    timeout_seconds: float = 30.0
    max_retries: int = 2
    retry_backoff_seconds: float = 0.5

    def __post_init__(self) -> None:
        if self.provider not in PROVIDERS:
            raise ValueError(
                f"unknown LLM provider {self.provider!r}; expected one of {', '.join(PROVIDERS)}"
            )
        if self.timeout_seconds <= 0 or self.max_retries < 0 or self.retry_backoff_seconds < 0:
            raise ValueError("timeout_seconds must be positive; max_retries and retry_backoff_seconds >= 0")

    def __repr__(self) -> str:
        # Configs end up in logs and tracebacks; the key must not.
        key = "'***'" if self.api_key else "''"
        return (
            f"LLMConfig(provider={self.provider!r}, api_key={key}, base_url={self.base_url!r}, "
            f"model={self.model!r}, timeout_seconds={self.timeout_seconds}, max_retries={self.max_retries})"
        )


class TaskOutput(BaseModel):
    """Base of every task's output: `engine` is "local" or "openai:<model>", set by run()."""

    engine: str = "local"


@dataclass(frozen=True)
class Task:
    """An AI task. `local(inputs)` must be deterministic; `user_prompt(inputs)` renders the user
    message for the openai provider, PII-redacted before sending when `redact` is true."""

    name: str
    output: type[BaseModel]
    local: Callable[[dict[str, Any]], BaseModel]
    system_prompt: str
    user_prompt: Callable[[dict[str, Any]], str]
    redact: bool = True
