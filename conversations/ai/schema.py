"""What the conversation analyses return: the shapes of conversation-intelligence.md §5 (insights,
upsells, coaching) with the evidence behind each claim, the same models for the local engine and the
openai provider. Every `quote` is a verbatim slice of one segment's text, and every text field that
puts words in double quotes quotes the transcript verbatim (grounding.py enforces it for the openai
provider). Times are seconds on the call timeline.

Fields the spec shows are kept under its names; what the spec leaves out and a reader needs
(`segment_id`, `evidence`, `equipment_facts`, `metrics`, ...) is added beside them.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from analysis.engines.llm import TaskOutput

__all__ = [
    "ActionItem",
    "CallMetrics",
    "CoachingMoment",
    "ConversationCoaching",
    "ConversationInsights",
    "ConversationUpsells",
    "EquipmentFacts",
    "Evidence",
    "Monologue",
    "Patience",
    "SatisfactionSignal",
    "SpeakerCounts",
    "UpsellOpportunity",
]

Speaker = Literal["technician", "customer"]
Priority = Literal["high", "medium", "low"]
Severity = Literal["critical", "important", "minor"]
CoachingCategory = Literal[
    "upsell_missed",
    "no_quote_commitment",
    "jargon",
    "interrupting",
    "no_recap",
    "rapport",
    "safety",
    "listening",
]
SignalKind = Literal[
    "customer_sentiment",
    "thanks",
    "praise",
    "complaint_resolved",
    "complaint_unresolved",
    "commitment",
    "anger",
    "quote_unanswered",
]


class Evidence(BaseModel):
    segment_id: int
    speaker_type: Speaker
    quote: str = Field(description="verbatim words of that segment")
    timestamp_in_call: float = Field(ge=0, description="the segment's start, seconds")


# --- insights --------------------------------------------------------------------------------


class SatisfactionSignal(BaseModel):
    signal: SignalKind
    points: float = Field(description="contribution to customer_satisfaction_score")
    detail: str
    evidence: Evidence | None


class ActionItem(BaseModel):
    text: str = Field(
        description="the commitment as a to-do: 'Email the customer a written quote by tomorrow'"
    )
    owner: Literal["technician", "office"]
    action: str = Field(description="what was promised, in the technician's words")
    due: str | None = Field(
        description="when, as said ('by tomorrow afternoon'); null when no time was given"
    )
    timestamp_in_call: float = Field(ge=0)
    evidence: Evidence


class ConversationInsights(TaskOutput):
    summary: str = Field(description="templated sentences filled with what was said, quotes verbatim")
    key_topics: list[str] = Field(description="Title Case topics, most discussed first")
    overall_sentiment: Literal["positive", "neutral", "negative"] = Field(
        description="from the customer's turns"
    )
    sentiment_score: float = Field(ge=-1, le=1, description="mean VADER compound of the customer's sentences")
    customer_satisfaction_score: int = Field(ge=0, le=100)
    satisfaction_signals: list[SatisfactionSignal] = Field(description="the points behind the score")
    positive_keywords: list[str]
    improvement_keywords: list[str]
    action_items: list[str] = Field(description="the spec's strings, one per action item detail")
    action_item_details: list[ActionItem]
    evidence: list[Evidence] = Field(description="the segments the summary quotes or rests on")


# --- upsells ---------------------------------------------------------------------------------


class EquipmentFacts(BaseModel):
    equipment: str | None = Field(description="the equipment the opportunity is about, as named in titles")
    age_years: int | None
    repair_count: int | None = Field(description="repairs said in the call, when a number was said")
    repeated_repairs: bool
    unit_count: int | None
    costs_mentioned_usd: list[float] = Field(description="amounts said about this product")
    evidence: list[Evidence]


class UpsellOpportunity(BaseModel):
    opportunity_type: str = Field(description="a catalog opportunity type")
    title: str
    description: str
    trigger_phrase: str = Field(description="the customer's words, verbatim from one segment")
    segment_id: int = Field(description="the segment the trigger phrase comes from")
    timestamp_in_call: float = Field(ge=0, description="that segment's start, seconds")
    confidence: float = Field(ge=0, le=1)
    estimated_value: float = Field(ge=0, description="USD")
    priority: Priority
    status: Literal["identified"]
    equipment_facts: EquipmentFacts
    cues: list[str] = Field(description="what the customer said that points to it")
    supporting_segment_ids: list[int]


class ConversationUpsells(TaskOutput):
    opportunities: list[UpsellOpportunity]


# --- coaching --------------------------------------------------------------------------------


class CoachingMoment(BaseModel):
    category: CoachingCategory
    title: str
    timestamp_in_call: float = Field(ge=0)
    what_happened: str = Field(description="what was said, quoted verbatim in double quotes")
    what_should_happen: str
    example_better_response: str
    severity: Severity
    evidence: list[Evidence]


class Monologue(BaseModel):
    speaker_type: Speaker
    seconds: float = Field(ge=0)
    start_time: float = Field(ge=0)
    segment_ids: list[int]


class SpeakerCounts(BaseModel):
    technician: int = Field(ge=0)
    customer: int = Field(ge=0)


class Patience(BaseModel):
    """Pauses between the end of a customer's turn and the technician's answer."""

    answers_measured: int = Field(ge=0)
    mean_pause_seconds: float | None = Field(description="overlaps count as 0 s")
    median_pause_seconds: float | None
    quick_answers: int = Field(
        ge=0, description="answers that began less than 0.3 s after the customer stopped, or over them"
    )


class CallMetrics(BaseModel):
    duration_seconds: float = Field(ge=0)
    technician_talk_seconds: float = Field(ge=0)
    customer_talk_seconds: float = Field(ge=0)
    talk_to_listen_ratio: float | None = Field(
        description="technician talk time / customer talk time; null when the customer never spoke"
    )
    technician_talk_share: float = Field(ge=0, le=1)
    longest_monologue: Monologue | None
    questions_asked: SpeakerCounts
    interruptions: SpeakerCounts = Field(description="turns begun over the other speaker, by who began them")
    patience: Patience


class ConversationCoaching(TaskOutput):
    coaching_moments: list[CoachingMoment]
    metrics: CallMetrics
