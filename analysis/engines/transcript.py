"""The timed transcript shared by the speech, audio and text engines: `Transcript`, made of sentence
`Segment`s, made of `Word`s with their times in seconds and recognition probabilities, and the plain
dict (`to_dict`, `from_dict`) it is stored as.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

__all__ = ["Segment", "Transcript", "Word"]


@dataclass(frozen=True)
class Word:
    """One recognised word; times in seconds from the start of the media, probability in 0..1."""

    start: float
    end: float
    text: str
    probability: float


@dataclass(frozen=True)
class Segment:
    """A sentence: `confidence` is the mean probability of its words."""

    start: float
    end: float
    text: str
    confidence: float
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class Transcript:
    segments: tuple[Segment, ...]
    language: str
    duration_seconds: float

    @property
    def text(self) -> str:
        return " ".join(segment.text for segment in self.segments if segment.text)

    @property
    def words(self) -> tuple[Word, ...]:
        return tuple(word for segment in self.segments for word in segment.words)

    def to_dict(self) -> dict[str, Any]:
        return {
            "text": self.text,
            "language": self.language,
            "duration_seconds": round(self.duration_seconds, 3),
            "segments": [
                {
                    "start": round(segment.start, 3),
                    "end": round(segment.end, 3),
                    "text": segment.text,
                    "confidence": round(segment.confidence, 4),
                    "words": [
                        {
                            "start": round(word.start, 3),
                            "end": round(word.end, 3),
                            "text": word.text,
                            "probability": round(word.probability, 4),
                        }
                        for word in segment.words
                    ],
                }
                for segment in self.segments
            ],
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> Transcript:
        """A transcript stored with `to_dict()` back as the object (its "text" key is derived, so unread).

        Transcripts stored by older versions may lack the optional keys: a segment's confidence and
        a word's probability read as 0.0, the language as "en", the duration as 0.0, missing
        segments or words as none.
        """
        segments = tuple(
            Segment(
                start=float(segment["start"]),
                end=float(segment["end"]),
                text=str(segment["text"]),
                confidence=float(segment.get("confidence", 0.0)),
                words=tuple(
                    Word(
                        start=float(word["start"]),
                        end=float(word["end"]),
                        text=str(word["text"]),
                        probability=float(word.get("probability", 0.0)),
                    )
                    for word in segment.get("words", [])
                ),
            )
            for segment in data.get("segments", [])
        )
        return cls(
            segments=segments,
            language=str(data.get("language", "en")),
            duration_seconds=float(data.get("duration_seconds", 0.0)),
        )
