"""One call shape for every AI task: `run(task_name, inputs, config=...) -> pydantic model`.

A Task bundles the output model, the deterministic `local` implementation and the prompts for the
`openai` provider. Both providers return the same model; `engine` records which one made it.
Nothing falls back silently: when the chosen provider fails, run() raises AIUnavailable.
"""

from __future__ import annotations

import re
import threading
from typing import Any

from pydantic import BaseModel

from analysis.engines.llm.contracts import LLMConfig, Task, TaskOutput
from analysis.engines.llm.schema import strict_json_schema

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
