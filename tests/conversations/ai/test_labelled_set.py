"""The labelled calls (tests/fixtures/conversations/labelled/, README there): upsell detection
against the issue's target, the quotes-occur-in-the-transcript rule over every output, and the
secondary labels (coaching categories, action items, price requests, safety cues).

Run with `-s` to see the figures; `make bench BENCH_ARGS=conversation_ai` prints them too."""

from __future__ import annotations

import re
from typing import Any

from conversations import ai
from conversations.ai import grounding
from conversations.ai.catalog import compile_catalog
from conversations.ai.commitments import commitments, price_requests
from conversations.ai.evaluation import LabelledCall, score_upsells
from tests.conversations.ai.conftest import LOCAL

TARGET_F1 = 0.8
SPLITS = ("dev", "holdout", "blind", "blind2")


def test_the_set_is_big_and_varied_enough_to_measure_anything(labelled_calls: list[LabelledCall]) -> None:
    # given the committed labelled calls
    expected = [c.expected for c in labelled_calls]
    types = {u["type"] for e in expected for u in e}
    # then there are at least 30, with calls holding none and calls holding several opportunities
    assert len(labelled_calls) >= 30
    assert sum(1 for e in expected if not e) >= 5
    assert sum(1 for e in expected if len(e) >= 2) >= 5
    assert len(types) >= 10
    assert {c.document["setting"] for c in labelled_calls} == {"residential", "commercial"}
    assert sum(len(c.document["expected"]["hard_negatives"]) for c in labelled_calls) >= 20
    # and every label points at a customer segment of its own call
    for call in labelled_calls:
        customer = {s["segment_id"] for s in call.inputs["segments"] if s["speaker_type"] == "customer"}
        for label in call.expected:
            assert set(label["segments"]) <= customer, (call.call_id, label)


def test_upsell_detection_reaches_the_target_f1(
    labelled_calls: list[LabelledCall], catalog: list[dict[str, Any]]
) -> None:
    # given the shipped catalog
    entries = compile_catalog(catalog)
    # when every labelled call is analysed by the local engine
    overall = score_upsells(labelled_calls, entries)
    # then the figures are printed per split (first-contact figures are in the set's README)
    for split in SPLITS:
        print(f"\nupsells [{split:7}] {score_upsells(labelled_calls, entries, splits=[split]).line()}")
    print(f"upsells [all    ] {overall.line()}")
    for outcome in overall.outcomes:
        if outcome.false_positives or outcome.false_negatives:
            print(f"  {outcome.call_id}: FP {outcome.false_positives} FN {outcome.false_negatives}")
    # and the target holds over the whole set
    assert overall.f1 >= TARGET_F1, overall.line()


def test_calls_with_only_declines_past_purchases_and_other_peoples_stories_yield_nothing(
    labelled_calls: list[LabelledCall], catalog: list[dict[str, Any]]
) -> None:
    # given the calls labelled with no opportunity at all
    empty = [c for c in labelled_calls if not c.expected]
    assert empty
    for call in empty:
        # when analysed
        result = ai.analyze_upsells({**call.inputs, "catalog": catalog}, config=LOCAL)
        # then nothing is reported
        assert result.opportunities == [], call.call_id


def _segments_by_id(call: LabelledCall) -> dict[int, str]:
    return {s["segment_id"]: s["text"] for s in call.inputs["segments"]}


def _assert_occurs(call: LabelledCall, segment_id: int | None, quote: str, where: str) -> None:
    texts = _segments_by_id(call)
    assert quote.strip(), f"{call.call_id}: empty quote in {where}"
    if segment_id is not None:
        assert quote in texts[segment_id], (
            f"{call.call_id}: {where} quote {quote!r} not in segment {segment_id}"
        )
    else:
        assert any(quote in text for text in texts.values()), (
            f"{call.call_id}: {where} quote {quote!r} not said"
        )


def test_every_quote_in_every_output_occurs_in_the_transcript(
    labelled_calls: list[LabelledCall], catalog: list[dict[str, Any]]
) -> None:
    checked = 0
    for call in labelled_calls:
        # when the whole call is analysed and its segments are streamed through the nudge detector
        analysis = ai.analyze_call({**call.inputs, "catalog": catalog}, config=LOCAL)
        detector = ai.NudgeDetector(catalog, context=call.inputs["context"])
        nudges = [n for segment in call.inputs["segments"] for n in detector.feed(segment)]
        nudges += detector.advance(call.inputs["segments"][-1]["end_time"] + 60)
        # then every quote of insights, upsells and coaching is the transcript's own words
        for part in (analysis.insights, analysis.upsells, analysis.coaching):
            for segment_id, quote in grounding.quotes(part):
                _assert_occurs(call, segment_id, quote, type(part).__name__)
                checked += 1
        # and so is every nudge's trigger and every quoted span of its message
        for nudge in nudges:
            _assert_occurs(call, nudge.segment_id, nudge.trigger_phrase, "nudge trigger")
            for quoted in re.findall(r"\"([^\"]+)\"", nudge.message):
                _assert_occurs(call, None, quoted, "nudge message")
            checked += 1
        # and every output records the engine that made it
        assert {analysis.insights.engine, analysis.upsells.engine, analysis.coaching.engine} == {"local"}
        assert all(n.engine == "local" for n in nudges)
    assert checked > 500


def test_coaching_categories_match_the_labels(
    labelled_calls: list[LabelledCall], catalog: list[dict[str, Any]]
) -> None:
    found = missed = extra = 0
    for call in labelled_calls:
        expected = set(call.document["expected"].get("coaching", []))
        result = ai.analyze_coaching({**call.inputs, "catalog": catalog}, config=LOCAL)
        raised = {m.category for m in result.coaching_moments}
        found += len(expected & raised)
        missed += len(expected - raised)
        extra += len(raised - expected)
        for category in sorted(raised - expected):
            print(f"\n  coaching not labelled: {call.call_id} {category}")
    precision, recall = found / (found + extra), found / (found + missed)
    print(
        f"\ncoaching categories: precision {precision:.3f} recall {recall:.3f} ({found} found, {extra} extra, {missed} missed)"
    )
    # the categories the labels name are raised; extra ones stay rare
    assert recall >= 0.9
    assert precision >= 0.8


def test_action_items_and_price_requests_match_the_labels(labelled_calls: list[LabelledCall]) -> None:
    action_found = action_missed = request_found = request_missed = 0
    for call in labelled_calls:
        parsed = call.call()
        expected_actions = {a["segment_id"] for a in call.document["expected"]["action_items"]}
        dated = {c.sentence.turn.segment_id for c in commitments(parsed) if c.due}
        action_found += len(expected_actions & dated)
        action_missed += len(expected_actions - dated)
        expected_requests = set(call.document["expected"]["quote_requests"])
        asked = {r.sentence.turn.segment_id for r in price_requests(parsed)}
        request_found += len(expected_requests & asked)
        request_missed += len(expected_requests - asked)
    print(f"\naction items with a time: {action_found} of {action_found + action_missed} found")
    print(f"price requests: {request_found} of {request_found + request_missed} found")
    assert action_found / (action_found + action_missed) >= 0.9
    assert request_found / (request_found + request_missed) >= 0.9


def test_every_labelled_safety_cue_raises_a_safety_nudge_first(
    labelled_calls: list[LabelledCall], catalog: list[dict[str, Any]]
) -> None:
    # given the calls where the customer reports a hazard
    hazardous = [c for c in labelled_calls if c.document["expected"]["safety_cues"]]
    assert len(hazardous) >= 3
    for call in hazardous:
        # when the call is streamed
        detector = ai.NudgeDetector(catalog, context=call.inputs["context"])
        nudges = [n for segment in call.inputs["segments"] for n in detector.feed(segment)]
        # then the safety nudge comes from the segment that reported it, and nothing comes before it
        safety = [n for n in nudges if n.nudge_type == "safety_alert"]
        assert [n.segment_id for n in safety] == call.document["expected"]["safety_cues"][:1], call.call_id
        assert nudges.index(safety[0]) == 0 or all(
            n.triggered_at < safety[0].cue_time for n in nudges[: nudges.index(safety[0])]
        )
