"""What a candidate is told about one answer (the `score_update` frame and the report's history):
a one-line verdict, strengths and improvements, the improvements quoting the answer.

Made from the answer scoring (`interviews.ai.scoring`, either provider) and the answer text, when
the answer is scored: the answer may be erased later (memory opt-in), its feedback stays.
"""

from __future__ import annotations

from typing import Any

from analysis.engines import text
from interviews.ai import norms
from interviews.ai.language import quote

# An answer sentence at least this similar to a missed key point is where the answer came closest.
CLOSEST_SIMILARITY = 0.1


def verdict(overall: float) -> str:
    if overall >= 8.0:
        return "Strong answer"
    if overall >= 6.5:
        return "Good answer"
    if overall >= norms.SCORE_WEAK:
        return "Partial answer"
    return "Weak answer"


def _lower_first(value: str) -> str:
    return value[:1].lower() + value[1:] if value[:2] != value[:2].upper() else value


def scorecard(score: dict[str, Any], answer: str) -> dict[str, Any]:
    """{"feedback", "strengths", "improvements"} for an `AnswerScore` (as a dict) and its answer."""
    checks = score.get("key_points") or []
    covered = [c for c in checks if c.get("covered")]
    feedback = f"{verdict(float(score['overall']))} ({score['overall']}/10)"
    if checks:
        feedback += f": {len(covered)} of {len(checks)} key points covered"
    feedback += "."
    sentences = text.sentences(answer) or ([answer] if answer.strip() else [])
    improvements: list[str] = []
    for check in checks:
        if check.get("covered"):
            continue
        point = _lower_first(str(check["point"]))
        closest = max(((text.similarity(str(check["point"]), s), s) for s in sentences), default=(0.0, ""))
        if closest[0] >= CLOSEST_SIMILARITY:
            improvements.append(f'Missed "{point}": the closest you came was "{quote(closest[1], 120)}".')
        else:
            improvements.append(f'Missed "{point}": nothing in the answer touched on it.')
    # The scoring's own remarks on the key points are replaced by the quoted ones above.
    improvements += [i for i in score.get("improvements") or [] if not str(i).startswith("Did not cover")]
    return {
        "feedback": feedback,
        "strengths": list(score.get("strengths") or []),
        "improvements": improvements,
    }
