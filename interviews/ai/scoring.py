"""Answer scoring (`interview_answer_score`): how well an answer covers its question.

Shared by recorded practice (the report on an uploaded answer) and the live mock interview (each
typed or spoken answer). Scores are 0-10 per dimension, as live-interview.md shows them:

- technical: content. With a question: 0.75 x the share of its key points covered + 0.25 x
  topical relevance (similarity of answer and question, saturating at 0.25). Without one: STAR
  coverage and whether the answer states a number.
- design: structure and reasoning. System design: the share of design concerns addressed
  (requirements, scale, data, caching, failure handling, trade-offs). Behavioural and
  situational: the STAR score. Technical and motivation: explains why ("because", "so that") and
  gives an example ("for example", a number), each half.
- communication: 1 - filler excess over the 3 % norm (x8) - rambling (average sentence over 30
  words: 0.15), times the length fit against the norms in `norms.ANSWER_WORDS`.
- overall: weighted by question type (see WEIGHTS).
"""

from __future__ import annotations

from typing import Any

from pydantic import BaseModel, Field

from analysis.engines import text
from analysis.engines.llm import Task, TaskOutput, register
from interviews.ai import norms
from interviews.ai.language import KeyPoint, covering_sentence, quote, says_cue

TASK = "interview_answer_score"

# (technical, design, communication) weights of the overall score, by question type.
WEIGHTS: dict[str, tuple[float, float, float]] = {
    "behavioral": (0.45, 0.35, 0.20),
    "situational": (0.45, 0.35, 0.20),
    "technical": (0.60, 0.15, 0.25),
    "system_design": (0.40, 0.40, 0.20),
    "culture_fit": (0.50, 0.20, 0.30),
}
DEFAULT_WEIGHTS = (0.45, 0.35, 0.20)

DESIGN_CONCERNS: dict[str, tuple[str, ...]] = {
    "requirements": ("requirement", "users", "traffic", "latency", "availability", "read", "write", "qps"),
    "scale": ("scale", "shard", "partition", "replica", "load balancer", "horizontal", "stateless"),
    "data": ("database", "schema", "table", "index", "storage", "queue", "key"),
    "caching": ("cache", "cdn", "redis", "memcached"),
    "failure handling": ("failure", "retry", "fallback", "timeout", "monitor", "alert", "idempotent"),
    "trade-offs": ("trade-off", "tradeoff", "trade off", "instead", "versus", "cost", "consistency"),
}
REASON_CUES = ("because", "so that", "which means", "the reason", "therefore", "since", "that way")
EXAMPLE_CUES = ("for example", "for instance", "such as", "in my last", "at my last", "once", "when i")


class KeyPointCheck(BaseModel):
    point: str = Field(description="the key point, as listed for the question")
    covered: bool
    evidence: str = Field(description="the answer sentence that covers it, verbatim; empty if none")


class StarCheck(BaseModel):
    situation: bool
    task: bool
    action: bool
    result: bool
    has_metrics: bool = Field(description="the result is quantified")


class AnswerScore(TaskOutput):
    overall: float = Field(ge=0, le=10)
    technical: float = Field(ge=0, le=10, description="content: key points covered, relevance")
    design: float = Field(ge=0, le=10, description="structure and reasoning (STAR, design concerns)")
    communication: float = Field(ge=0, le=10, description="fillers, length, clarity")
    key_points: list[KeyPointCheck]
    star: StarCheck
    word_count: int = Field(ge=0)
    strengths: list[str]
    improvements: list[str]
    summary: str


def _round(value: float) -> float:
    return round(max(0.0, min(10.0, value * 10.0)), 1)


def _length_fit(words: int, question_type: str | None) -> float:
    low, high = norms.answer_words(question_type)
    if words < low:
        return words / low
    if words > high:
        return max(0.5, high / words)
    return 1.0


def answer_score_local(inputs: dict[str, Any]) -> AnswerScore:
    question: dict[str, Any] | None = inputs.get("question") or None
    answer = str(inputs.get("answer") or "")
    question_type = question.get("type") if question else None
    points = [KeyPoint.parse(p) for p in (question or {}).get("key_points", [])]
    # The recording's measured count when there is one (see services.answer_score).
    words = int(inputs.get("word_count") or text.word_count(answer)) if text.word_count(answer) else 0
    if words == 0:
        return AnswerScore(
            overall=0.0,
            technical=0.0,
            design=0.0,
            communication=0.0,
            key_points=[KeyPointCheck(point=p.name, covered=False, evidence="") for p in points],
            star=StarCheck(situation=False, task=False, action=False, result=False, has_metrics=False),
            word_count=0,
            strengths=[],
            improvements=["No answer was given: nothing was said that could be scored."],
            summary="No answer to score.",
        )

    sentences = text.sentences(answer) or [answer]
    star = text.star_structure(answer)
    quantities = [q for q in text.numbers(answer) if q.unit != "calendar_year"]
    checks = []
    for point in points:
        evidence = covering_sentence(point, sentences)
        checks.append(KeyPointCheck(point=point.name, covered=evidence is not None, evidence=evidence or ""))
    covered = [c for c in checks if c.covered]
    missed = [c for c in checks if not c.covered]

    if checks:
        reference = " ".join([question["content"], *(p.name for p in points)]) if question else ""
        relevance = min(1.0, text.similarity(reference, answer) / 0.25)
        content = 0.75 * len(covered) / len(checks) + 0.25 * relevance
    else:
        content = 0.6 * star.score + 0.4 * (1.0 if quantities else 0.3)

    concerns_hit: list[str] = []
    if question_type == "system_design":
        concerns_hit = [
            name
            for name, cues in DESIGN_CONCERNS.items()
            if any(says_cue(s, c) for s in sentences for c in cues)
        ]
        structure = len(concerns_hit) / len(DESIGN_CONCERNS)
    elif question_type in ("technical", "culture_fit"):
        reasons = any(says_cue(s, c) for s in sentences for c in REASON_CUES)
        examples = bool(quantities) or any(says_cue(s, c) for s in sentences for c in EXAMPLE_CUES)
        structure = 0.5 * reasons + 0.5 * examples
    else:
        structure = star.score

    fillers = text.find_fillers(answer)
    filler_ratio = len(fillers) / words
    average_sentence = words / len(sentences)
    communication = 1.0 - min(0.6, max(0.0, filler_ratio - norms.FILLER_UNNOTICED) * 8.0)
    if average_sentence > 30:
        communication -= 0.15
    communication = max(0.0, communication) * _length_fit(words, question_type)

    weights = WEIGHTS.get(question_type or "", DEFAULT_WEIGHTS)
    overall = weights[0] * content + weights[1] * structure + weights[2] * communication

    strengths: list[str] = []
    improvements: list[str] = []
    for check in covered:
        strengths.append(f'Covered "{check.point}": "{quote(check.evidence)}"')
    for check in missed:
        improvements.append(f'Did not cover "{check.point}".')
    if question_type in (None, "behavioral", "situational"):
        parts = [name for name in ("situation", "task", "action", "result") if getattr(star, name)]
        gaps = [name for name in ("situation", "task", "action", "result") if not getattr(star, name)]
        if parts:
            strengths.append(f"STAR parts present: {', '.join(parts)}.")
        if gaps:
            improvements.append(f"STAR parts missing: {', '.join(gaps)}.")
    if question_type == "system_design":
        absent = [name for name in DESIGN_CONCERNS if name not in concerns_hit]
        if concerns_hit:
            strengths.append(f"Addressed {', '.join(concerns_hit)}.")
        if absent:
            improvements.append(f"Not addressed: {', '.join(absent)}.")
    if quantities:
        strengths.append(f"Stated concrete numbers: {', '.join(q.text for q in quantities[:3])}.")
    elif question_type in (None, "behavioral", "situational"):
        improvements.append("No number backs the outcome: say by how much, how fast or for how many.")
    if filler_ratio > norms.FILLER_UNNOTICED:
        improvements.append(
            f"{len(fillers)} filler words in {words} ({filler_ratio:.0%}); "
            f"the norm is under {norms.FILLER_UNNOTICED:.0%}."
        )
    low, high = norms.answer_words(question_type)
    if words < low:
        improvements.append(f"Short: {words} words where a complete answer takes {low}-{high}.")
    elif words > high:
        improvements.append(f"Long: {words} words where {low}-{high} is enough.")

    scores = (_round(content), _round(structure), _round(communication))
    summary = (
        f"{_round(overall)}/10: content {scores[0]}, structure {scores[1]}, communication {scores[2]}"
        + (f"; {len(covered)} of {len(checks)} key points covered" if checks else "")
        + "."
    )
    return AnswerScore(
        overall=_round(overall),
        technical=scores[0],
        design=scores[1],
        communication=scores[2],
        key_points=checks,
        star=StarCheck(
            situation=star.situation,
            task=star.task,
            action=star.action,
            result=star.result,
            has_metrics=star.has_metrics or bool(quantities),
        ),
        word_count=words,
        strengths=strengths,
        improvements=improvements,
        summary=summary,
    )


SYSTEM_PROMPT = f"""\
You score one interview answer against its question. Return JSON matching the schema.
Scores are 0 to 10 with one decimal:
- technical: content. How many of the question's key points the answer covers (each key point
  may list cue terms in parentheses), and how relevant it is to the question.
- design: structure and reasoning. For system design questions, how many of these concerns it
  addresses: requirements, scale, data, caching, failure handling, trade-offs. For behavioural and
  situational questions, STAR coverage (Situation, Task, Action, Result, with a quantified result).
  For technical and motivation questions, whether it explains why and gives an example.
- communication: clarity, filler words (norm: under {norms.FILLER_UNNOTICED:.0%} of words) and
  length (behavioural 150-300 words, technical 80-300, system design 120-400, motivation 60-200).
- overall: the weighted mean (behavioural/situational 0.45/0.35/0.20, technical 0.60/0.15/0.25,
  system design 0.40/0.40/0.20, motivation 0.50/0.20/0.30).
key_points: one entry per listed key point, in order, with the answer sentence that covers it
copied verbatim as evidence (empty when not covered). strengths and improvements: short, specific
sentences quoting the answer. word_count: words in the answer. summary: one sentence.
Judge only what the answer says; never invent content."""


def _prompt(inputs: dict[str, Any]) -> str:
    question = inputs.get("question") or None
    if question:
        points = "\n".join(f"- {p}" for p in question.get("key_points", [])) or "- (none listed)"
        head = (
            f"Question ({question.get('type')}, {question.get('difficulty')}, topic "
            f"{question.get('topic')}):\n{question.get('content')}\nKey points:\n{points}"
        )
    else:
        head = "Question: not recorded; score the answer as a behavioural (STAR) answer."
    return f'{head}\n\nAnswer:\n"""\n{inputs.get("answer") or ""}\n"""'


ANSWER_SCORE = register(
    Task(
        name=TASK,
        output=AnswerScore,
        local=answer_score_local,
        system_prompt=SYSTEM_PROMPT,
        user_prompt=_prompt,
    )
)
