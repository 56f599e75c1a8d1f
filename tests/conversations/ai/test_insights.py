"""Call insights from the local engine: a summary that quotes the call, the customer's sentiment,
a satisfaction score that is the sum of its signals, keywords and action items."""

from __future__ import annotations

from typing import Any

from conversations import ai
from conversations.ai.schema import ConversationInsights
from tests.conversations.ai.conftest import LOCAL, inputs, script

FIRE_PUMP = script(
    ("T", "Good morning, I'm John from ClaraHVAC, here for the annual fire pump inspection."),
    ("C", "This pump is about fifteen years old, and honestly it's been giving us trouble."),
    ("C", "We've had to fix this pump three times this year."),
    ("T", "I've adjusted the packing and the leak is within spec.", 600.0),
    ("C", "How much would a new pump cost, roughly?"),
    ("T", "It depends on the model and the controller, so I'll have to get back to you on that."),
    ("C", "Okay. Thanks, you've been very thorough."),
)


def insights(
    segments: list[dict[str, Any]], catalog: list[dict[str, Any]], **context: Any
) -> ConversationInsights:
    return ai.analyze_insights(inputs(segments, catalog, **context), config=LOCAL)


def test_the_summary_is_built_from_what_was_said(catalog: list[dict[str, Any]]) -> None:
    # when the fire pump call is summarised
    result = insights(FIRE_PUMP, catalog, customer_name="Phoenix Mills Ltd", job_title="Fire Pump Inspection")
    # then it names the job, the facts, the opportunity and the unanswered price question, quoting the call
    summary = result.summary
    assert summary.startswith("Fire Pump Inspection for Phoenix Mills Ltd.")
    assert "15 years old" in summary and "3 repairs" in summary
    assert "Fire Pump Replacement (high)" in summary
    assert '"How much would a new pump cost, roughly?"' in summary
    assert "did not commit to a price or a timeline" in summary
    assert result.engine == "local"
    assert {"Equipment Age", "Frequent Repairs"} <= set(result.key_topics)
    assert result.positive_keywords == ["thorough"]
    assert {"pricing unclear", "no written quote"} <= set(result.improvement_keywords)


def test_sentiment_comes_from_the_customer_only(catalog: list[dict[str, Any]]) -> None:
    # given a gloomy technician and a delighted customer
    segments = script(
        ("T", "This is terrible, awful, the worst corrosion I have ever seen, a horrible mess."),
        ("C", "Oh wonderful, thank you so much, you are fantastic!"),
    )
    result = insights(segments, catalog)
    # then the call reads positive, because only the customer's words count
    assert result.overall_sentiment == "positive"
    assert result.sentiment_score > 0.5


def test_the_satisfaction_score_is_fifty_plus_its_documented_signals(catalog: list[dict[str, Any]]) -> None:
    # given a customer who complains about a repeat visit and is never acknowledged
    angry = script(
        ("T", "Hi, I'm Tyler."),
        ("C", "This is the third time someone's been out here this month. It's ridiculous."),
        ("T", "I'll check the flame sensor."),
        ("C", "Just give me a price for a new furnace."),
        ("T", "I'd have to get back to you on that."),
    )
    # and a customer who thanks and praises a technician who commits to a dated quote
    happy = script(
        ("C", "Thank you so much for coming so fast."),
        ("T", "I'll email you a written quote by tomorrow afternoon."),
        ("C", "Perfect. You explained everything really well, thanks."),
    )
    low, high = insights(angry, catalog), insights(happy, catalog)
    # then each score is 50 plus its signals' points, clamped to 0..100
    for result in (low, high):
        expected = round(min(100.0, max(0.0, 50 + sum(s.points for s in result.satisfaction_signals))))
        assert result.customer_satisfaction_score == expected
    assert {s.signal for s in low.satisfaction_signals} >= {
        "complaint_unresolved",
        "anger",
        "quote_unanswered",
    }
    assert {s.signal for s in high.satisfaction_signals} >= {"thanks", "praise", "commitment"}
    assert low.customer_satisfaction_score < 40 < 70 < high.customer_satisfaction_score
    assert "repeat visit" in low.improvement_keywords


def test_action_items_are_the_technicians_follow_up_commitments(catalog: list[dict[str, Any]]) -> None:
    segments = script(
        ("T", "Let me check the pressure gauge first."),
        ("C", "Sure."),
        ("T", "I'll put a fresh filter in while I'm here."),
        (
            "T",
            "I'll send you the replacement quote tomorrow, and I'll have the office call you next week to schedule.",
        ),
        ("T", "Someone will reach out about the warranty."),
    )
    result = insights(segments, catalog)
    # then in-call work is left out; each follow-up keeps its words, its due time and its owner
    assert result.action_items == [
        "Send the customer the replacement quote tomorrow, and I'll have the office call the customer next week to schedule",
        "Reach out about the warranty",
    ]
    first, second = result.action_item_details
    assert (first.owner, first.due, first.evidence.segment_id) == ("technician", "tomorrow", 4)
    assert (second.owner, second.due) == ("office", None)


def test_an_empty_call_has_neutral_insights(catalog: list[dict[str, Any]]) -> None:
    result = insights([], catalog, job_title="Filter change")
    assert result.summary.startswith("Filter change.")
    assert (result.overall_sentiment, result.customer_satisfaction_score, result.action_items) == (
        "neutral",
        50,
        [],
    )
