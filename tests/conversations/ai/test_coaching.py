"""Coaching moments and call metrics from the local engine: each category raised where the call
shows it, and not where the technician handled it well."""

from __future__ import annotations

from typing import Any

import pytest

from conversations import ai
from conversations.ai.schema import ConversationCoaching
from tests.conversations.ai.conftest import LOCAL, inputs, script


def coaching(segments: list[dict[str, Any]], catalog: list[dict[str, Any]]) -> ConversationCoaching:
    return ai.analyze_coaching(inputs(segments, catalog), config=LOCAL)


def categories(result: ConversationCoaching) -> list[str]:
    return [m.category for m in result.coaching_moments]


def test_a_price_question_answered_without_a_timeline_is_a_missed_quote_follow_up(
    catalog: list[dict[str, Any]],
) -> None:
    segments = script(
        ("C", "How much would a new pump cost, roughly?"),
        ("T", "It depends on the model, so I'll have to get back to you on that."),
        ("T", "To recap, I adjusted the packing and it's running fine."),
    )
    (moment,) = coaching(segments, catalog).coaching_moments
    assert moment.category == "no_quote_commitment"
    assert moment.title == "Missed Quote Follow-up"
    assert moment.timestamp_in_call == segments[1]["start_time"]
    assert '"How much would a new pump cost, roughly?"' in moment.what_happened
    assert '"It depends on the model, so I\'ll have to get back to you on that."' in moment.what_happened
    assert "by tomorrow afternoon" in moment.example_better_response
    assert moment.severity == "important"


@pytest.mark.parametrize(
    "answer",
    [
        "A new one runs about forty-five hundred to six thousand installed.",
        "I'll email you a written quote by noon tomorrow.",
    ],
)
def test_a_price_or_a_dated_quote_is_a_good_answer(answer: str, catalog: list[dict[str, Any]]) -> None:
    segments = script(
        ("C", "How much would a new furnace cost?"),
        ("T", answer),
        ("T", "To recap, I replaced the motor and it's running normally."),
    )
    assert "no_quote_commitment" not in categories(coaching(segments, catalog))


def test_a_need_the_technician_never_raises_is_a_missed_upsell(catalog: list[dict[str, Any]]) -> None:
    ignored = script(
        ("C", "Also our electric bills have gone way up this winter, almost double."),
        ("T", "Yeah, everybody's are up. Anyway, you're all set."),
    )
    answered = script(
        ("C", "Also our electric bills have gone way up this winter, almost double."),
        ("T", "A higher efficiency heat pump would cut that a lot, and there are rebates right now."),
    )
    (moment,) = [m for m in coaching(ignored, catalog).coaching_moments if m.category == "upsell_missed"]
    assert moment.title == "Missed Opportunity: High-Efficiency Upgrade"
    assert "the technician did not bring up a high-efficiency upgrade" in moment.what_happened
    assert "upsell_missed" not in categories(coaching(answered, catalog))


def test_unexplained_jargon_the_customer_did_not_follow(catalog: list[dict[str, Any]]) -> None:
    jargon = script(
        ("T", "Your superheat's high and subcooling's low, probably a restriction at the TXV."),
        ("C", "I have no idea what any of that means."),
    )
    plain = script(
        ("T", "The capacitor failed. That's the part that helps the motors start."),
        ("C", "Okay, got it."),
    )
    (moment,) = [m for m in coaching(jargon, catalog).coaching_moments if m.category == "jargon"]
    assert (
        "superheat" in moment.what_happened
        and '"I have no idea what any of that means."' in moment.what_happened
    )
    assert moment.example_better_response.startswith("In plain terms: the refrigerant readings are off")
    assert "jargon" not in categories(coaching(plain, catalog))


def test_talking_over_the_customer_twice_is_interrupting(catalog: list[dict[str, Any]]) -> None:
    segments = script(
        ("C", "It makes this loud whooshing sound, and then the upstairs—"),
        ("T", "That's probably the defrost cycle.", -0.7),
        ("C", "No, I know what defrost sounds like, this is different, it's more like a—"),
        ("T", "Let me just go look.", -0.9),
    )
    result = coaching(segments, catalog)
    assert "interrupting" in categories(result)
    assert result.metrics.interruptions.technician == 2
    assert result.metrics.patience.quick_answers == 2


def test_a_complaint_left_unacknowledged_is_a_rapport_moment(catalog: list[dict[str, Any]]) -> None:
    cold = script(
        ("C", "This is the third time someone's been out here this month."), ("T", "I'll check the sensor.")
    )
    warm = script(
        ("C", "This is the third time someone's been out here this month."),
        ("T", "I'm sorry, that's frustrating."),
    )
    assert "rapport" in categories(coaching(cold, catalog))
    assert "rapport" not in categories(coaching(warm, catalog))


def test_a_hazard_without_a_safety_step_is_critical(catalog: list[dict[str, Any]]) -> None:
    ignored = script(
        ("C", "The carbon monoxide alarm in the hallway chirped last week."),
        ("T", "Okay. Where's the boiler?"),
    )
    handled = script(
        ("C", "There's a rotten egg kind of smell near the furnace."),
        ("T", "Please don't flip any switches. I'm going to shut off the gas and ventilate."),
    )
    (moment,) = [m for m in coaching(ignored, catalog).coaching_moments if m.category == "safety"]
    assert moment.severity == "critical"
    assert "CO level" in moment.example_better_response
    assert "safety" not in categories(coaching(handled, catalog))


def test_leaving_without_a_recap(catalog: list[dict[str, Any]]) -> None:
    hurried = script(
        ("T", "Weak airflow?"),
        ("C", "Yeah, barely blowing."),
        ("T", "Every one to three months.", 200.0),
        ("T", "Okay. I'm heading out.", 100.0),
        ("T", "Have a good one."),
    )
    closing = script(
        ("T", "To recap, the filter was clogged, I replaced it, and airflow is good."), start=400
    )
    recapped = hurried[:-1] + [{**closing[0], "segment_id": 99}]
    assert categories(coaching(hurried, catalog)) == ["no_recap"]
    assert "no_recap" not in categories(coaching(recapped, catalog))


def test_call_metrics_come_from_the_timings(catalog: list[dict[str, Any]]) -> None:
    segments = [
        {
            "segment_id": 1,
            "speaker_type": "technician",
            "text": "Hi, what's going on?",
            "start_time": 0.0,
            "end_time": 2.0,
        },
        {
            "segment_id": 2,
            "speaker_type": "customer",
            "text": "It's blowing warm air.",
            "start_time": 2.5,
            "end_time": 4.5,
        },
        {
            "segment_id": 3,
            "speaker_type": "technician",
            "text": "Let me look.",
            "start_time": 5.5,
            "end_time": 9.5,
        },
        {
            "segment_id": 4,
            "speaker_type": "technician",
            "text": "Found it.",
            "start_time": 10.0,
            "end_time": 14.0,
        },
        {
            "segment_id": 5,
            "speaker_type": "customer",
            "text": "Great, can you fix it today?",
            "start_time": 200.0,
            "end_time": 202.0,
        },
    ]
    metrics = coaching(segments, catalog).metrics
    assert (metrics.technician_talk_seconds, metrics.customer_talk_seconds) == (10.0, 4.0)
    assert metrics.talk_to_listen_ratio == 2.5
    assert metrics.longest_monologue is not None
    assert (metrics.longest_monologue.seconds, metrics.longest_monologue.segment_ids) == (8.5, [3, 4])
    assert (metrics.questions_asked.technician, metrics.questions_asked.customer) == (1, 1)
    assert (metrics.patience.answers_measured, metrics.patience.mean_pause_seconds) == (1, 1.0)
    assert metrics.interruptions.technician == metrics.interruptions.customer == 0


def test_a_call_where_the_customer_never_speaks_has_no_ratio(catalog: list[dict[str, Any]]) -> None:
    metrics = coaching(script(("T", "Hello? Anyone home?")), catalog).metrics
    assert metrics.talk_to_listen_ratio is None
    assert metrics.technician_talk_share == 1.0
