"""One chunk of a live call, from audio to speaker-labelled segments on the call's timeline.

Plain data in, plain data out (no Django): `conversations.services.transcription` feeds it the
chunks of a call in sequence order and stores what it returns.

A phone cuts its chunks every few seconds wherever the speech happens to be, mid-word included,
and Whisper loses a word cut in two. So each chunk is transcribed together with the **carry**: the
audio after the last pause of the previous chunk. The chunk in turn keeps back everything after its
own last pause (of at least 0.25 s): those words go out as a partial (`is_final: false`) and come
back final, re-transcribed whole, with the next chunk, or when the call stops.

Nothing said may be lost. On two-voice audio tiny.en sometimes writes one voice and skips the
other's turn entirely. After the one Whisper pass over the chunk, every voice run (see
`conversations.diarization`) whose speech the words cover less than `MIN_COVERAGE` is transcribed
again on its own, and its words replace the ones found there if they cover more. Only those runs
cost a second pass.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

import numpy as np

from analysis.engines.audio import Audio, voice_activity
from analysis.engines.transcript import Transcript, Word
from conversations import diarization
from conversations.diarization import VoiceModel, VoiceRun

__all__ = [
    "ChunkOutcome",
    "DraftSegment",
    "chunk_process",
    "cut_point",
    "segments_from_words",
]

SAMPLE_RATE = 16000
# A pause this long is a safe place to cut (the audio engine's own minimum pause).
CUT_PAUSE_SECONDS = 0.25
# Continuous speech longer than this is cut at its quietest point rather than carried on.
MAX_CARRY_SECONDS = 20.0
# A voice run whose speech is covered less than this by words is transcribed again on its own.
MIN_COVERAGE = 0.5
RECOVER_MIN_SECONDS = 0.4
RECOVER_PAD_SECONDS = 0.15
# A segment ends at a sentence end, at a speaker change, or at a silence this long.
SEGMENT_GAP_SECONDS = 1.2

_SENTENCE_END = re.compile(r"[.!?…]['\")\]]*$")

Transcriber = Callable[[Audio], Transcript]


@dataclass(frozen=True)
class DraftSegment:
    """A segment before it is stored: times in seconds on the call's timeline."""

    speaker: str
    text: str
    start: float
    end: float
    confidence: float
    words: tuple[Word, ...] = ()


@dataclass(frozen=True)
class ChunkOutcome:
    final: list[DraftSegment]
    partial: list[DraftSegment]
    # New voice runs of the final part, with their labels (the call's history grows by these).
    runs: list[VoiceRun]
    labels: list[str]
    # Where the next chunk's carry starts, on the call's timeline (== the chunk's end: no carry).
    carry_from: float
    recovered_runs: int = 0
    passes: int = 1
    stats: dict[str, float] = field(default_factory=dict)


def cut_point(audio: Audio) -> float:
    """Seconds into `audio` up to which its words are final: its end when it ends in silence, else
    the middle of its last pause; audio with no pause at all carries on whole, up to a bound."""
    activity = voice_activity(audio)
    speech = activity.is_speech
    hop = activity.hop_seconds
    need = round(CUT_PAUSE_SECONDS / hop)
    if speech.size == 0 or not speech[-need:].any():
        return audio.duration_seconds
    edges = np.diff(np.concatenate(([0], (~speech).astype(np.int8), [0])))
    starts, ends = np.flatnonzero(edges == 1), np.flatnonzero(edges == -1)
    pauses = [(a, b) for a, b in zip(starts.tolist(), ends.tolist(), strict=True) if b - a >= need and a > 0]
    if pauses:
        a, b = pauses[-1]
        return round((a + b) / 2 * hop, 3)
    if audio.duration_seconds > MAX_CARRY_SECONDS:
        # Speech with no pause for 20 s: cut where it is quietest in the last third.
        lo = speech.size * 2 // 3
        return round((lo + int(np.argmin(activity.energy_db[lo:]))) * hop, 3)
    return 0.0


def _slice(audio: Audio, start: float, end: float) -> Audio:
    lo = max(0, round(start * audio.sample_rate))
    hi = min(audio.samples.size, round(end * audio.sample_rate))
    return Audio(audio.samples[lo:hi], audio.sample_rate)


def _coverage(run: VoiceRun, words: Sequence[Word]) -> float:
    covered = sum(max(0.0, min(run.end, w.end) - max(run.start, w.start)) for w in words)
    return covered / max(run.end - run.start, 1e-6)


def _recover(
    audio: Audio, runs: Sequence[VoiceRun], words: list[Word], transcribe: Transcriber
) -> tuple[list[Word], int]:
    """Transcribe again, alone, each run the words barely cover; keep what covers more."""
    recovered = 0
    for run in runs:
        if run.end - run.start < RECOVER_MIN_SECONDS or _coverage(run, words) >= MIN_COVERAGE:
            continue
        start = max(0.0, run.start - RECOVER_PAD_SECONDS)
        end = min(audio.duration_seconds, run.end + RECOVER_PAD_SECONDS)
        again = [
            Word(round(w.start + start, 3), round(w.end + start, 3), w.text, w.probability)
            for w in transcribe(_slice(audio, start, end)).words
        ]
        inside = [w for w in words if run.start <= (w.start + w.end) / 2 <= run.end]
        if again and _coverage(run, again) > _coverage(run, inside):
            words = [w for w in words if w not in inside]
            words = sorted(words + again, key=lambda w: w.start)
            recovered += 1
    return words, recovered


def _label_of(word: Word, runs: Sequence[VoiceRun], labels: Sequence[str], default: str) -> str:
    if not runs:
        return default
    middle = (word.start + word.end) / 2

    def distance(index: int) -> float:
        run = runs[index]
        if run.start <= middle <= run.end:
            return 0.0
        return min(abs(middle - run.start), abs(middle - run.end))

    return labels[min(range(len(runs)), key=distance)]


def segments_from_words(words: Sequence[Word], speakers: Sequence[str]) -> list[DraftSegment]:
    """Consecutive words of one speaker, cut at sentence ends and long silences."""
    segments: list[DraftSegment] = []
    current: list[int] = []

    def close() -> None:
        if not current:
            return
        members = tuple(words[i] for i in current)
        segments.append(
            DraftSegment(
                speaker=speakers[current[0]],
                text=" ".join(w.text for w in members).strip(),
                start=members[0].start,
                end=members[-1].end,
                confidence=round(float(np.mean([w.probability for w in members])), 4),
                words=members,
            )
        )
        current.clear()

    for index, word in enumerate(words):
        if current:
            previous = words[current[-1]]
            if speakers[index] != speakers[current[-1]] or word.start - previous.end > SEGMENT_GAP_SECONDS:
                close()
        current.append(index)
        if _SENTENCE_END.search(word.text):
            close()
    close()
    return segments


def _shift(words: Sequence[Word], by: float) -> list[Word]:
    return [Word(round(w.start + by, 3), round(w.end + by, 3), w.text, w.probability) for w in words]


def chunk_process(
    *,
    audio: Audio,
    audio_start: float,
    is_last: bool,
    history: Sequence[VoiceRun],
    history_labels: Sequence[str],
    profile: VoiceModel | None,
    transcribe: Transcriber,
    recover_missed_turns: bool = True,
) -> ChunkOutcome:
    """Transcribe and label `audio` (the carry followed by the chunk, starting `audio_start`
    seconds into the call). Words up to the cut point are final; after it, partial, unless this is
    the call's last chunk. `history` and `history_labels` are the call's earlier runs.
    `recover_missed_turns` off skips the second pass over runs Whisper left out (to measure it)."""
    cut = audio.duration_seconds if is_last else cut_point(audio)
    if not math.isfinite(cut) or cut <= 0.0:
        cut = 0.0
    transcript = transcribe(audio)
    words = list(transcript.words)
    passes = 1

    final_audio = _slice(audio, 0.0, cut)
    local_runs = diarization.voice_runs(final_audio) if cut > 0 else []
    recovered = 0
    if recover_missed_turns:
        words, recovered = _recover(audio, local_runs, words, transcribe)
    passes += recovered

    runs = [
        VoiceRun(round(r.start + audio_start, 3), round(r.end + audio_start, 3), r.vector, r.weight)
        for r in local_runs
    ]
    all_labels = diarization.assign_speakers([*history, *runs], known=list(history_labels), profile=profile)
    labels = all_labels[len(history) :]

    timeline = _shift(words, audio_start)
    final_words = [w for w in timeline if (w.start + w.end) / 2 - audio_start <= cut]
    tail_words = [w for w in timeline if (w.start + w.end) / 2 - audio_start > cut]
    default = labels[-1] if labels else (history_labels[-1] if history_labels else diarization.TECHNICIAN)
    final_speakers = [_label_of(w, runs, labels, default) for w in final_words]
    # Partial words have no runs of their own yet: they take the label of the nearest voice heard.
    tail_runs = [*history, *runs]
    tail_labels = [*history_labels, *labels]
    tail_speakers = [_label_of(w, tail_runs, tail_labels, default) for w in tail_words]
    return ChunkOutcome(
        final=segments_from_words(final_words, final_speakers),
        partial=segments_from_words(tail_words, tail_speakers),
        runs=runs,
        labels=labels,
        carry_from=round(audio_start + cut, 3),
        recovered_runs=recovered,
        passes=passes,
    )
