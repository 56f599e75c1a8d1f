"""The conversation engine's tests: the shipped catalog, the labelled calls, and a builder that turns
a short script into timed segments so each test states its call in a few readable lines."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from analysis.engines import llm
from conversations import ai
from conversations.ai.evaluation import LabelledCall, load_labelled

LABELLED = Path(__file__).resolve().parents[2] / "fixtures" / "conversations" / "labelled"
LOCAL = llm.LLMConfig()
WORDS_PER_SECOND = 2.5


@pytest.fixture(scope="session")
def catalog() -> list[dict[str, Any]]:
    """The shipped catalog as the database will hand it over: plain dicts."""
    return [entry.model_dump(mode="json") for entry in ai.load_catalog()]


@pytest.fixture(scope="session")
def labelled_calls() -> list[LabelledCall]:
    return load_labelled(LABELLED)


def script(*lines: tuple[Any, ...], start: float = 0.0) -> list[dict[str, Any]]:
    """Segments from ("T"|"C", text) lines, optionally ("C", text, gap): `gap` seconds of silence
    before the line (negative: it starts over the previous one). Speech runs at 2.5 words/s."""
    segments: list[dict[str, Any]] = []
    clock = start
    for number, line in enumerate(lines, start=1):
        who, words = line[0], line[1]
        gap = line[2] if len(line) > 2 else (0.6 if number > 1 else 0.0)
        begin = max(0.0, clock + gap)
        end = begin + len(words.split()) / WORDS_PER_SECOND + 0.3
        segments.append(
            {
                "segment_id": number,
                "speaker_type": "technician" if who == "T" else "customer",
                "text": words,
                "start_time": round(begin, 2),
                "end_time": round(end, 2),
            }
        )
        clock = max(clock, end)
    return segments


def inputs(segments: list[dict[str, Any]], catalog: list[dict[str, Any]], **context: Any) -> dict[str, Any]:
    return {"segments": segments, "context": context, "catalog": catalog}


def all_text(segments: list[dict[str, Any]]) -> list[str]:
    return [s["text"] for s in segments]
