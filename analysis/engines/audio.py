"""Audio signals for coaching: decoding, voice activity, pauses, pitch (F0), speaking rate, prosody.

Plain numpy on mono float32 samples; nothing here knows about Django or HTTP. Whole-media analysis
(`features`) and the live variant (`StreamingAnalyzer`, one per socket) share the same definitions:

- speech / silence: 10 ms frames of 25 ms RMS energy against an adaptive threshold, the highest of
  (local noise floor + 10 dB), (the recording's loud level - 35 dB) and -62 dBFS. The noise floor is
  the quietest frame within +-1.5 s, so a fan or hiss raises it while speech does not.
- a pause is a silent stretch of at least 0.25 s; shorter gaps are stop closures and breaths between
  words. `pause_ratio` = total pause time / total time, leading and trailing silence included.
- F0 is a YIN-style estimate (cumulative mean normalised difference, computed for all frames at once
  with FFTs) with parabolic interpolation, a strict voicing decision and an octave-jump guard.
"""

from __future__ import annotations

import functools
import math
import re
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from analysis.engines.media import MediaError, MediaInfo, MediaSource, decode_audio, probe
from analysis.engines.media import resample as _resample_samples

if TYPE_CHECKING:
    from analysis.engines.speech import Transcript, Word

__all__ = [
    "Audio",
    "AudioFeatures",
    "FilledPause",
    "LiveMetrics",
    "MediaError",
    "MediaInfo",
    "Pause",
    "PitchTrack",
    "StreamingAnalyzer",
    "VoiceActivity",
    "decode",
    "detect_filled_pauses",
    "emotion_from_prosody",
    "features",
    "is_filled_pause_word",
    "pauses",
    "pitch_track",
    "probe",
    "resample",
    "voice_activity",
]

HOP_SECONDS = 0.01
ENERGY_WINDOW_SECONDS = 0.025
MIN_PAUSE_SECONDS = 0.25
SILENCE_DB = -100.0
ABSOLUTE_SPEECH_DB = -62.0
FLOOR_MARGIN_DB = 10.0
LOUD_RANGE_DB = 35.0
FLOOR_WINDOW_SECONDS = 1.5

PITCH_MIN_HZ = 60.0
PITCH_MAX_HZ = 500.0
# Below this CMND value a lag is taken as the period (YIN's absolute threshold); a frame is voiced
# only if its best lag is this periodic, which keeps breathy onsets and fricatives out of F0 stats.
PITCH_CANDIDATE_THRESHOLD = 0.15
PITCH_VOICING_THRESHOLD = 0.25
PITCH_ANALYSIS_RATE = 16000
MIN_VOICED_RUN_FRAMES = 3

# Average syllables per word of conversational English (about 1.3 to 1.5 across corpora); turns a
# syllable count from the envelope into words when there is no transcript.
SYLLABLES_PER_WORD = 1.4
SYLLABLE_DIP_DB = 2.0

MIN_FILLED_PAUSE_SECONDS = 0.2
MAX_FILLED_PAUSE_SECONDS = 2.5

_FILLED_PAUSE_WORDS = frozenset(
    {
        "um",
        "umm",
        "ummm",
        "uh",
        "uhh",
        "uhhh",
        "uhm",
        "uhmm",
        "erm",
        "er",
        "err",
        "ah",
        "ahh",
        "eh",
        "hmm",
        "hmmm",
        "mm",
        "mmm",
        "mhm",
        "em",
    }
)


# ---------------------------------------------------------------------------------------------
# Containers


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


def decode(source: MediaSource, *, sample_rate: int = 16000) -> Audio:
    """Decode any container PyAV reads into mono float32 `Audio` at `sample_rate` Hz.

    Raises `MediaError` ("the file is empty", "could not decode audio: ...", "the file contains no
    audio") for input that cannot be used.
    """
    return Audio(decode_audio(source, sample_rate=sample_rate), sample_rate)


def resample(audio: Audio, sample_rate: int) -> Audio:
    if audio.sample_rate == sample_rate:
        return audio
    samples = _resample_samples(audio.samples, from_rate=audio.sample_rate, to_rate=sample_rate)
    return Audio(samples, sample_rate)


def is_filled_pause_word(text: str) -> bool:
    """True for the hesitation sounds Whisper spells as words ("um", "uhh", "hmm", "erm")."""
    return text.strip().strip(".,!?;:…-\"'").lower() in _FILLED_PAUSE_WORDS


def _clean(samples: np.ndarray) -> np.ndarray:
    samples = np.asarray(samples)
    if samples.dtype.kind in "iu":
        # Integer PCM (int16 from a phone, say) is scaled to the float range the definitions assume.
        samples = samples.astype(np.float32) / float(np.iinfo(samples.dtype).max)
    samples = np.nan_to_num(
        samples.astype(np.float32, copy=False).reshape(-1), nan=0.0, posinf=1.0, neginf=-1.0
    )
    return np.clip(samples, -1.0, 1.0)


# ---------------------------------------------------------------------------------------------
# Frame energy and voice activity


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


# ---------------------------------------------------------------------------------------------
# Pitch


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


# ---------------------------------------------------------------------------------------------
# Whole-media analysis


@dataclass(frozen=True, eq=False)
class _Analysis:
    audio: Audio
    samples: np.ndarray
    hop_seconds: float
    energy_db: np.ndarray
    speech: np.ndarray
    pitch: PitchTrack


def _analyse(audio: Audio) -> _Analysis:
    samples = _clean(audio.samples)
    hop = max(1, round(HOP_SECONDS * audio.sample_rate))
    hop_seconds = hop / audio.sample_rate
    energy_db = _frame_energy_db(samples, audio.sample_rate, hop)
    speech, _ = _speech_mask(energy_db, hop_seconds)
    pitch = pitch_track(samples, audio.sample_rate, hop_seconds=hop_seconds)
    n = min(energy_db.size, pitch.voiced.size)
    voiced = np.zeros(energy_db.size, bool)
    voiced[:n] = pitch.voiced[:n] & speech[:n]
    f0 = np.full(energy_db.size, np.nan)
    f0[:n] = np.where(voiced[:n], pitch.f0_hz[:n], np.nan)
    aperiodicity = np.ones(energy_db.size)
    aperiodicity[:n] = pitch.aperiodicity[:n]
    track = PitchTrack(np.arange(energy_db.size) * hop_seconds, f0, voiced, aperiodicity)
    return _Analysis(audio, samples, hop_seconds, energy_db, speech, track)


def _syllable_nuclei(analysis: _Analysis) -> np.ndarray:
    """Frame indices of syllable nuclei: voiced energy peaks with a 2 dB dip from their neighbours.

    After de Jong & Wempe (2009), "Praat script to detect syllable nuclei".
    """
    energy = analysis.energy_db
    if energy.size < 3:
        return np.zeros(0, int)
    smooth = np.convolve(energy, np.ones(3) / 3.0, mode="same")
    voiced = analysis.pitch.voiced
    near_voiced = np.convolve(voiced.astype(float), np.ones(5), mode="same") > 0
    peak = (smooth[1:-1] >= smooth[:-2]) & (smooth[1:-1] > smooth[2:])
    candidates = np.flatnonzero(peak) + 1
    candidates = candidates[analysis.speech[candidates] & near_voiced[candidates]]
    kept: list[int] = []
    for frame in candidates.tolist():
        if not kept:
            kept.append(frame)
            continue
        previous = kept[-1]
        dip = float(smooth[previous:frame].min())
        if smooth[previous] - dip >= SYLLABLE_DIP_DB and smooth[frame] - dip >= SYLLABLE_DIP_DB:
            kept.append(frame)
        elif smooth[frame] > smooth[previous]:
            kept[-1] = frame
    return np.asarray(kept, int)


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
        if not is_filled_pause_word(word.text) and sounding > _plausible_word_seconds(word.text):
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


# ---------------------------------------------------------------------------------------------
# Features


@dataclass(frozen=True)
class AudioFeatures:
    """Prosody of one recording.

    speech_rate: words per minute over the whole media; pause_ratio: silent time / total time;
    filler_word_ratio: fillers / words; pitch_variance: standard deviation of F0 over voiced frames
    (Hz); emotion: one of confident, calm, nervous, monotone, energetic, neutral (see `emotion_from_prosody`).
    """

    speech_rate: float
    pause_ratio: float
    filler_word_ratio: float
    pitch_variance: float
    emotion: str
    duration_seconds: float
    speech_seconds: float
    voiced_seconds: float
    pitch_mean_hz: float
    loudness_variation_db: float
    word_count: int
    filler_count: int
    pause_count: int
    longest_pause_seconds: float
    words_from_transcript: bool

    def as_spec(self) -> dict[str, float | str]:
        return {
            "speech_rate": round(self.speech_rate, 1),
            "pause_ratio": round(self.pause_ratio, 3),
            "filler_word_ratio": round(self.filler_word_ratio, 3),
            "pitch_variance": round(self.pitch_variance, 1),
            "emotion": self.emotion,
        }


def emotion_from_prosody(
    *,
    speech_seconds: float,
    voiced_seconds: float,
    speech_rate: float,
    pause_ratio: float,
    filler_word_ratio: float,
    pitch_variation: float,
    loudness_variation_db: float,
) -> str:
    """Label the delivery from prosody alone, first matching rule wins.

    `pitch_variation` is the F0 standard deviation divided by its mean (so a deep and a high voice
    are judged alike); `speech_rate` in words per minute; `loudness_variation_db` the standard
    deviation of frame energy over speech.

    - neutral:   less than 2 s of speech or 1 s of voicing; too little to judge.
    - nervous:   hesitant (fillers >= 8% of words) or rushed and broken up (> 170 wpm with
                 pause_ratio > 0.3).
    - monotone:  pitch hardly moves: F0 standard deviation under 8% of its mean.
    - energetic: brisk (>= 150 wpm), lively pitch (deviation >= 20% of mean) and varied loudness
                 (energy standard deviation over speech >= 7 dB).
    - calm:      unhurried (< 130 wpm) with room to breathe (pause_ratio >= 0.15).
    - confident: everything else: steady pace, few fillers, some melody.
    """
    if speech_seconds < 2.0 or voiced_seconds < 1.0:
        return "neutral"
    if filler_word_ratio >= 0.08 or (speech_rate > 170.0 and pause_ratio > 0.3):
        return "nervous"
    if pitch_variation < 0.08:
        return "monotone"
    if speech_rate >= 150.0 and pitch_variation >= 0.20 and loudness_variation_db >= 7.0:
        return "energetic"
    if speech_rate < 130.0 and pause_ratio >= 0.15:
        return "calm"
    return "confident"


def features(audio: Audio, transcript: Transcript | None = None) -> AudioFeatures:
    """Speaking rate, pauses, fillers, pitch and an emotion label for a whole recording.

    With a transcript, words and fillers come from it, plus hesitations recovered from the audio
    that Whisper dropped (`detect_filled_pauses`), which count as words said and as fillers; the
    words include the "um"s Whisper did write, so the filler ratio stays within 0..1.

    Without one, the word count is estimated from syllable nuclei in the energy envelope (1.4
    syllables per word) and the filler ratio is 0: hesitations cannot be told from words without
    word timings.
    """
    analysis = _analyse(audio)
    duration = audio.duration_seconds
    hop_seconds = analysis.hop_seconds
    speech_seconds = float(analysis.speech.sum()) * hop_seconds
    found_pauses = VoiceActivity(hop_seconds, duration, analysis.energy_db, analysis.speech).pauses
    pause_seconds = sum(p.duration_seconds for p in found_pauses)
    pitch = analysis.pitch
    voiced_f0 = pitch.f0_hz[pitch.voiced]
    voiced_seconds = voiced_f0.size * hop_seconds
    pitch_mean = float(voiced_f0.mean()) if voiced_f0.size else 0.0
    pitch_std = float(voiced_f0.std()) if voiced_f0.size > 1 else 0.0
    speech_energy = analysis.energy_db[analysis.speech]
    loudness_variation = float(speech_energy.std()) if speech_energy.size > 1 else 0.0

    if transcript is not None:
        # speech imports this module for decoding and chunking; importing it here keeps that
        # dependency one-way at import time.
        from analysis.engines.speech import count_fillers

        counted = count_fillers(transcript, filled_pauses=_filled_pauses(analysis, transcript.words))
        word_count = len(transcript.words) + counted.audio_count
        filler_count = counted.total
    else:
        word_count = round(_syllable_nuclei(analysis).size / SYLLABLES_PER_WORD)
        filler_count = 0
    minutes = duration / 60.0
    speech_rate = word_count / minutes if minutes > 0 else 0.0
    pause_ratio = pause_seconds / duration if duration > 0 else 0.0
    filler_ratio = filler_count / word_count if word_count else 0.0
    emotion = emotion_from_prosody(
        speech_seconds=speech_seconds,
        voiced_seconds=voiced_seconds,
        speech_rate=speech_rate,
        pause_ratio=pause_ratio,
        filler_word_ratio=filler_ratio,
        pitch_variation=pitch_std / pitch_mean if pitch_mean else 0.0,
        loudness_variation_db=loudness_variation,
    )
    return AudioFeatures(
        speech_rate=speech_rate,
        pause_ratio=pause_ratio,
        filler_word_ratio=filler_ratio,
        pitch_variance=pitch_std,
        emotion=emotion,
        duration_seconds=duration,
        speech_seconds=speech_seconds,
        voiced_seconds=voiced_seconds,
        pitch_mean_hz=pitch_mean,
        loudness_variation_db=loudness_variation,
        word_count=word_count,
        filler_count=filler_count,
        pause_count=len(found_pauses),
        longest_pause_seconds=max((p.duration_seconds for p in found_pauses), default=0.0),
        words_from_transcript=transcript is not None,
    )


# ---------------------------------------------------------------------------------------------
# Live


NUDGE_TOO_QUIET = "Speak up a bit?"
NUDGE_TOO_FAST = "Slow down a little?"
NUDGE_MONOLOGUE = "Wrap up this point?"
NUDGE_LONG_SILENCE = "Still there? Think out loud."

LIVE_BLOCK_SECONDS = 0.01
LIVE_HANGOVER_SECONDS = 0.3  # speech stays "on" this long after the last loud block, across word gaps
LIVE_ONSET_BLOCKS = 2  # a lone 10 ms click does not start speech
LIVE_FLOOR_SECONDS = 3.0  # the noise floor is the quietest 10 ms block of the last 3 s
# Syllables make the 10 ms energy swing by well over 6 dB within half a second; a fan, hiss or hum
# that switches on does not, so it is not taken for speech while the floor catches up with it.
LIVE_MODULATION_SECONDS = 0.5
LIVE_MODULATION_DB = 6.0
LIVE_QUIET_RMS = 0.02  # about -34 dBFS of speech: a laptop microphone at arm's length is 0.05-0.2
LIVE_QUIET_WINDOW_SECONDS = 2.0  # judged on the last 2 s of speech, not on one soft word
LIVE_SILENCE_SECONDS = 8.0
LIVE_MONOLOGUE_SECONDS = 90.0
LIVE_MONOLOGUE_BREAK_SECONDS = 1.0  # a pause this long ends a monologue
LIVE_RATE_WINDOW_SECONDS = 6.0
LIVE_RATE_MIN_SPEECH_SECONDS = 3.0
LIVE_FAST_SYLLABLES_PER_SECOND = 5.5
LIVE_PEAK_HYSTERESIS_DB = 3.0
LIVE_THROTTLE_SECONDS = 20.0


@dataclass(frozen=True)
class LiveMetrics:
    """What the live socket sends for each audio frame: `volume` is the frame's RMS (0..1)."""

    volume: float
    is_speaking: bool
    nudge: str | None = None

    def as_dict(self) -> dict[str, float | bool | str | None]:
        return {"volume": round(self.volume, 4), "is_speaking": self.is_speaking, "nudge": self.nudge}


# Quiet-speech test on a running sum of the speech-power ring, with a margin far wider than the
# sum's rounding drift: only a mean this close to the threshold is recomputed exactly (as before).
_QUIET_POWER = LIVE_QUIET_RMS * LIVE_QUIET_RMS
_QUIET_POWER_SURELY_BELOW = _QUIET_POWER * (1.0 - 1e-6)
_QUIET_POWER_SURELY_ABOVE = _QUIET_POWER * (1.0 + 1e-6)
_CACHED_WINDOW_BLOCKS = 64  # frames up to this many blocks reuse their reduceat indices


def _trailing_window_bounds(n_windows: int, width: int) -> np.ndarray:
    """`reduceat` indices for the `n_windows` windows of `width` values over width - 1 + n values.

    Window k is values[k : k + width]. Starts and ends interleave, so the even results are the
    windows and the odd ones (a lone value between an end and the next start) are dropped; the last
    window has no end index because reduceat runs the last index to the end of the array.
    """
    bounds = np.empty(2 * n_windows - 1, np.intp)
    bounds[0::2] = np.arange(n_windows)
    bounds[1::2] = np.arange(n_windows - 1) + width
    bounds.flags.writeable = False
    return bounds


_cached_window_bounds = functools.lru_cache(maxsize=32)(_trailing_window_bounds)


def _squares(frame: np.ndarray) -> tuple[np.ndarray, float]:
    """Squared samples (float64) of a frame cleaned as `_clean` does it, and their sum."""
    samples = np.asarray(frame)
    if samples.dtype.kind == "f":
        # _clean without its NaN pass, which costs more than all the rest: clipping maps +-inf to
        # +-1 just as nan_to_num would, and a NaN, which clipping keeps, shows in the sum.
        samples = np.clip(samples.astype(np.float32, copy=False).reshape(-1), -1.0, 1.0)
        squares = np.square(samples, dtype=np.float64)
        total = float(np.add.reduce(squares))
        if not math.isnan(total):
            return squares, total
    squares = np.square(_clean(frame), dtype=np.float64)
    return squares, float(np.add.reduce(squares))


class StreamingAnalyzer:
    """Per-connection voice activity, loudness, speaking rate and coaching nudges for live audio.

    Feed float samples in frames of any size. Audio is analysed in 10 ms blocks and time advances
    with the audio fed, not the wall clock, so a replayed stream nudges exactly as it did live and
    a client that stalls does not age the state. `clock` is kept for callers that want to stamp
    results in wall time; the analysis itself never reads it.

    Nudges, each at most once per 20 s of audio (one per frame, the first that fires):
    - "Speak up a bit?": speaking, and the last 2 s of speech average under 0.02 RMS.
    - "Slow down a little?": more than 5.5 energy peaks (syllable nuclei) per second of speech
      over the last 6 s, with at least 3 s of speech in it (about 190 words a minute and up).
    - "Wrap up this point?": 90 s of speech without a pause of 1 s, once per such stretch.
    - "Still there? Think out loud.": 8 s of silence after having spoken, once per silence.

    Cost: one analyser per live socket, fed every ~85 ms, so `feed` handles all of a frame's blocks
    at once. Block energies, levels and the 0.5 s modulation swing are numpy over the whole frame;
    what remains is one loop over block-level scalars for the state that depends on the previous
    block (noise-floor minimum, onset and hangover, envelope peaks, the rings and the nudges). The
    decisions are the same, block for block, as analysing each block on its own.
    """

    def __init__(self, sample_rate: int = 48000, *, clock: Callable[[], float] = time.monotonic) -> None:
        if sample_rate <= 0:
            raise ValueError("sample_rate must be positive")
        self.sample_rate = sample_rate
        self.clock = clock
        self._block = max(1, round(LIVE_BLOCK_SECONDS * sample_rate))
        self._block_seconds = self._block / sample_rate
        # Squared samples (float64) of the incomplete block carried over to the next frame.
        self._pending = np.zeros(0, np.float64)
        self._now = 0.0
        # Noise floor: minima of 100 ms stretches over the last 3 s.
        self._stretch_blocks = max(1, round(0.1 / self._block_seconds))
        self._stretch_min = math.inf
        self._stretch_count = 0
        self._stretch_minima: deque[float] = deque(maxlen=round(LIVE_FLOOR_SECONDS / 0.1))
        self._older_floor = math.inf
        # Modulation: the levels of the last `_modulation_blocks - 1` blocks, which with the current
        # one make the 0.5 s window (empty until the first block arrives).
        self._modulation_blocks = max(2, round(LIVE_MODULATION_SECONDS / self._block_seconds))
        self._recent_levels = np.zeros(0, np.float64)
        # Voice activity.
        self._onset_run = 0
        self._last_voice = -math.inf
        self._speaking = False
        self._has_spoken = False
        self._run_start: float | None = None
        self._monologue_nudged = False
        self._silence_nudged = False
        # Loudness of recent speech: a ring of block powers taken only while speaking, and its running
        # sum (summed afresh each time the ring wraps, so rounding drift cannot build up).
        self._speech_power = [0.0] * max(1, round(LIVE_QUIET_WINDOW_SECONDS / self._block_seconds))
        self._speech_power_count = 0
        self._speech_power_index = 0
        self._speech_power_sum = 0.0
        # Syllable-rate estimate: envelope peaks and speaking time over a sliding window.
        self._envelope: float | None = None
        self._rising = True
        self._extreme = -math.inf
        self._peaks: deque[float] = deque()
        self._speaking_flags = bytearray(max(1, round(LIVE_RATE_WINDOW_SECONDS / self._block_seconds)))
        self._speaking_flag_index = 0
        self._speaking_in_window = 0
        self._last_sent: dict[str, float] = {}

    @property
    def seconds_fed(self) -> float:
        return self._now + self._pending.size / self.sample_rate

    def feed(self, frame: np.ndarray) -> LiveMetrics:
        squares, total = _squares(frame)
        # sum / n is exactly what np.mean does, without its Python-level overhead.
        volume = math.sqrt(total / squares.size) if squares.size else 0.0
        data = np.concatenate((self._pending, squares)) if self._pending.size else squares
        n_blocks = data.size // self._block
        self._pending = data[n_blocks * self._block :].copy()
        spoke = False
        nudge: str | None = None
        if n_blocks:
            powers = np.add.reduce(data[: n_blocks * self._block].reshape(n_blocks, self._block), axis=1)
            powers /= self._block
            levels = 10.0 * np.log10(np.maximum(powers, 1e-10))
            swinging = self._modulated(levels)
            spoke, nudge = self._advance(powers.tolist(), levels.tolist(), swinging.tolist())
        return LiveMetrics(volume=min(volume, 1.0), is_speaking=spoke or self._speaking, nudge=nudge)

    def _modulated(self, levels: np.ndarray) -> np.ndarray:
        """Per block: did the 10 ms level swing by 6 dB or more over the last 0.5 s (this block included)?

        Syllables make the level swing like this; a fan, hiss or hum that switches on does not, so
        it is not taken for speech while the floor catches up with it.
        """
        width = self._modulation_blocks
        history = self._recent_levels
        if history.size == 0:
            # Before the window has filled it holds every block so far; padding with the very first
            # level, which all of those windows contain, leaves their maxima and minima unchanged.
            history = np.full(width - 1, levels[0])
        values = np.concatenate((history, levels))
        n_blocks = levels.size
        if n_blocks <= _CACHED_WINDOW_BLOCKS:
            bounds = _cached_window_bounds(n_blocks, width)
        else:
            bounds = _trailing_window_bounds(n_blocks, width)
        swing = np.maximum.reduceat(values, bounds) - np.minimum.reduceat(values, bounds)
        self._recent_levels = values[n_blocks:]
        return swing[::2] >= LIVE_MODULATION_DB

    def _advance(
        self, powers: list[float], levels: list[float], swinging: list[bool]
    ) -> tuple[bool, str | None]:
        """Step the block-to-block state through a frame's blocks; returns (spoke, the first nudge).

        Each of these depends on the previous block, so they are a loop, but over plain floats in
        locals: attribute access, method calls and numpy scalars are what made a block expensive.
        """
        block_seconds = self._block_seconds
        stretch_blocks = self._stretch_blocks
        stretch_minima = self._stretch_minima
        speech_power = self._speech_power
        power_size = len(speech_power)
        power_needed = 0.75 * power_size
        peaks = self._peaks
        speaking_flags = self._speaking_flags
        flag_size = len(speaking_flags)
        last_sent = self._last_sent

        now = self._now
        stretch_min, stretch_count, older_floor = self._stretch_min, self._stretch_count, self._older_floor
        onset_run, last_voice, run_start = self._onset_run, self._last_voice, self._run_start
        speaking, has_spoken = self._speaking, self._has_spoken
        monologue_nudged, silence_nudged = self._monologue_nudged, self._silence_nudged
        power_count, power_index = self._speech_power_count, self._speech_power_index
        power_sum = self._speech_power_sum
        envelope, rising, extreme = self._envelope, self._rising, self._extreme
        flag_index, in_window = self._speaking_flag_index, self._speaking_in_window

        spoke = False
        nudge: str | None = None
        for power, level, swings in zip(powers, levels, swinging, strict=True):
            now += block_seconds
            # Noise floor: the quietest block of the completed 100 ms stretches and the current one.
            if level < stretch_min:
                stretch_min = level
            stretch_count += 1
            if stretch_count >= stretch_blocks:
                stretch_minima.append(stretch_min)
                older_floor = min(stretch_minima)
                stretch_min, stretch_count = math.inf, 0
            floor = stretch_min if stretch_min < older_floor else older_floor
            floor_margin = floor + FLOOR_MARGIN_DB

            # Voice activity: loud (over the floor and modulated) for two blocks starts speech, any
            # loud block continues it, and it stays on through the hangover.
            if swings and level > (floor_margin if floor_margin > ABSOLUTE_SPEECH_DB else ABSOLUTE_SPEECH_DB):
                onset_run += 1
                voiced = speaking or onset_run >= LIVE_ONSET_BLOCKS
            else:
                onset_run = 0
                voiced = False
            if voiced:
                if now - last_voice > LIVE_MONOLOGUE_BREAK_SECONDS or run_start is None:
                    run_start = now
                    monologue_nudged = False
                last_voice = now
                speaking = has_spoken = True
                silence_nudged = False
                # Only sounding blocks: the hangover's silence would make any choppy speaker "quiet".
                power_sum += power - speech_power[power_index]
                speech_power[power_index] = power
                power_index += 1
                if power_index == power_size:
                    power_index = 0
                    power_sum = sum(speech_power)
                if power_count < power_size:
                    power_count += 1
            elif speaking and now - last_voice > LIVE_HANGOVER_SECONDS:
                speaking = False
            if run_start is not None and now - last_voice > LIVE_MONOLOGUE_BREAK_SECONDS:
                run_start = None

            # Syllable nuclei: peaks of the envelope with 3 dB of hysteresis. A light smoothing
            # (about 20 ms) keeps pitch-period ripple from reading as syllables.
            envelope = level if envelope is None else 0.5 * envelope + 0.5 * level
            if rising:
                if envelope > extreme:
                    extreme = envelope
                elif envelope < extreme - LIVE_PEAK_HYSTERESIS_DB:
                    if speaking and extreme > floor_margin:
                        peaks.append(now)
                    rising, extreme = False, envelope
            elif envelope < extreme:
                extreme = envelope
            elif envelope > extreme + LIVE_PEAK_HYSTERESIS_DB:
                rising, extreme = True, envelope
            horizon = now - LIVE_RATE_WINDOW_SECONDS
            while peaks and peaks[0] < horizon:
                peaks.popleft()

            in_window += speaking - speaking_flags[flag_index]
            speaking_flags[flag_index] = speaking
            flag_index += 1
            if flag_index == flag_size:
                flag_index = 0
            spoke |= speaking

            if nudge is not None:
                continue
            # The nudges, in the order of the class docstring; the first that fires is the frame's.
            if speaking:
                if (
                    power_count >= power_needed
                    and now - last_sent.get(NUDGE_TOO_QUIET, -math.inf) >= LIVE_THROTTLE_SECONDS
                    and self._quiet(power_sum / power_count, power_count)
                ):
                    nudge = NUDGE_TOO_QUIET
                else:
                    speech_seconds = in_window * block_seconds
                    if (
                        speech_seconds >= LIVE_RATE_MIN_SPEECH_SECONDS
                        and len(peaks) / speech_seconds > LIVE_FAST_SYLLABLES_PER_SECOND
                        and now - last_sent.get(NUDGE_TOO_FAST, -math.inf) >= LIVE_THROTTLE_SECONDS
                    ):
                        nudge = NUDGE_TOO_FAST
                    elif (
                        run_start is not None
                        and not monologue_nudged
                        and now - run_start > LIVE_MONOLOGUE_SECONDS
                        and now - last_sent.get(NUDGE_MONOLOGUE, -math.inf) >= LIVE_THROTTLE_SECONDS
                    ):
                        monologue_nudged = True
                        nudge = NUDGE_MONOLOGUE
            elif (
                has_spoken
                and not silence_nudged
                and now - last_voice > LIVE_SILENCE_SECONDS
                and now - last_sent.get(NUDGE_LONG_SILENCE, -math.inf) >= LIVE_THROTTLE_SECONDS
            ):
                silence_nudged = True
                nudge = NUDGE_LONG_SILENCE
            if nudge is not None:
                last_sent[nudge] = now

        self._now = now
        self._stretch_min, self._stretch_count, self._older_floor = stretch_min, stretch_count, older_floor
        self._onset_run, self._last_voice, self._run_start = onset_run, last_voice, run_start
        self._speaking, self._has_spoken = speaking, has_spoken
        self._monologue_nudged, self._silence_nudged = monologue_nudged, silence_nudged
        self._speech_power_count, self._speech_power_index = power_count, power_index
        self._speech_power_sum = power_sum
        self._envelope, self._rising, self._extreme = envelope, rising, extreme
        self._speaking_flag_index, self._speaking_in_window = flag_index, in_window
        return spoke, nudge

    def _quiet(self, approximate_mean_power: float, count: int) -> bool:
        """Do the last 2 s of speech average under 0.02 RMS? `count` blocks of the ring are filled."""
        if approximate_mean_power < _QUIET_POWER_SURELY_BELOW:
            return True
        if approximate_mean_power > _QUIET_POWER_SURELY_ABOVE:
            return False
        return self._speech_rms(count) < LIVE_QUIET_RMS

    def _speech_rms(self, count: int) -> float:
        return math.sqrt(float(np.mean(self._speech_power[:count])))

    def syllables_per_second(self) -> float | None:
        """Energy peaks per second of speech over the last 6 s, once there are 3 s of speech."""
        speaking = self._speaking_in_window * self._block_seconds
        if speaking < LIVE_RATE_MIN_SPEECH_SECONDS:
            return None
        return len(self._peaks) / speaking
