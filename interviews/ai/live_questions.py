"""Which question the live interviewer asks next: a deterministic ranking of the candidates, the
unasked bank questions and the unasked questions generated for the role (`live_generation`).

- Difficulty target: the opening level comes from the detected seniority (junior easy, mid and
  senior medium, lead hard); once answers are scored, the running average of their overall
  scores moves it one step up at SCORE_STRONG (7.0) or more, one step down under SCORE_WEAK (4.5).
  Each step away from the target costs 1.2.
- Focus areas, in the profile's order: a candidate written for an area (a generated question)
  earns the area's full weight, one on the area's bank topic 0.8 of it, one whose tags or text
  name the area 0.6. Weights fall from 3.0 for the first area to 3.0/n for the last, and an area
  already asked about weighs a third as much, then a fifth: the interview walks the areas in order.
- Fit: a technical role wants bank questions a Tech interviewer asks, any other role questions a
  Behavioral, HR or Manager interviewer asks (+1; -1.5 otherwise); each bank tag the role or job
  description says adds 0.5 (up to 1.5). Generated questions fit by construction (+1).
- Variety: -1.0 for each question already asked on the same topic, -0.6 for the same type as the
  previous question.

Ties are broken by the question text, so the same interview always runs the same way.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from statistics import mean
from typing import Any

from interviews.ai import norms
from interviews.ai.language import roots

LEVELS = {"easy": 1, "medium": 2, "hard": 3}
LEVEL_NAMES = {1: "easy", 2: "medium", 3: "hard"}
OPENING_LEVEL = {"junior": 1, "mid": 2, "senior": 2, "lead": 3}
TECHNICAL_ASKERS = {"Tech"}
GENERAL_ASKERS = {"Behavioral", "HR", "Manager"}


@dataclass(frozen=True)
class Ranked:
    candidate: dict[str, Any]
    score: float


def target_level(seniority: str, history: list[dict[str, Any]]) -> int:
    """The difficulty (1-3) the next question should have."""
    level = OPENING_LEVEL.get(seniority, 2)
    scores = [float(h["overall"]) for h in history if h.get("overall") is not None]
    if scores:
        running = mean(scores)
        if running >= norms.SCORE_STRONG:
            level += 1
        elif running < norms.SCORE_WEAK:
            level -= 1
    return max(1, min(3, level))


@dataclass(frozen=True)
class _Stemmed:
    words: tuple[str, ...]
    vocabulary: frozenset[str]


@lru_cache(maxsize=4096)
def _stemmed(value: str) -> _Stemmed:
    # Bank questions, tags and area names come back on every turn: stem each once per process.
    words = tuple(roots(value))
    return _Stemmed(words, frozenset(words))


def _says(text: _Stemmed, phrase: _Stemmed) -> bool:
    """Whether `text` contains `phrase`, word for word once stemmed (`language.says_cue`'s rule)."""
    span = len(phrase.words)
    if span <= 1:
        return span == 1 and phrase.words[0] in text.vocabulary
    words = text.words
    return any(words[i : i + span] == phrase.words for i in range(len(words) - span + 1))


def _focus_score(
    candidate: dict[str, Any],
    areas: list[tuple[str, str, _Stemmed, float]],
    content: _Stemmed,
    tags: list[_Stemmed],
) -> float:
    best = 0.0
    for name, topic, name_roots, weight in areas:
        if candidate.get("focus_area") == name:
            fit = 1.0
        elif topic and str(candidate.get("topic", "")).lower() == topic:
            fit = 0.8
        elif name_roots.words and (any(_says(tag, name_roots) for tag in tags) or _says(content, name_roots)):
            fit = 0.6
        else:
            fit = 0.0
        best = max(best, weight * fit)
    return best


def _weighted_areas(
    areas: list[dict[str, Any]], asked: list[dict[str, Any]]
) -> list[tuple[str, str, _Stemmed, float]]:
    """(name, topic, stemmed name, weight) per focus area, the weight lowered by questions asked on it."""
    weighted = []
    count = len(areas)
    for index, area in enumerate(areas):
        name = str(area.get("name") or "")
        topic = str(area.get("topic") or "").lower()
        times = sum(
            1 for h in asked if h.get("focus_area") == name or str(h.get("topic", "")).lower() == topic
        )
        weight = 3.0 * (count - index) / count / (1 + 2 * times)
        weighted.append((name, topic, _stemmed(name), weight))
    return weighted


def rank(
    *,
    candidates: list[dict[str, Any]],
    history: list[dict[str, Any]],
    focus_areas: list[dict[str, Any]],
    seniority: str,
    is_technical: bool,
    role_text: str,
) -> list[Ranked]:
    """Every candidate, best first. `history`: the turns asked so far, in order, each with its
    topic, type, focus_area and overall score (None while unscored)."""
    level = target_level(seniority, history)
    askers = TECHNICAL_ASKERS if is_technical else GENERAL_ASKERS
    last_type = history[-1].get("type") if history else None
    areas = _weighted_areas(focus_areas, history)
    role = _stemmed(role_text)
    ranked = []
    for candidate in candidates:
        tags = [_stemmed(str(t)) for t in candidate.get("tags") or []]
        generated = candidate.get("source") == "generated"
        if generated:
            fit = 1.0
        else:
            fit = 1.0 if askers & set(candidate.get("interviewer_types") or []) else -1.5
        relevance = min(1.5, 0.5 * sum(1 for tag in tags if _says(role, tag)))
        difficulty = -1.2 * abs(LEVELS.get(str(candidate.get("difficulty")), 2) - level)
        topic = str(candidate.get("topic", "")).lower()
        variety = -1.0 * sum(1 for h in history if str(h.get("topic", "")).lower() == topic)
        if last_type is not None and candidate.get("type") == last_type:
            variety -= 0.6
        focus = _focus_score(candidate, areas, _stemmed(str(candidate.get("content", ""))), tags)
        score = focus + fit + relevance + difficulty + variety
        ranked.append(Ranked(candidate, round(score, 4)))
    ranked.sort(key=lambda r: (-r.score, str(r.candidate.get("content", ""))))
    return ranked
