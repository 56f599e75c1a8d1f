"""The OKR dashboard (DESIGN.md §6), the same model for the local engine and the openai provider.

Beyond §6 it carries each key result's `baseline` and `evidence`, the activities that were
flagged instead of drafted as key results, and `score_reasons`, the points behind every score.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field, field_validator

from analysis.engines.llm import TaskOutput

UNKNOWN = "unknown"
NOT_STATED = "not stated"

Category = Literal["people", "process", "technology", "market", "finance", "other"]
Severity = Literal["low", "medium", "high"]
Priority = Literal["high", "medium", "low"]
Dimension = Literal["clarity", "measurability", "alignment", "execution_readiness", "overall"]

MAX_OBJECTIVES = 3
MAX_KEY_RESULTS = 3


class Evidence(BaseModel):
    order: int = Field(description="order of the answer quoted")
    quote: str = Field(description="verbatim excerpt of that answer")


class Goal(BaseModel):
    statement: str = Field(description="the founder's goal in one sentence, in their terms")
    clarity: int = Field(ge=0, le=100)


class KeyResultQuality(BaseModel):
    measurable: bool = Field(description="a metric and a numeric target are stated")
    time_bound: bool = Field(description="a date is stated")
    outcome_oriented: bool = Field(description="measures a result, not an activity")
    score: int = Field(ge=0, le=100)


class KeyResult(BaseModel):
    statement: str
    metric: str
    baseline: str = Field(
        description=f'today\'s value as the founder stated it, or "{UNKNOWN}"; never estimated'
    )
    target: str = Field(description=f'the value to reach as stated, or "{NOT_STATED}"')
    due: str = Field(description=f'the date as stated, or "{NOT_STATED}"')
    quality: KeyResultQuality
    evidence: Evidence | None = Field(description="the answer the key result's numbers come from")


class Objective(BaseModel):
    objective: str = Field(description="qualitative and directional; no numbers")
    key_results: list[KeyResult] = Field(description="two or three")

    @field_validator("key_results")
    @classmethod
    def _at_most_three(cls, value: list[KeyResult]) -> list[KeyResult]:
        return value[:MAX_KEY_RESULTS]


class FlaggedActivity(BaseModel):
    text: str = Field(description="the activity as the founder stated it")
    reason: str = Field(description="why it is not a key result and what to measure instead")
    evidence: Evidence


class Blocker(BaseModel):
    category: Category
    description: str
    severity: Severity
    evidence: Evidence


class Strength(BaseModel):
    text: str
    evidence: Evidence


class Recommendation(BaseModel):
    title: str
    detail: str
    priority: Priority


class Scores(BaseModel):
    clarity: int = Field(ge=0, le=100)
    measurability: int = Field(ge=0, le=100)
    alignment: int = Field(ge=0, le=100)
    execution_readiness: int = Field(ge=0, le=100)
    overall: int = Field(ge=0, le=100)


class ScoreReason(BaseModel):
    dimension: Dimension
    points: int = Field(description="this reason's contribution to the dimension's score")
    reason: str
    evidence_order: int | None = Field(description="the answer the reason refers to, if one")


class Dashboard(TaskOutput):
    summary: str
    goal: Goal
    okr_draft: list[Objective] = Field(description="at most three objectives")
    flagged_activities: list[FlaggedActivity]
    blockers: list[Blocker]
    strengths: list[Strength]
    recommendations: list[Recommendation]
    scores: Scores
    score_reasons: list[ScoreReason]

    @field_validator("okr_draft")
    @classmethod
    def _at_most_three_objectives(cls, value: list[Objective]) -> list[Objective]:
        return value[:MAX_OBJECTIVES]
