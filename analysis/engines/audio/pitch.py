"""Pitch (F0): a YIN-style estimate (cumulative mean normalised difference, computed for all frames
at once with FFTs) with parabolic interpolation, a strict voicing decision and an octave-jump guard.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from analysis.engines.audio.activity import (
    ABSOLUTE_SPEECH_DB,
    ENERGY_WINDOW_SECONDS,
    HOP_SECONDS,
    LOUD_RANGE_DB,
    _frame_energy_db,
    _runs,
)
from analysis.engines.audio.decoding import _clean
from analysis.engines.media import resample as _resample_samples

__all__ = ["PitchTrack", "pitch_track"]

PITCH_MIN_HZ = 60.0
PITCH_MAX_HZ = 500.0
# Below this CMND value a lag is taken as the period (YIN's absolute threshold); a frame is voiced
# only if its best lag is this periodic, which keeps breathy onsets and fricatives out of F0 stats.
PITCH_CANDIDATE_THRESHOLD = 0.15
PITCH_VOICING_THRESHOLD = 0.25
PITCH_ANALYSIS_RATE = 16000
MIN_VOICED_RUN_FRAMES = 3


@dataclass(frozen=True, eq=False)
class PitchTrack:
    """F0 per analysis frame: `times` (s, frame centres), `f0_hz` (nan where unvoiced), `voiced`."""

    times: np.ndarray
    f0_hz: np.ndarray
    voiced: np.ndarray
    aperiodicity: np.ndarray = field(repr=False)


def _fast_fft_size(n: int) -> int:
    best = 1 << max(0, (n - 1).bit_length())
    power5 = 1
    while power5 < 2 * n:
        power3 = power5
        while power3 < 2 * n:
            candidate = power3
            while candidate < n:
                candidate *= 2
            best = min(best, candidate)
            power3 *= 3
        power5 *= 5
    return best


def _parabolic_offset(left: np.ndarray, centre: np.ndarray, right: np.ndarray) -> np.ndarray:
    denominator = left - 2.0 * centre + right
    with np.errstate(divide="ignore", invalid="ignore"):
        offset = np.where(np.abs(denominator) > 1e-12, 0.5 * (left - right) / denominator, 0.0)
    return np.clip(offset, -1.0, 1.0)


def _refined_lag(cmnd: np.ndarray, rows: np.ndarray, lags: np.ndarray) -> np.ndarray:
    lags = np.clip(lags, 1, cmnd.shape[1] - 2)
    offset = _parabolic_offset(cmnd[rows, lags - 1], cmnd[rows, lags], cmnd[rows, lags + 1])
    return lags + offset


def _local_min_lag(cmnd: np.ndarray, rows: np.ndarray, guess: np.ndarray, lo: int, hi: int) -> np.ndarray:
    """Nearest local minimum to `guess` (within +-2 lags), for checking octave alternatives."""
    offsets = np.arange(-2, 3)
    lags = np.clip(guess[:, None] + offsets[None, :], lo, hi)
    best = np.argmin(cmnd[rows[:, None], lags], axis=1)
    return lags[np.arange(lags.shape[0]), best]


def pitch_track(
    samples: np.ndarray,
    sample_rate: int,
    *,
    hop_seconds: float = HOP_SECONDS,
    min_hz: float = PITCH_MIN_HZ,
    max_hz: float = PITCH_MAX_HZ,
) -> PitchTrack:
    """Fundamental frequency every `hop_seconds`, frames centred on multiples of the hop.

    YIN's cumulative mean normalised difference (CMND) is computed for every frame at once from
    FFT cross-correlations; the first dip under 0.15 is taken (which avoids sub-octave picks), refined
    by parabolic interpolation, and kept only if its CMND is under 0.25 and the frame is loud enough
    to be speech. Frames an octave away from their neighbours' median are moved to the other octave
    when that lag is also periodic, and dropped otherwise; voiced runs shorter than 30 ms are dropped.
    """
    samples = _clean(samples)
    if sample_rate > PITCH_ANALYSIS_RATE:
        # F0 needs no more than 8 kHz of bandwidth; at 48 kHz the lags would triple the FFT work.
        samples = _resample_samples(samples, from_rate=sample_rate, to_rate=PITCH_ANALYSIS_RATE)
        rate = PITCH_ANALYSIS_RATE
    else:
        rate = sample_rate
    hop = max(1, round(hop_seconds * rate))
    n_frames = max(1, math.ceil(samples.size / hop))
    times = np.arange(n_frames) * (hop / rate)
    if samples.size == 0:
        empty = np.zeros(0)
        return PitchTrack(empty, empty, np.zeros(0, bool), empty)

    tau_min = max(2, math.floor(rate / max_hz))
    tau_max = math.ceil(rate / min_hz)
    window = max(tau_max, round(ENERGY_WINDOW_SECONDS * rate))
    length = window + tau_max + 2
    n_fft = _fast_fft_size(length)
    half = (window + tau_max) // 2
    padded = np.zeros(half + n_frames * hop + length, np.float32)
    padded[half : half + samples.size] = samples
    frames_all = np.lib.stride_tricks.sliding_window_view(padded, length)[::hop][:n_frames]

    energy_db = _frame_energy_db(samples, rate, hop)
    loud = float(np.percentile(energy_db, 95))
    loud_enough = energy_db > max(loud - LOUD_RANGE_DB - 5.0, ABSOLUTE_SPEECH_DB)

    best_lag = np.ones(n_frames)
    aperiodicity = np.ones(n_frames)
    double_lag = np.full(n_frames, np.nan)
    double_value = np.ones(n_frames)
    half_lag = np.full(n_frames, np.nan)
    half_value = np.ones(n_frames)
    lags = np.arange(tau_max + 2)
    squares = np.concatenate(([0.0], np.cumsum(padded.astype(np.float64) ** 2)))
    # Silent frames cannot be voiced; skipping them saves a third of the work on typical speech.
    active = np.flatnonzero(loud_enough)
    chunk = 1024
    for first in range(0, active.size, chunk):
        index = active[first : first + chunk]
        frames = frames_all[index]
        rows = np.arange(index.size)
        spectrum = np.fft.rfft(frames, n_fft)
        head = np.fft.rfft(frames[:, :window], n_fft)
        correlation = np.fft.irfft(np.conj(head) * spectrum, n_fft)[:, : tau_max + 2]
        starts = (index * hop)[:, None]
        energy_head = squares[starts + window] - squares[starts]
        energy_lagged = squares[starts + lags + window] - squares[starts + lags]
        difference = np.maximum(energy_head + energy_lagged - 2.0 * correlation, 0.0)
        difference[:, 0] = 0.0
        running = np.cumsum(difference[:, 1:], axis=1)
        with np.errstate(divide="ignore", invalid="ignore"):
            cmnd = np.ones_like(difference)
            cmnd[:, 1:] = np.where(running > 1e-12, difference[:, 1:] * lags[1:] / running, 1.0)

        search = cmnd[:, tau_min : tau_max + 1]
        below = search < PITCH_CANDIDATE_THRESHOLD
        rising = search <= cmnd[:, tau_min + 1 : tau_max + 2]
        settled = below & rising
        has_dip = settled.any(axis=1)
        lag = np.where(has_dip, np.argmax(settled, axis=1), np.argmin(search, axis=1)) + tau_min
        refined = _refined_lag(cmnd, rows, lag)
        best_lag[index] = refined
        aperiodicity[index] = np.minimum(cmnd[rows, lag], 1.0)

        doubled = np.rint(refined * 2).astype(int)
        ok = doubled + 1 <= tau_max
        if ok.any():
            at = _local_min_lag(cmnd, rows[ok], doubled[ok], tau_min, tau_max)
            double_lag[index[ok]] = _refined_lag(cmnd, rows[ok], at)
            double_value[index[ok]] = cmnd[rows[ok], at]
        halved = np.rint(refined / 2).astype(int)
        ok = halved - 1 >= tau_min
        if ok.any():
            at = _local_min_lag(cmnd, rows[ok], halved[ok], tau_min, tau_max)
            half_lag[index[ok]] = _refined_lag(cmnd, rows[ok], at)
            half_value[index[ok]] = cmnd[rows[ok], at]

    voiced = (aperiodicity < PITCH_VOICING_THRESHOLD) & loud_enough
    f0 = np.where(voiced, rate / np.maximum(best_lag, 1e-9), np.nan)
    f0, voiced = _guard_octaves(f0, voiced, rate, double_lag, double_value, half_lag, half_value)
    for start, end in _runs(voiced):
        if end - start < MIN_VOICED_RUN_FRAMES:
            voiced[start:end] = False
    f0 = np.where(voiced, f0, np.nan)
    return PitchTrack(times, f0, voiced, aperiodicity)


def _guard_octaves(
    f0: np.ndarray,
    voiced: np.ndarray,
    rate: int,
    double_lag: np.ndarray,
    double_value: np.ndarray,
    half_lag: np.ndarray,
    half_value: np.ndarray,
) -> tuple[np.ndarray, np.ndarray]:
    index = np.flatnonzero(voiced)
    if index.size < 5:
        return f0, voiced
    semitones = 12.0 * np.log2(f0[index])
    # Median of the surrounding voiced frames (about +-150 ms of voicing): a single frame cannot
    # drag the reference towards its own octave error.
    radius = 15
    padded = np.pad(semitones, radius, mode="edge")
    reference = np.median(np.lib.stride_tricks.sliding_window_view(padded, 2 * radius + 1), axis=1)
    jump = semitones - reference
    f0 = f0.copy()
    voiced = voiced.copy()
    alternative_ok = PITCH_VOICING_THRESHOLD
    too_high = index[jump > 8.0]
    for frame in too_high:
        if np.isfinite(double_lag[frame]) and double_value[frame] < alternative_ok:
            f0[frame] = rate / double_lag[frame]
        else:
            voiced[frame] = False
    too_low = index[jump < -8.0]
    for frame in too_low:
        if np.isfinite(half_lag[frame]) and half_value[frame] < alternative_ok:
            f0[frame] = rate / half_lag[frame]
        else:
            voiced[frame] = False
    return f0, voiced
