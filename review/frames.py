"""What a client may send on ws/analysis/{id}/ to start (or restart) an analysis, validated.

Two forms (specs/okr-review.md): {"review_session_id": ...} pulls the review's answers;
{"session_id": ..., "answers": [five answers]} brings its own. Both ids, if sent, must match.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from review.selectors import parse_session_id

ORDERS = (1, 2, 3, 4, 5)
MAX_PROMPT_CHARS = 2_000
MAX_ANSWER_CHARS = 20_000


class FrameError(ValueError):
    """The message to send back as {"type": "error", "message": ...}."""


@dataclass(frozen=True)
class StartRequest:
    session_id: uuid.UUID
    names_review: bool  # the client said review_session_id: it must name a review session
    answers: list[dict[str, Any]] | None  # None: use the review's stored answers


def _uuid(value: Any, field: str) -> uuid.UUID:
    parsed = parse_session_id(value)
    if parsed is None:
        raise FrameError(f"{field} must be a UUID string.")
    return parsed


def _text(item: dict[str, Any], field: str, index: int, limit: int, problems: list[str]) -> str:
    value = item.get(field)
    if not isinstance(value, str) or not value.strip():
        problems.append(f"answers[{index}].{field} must be a non-empty string")
        return ""
    if len(value) > limit:
        problems.append(f"answers[{index}].{field} is longer than {limit} characters")
    if "\x00" in value:  # PostgreSQL cannot store it in JSON; no honest answer contains one
        problems.append(f"answers[{index}].{field} contains a NUL character")
    return value.strip()


def _answers(raw: Any) -> list[dict[str, Any]]:
    if not isinstance(raw, list):
        raise FrameError("answers must be a list of five answers.")
    if len(raw) != len(ORDERS):
        raise FrameError(f"answers must hold exactly five answers (orders 1-5), got {len(raw)}.")
    problems: list[str] = []
    cleaned: list[dict[str, Any]] = []
    for index, item in enumerate(raw):
        if not isinstance(item, dict):
            problems.append(f"answers[{index}] must be an object")
            continue
        order = item.get("order")
        if isinstance(order, bool) or not isinstance(order, int) or order not in ORDERS:
            problems.append(f"answers[{index}].order must be an integer from 1 to 5")
        question_id = item.get("question_id")
        if question_id is not None and (isinstance(question_id, bool) or not isinstance(question_id, int)):
            problems.append(f"answers[{index}].question_id must be an integer")
        prompt = _text(item, "prompt", index, MAX_PROMPT_CHARS, problems)
        answer = _text(item, "answer", index, MAX_ANSWER_CHARS, problems)
        cleaned.append({"order": order, "question_id": question_id, "prompt": prompt, "answer": answer})
    if not problems:
        orders = [item["order"] for item in cleaned]
        duplicated = sorted({o for o in orders if orders.count(o) > 1})
        if duplicated:
            problems.append(
                f"each order 1-5 must appear exactly once (repeated: {', '.join(map(str, duplicated))})"
            )
    if problems:
        raise FrameError("; ".join(problems) + ".")
    return sorted(cleaned, key=lambda item: item["order"])


def parse_start(frame: Any, *, path_id: str) -> StartRequest:
    """The start request in `frame`, or FrameError naming every problem found.

    Without any id, answers are analysed under the socket's own id.
    """
    if not isinstance(frame, dict):
        raise FrameError(
            'Send a JSON object: {"review_session_id": ...} or {"session_id": ..., "answers": [...]}.'
        )
    review_raw, session_raw = frame.get("review_session_id"), frame.get("session_id")
    review_id = _uuid(review_raw, "review_session_id") if review_raw is not None else None
    session_id = _uuid(session_raw, "session_id") if session_raw is not None else None
    if review_id and session_id and review_id != session_id:
        raise FrameError("review_session_id and session_id must match.")
    answers = _answers(frame["answers"]) if frame.get("answers") is not None else None
    target = review_id or session_id
    if target is None:
        if answers is None:
            raise FrameError("Send review_session_id, or session_id with five answers.")
        target = parse_session_id(path_id)
        if target is None:
            raise FrameError("session_id is required with answers.")
    return StartRequest(session_id=target, names_review=review_id is not None, answers=answers)
