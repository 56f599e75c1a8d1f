"""One call shape for every AI task: `run(task_name, inputs, config=...) -> pydantic model`.

A Task bundles the output model, the deterministic `local` implementation and the prompts for the
`openai` provider. Both providers return the same model; `engine` records which one made it.
Nothing falls back silently: when the chosen provider fails, run() raises AIUnavailable.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from pydantic import BaseModel

from analysis.engines.llm.schema import strict_json_schema

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


_TASK_NAME_RE = re.compile(r"^[A-Za-z0-9_-]{1,64}$")  # OpenAI's rule for json_schema names
_registry: dict[str, Task] = {}
_registry_lock = threading.Lock()


def register(task: Task) -> Task:
    """Add a task to the registry (at import time of the app that owns it) and return it.

    Registering the same name again with the same output model replaces the task (a module
    reload); a different output model under a taken name is a clash and raises ValueError.
    """
    if not _TASK_NAME_RE.match(task.name):
        raise ValueError(f"task name {task.name!r} must be 1-64 letters, digits, '_' or '-'")
    if not (isinstance(task.output, type) and issubclass(task.output, TaskOutput)):
        raise TypeError(f"task {task.name!r}: output must subclass TaskOutput so results record their engine")
    strict_json_schema(task.output)  # fail now, not on the first openai call
    with _registry_lock:
        existing = _registry.get(task.name)
        if existing is not None and _qualified(existing.output) != _qualified(task.output):
            raise ValueError(
                f"task {task.name!r} is already registered with output {_qualified(existing.output)}"
            )
        _registry[task.name] = task
    return task


def get_task(name: str) -> Task:
    try:
        return _registry[name]
    except KeyError:
        raise KeyError(
            f"unknown AI task {name!r}; registered: {', '.join(sorted(_registry)) or 'none'}"
        ) from None


def registered_tasks() -> list[str]:
    return sorted(_registry)


def _qualified(model: type[BaseModel]) -> str:
    return f"{model.__module__}.{model.__qualname__}"


def run(task_name: str, inputs: dict[str, Any], *, config: LLMConfig) -> BaseModel:
    """Run a registered task with the configured provider; the result's `engine` says which.

    Raises KeyError for an unknown task and AIUnavailable when the openai provider fails after
    its retries. The local provider's own errors (bad inputs) propagate unchanged.
    """
    task = get_task(task_name)
    if config.provider == "local":
        result = task.local(inputs)
        engine = "local"
    else:
        from analysis.engines.llm.openai_provider import complete  # keeps openai off the local path

        result = complete(task, inputs, config)
        engine = f"openai:{config.model}"
    if not isinstance(result, task.output):
        raise TypeError(f"task {task.name!r} produced {type(result).__name__}, not {task.output.__name__}")
    return result.model_copy(update={"engine": engine})
