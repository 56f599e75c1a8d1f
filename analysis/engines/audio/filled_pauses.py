"""Filled pauses in the signal: held voiced sounds ("um", "uh": steady pitch, low spectral flux) of
0.2-2.5 s that no transcribed word accounts for, i.e. the hesitations Whisper did not write.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from analysis.engines.audio.activity import HOP_SECONDS, _runs
from analysis.engines.audio.decoding import Audio
from analysis.engines.audio.frames import _analyse, _Analysis
from analysis.engines.text.hesitations import is_hesitation
from analysis.engines.transcript import Word

__all__ = ["FilledPause", "detect_filled_pauses"]

MIN_FILLED_PAUSE_SECONDS = 0.2
MAX_FILLED_PAUSE_SECONDS = 2.5


@dataclass(frozen=True)
class FilledPause:
    """A voiced hesitation ("um", "uh") found in the audio, seconds from the start."""

    start: float
    end: float

    @property
    def duration_seconds(self) -> float:
        return self.end - self.start


_VOWEL_GROUPS = re.compile(r"[aeiouy]+")


def _spelled_syllables(text: str) -> float:
    """Rough syllable count from spelling; digits and symbols count as the words said for them."""
    letters = "".join(ch for ch in text.lower() if ch.isalpha())
    count = float(len(_VOWEL_GROUPS.findall(letters)))
    if count > 1 and letters.endswith("e") and not letters.endswith(("le", "ee")):
        count -= 1  # silent final e: "time", "code"
    count += 1.5 * sum(ch.isdigit() for ch in text)  # "7" is "seven", "20" is "twenty"
    count += 2.0 * sum(ch in "%$€£" for ch in text)  # "percent", "dollars"
    return max(count, 1.0)


def _plausible_word_seconds(text: str) -> float:
    """Longest a word plausibly sounds: 0.3 s a syllable, plus 0.3 s of phrase-final lengthening.

    Whisper's alignment stretches a word over a hesitation it did not transcribe; a word sounding
    longer than this is treated as partly untranscribed.
    """
    final = text.rstrip("\"')]").endswith((",", ".", "?", "!", ";", ":", "…"))
    return 0.2 + 0.3 * _spelled_syllables(text) + (0.3 if final else 0.0)


def _spectral_flux_db(samples: np.ndarray, sample_rate: int, centres: np.ndarray) -> np.ndarray:
    """RMS change (dB) of the 0-4 kHz log spectrum between each centre and 10 ms before it."""
    size = 1 << (round(0.032 * sample_rate) - 1).bit_length()
    hop = max(1, round(HOP_SECONDS * sample_rate))
    window = np.hanning(size).astype(np.float32)
    padded = np.pad(samples, (size // 2 + hop, size))
    top = max(2, int(size * 4000 / sample_rate))

    def spectra(starts: np.ndarray) -> np.ndarray:
        frames = np.lib.stride_tricks.sliding_window_view(padded, size)[starts] * window
        power = np.abs(np.fft.rfft(frames, axis=1)[:, 1:top]) ** 2
        return 10.0 * np.log10(power + 1e-10)

    now = spectra(centres + hop)
    before = spectra(centres)
    # Quiet bins flicker by tens of dB without meaning anything; compare what is within 40 dB of peak.
    ceiling = np.maximum(now.max(axis=1, keepdims=True), before.max(axis=1, keepdims=True))
    now = np.maximum(now, ceiling - 40.0)
    before = np.maximum(before, ceiling - 40.0)
    return np.sqrt(np.mean((now - before) ** 2, axis=1))


# Whisper's word boundaries are often 0.1-0.3 s off next to a pause; sound this close to a word
# that is credibly timed is taken to be that word.
_ALIGNMENT_SLACK_SECONDS = 0.15
# A word span that runs across this much silence has been stretched over it at one end.
_SPANNED_PAUSE_SECONDS = 0.5
_STEADY_FLUX_DB = 6.0
_STEADY_PITCH_STEP_SEMITONES = 0.8
_MIN_STEADY_FRACTION = 0.6
_MAX_PITCH_RANGE_SEMITONES = 5.0


def _filled_pauses(analysis: _Analysis, words: Sequence[Word]) -> list[FilledPause]:
    hop_seconds = analysis.hop_seconds
    n = analysis.energy_db.size
    speech = analysis.speech
    slack = round(_ALIGNMENT_SLACK_SECONDS / hop_seconds)
    long_pause = round(_SPANNED_PAUSE_SECONDS / hop_seconds)
    covered = np.zeros(n, bool)
    for word in words:
        lo = max(0, int(math.floor(word.start / hop_seconds)))
        hi = min(n, int(math.ceil(word.end / hop_seconds)) + 1)
        sounding = float(speech[lo:hi].sum()) * hop_seconds
        if not is_hesitation(word.text) and sounding > _plausible_word_seconds(word.text):
            continue
        reach_lo, reach_hi = max(0, lo - slack), min(n, hi + slack)
        pauses_inside = [
            (a, b) for a, b in _runs(~speech[lo:hi]) if b - a >= long_pause and 0 < a and b < hi - lo
        ]
        if pauses_inside:
            # Whisper ran this word's span on across a long pause; the word is the sound on the side
            # it overlaps most, not whatever sounds on the other side.
            cuts = [lo] + [lo + x for a, b in pauses_inside for x in (a, b)] + [hi]
            pieces = [(cuts[i], cuts[i + 1]) for i in range(0, len(cuts), 2)]
            main = max(pieces, key=lambda piece: int(speech[piece[0] : piece[1]].sum()))
            reach_lo = max(0, main[0] - slack) if main[0] > lo else reach_lo
            reach_hi = min(n, main[1] + slack) if main[1] < hi else reach_hi
        covered[reach_lo:reach_hi] = True

    voiced = analysis.pitch.voiced & speech & ~covered
    # Bridge short breaks in voicing (the [m] of "umm" can lose a few frames of periodicity).
    for start, end in _runs(~voiced):
        if (
            0 < start
            and end < n
            and end - start <= 3
            and not covered[start:end].any()
            and speech[start:end].all()
        ):
            voiced[start:end] = True
    min_frames = round(MIN_FILLED_PAUSE_SECONDS / hop_seconds)
    max_frames = round(MAX_FILLED_PAUSE_SECONDS / hop_seconds)
    regions = [(a, b) for a, b in _runs(voiced) if min_frames <= b - a <= max_frames]
    if not regions:
        return []
    rate = analysis.audio.sample_rate
    hop = max(1, round(hop_seconds * rate))
    frames = np.concatenate([np.arange(a, b) for a, b in regions])
    flux = _spectral_flux_db(analysis.samples, rate, frames * hop)
    found = []
    offset = 0
    for a, b in regions:
        region_flux = flux[offset : offset + b - a]
        offset += b - a
        f0 = analysis.pitch.f0_hz[a:b]
        semitones = 12.0 * np.log2(f0[np.isfinite(f0)])
        if semitones.size < min_frames // 2:
            continue
        steps = np.abs(np.diff(semitones))
        # A hesitation is a held vowel or hum: the spectrum barely moves and the pitch glides slowly.
        steady = np.mean(region_flux < _STEADY_FLUX_DB)
        smooth = np.mean(steps < _STEADY_PITCH_STEP_SEMITONES) if steps.size else 0.0
        spread = float(np.percentile(semitones, 90) - np.percentile(semitones, 10))
        if steady >= _MIN_STEADY_FRACTION and smooth >= 0.8 and spread <= _MAX_PITCH_RANGE_SEMITONES:
            found.append(FilledPause(round(a * hop_seconds, 3), round(b * hop_seconds, 3)))
    return found


def detect_filled_pauses(audio: Audio, words: Sequence[Word]) -> list[FilledPause]:
    """Hesitations the transcript lost: held voiced sounds (steady pitch, low spectral flux) of
    0.2-2.5 s lying between word timestamps, or inside a word stretched beyond any plausible length.

    Words that are themselves hesitations ("um") count as covered, so only untranscribed ones return.
    """
    return _filled_pauses(_analyse(audio), words)
