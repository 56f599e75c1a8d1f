"""The openai provider for the conversation tasks, against a real OpenAI-compatible server on
loopback (tests/engines/llm_server.py): the request is redacted and strict, the answer is held to
the transcript, and a provider that is down fails loudly instead of falling back."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from analysis.engines import llm
from conversations import ai
from conversations.ai.schema import (
    CallMetrics,
    CoachingMoment,
    ConversationCoaching,
    ConversationInsights,
    EquipmentFacts,
    Evidence,
    Patience,
    SpeakerCounts,
    UpsellOpportunity,
)
from tests.conversations.ai.conftest import inputs, script
from tests.engines.llm_server import FakeLLMServer, Reply

CALL = script(
    ("T", "Hi Mrs. Moreno, I'm Marcus from ClaraHVAC."),
    ("C", "Hi! Call me back at 415-555-0123 if you're late. Honestly, the unit is fifteen years old."),
    ("C", "We've had to fix this pump three times this year."),
    ("T", "Let me look at it, then we can talk about a new one."),
)
CONTEXT = {"customer_name": "Linda Moreno", "job_title": "AC not cooling"}


@pytest.fixture
def server() -> Iterator[FakeLLMServer]:
    with FakeLLMServer() as running:
        yield running


def openai_config(server: FakeLLMServer) -> llm.LLMConfig:
    return llm.LLMConfig(
        provider="openai",
        api_key="sk-test",
        base_url=server.base_url,
        model="test-model",
        timeout_seconds=5.0,
        max_retries=1,
        retry_backoff_seconds=0.01,
    )


def opportunity(**overrides: Any) -> dict[str, Any]:
    base = UpsellOpportunity(
        opportunity_type="equipment_replacement",
        title="AC Replacement",
        description='The customer said "the unit is fifteen years old".',
        trigger_phrase="we've had to FIX this pump, three times this year",
        segment_id=3,
        timestamp_in_call=999.0,
        confidence=0.9,
        estimated_value=9000.0,
        priority="high",
        status="identified",
        equipment_facts=EquipmentFacts(
            equipment="Air Conditioner",
            age_years=15,
            repair_count=3,
            repeated_repairs=True,
            unit_count=None,
            costs_mentioned_usd=[],
            evidence=[
                Evidence(
                    segment_id=2,
                    speaker_type="customer",
                    quote="Honestly, the unit is fifteen years old.",
                    timestamp_in_call=0,
                )
            ],
        ),
        cues=["age", "repairs"],
        supporting_segment_ids=[2, 3],
    ).model_dump(exclude={"engine"})
    return {**base, **overrides}


def test_the_request_is_strict_and_carries_no_name_or_phone(
    server: FakeLLMServer, catalog: list[dict[str, Any]]
) -> None:
    server.script(Reply.json({"opportunities": []}))
    # when the upsells task runs on the openai provider
    ai.analyze_upsells(inputs(CALL, catalog, **CONTEXT), config=openai_config(server))
    # then one strict JSON-schema request went out, with the segments numbered for citing
    (request,) = server.requests
    fmt = request.body["response_format"]
    assert fmt["type"] == "json_schema" and fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["name"] == ai.UPSELLS_TASK
    system, user = request.body["messages"]
    assert system["content"] == llm.get_task(ai.UPSELLS_TASK).system_prompt
    assert (
        "[3] " in user["content"]
        and "customer: We've had to fix this pump three times this year." in user["content"]
    )
    assert "equipment_replacement" in user["content"]  # the catalog travels with its prices
    # and the customer's name and phone number were redacted before sending
    assert "Moreno" not in user["content"] and "Linda" not in user["content"]
    assert "555-0123" not in user["content"]
    assert "[CUSTOMER]" in user["content"] and "[PHONE]" in user["content"]


def test_an_answer_is_held_to_the_transcript(server: FakeLLMServer, catalog: list[dict[str, Any]]) -> None:
    # given a model that quotes loosely, invents a quote, names a type not in the catalog,
    # quotes the technician as a trigger and prices far outside the catalog
    server.script(
        Reply.json(
            {
                "opportunities": [
                    opportunity(estimated_value=9_000_000.0),
                    opportunity(
                        opportunity_type="maintenance_plan", trigger_phrase="I want a plan for all my units"
                    ),
                    opportunity(opportunity_type="solar_panels", trigger_phrase="fifteen years old"),
                    opportunity(
                        opportunity_type="warranty",
                        trigger_phrase="then we can talk about a new one",
                        segment_id=4,
                    ),
                ]
            }
        )
    )
    result = ai.analyze_upsells(inputs(CALL, catalog, **CONTEXT), config=openai_config(server))
    # then only the grounded opportunity is kept, in the customer's exact words, at its segment's time
    (kept,) = result.opportunities
    assert result.engine == "openai:test-model"
    assert kept.trigger_phrase == "We've had to fix this pump three times this year"
    assert kept.timestamp_in_call == CALL[2]["start_time"]
    assert kept.status == "identified"
    assert kept.estimated_value == 2 * 9_500  # brought back within the catalog's range for an air conditioner
    assert '"the unit is fifteen years old"' in kept.description


def test_insights_quotes_that_were_never_said_lose_their_quotation_marks(
    server: FakeLLMServer, catalog: list[dict[str, Any]]
) -> None:
    payload = ConversationInsights(
        summary='Customer said "the unit is FIFTEEN years old" and "please replace everything today".',
        key_topics=["Equipment Age"],
        overall_sentiment="neutral",
        sentiment_score=0.0,
        customer_satisfaction_score=40,
        satisfaction_signals=[],
        positive_keywords=[],
        improvement_keywords=[],
        action_items=["x"],
        action_item_details=[],
        evidence=[
            Evidence(
                segment_id=2,
                speaker_type="customer",
                quote="[CUSTOMER] not quoted anywhere",
                timestamp_in_call=0,
            )
        ],
    ).model_dump(exclude={"engine"})
    server.script(Reply.json(payload))
    result = ai.analyze_insights(inputs(CALL, catalog, **CONTEXT), config=openai_config(server))
    assert (
        result.summary == 'Customer said "the unit is fifteen years old" and please replace everything today.'
    )
    assert result.evidence == []
    assert result.action_items == []  # the strings follow the grounded details


def test_coaching_metrics_are_always_measured_from_the_timings(
    server: FakeLLMServer, catalog: list[dict[str, Any]]
) -> None:
    invented = CallMetrics(
        duration_seconds=1.0,
        technician_talk_seconds=999.0,
        customer_talk_seconds=1.0,
        talk_to_listen_ratio=999.0,
        technician_talk_share=1.0,
        longest_monologue=None,
        questions_asked=SpeakerCounts(technician=9, customer=9),
        interruptions=SpeakerCounts(technician=9, customer=9),
        patience=Patience(
            answers_measured=0, mean_pause_seconds=None, median_pause_seconds=None, quick_answers=0
        ),
    )
    moment = CoachingMoment(
        category="upsell_missed",
        title="Missed Replacement",
        timestamp_in_call=10.0,
        what_happened='Customer said "we have had to fix this pump three times this year".',
        what_should_happen="Offer a replacement quote.",
        example_better_response="Would you like a quote?",
        severity="important",
        evidence=[],
    )
    server.script(
        Reply.json(
            ConversationCoaching(coaching_moments=[moment], metrics=invented).model_dump(exclude={"engine"})
        )
    )
    result = ai.analyze_coaching(inputs(CALL, catalog, **CONTEXT), config=openai_config(server))
    local = ai.analyze_coaching(inputs(CALL, catalog, **CONTEXT), config=llm.LLMConfig())
    assert result.metrics == local.metrics
    assert result.engine == "openai:test-model" and local.engine == "local"
    # "we have had" was not said ("We've had"): the paraphrase is not presented as a quote
    assert (
        result.coaching_moments[0].what_happened
        == "Customer said we have had to fix this pump three times this year."
    )


def test_a_provider_that_is_down_fails_the_analysis_and_nothing_falls_back(
    server: FakeLLMServer, catalog: list[dict[str, Any]]
) -> None:
    server.script(Reply.error(503))
    with pytest.raises(
        llm.AIUnavailable, match=r"conversation_insights: openai:test-model: provider error \(HTTP 503\)"
    ):
        ai.analyze_insights(inputs(CALL, catalog, **CONTEXT), config=openai_config(server))
    assert len(server.requests) == 2  # the first attempt and one retry, then the job fails


def test_a_malformed_transcript_is_refused_before_any_request(
    server: FakeLLMServer, catalog: list[dict[str, Any]]
) -> None:
    broken = [{**CALL[0], "end_time": -1}]
    with pytest.raises(ai.TranscriptError, match="end_time"):
        ai.analyze_upsells(inputs(broken, catalog), config=openai_config(server))
    assert server.requests == []
