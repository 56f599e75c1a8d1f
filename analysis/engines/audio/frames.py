"""One pass over a whole recording, shared by the whole-media analyses (`features`,
`detect_filled_pauses`): cleaned samples, frame energy, the speech mask and a pitch track voiced
only where there is speech, all on the same 10 ms frames.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.engines.audio.activity import HOP_SECONDS, _frame_energy_db, _speech_mask
from analysis.engines.audio.decoding import Audio, _clean
from analysis.engines.audio.pitch import PitchTrack, pitch_track


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
