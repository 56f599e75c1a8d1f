"""Adaptive next question (`practice_next_question`): picks from the bank questions not yet asked.

The local engine ranks every candidate (deterministic; ties broken by the question text):

- difficulty target: the first question is medium; after that, the level of the last question
  asked moves up one after an answer scoring >= 7/10, down one under 4.5, and stays otherwise
  (the most recent scored answer decides; unscored answers leave the level alone).
- interviewer type: the question lists the session's interviewer type (+2), and its type is
  one the interviewer asks, weighted by TYPE_MIX and boosted while that type is under-asked.
- job description: tags of the question said in the job title/description, and word overlap of
  the question with it (up to +2).
- variety: -0.8 for each earlier question on the same topic; after a weak answer the same topic
  loses another 1.5 (try something different), after a strong one it gains 0.6 (go deeper).

The openai provider gets the best-ranked candidates (a shortlist) and chooses among them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from pydantic import Field

from analysis.engines import text
from analysis.engines.llm import Task, TaskOutput, register
from interviews.ai import norms
from interviews.ai.language import says_cue

TASK = "practice_next_question"
SHORTLIST = 8

LEVELS = {"easy": 1, "medium": 2, "hard": 3}
LEVEL_NAMES = {1: "easy", 2: "medium", 3: "hard"}

# Share of each question type an interviewer of this kind asks.
TYPE_MIX: dict[str, dict[str, float]] = {
    "Tech": {"technical": 0.55, "system_design": 0.25, "behavioral": 0.15, "situational": 0.05},
    "HR": {"culture_fit": 0.4, "behavioral": 0.4, "situational": 0.2},
    "Behavioral": {"behavioral": 0.6, "situational": 0.3, "culture_fit": 0.1},
    "Manager": {
        "behavioral": 0.35,
        "situational": 0.35,
        "technical": 0.1,
        "system_design": 0.1,
        "culture_fit": 0.1,
    },
}

Mode = Literal["start", "harder", "easier", "different"]


class NextQuestion(TaskOutput):
    question_id: str = Field(description="id of the chosen candidate, exactly as given")
    target_difficulty: Literal["easy", "medium", "hard"]
    reason: str = Field(description="one sentence: why this question now")


@dataclass(frozen=True)
class Ranked:
    candidate: dict[str, Any]
    score: float
    tag_hits: tuple[str, ...]


def target(history: list[dict[str, Any]]) -> tuple[int, Mode, float | None]:
    """(target level 1-3, why, the score that decided) from the questions asked so far."""
    if not history:
        return 2, "start", None
    base = LEVELS.get(str(history[-1].get("difficulty")), 2)
    scored = [h for h in history if h.get("score") is not None]
    if not scored:
        return base, "different", None
    last = float(scored[-1]["score"])
    if last >= norms.SCORE_STRONG:
        return min(3, base + 1), "harder", last
    if last < norms.SCORE_WEAK:
        return max(1, base - 1), "easier", last
    return base, "different", last


def rank(inputs: dict[str, Any]) -> list[Ranked]:
    """Every candidate, best first."""
    interviewer = str(inputs.get("interviewer_type", ""))
    history: list[dict[str, Any]] = list(inputs.get("history") or [])
    job = f"{inputs.get('job_title', '')}. {inputs.get('job_description', '')}".strip(". ")
    level, mode, _score = target(history)
    mix = TYPE_MIX.get(interviewer, {})
    asked_types = [str(h.get("type")) for h in history]
    asked_topics = [str(h.get("topic", "")).lower() for h in history]
    last_topic = asked_topics[-1] if asked_topics else None

    ranked = []
    for candidate in inputs.get("candidates") or []:
        kind = str(candidate.get("type"))
        share = asked_types.count(kind) / len(asked_types) if asked_types else 0.0
        weight = mix.get(kind, 0.0)
        type_fit = weight + max(0.0, weight - share) if weight else -1.0
        fits_interviewer = 1.0 if interviewer in (candidate.get("interviewer_types") or []) else 0.0
        hits = tuple(t for t in candidate.get("tags") or [] if job and says_cue(job, str(t)))
        overlap = (
            text.similarity(job, f"{candidate.get('topic', '')} {candidate.get('content', '')}")
            if job
            else 0.0
        )
        relevance = 0.7 * min(1.0, len(hits) / 2) + 0.3 * min(1.0, overlap / 0.2)
        difficulty = -1.2 * abs(LEVELS.get(str(candidate.get("difficulty")), 2) - level)
        topic = str(candidate.get("topic", "")).lower()
        variety = -0.8 * asked_topics.count(topic)
        if topic == last_topic:
            variety += {"easier": -1.5, "harder": 0.6}.get(mode, 0.0)
        score = 2.0 * fits_interviewer + 2.5 * type_fit + 2.0 * relevance + difficulty + variety
        ranked.append(Ranked(candidate, round(score, 4), hits))
    ranked.sort(key=lambda r: (-r.score, str(r.candidate.get("content", ""))))
    return ranked


def _reason(best: Ranked, mode: Mode, decided_by: float | None, interviewer: str) -> str:
    candidate = best.candidate
    what = f"a {candidate.get('difficulty')} {str(candidate.get('type')).replace('_', ' ')} question on {candidate.get('topic')}"
    lead = {
        "start": f"Opening with {what}",
        "harder": f"Your last scored answer got {decided_by}/10, so here is {what}, a step harder",
        "easier": f"Your last scored answer got {decided_by}/10, so here is {what}, on different ground",
        "different": f"Moving on to {what}",
    }[mode]
    tail = f" that a {interviewer} interviewer asks"
    if best.tag_hits:
        tail += f", matching your job description ({', '.join(best.tag_hits[:3])})"
    return lead + tail + "."


def next_question_local(inputs: dict[str, Any]) -> NextQuestion:
    ranked = rank(inputs)
    if not ranked:
        raise ValueError("no candidate questions to choose from")
    level, mode, decided_by = target(list(inputs.get("history") or []))
    best = ranked[0]
    return NextQuestion(
        question_id=str(best.candidate["id"]),
        target_difficulty=LEVEL_NAMES[level],  # type: ignore[arg-type]
        reason=_reason(best, mode, decided_by, str(inputs.get("interviewer_type", ""))),
    )


def shortlist(inputs: dict[str, Any], size: int = SHORTLIST) -> dict[str, Any]:
    """The inputs with only the best-ranked candidates, for a provider that reads them all."""
    return {**inputs, "candidates": [r.candidate for r in rank(inputs)[:size]]}


SYSTEM_PROMPT = f"""\
You choose the next question of a practice job interview from the candidate questions given.
Return JSON matching the schema: question_id (exactly one of the candidate ids), target_difficulty
and a one-sentence reason addressed to the candidate.
Rules:
- Follow the interviewer type: Tech asks mostly technical and system design questions, HR
  motivation/culture fit and behavioural, Behavioral past-experience (STAR) and situational,
  Manager leadership, prioritisation and delivery with some technical depth.
- Prefer questions about what the job description mentions.
- Adapt to the scores (0-10) of earlier answers: after an answer scoring {norms.SCORE_STRONG:g} or more, go
  one difficulty step harder (easy, medium, hard); under {norms.SCORE_WEAK:g}, one step easier and on a
  different topic; otherwise the same difficulty on a different topic. The first question is medium.
- Never choose a question already asked; vary topics."""


def _prompt(inputs: dict[str, Any]) -> str:
    history = inputs.get("history") or []
    asked = "\n".join(
        f"- [{h.get('type')}, {h.get('difficulty')}, {h.get('topic')}] score: "
        f"{'not scored' if h.get('score') is None else h.get('score')}"
        for h in history
    )
    candidates = "\n".join(
        f"- id={c['id']} [{c.get('type')}, {c.get('difficulty')}, {c.get('topic')}] {c.get('content')}"
        for c in inputs.get("candidates") or []
    )
    return (
        f"Interviewer type: {inputs.get('interviewer_type')}\nJob title: {inputs.get('job_title')}\n"
        f'Job description:\n"""\n{inputs.get("job_description", "")}\n"""\n'
        f"Asked so far, in order:\n{asked or '- nothing yet'}\n\nCandidates:\n{candidates}"
    )


NEXT_QUESTION = register(
    Task(
        name=TASK,
        output=NextQuestion,
        local=next_question_local,
        system_prompt=SYSTEM_PROMPT,
        user_prompt=_prompt,
    )
)
