"""Who speaks when on a two-voice call: the technician or the customer, told from the audio.

Plain numpy on `analysis.engines.audio.Audio`; nothing here knows Django. The method:

1. **Voice runs.** The voice-activity decision of the audio engine (10 ms frames) splits the call
   into stretches of speech separated by pauses of 0.25 s or more. A stretch longer than 1.6 s is
   split again where its pitch jumps (two voices with no pause between them): the point where the
   median F0 of the 0.5 s on each side differs most, if that is more than four times the pitch
   spread of one voice.
2. **A voice print per run**: the mean of 12 MFCCs (c1-c12 of a 26-band log-mel spectrum, 25 ms
   Hamming frames every 10 ms, pre-emphasis 0.97) over the run's speech frames, and the median
   log F0 over its voiced frames (the audio engine's YIN-style pitch track). Each dimension is
   divided by the spread one voice shows from run to run (`MFCC_SCALES`, `LOG_F0_SCALE`), and
   pitch counts `PITCH_WEIGHT` times in the distance, since it is the steadiest cue on a phone.
3. **Two voices or one.** All runs of the call so far are clustered into two by k-means weighted
   by speech seconds. The call has two voices once the two centroids are `TWO_VOICES_DISTANCE`
   apart and the smaller one holds at least `MIN_VOICE_SECONDS`; otherwise every run is one voice.
4. **Which voice is the technician.** Labels given before stay: the clusters take the labels
   that agree with most of the speech already labelled. Before anything is labelled, the
   technician's voice profile decides (kept from their earlier calls: the cluster nearer to it,
   or, with one voice, that voice if it lies within `PROFILE_MATCH_DISTANCE`); with no profile,
   the voice that opens the call is the technician's.

`VoiceModel` is the profile: the weighted mean voice print of the technician's runs, blended into
the stored one after each call.

The distances and scales were measured on eSpeak NG voices (tests/fixtures/conversations); real
voices vary more from run to run, and the README says so beside the measured accuracy.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from analysis.engines.audio import Audio, pitch_track, resample, voice_activity
from analysis.engines.audio.activity import HOP_SECONDS

__all__ = [
    "CUSTOMER",
    "TECHNICIAN",
    "VoiceModel",
    "VoiceRun",
    "assign_speakers",
    "technician_model",
    "voice_runs",
]

TECHNICIAN = "technician"
CUSTOMER = "customer"

SAMPLE_RATE = 16000
_WINDOW = 400  # 25 ms
_HOP = 160  # 10 ms, the audio engine's frame hop
_FFT = 512
_MEL_BANDS = 26
_MFCC = 12

# Run-to-run spread of one voice's print, per dimension (measured on the fixture calls: the
# within-speaker standard deviation of run means, rounded up).
MFCC_SCALES = np.array([1.6, 0.7, 1.25, 0.85, 0.6, 0.85, 0.5, 0.4, 0.5, 0.55, 0.3, 0.35])
LOG_F0_SCALE = 0.05
PITCH_WEIGHT = 6.0
TWO_VOICES_DISTANCE = 1.5
PROFILE_MATCH_DISTANCE = 1.2
MIN_VOICE_SECONDS = 0.6
MIN_RUN_SECONDS = 0.12
OPENING_RUN_SECONDS = 1.0
# Runs with fewer voiced frames have no pitch worth taking.
MIN_VOICED_FRAMES = 5
# A long run is split where its pitch jumps by this many voice spreads (two voices, no pause).
SPLIT_MIN_SECONDS = 1.6
SPLIT_SIDE_SECONDS = 0.5
SPLIT_PITCH_JUMP = 4.0
# A profile keeps this much of its past when a call is blended in (seconds of speech).
PROFILE_MEMORY_SECONDS = 600.0


def _mel_filterbank() -> np.ndarray:
    def mel(hz: np.ndarray | float) -> Any:
        return 2595.0 * np.log10(1.0 + np.asarray(hz) / 700.0)

    def hz(m: np.ndarray) -> np.ndarray:
        return 700.0 * (10.0 ** (m / 2595.0) - 1.0)

    edges = hz(np.linspace(mel(60.0), mel(7600.0), _MEL_BANDS + 2))
    bins = np.floor((_FFT + 1) * edges / SAMPLE_RATE).astype(int)
    bank = np.zeros((_MEL_BANDS, _FFT // 2 + 1))
    for band in range(_MEL_BANDS):
        low, centre, high = bins[band], bins[band + 1], bins[band + 2]
        bank[band, low:centre] = (np.arange(low, centre) - low) / max(centre - low, 1)
        bank[band, centre:high] = (high - np.arange(centre, high)) / max(high - centre, 1)
    return bank


_MEL = _mel_filterbank()
_k = np.arange(_MEL_BANDS)
_DCT = np.sqrt(2.0 / _MEL_BANDS) * np.cos(
    np.pi / _MEL_BANDS * (_k[None, :] + 0.5) * np.arange(1, _MFCC + 1)[:, None]
)
_HAMMING = np.hamming(_WINDOW)


def mfcc(samples: np.ndarray) -> np.ndarray:
    """c1-c12 per 10 ms frame (frames centred on multiples of the hop), shape (frames, 12)."""
    emphasised = np.append(samples[:1], samples[1:] - 0.97 * samples[:-1]).astype(np.float64)
    n_frames = max(1, math.ceil(emphasised.size / _HOP))
    padded = np.concatenate((np.zeros(_WINDOW // 2), emphasised, np.zeros(_WINDOW)))
    out = np.empty((n_frames, _MFCC))
    block = 2000  # frames per block: 20 s, so an hour of audio never builds one huge matrix
    for first in range(0, n_frames, block):
        index = np.arange(first, min(first + block, n_frames))[:, None] * _HOP + np.arange(_WINDOW)[None, :]
        power = np.abs(np.fft.rfft(padded[index] * _HAMMING, _FFT)) ** 2
        out[first : first + len(index)] = np.log(power @ _MEL.T + 1e-10) @ _DCT.T
    return out


# ---------------------------------------------------------------------------------------------
# Runs


@dataclass(frozen=True)
class VoiceRun:
    """A stretch of one voice: times in seconds, `vector` the 12 mean MFCCs then the median
    log F0 (nan when the run has too few voiced frames), `weight` its seconds of speech."""

    start: float
    end: float
    vector: tuple[float, ...]
    weight: float

    def to_dict(self) -> dict[str, Any]:
        return {
            "start": round(self.start, 3),
            "end": round(self.end, 3),
            "vector": [None if math.isnan(v) else round(v, 5) for v in self.vector],
            "weight": round(self.weight, 3),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> VoiceRun:
        return cls(
            start=float(data["start"]),
            end=float(data["end"]),
            vector=tuple(math.nan if v is None else float(v) for v in data["vector"]),
            weight=float(data["weight"]),
        )


def _runs(mask: np.ndarray) -> list[tuple[int, int]]:
    if mask.size == 0:
        return []
    edges = np.diff(np.concatenate(([0], mask.astype(np.int8), [0])))
    return list(zip(np.flatnonzero(edges == 1).tolist(), np.flatnonzero(edges == -1).tolist(), strict=True))


def _pitch_split(log_f0: np.ndarray, start: int, end: int) -> int | None:
    """Frame where a run's pitch jumps from one voice to another, or None."""
    side = round(SPLIT_SIDE_SECONDS / HOP_SECONDS)
    if end - start < round(SPLIT_MIN_SECONDS / HOP_SECONDS):
        return None
    best, best_at = 0.0, None
    for at in range(start + side, end - side + 1, 5):
        left, right = log_f0[at - side : at], log_f0[at : at + side]
        left, right = left[~np.isnan(left)], right[~np.isnan(right)]
        if left.size < MIN_VOICED_FRAMES * 3 or right.size < MIN_VOICED_FRAMES * 3:
            continue
        jump = abs(float(np.median(left) - np.median(right))) / LOG_F0_SCALE
        if jump > best:
            best, best_at = jump, at
    return best_at if best >= SPLIT_PITCH_JUMP else None


def voice_runs(audio: Audio, *, offset: float = 0.0) -> list[VoiceRun]:
    """The runs of speech in `audio`, each with its voice print; times are `offset` + seconds."""
    clip = resample(audio, SAMPLE_RATE)
    samples = clip.samples
    if samples.size < _WINDOW:
        return []
    speech = voice_activity(clip).is_speech
    f0 = pitch_track(samples, SAMPLE_RATE).f0_hz
    coefficients = mfcc(samples)
    n = min(speech.size, f0.size, coefficients.shape[0])
    speech, coefficients = speech[:n], coefficients[:n]
    with np.errstate(divide="ignore", invalid="ignore"):
        log_f0 = np.log(f0[:n])
    spans: list[tuple[int, int]] = []
    for start, end in _runs(speech):
        pending = [(start, end)]
        while pending:
            a, b = pending.pop()
            cut = _pitch_split(log_f0, a, b)
            if cut is None:
                spans.append((a, b))
            else:
                pending += [(a, cut), (cut, b)]
    runs = []
    for start, end in sorted(spans):
        if (end - start) * HOP_SECONDS < MIN_RUN_SECONDS:
            continue
        voiced = log_f0[start:end][~np.isnan(log_f0[start:end])]
        pitch = float(np.median(voiced)) if voiced.size >= MIN_VOICED_FRAMES else math.nan
        vector = (*coefficients[start:end].mean(axis=0).tolist(), pitch)
        runs.append(
            VoiceRun(
                start=round(offset + start * HOP_SECONDS, 3),
                end=round(offset + end * HOP_SECONDS, 3),
                vector=tuple(float(v) for v in vector),
                weight=(end - start) * HOP_SECONDS,
            )
        )
    return runs


# ---------------------------------------------------------------------------------------------
# Distances and clustering


def _scaled(vectors: np.ndarray) -> np.ndarray:
    scaled = vectors.astype(np.float64).copy()
    scaled[:, :_MFCC] /= MFCC_SCALES
    scaled[:, _MFCC] /= LOG_F0_SCALE
    return scaled


def _distance(a: np.ndarray, b: np.ndarray) -> float:
    """RMS difference of two scaled prints, pitch weighted; MFCCs alone when a pitch is missing."""
    spectral = float(np.sum((a[:_MFCC] - b[:_MFCC]) ** 2))
    pitch = a[_MFCC] - b[_MFCC]
    if math.isnan(pitch):
        return math.sqrt(spectral / _MFCC)
    return math.sqrt((spectral + PITCH_WEIGHT * pitch * pitch) / (_MFCC + PITCH_WEIGHT))


def _centroid(points: np.ndarray, weights: np.ndarray) -> np.ndarray:
    centre = np.average(points[:, :_MFCC], axis=0, weights=weights)
    pitched = ~np.isnan(points[:, _MFCC])
    pitch = float(np.average(points[pitched, _MFCC], weights=weights[pitched])) if pitched.any() else math.nan
    return np.append(centre, pitch)


def _two_means(points: np.ndarray, weights: np.ndarray) -> tuple[np.ndarray, float]:
    """Assignment (0/1 per point) of a weighted 2-means, tried from a few starts, and its cost."""
    n = len(points)
    heaviest = int(np.argmax(weights))
    far = max(range(n), key=lambda i: _distance(points[i], points[heaviest]) * math.sqrt(weights[i]))
    starts = [(heaviest, far)]
    pitched = [i for i in range(n) if not math.isnan(points[i, _MFCC])]
    if len(pitched) >= 2:
        starts.append(
            (min(pitched, key=lambda i: points[i, _MFCC]), max(pitched, key=lambda i: points[i, _MFCC]))
        )
    best: tuple[np.ndarray, float] | None = None
    for first, second in starts:
        centres = [points[first], points[second]]
        assignment = np.zeros(n, int)
        for _ in range(25):
            new = np.array(
                [int(_distance(p, centres[1]) < _distance(p, centres[0])) for p in points], dtype=int
            )
            if (new == 0).all() or (new == 1).all():
                break
            centres = [_centroid(points[new == k], weights[new == k]) for k in (0, 1)]
            if (new == assignment).all():
                break
            assignment = new
        cost = float(
            sum(
                w * _distance(p, centres[a]) ** 2 for p, w, a in zip(points, weights, assignment, strict=True)
            )
        )
        if best is None or cost < best[1]:
            best = (assignment, cost)
    assert best is not None
    return best


@dataclass(frozen=True)
class VoiceModel:
    """A voice's print: the speech-weighted mean of its runs' vectors (same layout as VoiceRun)."""

    vector: tuple[float, ...]
    weight: float
    calls: int = 1

    def to_dict(self) -> dict[str, Any]:
        return {
            "vector": [None if math.isnan(v) else round(v, 5) for v in self.vector],
            "weight": round(self.weight, 3),
            "calls": self.calls,
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any] | None) -> VoiceModel | None:
        if not data or not data.get("vector"):
            return None
        return cls(
            vector=tuple(math.nan if v is None else float(v) for v in data["vector"]),
            weight=float(data.get("weight", 0.0)),
            calls=int(data.get("calls", 1)),
        )

    def blend(self, other: VoiceModel) -> VoiceModel:
        """This profile updated with a new call's voice; the past counts at most PROFILE_MEMORY_SECONDS."""
        past = min(self.weight, PROFILE_MEMORY_SECONDS)
        points = np.array([self.vector, other.vector], dtype=np.float64)
        vector = _centroid(points, np.array([past, other.weight]))
        return VoiceModel(tuple(float(v) for v in vector), past + other.weight, self.calls + other.calls)


def _model_of(runs: Sequence[VoiceRun]) -> VoiceModel | None:
    if not runs:
        return None
    points = np.array([r.vector for r in runs], dtype=np.float64)
    weights = np.array([r.weight for r in runs])
    return VoiceModel(tuple(float(v) for v in _centroid(points, weights)), float(weights.sum()))


def assign_speakers(
    runs: Sequence[VoiceRun],
    *,
    known: Sequence[str | None] = (),
    profile: VoiceModel | None = None,
) -> list[str]:
    """A label (`technician` or `customer`) for every run of the call, in order.

    `known` holds the labels already given to the first runs (None where none was): they are kept,
    and the clusters take the labels that agree with most of that speech. `profile` is the
    technician's voice from earlier calls, used while nothing is labelled yet.
    """
    if not runs:
        return []
    known = list(known) + [None] * (len(runs) - len(known))
    points = _scaled(np.array([r.vector for r in runs], dtype=np.float64))
    weights = np.array([max(r.weight, 1e-3) for r in runs])
    clusters = np.zeros(len(runs), int)
    if len(runs) >= 2:
        assignment, _ = _two_means(points, weights)
        if (assignment == 0).any() and (assignment == 1).any():
            centres = [_centroid(points[assignment == k], weights[assignment == k]) for k in (0, 1)]
            smaller = min(weights[assignment == 0].sum(), weights[assignment == 1].sum())
            if _distance(centres[0], centres[1]) >= TWO_VOICES_DISTANCE and smaller >= MIN_VOICE_SECONDS:
                clusters = assignment
    two_voices = bool(clusters.any())

    mapping = _mapping(points, weights, clusters, known, profile, two_voices)
    return [known[i] or mapping[int(clusters[i])] for i in range(len(runs))]


def _mapping(
    points: np.ndarray,
    weights: np.ndarray,
    clusters: np.ndarray,
    known: Sequence[str | None],
    profile: VoiceModel | None,
    two_voices: bool,
) -> dict[int, str]:
    straight = {0: TECHNICIAN, 1: CUSTOMER}
    swapped = {0: CUSTOMER, 1: TECHNICIAN}
    labelled = [i for i, label in enumerate(known) if label is not None]
    if labelled:

        def agreement(mapping: dict[int, str]) -> float:
            return float(sum(weights[i] for i in labelled if mapping[int(clusters[i])] == known[i]))

        if two_voices:
            return straight if agreement(straight) >= agreement(swapped) else swapped
        # One voice so far: it keeps the label most of its speech already has.
        return straight if agreement(straight) >= agreement(swapped) else swapped
    if profile is not None:
        reference = _scaled(np.array([profile.vector], dtype=np.float64))[0]
        centres = [
            _centroid(points[clusters == k], weights[clusters == k]) if (clusters == k).any() else None
            for k in (0, 1)
        ]
        if two_voices:
            assert centres[0] is not None and centres[1] is not None
            nearer = 0 if _distance(centres[0], reference) <= _distance(centres[1], reference) else 1
            return straight if nearer == 0 else swapped
        assert centres[0] is not None
        return straight if _distance(centres[0], reference) <= PROFILE_MATCH_DISTANCE else swapped
    # The voice that opens the call is the technician's: the first run long enough to have a
    # print worth trusting (a short "Good morning," may sit with either cluster).
    opening = next((i for i, w in enumerate(weights) if w >= OPENING_RUN_SECONDS), 0)
    return straight if clusters[opening] == 0 else swapped


def technician_model(runs: Sequence[VoiceRun], labels: Sequence[str]) -> VoiceModel | None:
    """The technician's voice on this call, to blend into their profile."""
    return _model_of([r for r, label in zip(runs, labels, strict=True) if label == TECHNICIAN])
