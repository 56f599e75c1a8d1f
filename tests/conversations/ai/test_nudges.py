"""The live nudge detector: which cues raise a nudge and when, the throttle (no repeated cue, one
nudge per 20 s), and whether the technician acted on a nudge within the next minute."""

from __future__ import annotations

from typing import Any

import pytest

from conversations import ai
from conversations.ai import NudgeCandidate, NudgeDetector
from tests.conversations.ai.conftest import script


def stream(detector: NudgeDetector, segments: list[dict[str, Any]]) -> list[NudgeCandidate]:
    return [nudge for segment in segments for nudge in detector.feed(segment)]


def test_a_spoken_upsell_cue_raises_the_specs_nudge_when_the_segment_ends(
    catalog: list[dict[str, Any]],
) -> None:
    detector = ai.NudgeDetector(catalog, context={"job_title": "Fire Pump Inspection"})
    segments = script(
        ("T", "Morning, I'm here for the fire pump inspection."),
        ("C", "We've had to fix this pump three times this year, and it's about fifteen years old."),
    )
    # when the customer's segment arrives
    assert detector.feed(segments[0]) == []
    (nudge,) = detector.feed(segments[1])
    # then the nudge is the spec's frame, raised at the end of what the customer said
    assert nudge.as_message(567) == {
        "type": "nudge",
        "nudge_id": 567,
        "nudge_type": "upsell_prompt",
        "title": "\U0001f4a1 Upsell Opportunity",
        "message": "Customer mentioned frequent repairs - suggest replacement options",
        "suggested_response": nudge.suggested_response,
        "confidence": nudge.confidence,
        "triggered_at": segments[1]["end_time"],
    }
    assert nudge.suggested_response.startswith("At 15 years old and after 3 repairs, replacing the fire pump")
    assert nudge.confidence >= 0.5
    assert (nudge.segment_id, nudge.opportunity_type, nudge.trigger_phrase) == (
        2,
        "equipment_replacement",
        segments[1]["text"],
    )
    assert "replacement" in nudge.topic_terms


def test_a_safety_report_raises_an_alert_at_once(catalog: list[dict[str, Any]]) -> None:
    detector = ai.NudgeDetector(catalog)
    (nudge,) = stream(
        detector, script(("C", "There's a rotten egg kind of smell in the basement near the furnace."))
    )
    assert (nudge.nudge_type, nudge.title, nudge.confidence) == (
        "safety_alert",
        "\u26a0\ufe0f Safety Concern",
        0.95,
    )
    assert "shutting off the gas" in nudge.suggested_response


def test_a_cue_is_never_repeated_within_a_call(catalog: list[dict[str, Any]]) -> None:
    detector = ai.NudgeDetector(catalog)
    segments = script(
        ("C", "Our electric bills have gone way up this winter."),
        ("T", "Let me look at the unit."),
        ("C", "Seriously, our electric bill was over four hundred dollars last month.", 120.0),
    )
    nudges = stream(detector, segments)
    assert [n.cue_key for n in nudges] == ["upsell:efficiency_upgrade"]


def test_at_most_one_nudge_per_20_seconds_and_the_held_cue_comes_when_the_window_reopens(
    catalog: list[dict[str, Any]],
) -> None:
    detector = ai.NudgeDetector(catalog)
    segments = script(
        ("C", "Our electric bills have gone way up this winter."),
        ("C", "And the whole house feels muggy and sticky."),  # a second cue, 3 s later
        ("T", "Okay, let me check the outdoor unit first.", 25.0),
    )
    first = detector.feed(segments[0])
    held = detector.feed(segments[1])
    released = detector.feed(segments[2])
    # then the second cue waits for the window and is raised with the technician's next segment
    assert [n.cue_key for n in first] == ["upsell:efficiency_upgrade"]
    assert held == []
    (late,) = released
    assert late.cue_key == "upsell:humidity_control"
    assert late.triggered_at - first[0].triggered_at >= 20.0
    assert late.cue_time == segments[1]["start_time"]


def test_a_held_cue_is_dropped_when_the_technician_gets_there_first(catalog: list[dict[str, Any]]) -> None:
    detector = ai.NudgeDetector(catalog)
    segments = script(
        ("C", "Our electric bills have gone way up this winter."),
        ("C", "And the whole house feels muggy and sticky."),
        ("T", "A dehumidifier would take care of that sticky feeling."),
        ("T", "Let me go look at the unit.", 30.0),
    )
    nudges = stream(detector, segments)
    assert [n.cue_key for n in nudges] == ["upsell:efficiency_upgrade"]


def test_a_question_the_technician_walks_past_raises_a_nudge(catalog: list[dict[str, Any]]) -> None:
    ignored = ai.NudgeDetector(catalog)
    answered = ai.NudgeDetector(catalog)
    question = ("C", "Is it safe to keep running the furnace with that noise?")
    walked_past = stream(ignored, script(question, ("T", "Anyway, let me finish up downstairs.")))
    replied = stream(answered, script(question, ("T", "Yes, it's safe, the noise is just a worn bearing.")))
    (nudge,) = walked_past
    assert nudge.nudge_type == "concern_unanswered"
    assert nudge.title == "\u2753 Unanswered Question"
    assert '"Is it safe to keep running the furnace with that noise?"' in nudge.message
    assert replied == []


def test_a_question_nobody_answers_raises_its_nudge_when_time_passes(catalog: list[dict[str, Any]]) -> None:
    detector = ai.NudgeDetector(catalog)
    segments = script(("C", "How long will the new part last before it breaks again?"))
    assert detector.feed(segments[0]) == []
    assert detector.advance(segments[0]["end_time"] + 5) == []
    (nudge,) = detector.advance(segments[0]["end_time"] + 21)
    assert nudge.nudge_type == "concern_unanswered"


def test_a_price_question_deferred_without_a_date_raises_a_quote_nudge(catalog: list[dict[str, Any]]) -> None:
    deferred = ai.NudgeDetector(catalog)
    priced = ai.NudgeDetector(catalog)
    ask = ("C", "What would a new furnace cost us, ballpark?")
    segments = script(ask, ("T", "I'd have to get back to you on that."))
    nudges = stream(deferred, segments)
    # the upsell nudge on the question came first, so the quote nudge waits out the 20 s window
    assert [n.nudge_type for n in nudges] == ["upsell_prompt"]
    nudges += deferred.advance(nudges[0].triggered_at + 20)
    quote = [n for n in nudges if n.nudge_type == "quote_request"]
    assert len(quote) == 1 and quote[0].title == "\U0001f4ac Quote Requested"
    assert "by tomorrow afternoon" in quote[0].suggested_response
    answered = stream(priced, script(ask, ("T", "About forty-five hundred to six thousand installed.")))
    assert [n for n in answered if n.nudge_type == "quote_request"] == []


def test_the_nudges_effect_is_whether_the_technician_raised_its_topic_within_a_minute(
    catalog: list[dict[str, Any]],
) -> None:
    acted = ai.NudgeDetector(catalog)
    ignored = ai.NudgeDetector(catalog)
    cue = ("C", "Our electric bills have gone way up this winter.")
    stream(
        acted,
        script(
            cue, ("T", "Let me check the unit.", 5.0), ("T", "A heat pump would be far more efficient.", 20.0)
        ),
    )
    stream(ignored, script(cue, ("T", "Let me check the unit.", 5.0)))
    # then the first technician who names the topic within the minute has acted on it
    (effect,) = acted.effects()
    assert (effect.acted, effect.segment_id, effect.quote) == (
        True,
        3,
        "A heat pump would be far more efficient.",
    )
    # and before the minute is out the other is still open, after it not acted on
    (pending,) = ignored.effects()
    assert pending.acted is None
    ignored.advance(pending.triggered_at + 61)
    (closed,) = ignored.effects()
    assert (closed.acted, closed.acted_at) == (False, None)


def test_segments_must_come_in_call_order_and_well_formed(catalog: list[dict[str, Any]]) -> None:
    detector = ai.NudgeDetector(catalog)
    later, earlier = script(("C", "Hello there."), ("C", "Anyone home?"))[::-1]
    detector.feed(later)
    with pytest.raises(ValueError, match="call order"):
        detector.feed(earlier)
    with pytest.raises(ai.TranscriptError, match="speaker_type"):
        detector.feed(
            {"segment_id": 9, "speaker_type": "robot", "text": "x", "start_time": 99, "end_time": 100}
        )
