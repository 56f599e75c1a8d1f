"""The conversation analysis engine (conversation-intelligence.md §5-6): insights, upsell
opportunities, coaching moments and live nudges from a diarized call transcript.

Plain Python, no Django: segments and the upsell catalog in, pydantic models out. Three tasks are
registered with `analysis.engines.llm` on import, each with a deterministic `local` engine (real
analytics on the transcript) and prompts for the `openai` provider with the same strict schema:

    from conversations import ai

    inputs = {"segments": [...], "context": {"customer_name": ..., "job_title": ..., "call_date": ...},
              "catalog": catalog_rows}          # ai.load_catalog() reads the shipped default
    upsells = ai.analyze_upsells(inputs, config=engine_config.llm_config())
    insights = ai.analyze_insights(inputs, config=...)
    coaching = ai.analyze_coaching(inputs, config=...)
    everything = ai.analyze_call(inputs, config=...)   # all three, as the post-call job needs them

The `analyze_*` functions run the task and then hold the result to the transcript (grounding.py);
call them rather than `llm.run` so that every quote, whichever engine made it, is the customer's or
the technician's exact words. Malformed inputs raise `TranscriptError` or `CatalogError` (both
ValueError); the openai provider's failures raise `analysis.engines.llm.AIUnavailable`.

Live: one `NudgeDetector(catalog, context=...)` per call, fed final segments in order.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, cast

from analysis.engines import llm
from conversations.ai import grounding, prompts
from conversations.ai.call import Call, TranscriptError, parse_call
from conversations.ai.catalog import (
    CatalogEntry,
    CatalogError,
    CompiledEntry,
    compile_serialized,
    load_catalog,
    serialize_catalog,
    validate_entry,
)
from conversations.ai.coaching import build_coaching
from conversations.ai.facts import CallFacts, call_facts
from conversations.ai.insights import build_insights
from conversations.ai.nudges import NUDGE_TITLES, NudgeCandidate, NudgeDetector, NudgeEffect
from conversations.ai.render import opportunity
from conversations.ai.schema import (
    CallMetrics,
    CoachingMoment,
    ConversationCoaching,
    ConversationInsights,
    ConversationUpsells,
    UpsellOpportunity,
)
from conversations.ai.upsells import Detection, detect

__all__ = [
    "COACHING_TASK",
    "INSIGHTS_TASK",
    "NUDGE_TITLES",
    "UPSELLS_TASK",
    "CallAnalysis",
    "CallMetrics",
    "CatalogEntry",
    "CatalogError",
    "CoachingMoment",
    "ConversationCoaching",
    "ConversationInsights",
    "ConversationUpsells",
    "NudgeCandidate",
    "NudgeDetector",
    "NudgeEffect",
    "TranscriptError",
    "UpsellOpportunity",
    "analyze_call",
    "analyze_coaching",
    "analyze_insights",
    "analyze_upsells",
    "load_catalog",
    "validate_entry",
]

INSIGHTS_TASK = "conversation_insights"
UPSELLS_TASK = "conversation_upsells"
COACHING_TASK = "conversation_coaching"


def _catalog_key(inputs: Mapping[str, Any]) -> str:
    if "catalog" not in inputs:
        raise CatalogError(
            "inputs must include 'catalog' (a list of entries; ai.load_catalog() gives the default)"
        )
    return serialize_catalog(inputs["catalog"])


def _entries(inputs: Mapping[str, Any]) -> tuple[CompiledEntry, ...]:
    return compile_serialized(_catalog_key(inputs))


@dataclass(frozen=True)
class _Read:
    """One call read once: the three tasks of one analysis share it (everything in it is frozen)."""

    call: Call
    entries: tuple[CompiledEntry, ...]
    facts: CallFacts
    detections: tuple[Detection, ...]


@functools.lru_cache(maxsize=16)
def _read_cached(transcript: str, catalog: str) -> _Read:
    call = parse_call(json.loads(transcript))
    entries = compile_serialized(catalog)
    facts = call_facts(call)
    return _Read(call, entries, facts, tuple(detect(call, entries, facts)))


def _read(inputs: Mapping[str, Any]) -> _Read:
    catalog = _catalog_key(inputs)
    if "segments" not in inputs:
        raise TranscriptError("inputs must include 'segments'")
    try:
        transcript = json.dumps(
            {"segments": inputs["segments"], "context": inputs.get("context")}, sort_keys=True, default=str
        )
    except (TypeError, ValueError):
        raise TranscriptError("segments and context must be plain JSON data") from None
    return _read_cached(transcript, catalog)


def insights_local(inputs: dict[str, Any]) -> ConversationInsights:
    read = _read(inputs)
    return build_insights(read.call, read.entries, read.detections, facts=read.facts)


def upsells_local(inputs: dict[str, Any]) -> ConversationUpsells:
    return ConversationUpsells(opportunities=[opportunity(d) for d in _read(inputs).detections])


def coaching_local(inputs: dict[str, Any]) -> ConversationCoaching:
    read = _read(inputs)
    return build_coaching(read.call, read.entries, read.detections)


def _prompt(inputs: dict[str, Any]) -> str:
    return prompts.user_prompt(inputs, [e.entry for e in _entries(inputs)])


INSIGHTS = llm.register(
    llm.Task(
        name=INSIGHTS_TASK,
        output=ConversationInsights,
        local=insights_local,
        system_prompt=prompts.INSIGHTS_SYSTEM_PROMPT,
        user_prompt=_prompt,
    )
)
UPSELLS = llm.register(
    llm.Task(
        name=UPSELLS_TASK,
        output=ConversationUpsells,
        local=upsells_local,
        system_prompt=prompts.UPSELLS_SYSTEM_PROMPT,
        user_prompt=_prompt,
    )
)
COACHING = llm.register(
    llm.Task(
        name=COACHING_TASK,
        output=ConversationCoaching,
        local=coaching_local,
        system_prompt=prompts.COACHING_SYSTEM_PROMPT,
        user_prompt=_prompt,
    )
)


def _validated(inputs: Mapping[str, Any]) -> dict[str, Any]:
    # Validate before any provider is called: a malformed transcript is the caller's error, not the AI's.
    if not isinstance(inputs, Mapping):
        raise TranscriptError("inputs must be an object with 'segments' and 'catalog'")
    _read(inputs)
    return dict(inputs)


def analyze_insights(inputs: Mapping[str, Any], *, config: llm.LLMConfig) -> ConversationInsights:
    checked = _validated(inputs)
    result = cast(ConversationInsights, llm.run(INSIGHTS_TASK, checked, config=config))
    return grounding.ground_insights(result, _read(checked).call)


def analyze_upsells(inputs: Mapping[str, Any], *, config: llm.LLMConfig) -> ConversationUpsells:
    checked = _validated(inputs)
    result = cast(ConversationUpsells, llm.run(UPSELLS_TASK, checked, config=config))
    return grounding.ground_upsells(result, _read(checked).call, _entries(checked))


def analyze_coaching(inputs: Mapping[str, Any], *, config: llm.LLMConfig) -> ConversationCoaching:
    checked = _validated(inputs)
    result = cast(ConversationCoaching, llm.run(COACHING_TASK, checked, config=config))
    return grounding.ground_coaching(result, _read(checked).call)


@dataclass(frozen=True)
class CallAnalysis:
    """Everything the post-call job stores; each part's `engine` says which engine made it."""

    insights: ConversationInsights
    upsells: ConversationUpsells
    coaching: ConversationCoaching


def analyze_call(inputs: Mapping[str, Any], *, config: llm.LLMConfig) -> CallAnalysis:
    return CallAnalysis(
        insights=analyze_insights(inputs, config=config),
        upsells=analyze_upsells(inputs, config=config),
        coaching=analyze_coaching(inputs, config=config),
    )
