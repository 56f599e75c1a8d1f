"""Settings into engine configuration: what a queued job may choose, and what only the worker's
own settings decide (issue 12, finding 7)."""

from __future__ import annotations

from analysis import engine_config


def test_a_job_cannot_send_the_workers_api_key_to_a_server_of_its_choosing(settings) -> None:
    settings.OPENAI_BASE_URL, settings.OPENAI_API_KEY, settings.LLM_TRUSTED_JOB_HOSTS = None, "sk-real", []
    carried = {"provider": "openai", "base_url": "http://attacker.example/v1", "model": "m"}
    assert engine_config.llm_config(carried).base_url is None  # the worker's own setting
    settings.LLM_TRUSTED_JOB_HOSTS = ["127.0.0.1"]
    assert engine_config.llm_config({"base_url": "http://127.0.0.1:9/v1"}).base_url == "http://127.0.0.1:9/v1"
    assert engine_config.llm_config(carried).model == "m"  # the rest of the choice still travels
