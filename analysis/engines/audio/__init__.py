"""Audio signals for coaching: decoding, voice activity, pauses, pitch (F0), speaking rate, prosody.

Plain numpy on mono float32 samples; nothing here knows about Django or HTTP. Whole-media analysis
(`features`) and the live variant (`StreamingAnalyzer`, one per socket) share the same definitions
of speech, silence and pauses (`activity`) and of F0 (`pitch`). Callers use the names re-exported
here (`audio.decode(...)`, `audio.features(...)`); the modules are:

- `decoding`: the `Audio` type, decoding media into it (PyAV, via `analysis.engines.media`), resampling;
- `activity`: frame energy, voice activity and pauses;
- `pitch`: the YIN-style pitch track with its octave guard;
- `frames`: the one pass over a recording that the whole-media analyses share;
- `filled_pauses`: hesitations in the signal that the transcript lost;
- `filler_count`: fillers of a timed transcript, with those hesitations (re-exported by `speech`);
- `prosody`: `features`, `AudioFeatures` and the emotion rule;
- `live`: `StreamingAnalyzer`, `LiveMetrics` and the nudges.

This package never imports the speech engine (speech imports it); the timed transcript both use is
`analysis.engines.transcript`, and the hesitation lexicon is `analysis.engines.text.hesitations`.
"""

from __future__ import annotations

from analysis.engines.audio.activity import Pause, VoiceActivity, pauses, voice_activity
from analysis.engines.audio.decoding import Audio, decode, resample
from analysis.engines.audio.filled_pauses import FilledPause, detect_filled_pauses
from analysis.engines.audio.live import (
    NUDGE_LONG_SILENCE,
    NUDGE_MONOLOGUE,
    NUDGE_TOO_FAST,
    NUDGE_TOO_QUIET,
    LiveMetrics,
    StreamingAnalyzer,
)
from analysis.engines.audio.pitch import PitchTrack, pitch_track
from analysis.engines.audio.prosody import AudioFeatures, emotion_from_prosody, features
from analysis.engines.media import MediaError, MediaInfo, MediaTooLong, probe

# The audio engine's name for the shared hesitation lexicon, kept for its callers.
from analysis.engines.text.hesitations import is_hesitation as is_filled_pause_word

__all__ = [
    "NUDGE_LONG_SILENCE",
    "NUDGE_MONOLOGUE",
    "NUDGE_TOO_FAST",
    "NUDGE_TOO_QUIET",
    "Audio",
    "AudioFeatures",
    "FilledPause",
    "LiveMetrics",
    "MediaError",
    "MediaInfo",
    "MediaTooLong",
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
