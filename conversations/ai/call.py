"""A diarized call as the analyses read it: segments in call order, cut into sentences and clauses
that are verbatim slices of the segment text (so every quote taken from them occurs in the stored
transcript), and the call's context.

Input segments are plain dicts as the capture side stores them:
`{"segment_id", "speaker_type": "technician"|"customer", "text", "start_time", "end_time"}`,
times in seconds on the call timeline. `parse_call` validates them and raises `TranscriptError`
(a ValueError) naming the segment and field; it never guesses a missing speaker or time.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from analysis.engines import text

__all__ = ["Call", "CallContext", "Clause", "Sentence", "Turn", "TranscriptError", "parse_call"]

Speaker = Literal["technician", "customer"]
SPEAKERS: tuple[Speaker, ...] = ("technician", "customer")


class TranscriptError(ValueError):
    """The transcript or context given to an analysis is malformed; the message says where."""


@dataclass(frozen=True)
class Turn:
    """One transcript segment (the spec's name); times in seconds on the call timeline."""

    segment_id: int
    speaker: Speaker
    text: str
    start: float
    end: float

    @property
    def duration(self) -> float:
        return max(0.0, self.end - self.start)


@dataclass(frozen=True)
class Clause:
    """A verbatim slice of a sentence where one thought is stated; guards are scoped to it."""

    text: str
    offset: int  # in the sentence


@dataclass(frozen=True)
class Sentence:
    """A verbatim slice of a turn's text."""

    turn: Turn
    text: str
    offset: int  # in the turn's text
    index: int  # position among all sentences of the call
    clauses: tuple[Clause, ...] = field(default=(), compare=False)

    @property
    def speaker(self) -> Speaker:
        return self.turn.speaker

    def clause_at(self, position: int) -> Clause:
        """The clause holding character `position` of the sentence."""
        for clause in reversed(self.clauses):
            if clause.offset <= position:
                return clause
        return self.clauses[0] if self.clauses else Clause(self.text, 0)


@dataclass(frozen=True)
class CallContext:
    customer_name: str = ""
    job_title: str = ""
    call_date: dt.date | None = None  # turns "installed in 2006" into an age


@dataclass(frozen=True)
class Call:
    turns: tuple[Turn, ...]
    sentences: tuple[Sentence, ...]
    context: CallContext

    @property
    def duration(self) -> float:
        return max((t.end for t in self.turns), default=0.0)

    def turn(self, segment_id: int) -> Turn | None:
        return next((t for t in self.turns if t.segment_id == segment_id), None)

    def sentences_of(self, speaker: Speaker) -> list[Sentence]:
        return [s for s in self.sentences if s.speaker == speaker]

    def turns_after(
        self, turn: Turn, *, speaker: Speaker | None = None, limit: int | None = None
    ) -> list[Turn]:
        """Turns that follow `turn` in call order, optionally one speaker's and at most `limit`."""
        position = self.turns.index(turn)
        later = [t for t in self.turns[position + 1 :] if speaker is None or t.speaker == speaker]
        return later[:limit] if limit is not None else later

    def turns_before(
        self, turn: Turn, *, speaker: Speaker | None = None, limit: int | None = None
    ) -> list[Turn]:
        """Turns that precede `turn`, nearest first."""
        position = self.turns.index(turn)
        earlier = [t for t in reversed(self.turns[:position]) if speaker is None or t.speaker == speaker]
        return earlier[:limit] if limit is not None else earlier


# A second thought starts at a semicolon or dash, or at a comma/space followed by a contrast.
_CLAUSE_BREAK_RE = re.compile(
    r"\s*(?:;|\s[-\u2013\u2014]\s|,\s*(?=(?:but|although|though|except|however|so|and then|because|since)\b)|"
    r"\s(?=(?:but|although|though|except|however)\b)|,\s)",
    re.IGNORECASE,
)


def clauses(sentence: str) -> tuple[Clause, ...]:
    pieces: list[Clause] = []
    start = 0
    for match in _CLAUSE_BREAK_RE.finditer(sentence):
        if match.start() > start:
            pieces.append(Clause(sentence[start : match.start()], start))
        start = match.end()
    if start < len(sentence):
        pieces.append(Clause(sentence[start:], start))
    return tuple(pieces) or (Clause(sentence, 0),)


def _sentences_of(turn: Turn, first_index: int) -> list[Sentence]:
    out: list[Sentence] = []
    cursor = 0
    for piece in text.sentences(turn.text):
        offset = turn.text.find(piece, cursor)
        if offset < 0:  # the splitter only strips; this keeps quotes verbatim if that ever changes
            continue
        cursor = offset + len(piece)
        out.append(Sentence(turn, piece, offset, first_index + len(out), clauses(piece)))
    return out


def _number(value: Any, *, where: str, name: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float | str):
        raise TranscriptError(f"{where}: {name} must be a number of seconds, got {value!r}")
    try:
        number = float(value)
    except ValueError:
        raise TranscriptError(f"{where}: {name} must be a number of seconds, got {value!r}") from None
    if math.isnan(number) or math.isinf(number) or number < 0:
        raise TranscriptError(f"{where}: {name} must be a non-negative number of seconds, got {value!r}")
    return number


def parse_turns(segments: Iterable[Mapping[str, Any]]) -> tuple[Turn, ...]:
    if isinstance(segments, str | bytes) or not isinstance(segments, Iterable):
        raise TranscriptError("segments must be a list of segment objects")
    turns: list[Turn] = []
    seen: set[int] = set()
    for position, raw in enumerate(segments):
        where = f"segment {position}"
        if not isinstance(raw, Mapping):
            raise TranscriptError(f"{where}: must be an object, got {type(raw).__name__}")
        segment_id = raw.get("segment_id", position + 1)
        if isinstance(segment_id, bool) or not isinstance(segment_id, int):
            raise TranscriptError(f"{where}: segment_id must be an integer, got {segment_id!r}")
        where = f"segment {segment_id}"
        if segment_id in seen:
            raise TranscriptError(f"{where}: segment_id appears twice")
        seen.add(segment_id)
        speaker = raw.get("speaker_type")
        if speaker not in SPEAKERS:
            raise TranscriptError(
                f"{where}: speaker_type must be 'technician' or 'customer', got {speaker!r}"
            )
        words = raw.get("text")
        if not isinstance(words, str):
            raise TranscriptError(f"{where}: text must be a string")
        start = _number(raw.get("start_time"), where=where, name="start_time")
        end = _number(raw.get("end_time"), where=where, name="end_time")
        if end < start:
            raise TranscriptError(f"{where}: end_time {end:g} is before start_time {start:g}")
        turns.append(Turn(segment_id, speaker, words, start, end))
    # Chunks are transcribed as they arrive; order by the call timeline, keeping ties as given.
    return tuple(sorted(turns, key=lambda t: t.start))


def parse_context(raw: Mapping[str, Any] | None) -> CallContext:
    if raw is None:
        return CallContext()
    if not isinstance(raw, Mapping):
        raise TranscriptError("context must be an object")
    call_date: dt.date | None = None
    when = raw.get("call_date")
    if isinstance(when, dt.datetime):
        call_date = when.date()
    elif isinstance(when, dt.date):
        call_date = when
    elif isinstance(when, str) and when:
        try:
            call_date = dt.date.fromisoformat(when[:10])
        except ValueError:
            raise TranscriptError(f"context.call_date must be an ISO date, got {when!r}") from None
    elif when is not None:
        raise TranscriptError(f"context.call_date must be an ISO date, got {when!r}")
    return CallContext(
        customer_name=str(raw.get("customer_name") or "").strip(),
        job_title=str(raw.get("job_title") or "").strip(),
        call_date=call_date,
    )


def build_call(turns: Sequence[Turn], context: CallContext) -> Call:
    sentences: list[Sentence] = []
    for turn in turns:
        sentences.extend(_sentences_of(turn, len(sentences)))
    return Call(tuple(turns), tuple(sentences), context)


def parse_call(inputs: Mapping[str, Any]) -> Call:
    """The task inputs' `segments` and optional `context` as a Call; TranscriptError if malformed."""
    if not isinstance(inputs, Mapping):
        raise TranscriptError("inputs must be an object with 'segments'")
    if "segments" not in inputs:
        raise TranscriptError("inputs must include 'segments'")
    return build_call(parse_turns(inputs["segments"]), parse_context(inputs.get("context")))


def clock(seconds: float) -> str:
    """A call-timeline position as people read it: 3:05, or 1:02:05 past an hour."""
    whole = int(round(seconds))
    hours, rest = divmod(whole, 3600)
    minutes, secs = divmod(rest, 60)
    return f"{hours}:{minutes:02d}:{secs:02d}" if hours else f"{minutes}:{secs:02d}"
