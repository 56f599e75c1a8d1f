"""The `openai` provider: chat completions with strict JSON-schema output against any
OpenAI-compatible server, with a per-request timeout and our own bounded, backed-off retries."""

from __future__ import annotations

import time
from typing import TYPE_CHECKING, Any

import openai
from pydantic import BaseModel, ValidationError

from analysis.engines import text
from analysis.engines.llm.contracts import AIUnavailable, LLMConfig, Task
from analysis.engines.llm.schema import strict_json_schema

if TYPE_CHECKING:
    from openai.types.chat import ChatCompletion, ChatCompletionMessageParam
    from openai.types.shared_params import ResponseFormatJSONSchema

DEFAULT_BASE_URL = "https://api.openai.com/v1"
MAX_BACKOFF_SECONDS = 8.0
MAX_RETRY_AFTER_SECONDS = 10.0


class _Retryable(Exception):
    def __init__(self, reason: str, retry_after: float | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.retry_after = retry_after


def build_messages(task: Task, inputs: dict[str, Any]) -> list[ChatCompletionMessageParam]:
    user = task.user_prompt(inputs)
    if task.redact:
        user = text.redact_pii(user)
    return [{"role": "system", "content": task.system_prompt}, {"role": "user", "content": user}]


def response_format(task: Task) -> ResponseFormatJSONSchema:
    return {
        "type": "json_schema",
        "json_schema": {"name": task.name, "schema": strict_json_schema(task.output), "strict": True},
    }


def complete(task: Task, inputs: dict[str, Any], config: LLMConfig) -> BaseModel:
    label = f"{task.name}: openai:{config.model}"
    messages = build_messages(task, inputs)
    fmt = response_format(task)
    attempts = config.max_retries + 1
    # The client's own retries are off (max_retries=0) so that one loop, ours, owns the policy.
    # An empty key would be refused by the client; keyless OpenAI-compatible servers ignore it and
    # OpenAI itself answers 401, which is reported below.
    with openai.OpenAI(
        api_key=config.api_key or "unset",
        base_url=config.base_url or DEFAULT_BASE_URL,
        timeout=config.timeout_seconds,
        max_retries=0,
    ) as client:
        last_reason = ""
        for attempt in range(attempts):
            try:
                completion = _create(client, config, messages, fmt, label)
                return _parse(task, completion, label)
            except _Retryable as retryable:
                last_reason = retryable.reason
                if attempt + 1 < attempts:
                    time.sleep(_backoff(config, attempt, retryable.retry_after))
    raise AIUnavailable(
        f"{label}: {last_reason} (gave up after {attempts} attempt{'s' if attempts > 1 else ''})"
    )


def _create(
    client: openai.OpenAI,
    config: LLMConfig,
    messages: list[ChatCompletionMessageParam],
    fmt: ResponseFormatJSONSchema,
    label: str,
) -> ChatCompletion:
    try:
        return client.chat.completions.create(
            model=config.model,
            messages=messages,
            response_format=fmt,
        )
    except openai.APITimeoutError:
        raise _Retryable(f"timed out after {config.timeout_seconds:g} s") from None
    except openai.APIConnectionError:
        raise _Retryable("could not connect to the provider") from None
    except openai.RateLimitError as exc:
        raise _Retryable("rate limited (HTTP 429)", _retry_after(exc.response)) from None
    except openai.APIStatusError as exc:
        if exc.status_code >= 500:
            raise _Retryable(f"provider error (HTTP {exc.status_code})") from None
        hint = " (check the API key)" if exc.status_code in (401, 403) else ""
        raise AIUnavailable(f"{label}: request refused (HTTP {exc.status_code}){hint}") from None


def _parse(task: Task, completion: ChatCompletion, label: str) -> BaseModel:
    if not completion.choices:
        raise AIUnavailable(f"{label}: the response had no choices")
    choice = completion.choices[0]
    message = choice.message
    if getattr(message, "refusal", None):
        raise AIUnavailable(f"{label}: the model refused the request")
    if choice.finish_reason == "length":
        raise AIUnavailable(f"{label}: the output was cut off at the token limit")
    if not message.content:
        raise AIUnavailable(f"{label}: the response had no content")
    try:
        return task.output.model_validate_json(message.content)
    except ValidationError as exc:
        # The content itself is not echoed: it may quote the user's text.
        raise AIUnavailable(
            f"{label}: malformed output ({exc.error_count()} problem(s) against {task.output.__name__})"
        ) from None


def _retry_after(response: Any) -> float | None:
    value = getattr(response, "headers", {}).get("retry-after") if response is not None else None
    try:
        return min(float(value), MAX_RETRY_AFTER_SECONDS) if value is not None else None
    except ValueError:
        return None  # an HTTP date; the exponential backoff is good enough


def _backoff(config: LLMConfig, attempt: int, retry_after: float | None) -> float:
    delay = min(config.retry_backoff_seconds * (2**attempt), MAX_BACKOFF_SECONDS)
    return max(delay, retry_after) if retry_after is not None else delay
