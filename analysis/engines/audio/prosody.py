"""Prosody of a whole recording: `features` (speaking rate, pauses, fillers, pitch, loudness
variation) as `AudioFeatures`, and the rule that labels the delivery from them
(`emotion_from_prosody`).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from analysis.engines.audio.activity import VoiceActivity
from analysis.engines.audio.decoding import Audio
from analysis.engines.audio.filled_pauses import _filled_pauses
from analysis.engines.audio.filler_count import count_fillers
from analysis.engines.audio.frames import _analyse, _Analysis
from analysis.engines.transcript import Transcript

__all__ = ["AudioFeatures", "emotion_from_prosody", "features"]

# Average syllables per word of conversational English (about 1.3 to 1.5 across corpora); turns a
# syllable count from the envelope into words when there is no transcript.
SYLLABLES_PER_WORD = 1.4
SYLLABLE_DIP_DB = 2.0


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
