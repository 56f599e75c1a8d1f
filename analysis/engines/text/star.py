"""Situation-Task-Action-Result structure of a behavioural answer: which of the four parts it
covers, found by cue phrases per part and first-person action verbs, with the sentences that matched
as evidence and whether the result is quantified.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from analysis.engines.text.quantities import numbers
from analysis.engines.text.tokens import _normalize, sentences

__all__ = ["StarAnalysis", "star_structure"]


@dataclass(frozen=True)
class StarAnalysis:
    """Which parts of Situation-Task-Action-Result an answer covers.

    `evidence` maps each component ("situation", "task", "action", "result") to the sentences
    that matched it; `has_metrics` is true when a result sentence states a number; `score` in 0..1
    weighs situation 0.2, task 0.2, action 0.25, result 0.25, quantified result 0.1.
    """

    situation: bool
    task: bool
    action: bool
    result: bool
    evidence: dict[str, list[str]] = field(default_factory=dict)
    has_metrics: bool = False
    score: float = 0.0


_STAR_WEIGHTS = {"situation": 0.2, "task": 0.2, "action": 0.25, "result": 0.25}
_METRICS_WEIGHT = 0.1

_SITUATION_RE = re.compile(
    r"\b(?:when i was|while i was|while working|at my (?:last|previous|current|old|first) "
    r"(?:job|company|role|team|employer|position)|in my (?:last|previous|current|old|first) "
    r"(?:job|company|role|team|position)|(?:the|our) (?:situation|context|background|problem|issue) "
    r"(?:was|is)|we were (?:facing|dealing|struggling|experiencing|having)|our team was|there was a"
    r"|back in (?:19|20)\d\d|last (?:year|quarter|month|summer)|a few (?:years|months) ago"
    r"|i was working (?:at|on|as)|i worked (?:at|as)|during (?:a|an|the|my)|one time"
    r"|(?:the|a) (?:project|client|customer) (?:was|had)|we had (?:a|an)|the company was)\b",
    re.IGNORECASE,
)
_TASK_RE = re.compile(
    r"\b(?:my (?:task|goal|job|role|responsibility|objective|mission|assignment) (?:was|is)"
    r"|i was (?:responsible|tasked|asked|assigned|expected|supposed|in charge|charged|hired)"
    r"|i (?:needed|had|wanted) to|we (?:needed|had) to|(?:the|our) (?:goal|task|objective|challenge|"
    r"target|aim|requirement) (?:was|is)|i was (?:given|put in charge)|it was (?:my|up to me)"
    r"|in charge of|my role|i owned|i had ownership)\b",
    re.IGNORECASE,
)
_ACTION_VERBS = (
    "analyzed analysed automated built changed coached collaborated communicated convinced "
    "coordinated created debugged decided delegated deployed designed developed documented drove "
    "escalated established facilitated fixed gathered hired identified implemented improved "
    "initiated interviewed introduced investigated launched led mapped mentored met migrated "
    "monitored negotiated optimized optimised organized organised paired persuaded planned "
    "presented prioritized prioritised profiled proposed prototyped rebuilt redesigned refactored "
    "reached replaced researched resolved restructured reviewed rewrote ran scheduled set shipped "
    "simplified spoke started streamlined suggested talked tested trained tracked wrote"
)
_ACTION_RE = re.compile(
    r"\b(?:i|we)\s+(?:\w+ly\s+|then\s+|also\s+|first\s+|immediately\s+)?(?:"
    + "|".join(_ACTION_VERBS.split())
    + r")\b"
    r"|\b(?:i|we) (?:decided|chose|started by|began by|took the (?:initiative|lead))\b"
    r"|\b(?:so|first|then|next|after that|finally),? (?:i|we) (?:\w+ed|built|ran|wrote|led|set|met|spoke|"
    r"drove|took|made|went|got|sent|brought|put|sat|began|chose|found|gave|kept|told|thought through)\b",
    re.IGNORECASE,
)
_RESULT_RE = re.compile(
    r"\b(?:as a result|resulted in|result(?:s)? (?:was|were)|the outcome|in the end|ultimately"
    r"|which (?:led|meant|allowed|helped|saved|reduced|increased|improved|cut)|this (?:led|meant|allowed|"
    r"helped|saved|reduced|increased|improved|cut)|(?:reduced|increased|improved|saved|cut|grew|boosted|"
    r"doubled|tripled|halved|lowered|raised|decreased|dropped|achieved|exceeded|delivered|shipped|won|"
    r"hit|reached|accomplished)\b|went from|was (?:delivered|completed|launched|a success|successful)"
    r"|on time|under budget|ahead of schedule|i learned|we learned|lesson|feedback was|got promoted"
    r"|the impact)",
    re.IGNORECASE,
)


def star_structure(text: str) -> StarAnalysis:
    """Detect STAR components with cue-phrase lexicons per component, first-person action verbs
    ("I built", "we migrated", "so I ...") and quantified outcomes (see `numbers`)."""
    evidence: dict[str, list[str]] = {name: [] for name in _STAR_WEIGHTS}
    has_metrics = False
    for sentence in sentences(text):
        normalized = _normalize(sentence)
        if _SITUATION_RE.search(normalized):
            evidence["situation"].append(sentence)
        if _TASK_RE.search(normalized):
            evidence["task"].append(sentence)
        if _ACTION_RE.search(normalized):
            evidence["action"].append(sentence)
        if _RESULT_RE.search(normalized):
            evidence["result"].append(sentence)
            if any(q.unit != "calendar_year" for q in numbers(sentence)):
                has_metrics = True
    present = {name: bool(found) for name, found in evidence.items()}
    score = sum((weight for name, weight in _STAR_WEIGHTS.items() if present[name]), 0.0)
    if has_metrics:
        score += _METRICS_WEIGHT
    return StarAnalysis(
        situation=present["situation"],
        task=present["task"],
        action=present["action"],
        result=present["result"],
        evidence=evidence,
        has_metrics=has_metrics,
        score=round(min(score, 1.0), 4),
    )
