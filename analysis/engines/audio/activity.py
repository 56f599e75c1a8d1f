"""Frame energy, voice activity and pauses: where a recording has speech and where it is silent.

- speech / silence: 10 ms frames of 25 ms RMS energy against an adaptive threshold, the highest of
  (local noise floor + 10 dB), (the recording's loud level - 35 dB) and -62 dBFS. The noise floor is
  the quietest frame within +-1.5 s, so a fan or hiss raises it while speech does not.
- a pause is a silent stretch of at least 0.25 s; shorter gaps are stop closures and breaths between
  words. `pause_ratio` = total pause time / total time, leading and trailing silence included.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from analysis.engines.audio.decoding import Audio, _clean

__all__ = ["Pause", "VoiceActivity", "pauses", "voice_activity"]

HOP_SECONDS = 0.01
ENERGY_WINDOW_SECONDS = 0.025
MIN_PAUSE_SECONDS = 0.25
SILENCE_DB = -100.0
ABSOLUTE_SPEECH_DB = -62.0
FLOOR_MARGIN_DB = 10.0
LOUD_RANGE_DB = 35.0
FLOOR_WINDOW_SECONDS = 1.5


def _frame_energy_db(samples: np.ndarray, sample_rate: int, hop: int) -> np.ndarray:
    """RMS energy in dBFS of 25 ms windows centred on every `hop`-th sample."""
    window = max(1, round(ENERGY_WINDOW_SECONDS * sample_rate))
    n_frames = max(1, math.ceil(samples.size / hop))
    cumulative = np.concatenate(([0.0], np.cumsum(samples.astype(np.float64) ** 2)))
    centres = np.arange(n_frames) * hop
    lo = np.clip(centres - window // 2, 0, samples.size)
    hi = np.clip(centres - window // 2 + window, 0, samples.size)
    power = (cumulative[hi] - cumulative[lo]) / np.maximum(hi - lo, 1)
    return np.maximum(10.0 * np.log10(np.maximum(power, 1e-12)), SILENCE_DB)


def _sliding_min(values: np.ndarray, radius: int) -> np.ndarray:
    """Minimum over [i - radius, i + radius], in blocks so that an hour of audio stays cheap."""
    if values.size == 0:
        return values
    block = max(1, radius // 6)
    n_blocks = math.ceil(values.size / block)
    padded = np.full(n_blocks * block, np.inf)
    padded[: values.size] = values
    block_min = padded.reshape(n_blocks, block).min(axis=1)
    reach = max(1, round(radius / block))
    wide = np.concatenate((np.full(reach, np.inf), block_min, np.full(reach, np.inf)))
    local = np.lib.stride_tricks.sliding_window_view(wide, 2 * reach + 1).min(axis=1)
    return np.repeat(local, block)[: values.size]


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """Half-open [start, end) index ranges where `mask` is true."""
    if mask.size == 0:
        return []
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True))


def _speech_mask(energy_db: np.ndarray, hop_seconds: float) -> tuple[np.ndarray, np.ndarray]:
    """Frame-wise speech decision and the threshold it used (see the module docstring)."""
    if energy_db.size == 0:
        return np.zeros(0, bool), energy_db
    floor = _sliding_min(energy_db, round(FLOOR_WINDOW_SECONDS / hop_seconds))
    loud = float(np.percentile(energy_db, 95))
    threshold = np.maximum(floor + FLOOR_MARGIN_DB, max(loud - LOUD_RANGE_DB, ABSOLUTE_SPEECH_DB))
    speech = energy_db > threshold
    min_gap = round(MIN_PAUSE_SECONDS / hop_seconds)
    for start, end in _runs(~speech):
        if 0 < start and end < speech.size and end - start < min_gap:
            speech[start:end] = True
    return speech, threshold


@dataclass(frozen=True)
class Pause:
    start: float
    end: float

    @property
    def duration_seconds(self) -> float:
        return self.end - self.start


@dataclass(frozen=True, eq=False)
class VoiceActivity:
    """Frame-wise speech decision every `hop_seconds` (frames centred on multiples of the hop)."""

    hop_seconds: float
    duration_seconds: float
    energy_db: np.ndarray
    is_speech: np.ndarray

    @property
    def pauses(self) -> list[Pause]:
        """Silent stretches of at least 0.25 s, in order, leading and trailing silence included."""
        found = []
        for start, end in _runs(~self.is_speech):
            begin, finish = start * self.hop_seconds, min(end * self.hop_seconds, self.duration_seconds)
            if finish - begin >= MIN_PAUSE_SECONDS - 1e-9:
                found.append(Pause(begin, finish))
        return found

    def has_speech_between(self, start: float, end: float) -> bool:
        lo = max(0, int(math.floor(start / self.hop_seconds)))
        hi = min(self.is_speech.size, int(math.ceil(end / self.hop_seconds)) + 1)
        return bool(self.is_speech[lo:hi].any())


def voice_activity(audio: Audio) -> VoiceActivity:
    """Speech and silence every 10 ms against an adaptive threshold (see the module docstring)."""
    samples = _clean(audio.samples)
    hop = max(1, round(HOP_SECONDS * audio.sample_rate))
    hop_seconds = hop / audio.sample_rate
    energy_db = _frame_energy_db(samples, audio.sample_rate, hop)
    speech, _ = _speech_mask(energy_db, hop_seconds)
    return VoiceActivity(hop_seconds, audio.duration_seconds, energy_db, speech)


def pauses(audio: Audio) -> list[Pause]:
    """Silent stretches of at least 0.25 s, in order."""
    return voice_activity(audio).pauses
