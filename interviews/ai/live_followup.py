"""Follow-up questions of the live interview (`live_followup`).

The decision is the answer scoring's (`interviews.ai.scoring`, shared with recorded practice): a
follow-up is asked when the answer covers less than FOLLOWUP_BELOW_COVERAGE of its question's key
points, and never twice for one question (the service enforces that). This task only phrases it.

The local engine asks about the first two key points the answer missed, quoting their names, and,
when one sentence of the answer comes close to the first of them (shares content words with it),
quotes that sentence too, so the candidate knows where to pick up. The reason names what was missed,
and says the answer was short when it had under half the words a complete answer takes.
"""

from __future__ import annotations

from typing import Any

from pydantic import Field

from analysis.engines import text
from analysis.engines.llm import Task, TaskOutput, register
from interviews.ai import norms
from interviews.ai.language import KeyPoint, quote

TASK = "live_followup"
# Under this share of key points covered the answer gets a follow-up; at or above it, none.
FOLLOWUP_BELOW_COVERAGE = 0.6
# A sentence this similar to a missed key point is where the candidate "started to say it".
QUOTE_SIMILARITY = 0.15


class FollowUp(TaskOutput):
    question: str = Field(description="one follow-up question addressed to the candidate")
    reason: str = Field(description='why it is asked, e.g. "Answer was vague on consistency guarantees"')


def coverage(score: dict[str, Any]) -> tuple[list[str], list[str]]:
    """(covered, missed) key point names of an answer score (`AnswerScore` as a dict)."""
    checks = score.get("key_points") or []
    covered = [str(c["point"]) for c in checks if c.get("covered")]
    missed = [str(c["point"]) for c in checks if not c.get("covered")]
    return covered, missed


def needs_follow_up(score: dict[str, Any]) -> bool:
    """Whether an answer misses enough of its question's key points to be followed up."""
    covered, missed = coverage(score)
    total = len(covered) + len(missed)
    return total > 0 and len(covered) / total < FOLLOWUP_BELOW_COVERAGE


def _lower_first(value: str) -> str:
    return value[:1].lower() + value[1:] if value[:2] != value[:2].upper() else value


def followup_local(inputs: dict[str, Any]) -> FollowUp:
    question: dict[str, Any] = dict(inputs.get("question") or {})
    answer = str(inputs.get("answer") or "")
    missed = [KeyPoint.parse(str(m)).name for m in inputs.get("missed") or []]
    if not missed:
        raise ValueError("a follow-up needs at least one missed key point")
    asked = [_lower_first(name) for name in missed[:2]]
    ask = " and ".join(asked)
    quoted = " or ".join(f'"{name}"' for name in asked)
    opener = ""
    sentences = text.sentences(answer) or ([answer] if answer.strip() else [])
    if sentences:
        similarity, sentence = max((text.similarity(missed[0], s), s) for s in sentences)
        if similarity >= QUOTE_SIMILARITY:
            opener = f'You said "{quote(sentence, 100)}". '
    words = text.word_count(answer)
    low, _high = norms.answer_words(question.get("type"))
    if words < low / 2:
        reason = f"Answer was short ({words} words) and did not cover {ask}"
    else:
        reason = f"Answer was vague on {ask}"
    return FollowUp(
        question=f"{opener}Your answer did not get to {quoted}. Can you elaborate on {'that' if len(asked) == 1 else 'those'}?",
        reason=reason,
    )


SYSTEM_PROMPT = """\
You are a job interviewer. The candidate's answer missed some of the key points of your question.
Ask one short follow-up question (one or two sentences) that invites them to cover the missed points,
without giving the answer away. Return JSON matching the schema: question, and reason, a short
phrase such as "Answer was vague on consistency guarantees" naming what was missed."""


def _prompt(inputs: dict[str, Any]) -> str:
    question = dict(inputs.get("question") or {})
    missed = "\n".join(f"- {KeyPoint.parse(str(m)).name}" for m in inputs.get("missed") or [])
    covered = (
        "\n".join(f"- {KeyPoint.parse(str(c)).name}" for c in inputs.get("covered") or []) or "- nothing"
    )
    return (
        f"Question ({question.get('type')}, topic {question.get('topic')}):\n{question.get('content')}\n\n"
        f'Answer:\n"""\n{inputs.get("answer") or ""}\n"""\n\n'
        f"Key points covered:\n{covered}\nKey points missed:\n{missed}"
    )


FOLLOWUP = register(
    Task(name=TASK, output=FollowUp, local=followup_local, system_prompt=SYSTEM_PROMPT, user_prompt=_prompt)
)
