"""Recordings as samples: the `Audio` type (mono float32 in [-1, 1] at a sample rate), decoding any
container PyAV reads into it (`analysis.engines.media` does the FFmpeg work), resampling, and the
cleaning every analysis applies to raw samples first.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.engines.media import MediaSource, decode_audio
from analysis.engines.media import resample as _resample_samples

__all__ = ["Audio", "decode", "resample"]


@dataclass(frozen=True, eq=False)  # eq=False: comparing sample arrays element-wise is never meant
class Audio:
    """Mono float32 samples in [-1, 1] at `sample_rate` Hz."""

    samples: np.ndarray
    sample_rate: int = 16000

    def __post_init__(self) -> None:
        samples = np.asarray(self.samples)
        if samples.ndim != 1:
            raise ValueError("Audio.samples must be one-dimensional (mono)")
        if self.sample_rate <= 0:
            raise ValueError("Audio.sample_rate must be positive")
        if samples.dtype != np.float32 or not samples.flags.c_contiguous:
            object.__setattr__(self, "samples", np.ascontiguousarray(samples, dtype=np.float32))

    @property
    def duration_seconds(self) -> float:
        return self.samples.size / self.sample_rate


def decode(source: MediaSource, *, sample_rate: int = 16000, max_seconds: float | None = None) -> Audio:
    """Decode any container PyAV reads into mono float32 `Audio` at `sample_rate` Hz.

    Raises `MediaError` ("the file is empty", "could not decode audio: ...", "the file contains no
    audio") for input that cannot be used, and `MediaTooLong` once more than `max_seconds` came
    out (decoding stops there).
    """
    return Audio(decode_audio(source, sample_rate=sample_rate, max_seconds=max_seconds), sample_rate)


def resample(audio: Audio, sample_rate: int) -> Audio:
    if audio.sample_rate == sample_rate:
        return audio
    samples = _resample_samples(audio.samples, from_rate=audio.sample_rate, to_rate=sample_rate)
    return Audio(samples, sample_rate)


def _clean(samples: np.ndarray) -> np.ndarray:
    samples = np.asarray(samples)
    if samples.dtype.kind in "iu":
        # Integer PCM (int16 from a phone, say) is scaled to the float range the definitions assume.
        samples = samples.astype(np.float32) / float(np.iinfo(samples.dtype).max)
    samples = np.nan_to_num(
        samples.astype(np.float32, copy=False).reshape(-1), nan=0.0, posinf=1.0, neginf=-1.0
    )
    return np.clip(samples, -1.0, 1.0)
