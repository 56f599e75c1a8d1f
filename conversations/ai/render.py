"""From what the engine found to what the API shows: evidence quotes and upsell opportunities."""

from __future__ import annotations

from conversations.ai.call import Sentence
from conversations.ai.schema import EquipmentFacts, Evidence, UpsellOpportunity
from conversations.ai.upsells import Detection, fill

__all__ = ["describe", "evidence_of", "opportunity", "suggested_response", "title"]


def evidence_of(sentence: Sentence) -> Evidence:
    return Evidence(
        segment_id=sentence.turn.segment_id,
        speaker_type=sentence.speaker,
        quote=sentence.text,
        timestamp_in_call=sentence.turn.start,
    )


def title(detection: Detection) -> str:
    return fill(detection.entry.entry.title, detection.slots()) or detection.entry.entry.title.format_map(
        {**detection.slots(), "Equipment": detection.entry.entry.default_equipment}
    )


def describe(detection: Detection) -> str:
    """The catalog's description pieces whose slots are known, then the closing for the priority."""
    slots = detection.slots()
    pieces = [text for piece in detection.entry.entry.description if (text := fill(piece, slots))]
    closing = detection.entry.entry.closing.get(detection.priority)  # type: ignore[call-overload]
    if closing:
        pieces.append(closing)
    return " ".join(pieces)


def suggested_response(detection: Detection) -> str:
    slots = detection.slots()
    for template in detection.entry.entry.suggested_responses:
        text = fill(template, slots)
        if text:
            return text
    return detection.entry.entry.suggested_responses[-1]


def opportunity(detection: Detection) -> UpsellOpportunity:
    trigger = detection.trigger.sentence
    return UpsellOpportunity(
        opportunity_type=detection.key,
        title=title(detection),
        description=describe(detection),
        trigger_phrase=trigger.text,
        segment_id=trigger.turn.segment_id,
        timestamp_in_call=trigger.turn.start,
        confidence=detection.confidence,
        estimated_value=detection.estimated_value,
        priority=detection.priority,  # type: ignore[arg-type]
        status="identified",
        equipment_facts=EquipmentFacts(
            equipment=detection.equipment.name if detection.equipment else None,
            age_years=detection.age_years,
            repair_count=detection.repair_count,
            repeated_repairs=detection.repeated_repairs,
            unit_count=detection.unit_count,
            costs_mentioned_usd=list(detection.stated_amounts),
            evidence=[evidence_of(s) for s in detection.evidence],
        ),
        cues=list(dict.fromkeys(h.label for h in detection.hits)),
        supporting_segment_ids=detection.supporting_turns,
    )
