"""The task machinery: the deterministic local provider, and the openai provider against a real
OpenAI-compatible server on loopback (tests/engines/llm_server.py), never a mocked client."""

from __future__ import annotations

import socket
import time
from collections.abc import Iterator
from typing import Any

import pytest
from pydantic import BaseModel

from analysis.engines import llm
from analysis.engines.llm.text_insights import TextInsights
from tests.engines.llm_server import FakeLLMServer, Reply

API_KEY = "sk-test-not-a-real-key"
ANSWER = (
    "When I was at Acme, um, our deploys kept failing every Friday. My task was to make releases safe. "
    "I rewrote the pipeline and I added canary checks. As a result, failed deploys dropped by 60% in 3 months. "
    "Reach me at jane.doe@example.com or +98 912 123 4567. What would you have done?"
)


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as running:
        yield running


def openai_config(server: FakeLLMServer, **overrides: Any) -> llm.LLMConfig:
    settings: dict[str, Any] = {
        "provider": "openai",
        "api_key": API_KEY,
        "base_url": server.base_url,
        "model": "test-model",
        "timeout_seconds": 5.0,
        "max_retries": 2,
        "retry_backoff_seconds": 0.01,
    }
    settings.update(overrides)
    return llm.LLMConfig(**settings)


def insights_payload() -> dict[str, Any]:
    return {
        "summary": "I rewrote the pipeline.",
        "keywords": ["pipeline", "canary checks"],
        "sentiment": {"label": "positive", "compound": 0.4},
        "questions": ["What would you have done?"],
        "filler_count": 1,
        "star": dict.fromkeys(["situation", "task", "action", "result", "has_metrics"], True)
        | {"score": 1.0},
    }


# --- local provider ---------------------------------------------------------------------------


def test_local_text_insights_are_real_analytics_and_deterministic() -> None:
    # when the same answer is analysed twice
    first = llm.run("text_insights", {"text": ANSWER}, config=llm.LLMConfig())
    second = llm.run("text_insights", {"text": ANSWER}, config=llm.LLMConfig())
    # then the results are identical and come from the local engine
    assert first == second
    assert isinstance(first, TextInsights)
    assert first.engine == "local"
    # and they describe this answer
    assert first.questions == ["What would you have done?"]
    assert first.filler_count == 1
    assert first.star.situation and first.star.task and first.star.action and first.star.result
    assert first.star.has_metrics
    assert any("canary" in keyword for keyword in first.keywords)
    assert "um" not in first.summary.split() and first.summary  # extractive, fillers removed
    assert all(sentence in ANSWER.replace(" um,", "") for sentence in first.summary.split(". ")[:1])


def test_local_summary_of_empty_text_is_empty() -> None:
    result = llm.run("text_insights", {"text": ""}, config=llm.LLMConfig())
    assert isinstance(result, TextInsights)
    assert (result.summary, result.keywords, result.questions, result.filler_count) == ("", [], [], 0)
    assert result.sentiment.label == "neutral"


def test_unknown_task_is_a_key_error() -> None:
    with pytest.raises(KeyError, match="no_such_task"):
        llm.run("no_such_task", {}, config=llm.LLMConfig())


# --- openai provider ----------------------------------------------------------------------


def test_openai_result_is_parsed_and_labelled(server: FakeLLMServer) -> None:
    # given a server that answers with valid JSON
    server.script(Reply.json(insights_payload()))
    # when
    result = llm.run("text_insights", {"text": ANSWER}, config=openai_config(server))
    # then
    assert isinstance(result, TextInsights)
    assert result.engine == "openai:test-model"
    assert result.model_dump(exclude={"engine"}) == insights_payload()


def test_openai_request_carries_model_prompts_and_strict_schema_without_pii(server: FakeLLMServer) -> None:
    server.script(Reply.json(insights_payload()))
    llm.run("text_insights", {"text": ANSWER}, config=openai_config(server))

    (request,) = server.requests
    assert request.path == "/v1/chat/completions"
    assert request.headers["authorization"] == f"Bearer {API_KEY}"
    assert request.body["model"] == "test-model"

    system, user = request.body["messages"]
    assert system == {"role": "system", "content": llm.get_task("text_insights").system_prompt}
    assert user["role"] == "user"
    assert "our deploys kept failing" in user["content"]
    assert "jane.doe@example.com" not in user["content"] and "912 123 4567" not in user["content"]
    assert "[EMAIL]" in user["content"] and "[PHONE]" in user["content"]

    response_format = request.body["response_format"]
    assert response_format["type"] == "json_schema"
    assert response_format["json_schema"]["name"] == "text_insights"
    assert response_format["json_schema"]["strict"] is True
    schema = response_format["json_schema"]["schema"]
    assert schema["additionalProperties"] is False
    assert set(schema["required"]) == set(schema["properties"]) == set(insights_payload())
    assert "engine" not in schema["properties"]  # run() sets it, the model never does
    star = schema["$defs"]["StarSummary"]
    assert star["additionalProperties"] is False and set(star["required"]) == set(star["properties"])


def test_malformed_output_is_unavailable_without_retry(server: FakeLLMServer) -> None:
    server.script(Reply.text('{"summary": "cut off'))
    with pytest.raises(llm.AIUnavailable, match="malformed output") as raised:
        llm.run("text_insights", {"text": ANSWER}, config=openai_config(server))
    assert len(server.requests) == 1
    assert API_KEY not in str(raised.value) and "jane" not in str(raised.value)


def test_output_missing_fields_is_malformed(server: FakeLLMServer) -> None:
    server.script(Reply.json({"summary": "only this"}))
    with pytest.raises(llm.AIUnavailable, match="malformed output"):
        llm.run("text_insights", {"text": ANSWER}, config=openai_config(server))


def test_rate_limit_is_retried_then_succeeds(server: FakeLLMServer) -> None:
    server.script(Reply.error(429), Reply.json(insights_payload()))
    result = llm.run("text_insights", {"text": ANSWER}, config=openai_config(server))
    assert isinstance(result, TextInsights) and result.engine == "openai:test-model"
    assert len(server.requests) == 2


def test_persistent_server_error_gives_up_after_the_retries(server: FakeLLMServer) -> None:
    server.script(Reply.error(500))
    with pytest.raises(llm.AIUnavailable, match=r"HTTP 500.*3 attempts"):
        llm.run("text_insights", {"text": ANSWER}, config=openai_config(server, max_retries=2))
    assert len(server.requests) == 3


@pytest.mark.parametrize("status", [400, 401])
def test_client_errors_are_not_retried(server: FakeLLMServer, status: int) -> None:
    server.script(Reply.error(status))
    with pytest.raises(llm.AIUnavailable, match=f"HTTP {status}"):
        llm.run("text_insights", {"text": ANSWER}, config=openai_config(server))
    assert len(server.requests) == 1


def test_slow_provider_times_out_quickly(server: FakeLLMServer) -> None:
    # given a server that takes 10 s and a 0.5 s timeout with one retry
    server.script(Reply.slow(10, insights_payload()))
    started = time.monotonic()
    # when
    with pytest.raises(llm.AIUnavailable, match="timed out after 0.5 s"):
        llm.run(
            "text_insights",
            {"text": ANSWER},
            config=openai_config(server, timeout_seconds=0.5, max_retries=1),
        )
    # then both attempts were made and cut short
    assert time.monotonic() - started < 3.0
    assert len(server.requests) == 2


def test_unreachable_provider_is_unavailable() -> None:
    # given a port nobody listens on
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    config = llm.LLMConfig(
        provider="openai",
        api_key=API_KEY,
        base_url=f"http://127.0.0.1:{port}/v1",
        max_retries=1,
        retry_backoff_seconds=0.01,
    )
    with pytest.raises(llm.AIUnavailable, match="could not connect"):
        llm.run("text_insights", {"text": ANSWER}, config=config)


# --- registry and config ----------------------------------------------------------------------


class Echo(llm.TaskOutput):
    text: str
    tags: list[str] = []


def echo_task(name: str = "test_echo", output: type[BaseModel] = Echo) -> llm.Task:
    return llm.Task(
        name=name,
        output=output,
        local=lambda inputs: Echo(text=inputs["text"]),
        system_prompt="Echo the text.",
        user_prompt=lambda inputs: inputs["text"],
        redact=False,
    )


def test_a_registered_task_runs_on_both_providers(server: FakeLLMServer) -> None:
    llm.register(echo_task())
    assert llm.run("test_echo", {"text": "call +1 415 555 2671"}, config=llm.LLMConfig()) == Echo(
        text="call +1 415 555 2671"
    )

    server.script(Reply.json({"text": "hi", "tags": []}))
    result = llm.run("test_echo", {"text": "call +1 415 555 2671"}, config=openai_config(server))
    assert result == Echo(text="hi", engine="openai:test-model")
    # redact=False: the task's owner decided this text may leave as is
    assert server.requests[0].body["messages"][1]["content"] == "call +1 415 555 2671"
    # a field with a default is still required under strict mode
    assert server.requests[0].body["response_format"]["json_schema"]["schema"]["required"] == ["text", "tags"]


def test_register_rejects_outputs_strict_mode_cannot_express() -> None:
    class Loose(llm.TaskOutput):
        scores: dict[str, float]

    class NotTagged(BaseModel):
        text: str

    with pytest.raises(llm.SchemaNotStrict, match="scores"):
        llm.register(echo_task("test_loose", Loose))
    with pytest.raises(TypeError, match="TaskOutput"):
        llm.register(echo_task("test_untagged", NotTagged))
    with pytest.raises(ValueError, match="task name"):
        llm.register(echo_task("has spaces"))


def test_register_refuses_a_name_taken_by_another_output() -> None:
    class Other(llm.TaskOutput):
        value: int

    llm.register(echo_task("test_clash"))
    with pytest.raises(ValueError, match="already registered"):
        llm.register(echo_task("test_clash", Other))


def test_config_validates_provider_and_hides_the_key() -> None:
    with pytest.raises(ValueError, match="provider"):
        llm.LLMConfig(provider="anthropic")
    assert API_KEY not in repr(llm.LLMConfig(provider="openai", api_key=API_KEY))
