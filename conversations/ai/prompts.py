"""Prompts for the `openai` provider: the same output models as the local engine (schema.py).

The transcript is sent one segment per line with its id, time and speaker, so the model can cite
segments; the customer's name is replaced by "[CUSTOMER]" here, and the registry redacts e-mail
addresses and phone numbers before anything is sent (analysis.engines.llm, `redact=True`).
Quotes coming back with those placeholders are matched to the transcript by grounding.py.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from conversations.ai.catalog import CatalogEntry

__all__ = ["COACHING_SYSTEM_PROMPT", "INSIGHTS_SYSTEM_PROMPT", "UPSELLS_SYSTEM_PROMPT", "user_prompt"]

CUSTOMER_PLACEHOLDER = "[CUSTOMER]"

_QUOTE_RULES = """\
Quoting rules: every quote you give must be copied word for word from ONE segment of the transcript,
with that segment's id; never paraphrase inside double quotes. Text that is not a verbatim quote
must not be in double quotes. Placeholders such as [CUSTOMER], [PHONE] and [EMAIL] stand for
redacted words: keep them as they are."""

INSIGHTS_SYSTEM_PROMPT = f"""\
You analyse one HVAC field service call between a technician and a customer, given as numbered
transcript segments with times in seconds. Return JSON matching the schema.
- summary: three to six sentences: the job, the customer's problem, equipment facts (age, repairs,
  units), what the technician did, opportunities, how any price request was handled, safety issues
  and follow-ups. Quote the call where it helps, verbatim, in double quotes.
- key_topics: up to five Title Case topics, most discussed first (e.g. "Equipment Age",
  "Frequent Repairs", "Replacement Options", "Pricing").
- overall_sentiment and sentiment_score (-1..1): from the CUSTOMER's words only.
- customer_satisfaction_score 0-100: start at 50; add 30 x sentiment_score; +5 per thanks (max 3);
  +5 per distinct praise (max 2); +4 per complaint the technician acknowledged and settled, -10 per
  complaint left standing; -8 if the customer was angry and it was not resolved; +4 per follow-up
  promised with a time (max 2); -8 per price request left without a price or a dated quote (max 2).
  List each contribution in satisfaction_signals with its evidence (null for sentiment).
- positive_keywords: short praise the customer gave (e.g. "professional", "explained well").
- improvement_keywords: short gaps (e.g. "pricing unclear", "no written quote", "too much jargon").
- action_item_details: each follow-up the technician (or the office) committed to, with the
  commitment's words as action, the due time as said (or null), owner technician or office;
  action_items: the same as short to-do strings.
- evidence: the segments the summary rests on.
{_QUOTE_RULES}"""

UPSELLS_SYSTEM_PROMPT = f"""\
You find upsell opportunities in one HVAC field service call. Return JSON matching the schema.
An opportunity is something the CUSTOMER said that reveals a need or interest one of the catalog
types below answers. Not opportunities: the technician's own words; needs the customer declines
("we don't need a new unit"); things already owned or bought ("we replaced it last year"); stories
about other people ("my neighbor got a heat pump"); the repair the visit is already for.
At most one opportunity per type. For each:
- opportunity_type: a catalog type key; title and description in plain words;
- trigger_phrase: the customer's words, verbatim from one segment, and that segment_id;
  timestamp_in_call: that segment's start time;
- confidence 0..1: how sure you are this is a real opportunity;
- estimated_value in USD: within the type's price range, per unit when the type says so, moved
  up for older equipment and repeated repairs, or the amount said in the call if one was;
- priority high, medium or low; status "identified";
- equipment_facts: the equipment, its age in years, repairs counted, units, amounts mentioned,
  with evidence quotes; cues: short labels of what the customer said; supporting_segment_ids.
{_QUOTE_RULES}"""

COACHING_SYSTEM_PROMPT = f"""\
You coach an HVAC technician on one field service call. Return JSON matching the schema.
coaching_moments: the moments the technician should handle differently, each with category one of
upsell_missed (the customer voiced a need and the technician never raised it), no_quote_commitment
(a price request got no price and no dated quote), jargon (trade terms the customer did not follow),
interrupting (talking over the customer), no_recap (left without summing up the work and next steps),
rapport (a complaint not acknowledged), safety (a gas, carbon monoxide, burning or electrical hazard
not made safe), listening (the technician did almost all the talking); a short title;
timestamp_in_call (seconds); what_happened quoting the call verbatim in double quotes;
what_should_happen; an example_better_response the technician could have said; severity critical,
important or minor; and the evidence segments. Only real moments; none is a valid answer.
metrics: give your best reading; they are recomputed from the segment times after you answer.
{_QUOTE_RULES}"""


def _redact_name(text: str, name: str) -> str:
    if not name:
        return text
    pieces = [re.escape(name)] + [re.escape(p) for p in name.split() if len(p) >= 3 and p[0].isupper()]
    return re.sub(r"\b(?:" + "|".join(pieces) + r")\b", CUSTOMER_PLACEHOLDER, text)


def _catalog_lines(catalog: Sequence[CatalogEntry]) -> list[str]:
    lines = ["Catalog of opportunity types:"]
    for entry in catalog:
        per = " per unit" if entry.per_unit else ""
        specific = ", ".join(
            f"{key} ${p.low:,.0f}-${p.high:,.0f}" for key, p in sorted(entry.price_by_equipment.items())
        )
        cues = "; ".join(dict.fromkeys(c.label for c in entry.cues))
        lines.append(
            f"- {entry.opportunity_type}: {entry.offer}. Price ${entry.price.low:,.0f}-${entry.price.high:,.0f}{per}"
            + (f" (by equipment: {specific})" if specific else "")
            + f". Cues: {cues}."
        )
    return lines


def user_prompt(inputs: Mapping[str, Any], catalog: Sequence[CatalogEntry] | None = None) -> str:
    context = inputs.get("context") or {}
    name = str(context.get("customer_name") or "")
    lines = [
        f"Job: {context.get('job_title') or 'not given'}",
        f"Customer: {CUSTOMER_PLACEHOLDER if name else 'not given'}",
        f"Call date: {context.get('call_date') or 'not given'}",
    ]
    if catalog:
        lines += ["", *_catalog_lines(catalog)]
    lines += ["", "Transcript (segment id, start-end seconds, speaker: words):"]
    for segment in inputs.get("segments") or []:
        words = _redact_name(str(segment.get("text", "")), name)
        lines.append(
            f"[{segment.get('segment_id')}] {float(segment.get('start_time', 0)):.1f}-"
            f"{float(segment.get('end_time', 0)):.1f} {segment.get('speaker_type')}: {words}"
        )
    return "\n".join(lines)
