"""Measuring the live transcription on calls whose truth is known (who says what when): word
speaker accuracy and turns lost. Used by the accuracy tests and `make bench`; plain Python."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from analysis.engines.audio import Audio
from conversations import diarization, pipeline

# A turn whose speech the transcript's words cover less than this was lost (timing, not spelling:
# tiny.en mishears synthetic voices, which is not losing them).
LOST_TURN_COVERAGE = 0.3


@dataclass(frozen=True)
class CallScore:
    words: int
    words_on_right_speaker: int
    turns: int
    turns_lost: int
    whisper_passes: int
    segments: list[pipeline.DraftSegment]
    runs: list[diarization.VoiceRun]
    labels: list[str]

    @property
    def speaker_accuracy(self) -> float:
        return self.words_on_right_speaker / max(self.words, 1)


def turn_at(turns: Sequence[dict[str, Any]], moment: float) -> dict[str, Any]:
    """The turn around `moment`, or the nearest one."""

    def distance(turn: dict[str, Any]) -> float:
        if turn["start"] <= moment <= turn["end"]:
            return 0.0
        return float(min(abs(moment - turn["start"]), abs(moment - turn["end"])))

    return min(turns, key=distance)


def stream_call(
    chunks: Sequence[Audio],
    *,
    profile: diarization.VoiceModel | None,
    transcribe: pipeline.Transcriber,
    recover_missed_turns: bool = True,
) -> tuple[list[pipeline.DraftSegment], list[diarization.VoiceRun], list[str], int]:
    """The call's final segments as the service makes them, chunk after chunk (carry included)."""
    history: list[diarization.VoiceRun] = []
    labels: list[str] = []
    segments: list[pipeline.DraftSegment] = []
    samples = np.zeros(0, np.float32)
    carry_from = 0.0
    passes = 0
    for index, chunk in enumerate(chunks):
        samples = np.concatenate((samples, chunk.samples))
        outcome = pipeline.chunk_process(
            audio=Audio(samples[round(carry_from * chunk.sample_rate) :], chunk.sample_rate),
            audio_start=carry_from,
            is_last=index == len(chunks) - 1,
            history=history,
            history_labels=labels,
            profile=profile,
            transcribe=transcribe,
            recover_missed_turns=recover_missed_turns,
        )
        history += outcome.runs
        labels += outcome.labels
        segments += outcome.final
        carry_from = outcome.carry_from
        passes += outcome.passes
    return segments, history, labels, passes


def score_call(
    chunks: Sequence[Audio],
    turns: Sequence[dict[str, Any]],
    *,
    profile: diarization.VoiceModel | None,
    transcribe: Callable[[Audio], Any],
    recover_missed_turns: bool = True,
) -> CallScore:
    segments, runs, labels, passes = stream_call(
        chunks, profile=profile, transcribe=transcribe, recover_missed_turns=recover_missed_turns
    )
    right = total = 0
    for segment in segments:
        for word in segment.words:
            total += 1
            right += turn_at(turns, (word.start + word.end) / 2)["speaker"] == segment.speaker
    words = [w for s in segments for w in s.words]
    lost = 0
    for turn in turns:
        covered = sum(max(0.0, min(turn["end"], w.end) - max(turn["start"], w.start)) for w in words)
        lost += covered / max(turn["end"] - turn["start"], 1e-6) < LOST_TURN_COVERAGE
    return CallScore(total, right, len(turns), lost, passes, segments, runs, labels)
