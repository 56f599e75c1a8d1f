"""Fillers in a timed transcript: the ones Whisper wrote (hesitation sounds, and "like", "you know",
"I mean" where its punctuation marks them as fillers), plus the hesitations the audio shows that it
did not write (`detect_filled_pauses`). The speech engine re-exports these; `features` counts with
them.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

from analysis.engines.audio.decoding import Audio
from analysis.engines.audio.filled_pauses import FilledPause, detect_filled_pauses
from analysis.engines.text.hesitations import is_hesitation
from analysis.engines.transcript import Transcript, Word

__all__ = ["Filler", "FillerCount", "count_fillers", "transcript_fillers"]


@dataclass(frozen=True)
class Filler:
    """A filler: `kind` "filled_pause" (um, uh) or "discourse" (like, you know, I mean);
    `source` "transcript" or "audio" (a hesitation Whisper did not write, found in the signal)."""

    text: str
    start: float
    end: float
    kind: str
    source: str


@dataclass(frozen=True)
class FillerCount:
    fillers: tuple[Filler, ...]

    @property
    def total(self) -> int:
        return len(self.fillers)

    @property
    def audio_count(self) -> int:
        return sum(f.source == "audio" for f in self.fillers)

    @property
    def filled_pause_count(self) -> int:
        return sum(f.kind == "filled_pause" for f in self.fillers)


def _bare(text: str) -> str:
    return text.strip().strip("\"'()[]").lower()


def _ends_clause(text: str) -> bool:
    return text.rstrip("\"')]").endswith((",", ".", "?", "!", "…", ";", ":"))


def transcript_fillers(words: Sequence[Word]) -> list[Filler]:
    """Fillers Whisper wrote: hesitation sounds always; "like" only before a comma ("we had like,
    three months"), "you know" and "I mean" only before a comma or the end of a sentence, since
    "I like it" or "you know him" is content, and Whisper punctuates the filler use."""
    found: list[Filler] = []
    for index, word in enumerate(words):
        bare = _bare(word.text).rstrip(",.?!…;:")
        if is_hesitation(word.text):
            found.append(Filler(bare, word.start, word.end, "filled_pause", "transcript"))
        elif bare == "like" and word.text.rstrip("\"')]").endswith(","):
            found.append(Filler("like", word.start, word.end, "discourse", "transcript"))
        elif bare in {"know", "mean"} and index > 0 and _ends_clause(word.text):
            first = _bare(words[index - 1].text)
            if (bare, first) in {("know", "you"), ("mean", "i")}:
                found.append(
                    Filler(f"{first} {bare}", words[index - 1].start, word.end, "discourse", "transcript")
                )
    return found


def count_fillers(
    transcript: Transcript,
    audio: Audio | None = None,
    *,
    filled_pauses: Sequence[FilledPause] | None = None,
) -> FillerCount:
    """Fillers in the transcript plus, when `audio` (or already detected `filled_pauses`) is
    given, hesitations recovered from the signal that overlap no filler the transcript has."""
    words = transcript.words
    found = transcript_fillers(words)
    if filled_pauses is None and audio is not None:
        filled_pauses = detect_filled_pauses(audio, words)
    for pause in filled_pauses or ():
        if any(f.start < pause.end and pause.start < f.end for f in found if f.kind == "filled_pause"):
            continue
        found.append(Filler("(filled pause)", pause.start, pause.end, "filled_pause", "audio"))
    return FillerCount(tuple(sorted(found, key=lambda f: f.start)))
