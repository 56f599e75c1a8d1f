"""Holding every result to the transcript, whichever engine made it.

The local engine quotes by construction; a language model may not. After either provider:
- an evidence quote or a trigger phrase is matched to its segment (case, spacing, punctuation and
  the redaction placeholders [CUSTOMER]/[PHONE]/[EMAIL] forgiven) and replaced by the transcript's
  exact words; one that matches nowhere is dropped with the item it supports (an opportunity whose
  trigger the customer never said is no opportunity);
- words in double quotes inside free text (summary, what_happened, description) that occur in the
  transcript are replaced by its exact words; ones that do not lose their quotation marks, so a
  paraphrase is never presented as the customer's words;
- upsells must name a catalog type (one opportunity per type), take their time from the trigger's
  segment, keep status "identified", and an estimate outside what the catalog allows for the type
  is brought back into it;
- call metrics are always computed from the segment times (metrics.py): a model cannot measure them.

`quotes(result)` lists every quote a result makes, for the rule that each occurs in the transcript.
"""

from __future__ import annotations

import logging
import re
from collections.abc import Iterator, Sequence

from conversations.ai import lexicon
from conversations.ai.call import Call, Turn
from conversations.ai.catalog import CompiledEntry
from conversations.ai.metrics import call_metrics
from conversations.ai.schema import (
    ActionItem,
    CoachingMoment,
    ConversationCoaching,
    ConversationInsights,
    ConversationUpsells,
    Evidence,
    UpsellOpportunity,
)

__all__ = ["ground_coaching", "ground_insights", "ground_upsells", "locate", "quotes"]

logger = logging.getLogger(__name__)

_PLACEHOLDER_RE = re.compile(r"\[(?:CUSTOMER|PHONE|EMAIL)\]")
_TOKEN_RE = re.compile(r"\[(?:CUSTOMER|PHONE|EMAIL)\]|[^\W_]+(?:'[^\W_]+)?")
_QUOTED_RE = re.compile(r"\"([^\"]+)\"")
_GAP = r"[\s,.;:!?'\u2019\"()\-\u2013\u2014]*"


def _pattern(quote: str) -> re.Pattern[str] | None:
    tokens = _TOKEN_RE.findall(quote)
    if not tokens or all(_PLACEHOLDER_RE.fullmatch(t) for t in tokens):
        return None
    parts = [
        r".+?" if _PLACEHOLDER_RE.fullmatch(t) else re.escape(t).replace("'", "['\u2019]") for t in tokens
    ]
    return re.compile(r"(?<!\w)" + _GAP.join(parts) + r"(?!\w)", re.IGNORECASE)


def locate(quote: str, turns: Sequence[Turn]) -> tuple[Turn, str] | None:
    """The turn and its exact words for a quote, searched in `turns` in order."""
    words = quote.strip()
    if not words:
        return None
    for turn in turns:
        if words in turn.text:
            return turn, words
    pattern = _pattern(words)
    if pattern is None:
        return None
    for turn in turns:
        match = pattern.search(turn.text)
        if match:
            return turn, match.group().strip(" ,;:")
    return None


def _search_order(call: Call, segment_id: int | None, speaker: str | None = None) -> list[Turn]:
    cited = [t for t in call.turns if t.segment_id == segment_id]
    others = [
        t for t in call.turns if t.segment_id != segment_id and (speaker is None or t.speaker == speaker)
    ]
    return cited + others


def _ground_evidence(call: Call, item: Evidence) -> Evidence | None:
    found = locate(item.quote, _search_order(call, item.segment_id))
    if found is None:
        logger.warning("dropped an evidence quote not found in the transcript (segment %s)", item.segment_id)
        return None
    turn, words = found
    return Evidence(
        segment_id=turn.segment_id, speaker_type=turn.speaker, quote=words, timestamp_in_call=turn.start
    )


def _ground_all(call: Call, items: Sequence[Evidence]) -> list[Evidence]:
    out: list[Evidence] = []
    for item in items:
        grounded = _ground_evidence(call, item)
        if grounded is not None and grounded not in out:
            out.append(grounded)
    return out


def ground_text(call: Call, value: str) -> str:
    """Free text whose double-quoted spans are the transcript's exact words, or are no longer quoted."""

    def replace(match: re.Match[str]) -> str:
        found = locate(match.group(1), call.turns)
        return f'"{found[1]}"' if found else match.group(1)

    return _QUOTED_RE.sub(replace, value)


def ground_insights(result: ConversationInsights, call: Call) -> ConversationInsights:
    items: list[ActionItem] = []
    for item in result.action_item_details:
        evidence = _ground_evidence(call, item.evidence)
        if evidence is None:
            continue
        items.append(
            item.model_copy(update={"evidence": evidence, "timestamp_in_call": evidence.timestamp_in_call})
        )
    signals = [
        signal.model_copy(
            update={"evidence": _ground_evidence(call, signal.evidence) if signal.evidence else None}
        )
        for signal in result.satisfaction_signals
    ]
    return result.model_copy(
        update={
            "summary": ground_text(call, result.summary),
            "evidence": _ground_all(call, result.evidence),
            "action_item_details": items,
            "action_items": [item.text for item in items],
            "satisfaction_signals": signals,
            "customer_satisfaction_score": max(0, min(100, result.customer_satisfaction_score)),
        }
    )


def _plausible_value(entry: CompiledEntry, opportunity: UpsellOpportunity) -> float:
    """The estimate within half the low end and twice the high end of the catalog's range for the
    equipment named (the type's default range when it names none the catalog prices)."""
    spec = entry.entry
    facts = opportunity.equipment_facts
    units = facts.unit_count if spec.per_unit and facts.unit_count else 1
    named = (facts.equipment or "").strip().lower()
    kind = next((e for e in lexicon.EQUIPMENT if named in (e.name.lower(), e.key.replace("_", " "))), None)
    price = spec.price_by_equipment.get(kind.key, spec.price) if kind else spec.price
    low = price.low * 0.5 * units
    high = price.high * 2.0 * units
    return round(min(max(opportunity.estimated_value, low), high), 2)


def ground_upsells(
    result: ConversationUpsells, call: Call, entries: Sequence[CompiledEntry]
) -> ConversationUpsells:
    by_key = {e.key: e for e in entries}
    kept: dict[str, UpsellOpportunity] = {}
    for opportunity in result.opportunities:
        entry = by_key.get(opportunity.opportunity_type)
        if entry is None:
            logger.warning("dropped an opportunity of unknown type %r", opportunity.opportunity_type)
            continue
        found = locate(opportunity.trigger_phrase, _search_order(call, opportunity.segment_id, "customer"))
        if found is None or found[0].speaker != "customer":
            logger.warning("dropped a %s opportunity whose trigger the customer never said", entry.key)
            continue
        turn, words = found
        facts = opportunity.equipment_facts.model_copy(
            update={"evidence": _ground_all(call, opportunity.equipment_facts.evidence)}
        )
        grounded = opportunity.model_copy(
            update={
                "trigger_phrase": words,
                "segment_id": turn.segment_id,
                "timestamp_in_call": turn.start,
                "status": "identified",
                "confidence": round(min(1.0, max(0.0, opportunity.confidence)), 3),
                "description": ground_text(call, opportunity.description),
                "equipment_facts": facts,
            }
        )
        grounded = grounded.model_copy(update={"estimated_value": _plausible_value(entry, grounded)})
        previous = kept.get(entry.key)
        if previous is None or grounded.confidence > previous.confidence:
            kept[entry.key] = grounded
    ordered = sorted(kept.values(), key=lambda o: o.timestamp_in_call)
    return result.model_copy(update={"opportunities": ordered})


def ground_coaching(result: ConversationCoaching, call: Call) -> ConversationCoaching:
    moments: list[CoachingMoment] = []
    for moment in result.coaching_moments:
        moments.append(
            moment.model_copy(
                update={
                    "what_happened": ground_text(call, moment.what_happened),
                    "evidence": _ground_all(call, moment.evidence),
                    "timestamp_in_call": max(0.0, moment.timestamp_in_call),
                }
            )
        )
    return result.model_copy(
        update={
            "coaching_moments": sorted(moments, key=lambda m: m.timestamp_in_call),
            "metrics": call_metrics(call),
        }
    )


def quotes(
    result: ConversationInsights | ConversationUpsells | ConversationCoaching,
) -> Iterator[tuple[int | None, str]]:
    """Every (segment_id or None, quote) a result makes: evidence, triggers and quoted spans in text."""
    if isinstance(result, ConversationInsights):
        yield from ((None, q) for q in _QUOTED_RE.findall(result.summary))
        for item in result.evidence:
            yield item.segment_id, item.quote
        for detail in result.action_item_details:
            yield detail.evidence.segment_id, detail.evidence.quote
        for signal in result.satisfaction_signals:
            if signal.evidence is not None:
                yield signal.evidence.segment_id, signal.evidence.quote
    elif isinstance(result, ConversationUpsells):
        for opportunity in result.opportunities:
            yield opportunity.segment_id, opportunity.trigger_phrase
            yield from ((None, q) for q in _QUOTED_RE.findall(opportunity.description))
            for item in opportunity.equipment_facts.evidence:
                yield item.segment_id, item.quote
    else:
        for moment in result.coaching_moments:
            yield from ((None, q) for q in _QUOTED_RE.findall(moment.what_happened))
            for item in moment.evidence:
                yield item.segment_id, item.quote
