"""Build the field-call fixtures in tests/fixtures/conversations/ and their truth (truth.json).

Each call is a dialogue between a technician and a customer spoken by two different eSpeak NG voices
(variant, pitch and speed differ per call), turns separated by short silences inserted with numpy, so
who speaks when is known by construction. The call is then cut into three chunks at fixed times, as a
phone app that uploads every few seconds would cut it: cuts fall wherever they fall, mid-word
included, and most chunks hold both voices. Chunks are encoded in the formats the upload route takes
(m4a, wav, mp3, webm, ogg). Re-running produces the same files for the same eSpeak NG and FFmpeg.

    apt-get install -y espeak-ng          # libespeak-ng.so.1 and its voice data
    .venv/bin/python scripts/make_call_fixtures.py
"""

from __future__ import annotations

import ctypes
import json
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "scripts"))

from make_audio_fixtures import RATE, Espeak, encode_audio, silence, sound_bounds, write_wav  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "conversations"

_PITCH_PARAMETER = 3
_RANGE_PARAMETER = 4

# Encoder settings per extension, as phones and browsers record them.
FORMATS: dict[str, dict[str, Any]] = {
    "m4a": dict(container="ipod", codec="aac", rate=44100, layout="mono", bit_rate=64000),
    "webm": dict(container="webm", codec="libopus", rate=48000, layout="mono", bit_rate=32000),
    "ogg": dict(container="ogg", codec="libopus", rate=48000, layout="mono", bit_rate=32000),
    "mp3": dict(container="mp3", codec="libmp3lame", rate=22050, layout="mono", bit_rate=48000),
}


@dataclass(frozen=True)
class Voice:
    name: str  # eSpeak NG voice+variant
    pitch: int  # 0-100, eSpeak's base pitch
    words_per_minute: int


@dataclass(frozen=True)
class Call:
    name: str
    technician: Voice
    customer: Voice
    turns: tuple[tuple[str, str], ...]  # (speaker, text)
    formats: tuple[str, str, str]  # extension of each chunk
    gaps: tuple[float, ...] = (0.45, 0.6, 0.35, 0.7, 0.5, 0.4)  # silence between turns, cycled


SAM = Voice("en-us+m3", 35, 165)

CALLS = [
    # The technician opens; the call the socket tests stream chunk by chunk.
    Call(
        name="service_call",
        technician=SAM,
        customer=Voice("en+f2", 70, 145),
        turns=(
            ("technician", "Hi, I'm Sam from Clara HVAC. I'm here to look at your fire pump."),
            ("customer", "Thanks for coming. It has been making a loud noise since Monday."),
            ("technician", "Let me check the pressure gauge first."),
            ("customer", "Sure. We had to fix this pump three times this year."),
            ("technician", "That is a lot of repairs for one pump."),
            ("customer", "Would a new one cost much?"),
            ("technician", "I can send you a quote by tomorrow afternoon."),
        ),
        formats=("m4a", "wav", "mp3"),
    ),
    # Sam again, on a later visit: the customer speaks first, so only his voice profile from the
    # first call tells who is who.
    Call(
        name="followup_call",
        technician=SAM,
        customer=Voice("en-gb+m1", 55, 175),
        turns=(
            ("customer", "Good morning. The boiler in the basement stopped working last night."),
            ("technician", "Good morning. I'll start with the thermostat and the pilot light."),
            ("customer", "The heating bill was very high this winter too."),
            ("technician", "An annual maintenance plan would catch these problems early."),
            ("customer", "How much does the plan cost?"),
            ("technician", "It is two hundred dollars a year, with two visits."),
        ),
        formats=("webm", "ogg", "wav"),
    ),
    # A female technician and a slow, low customer, with short turns.
    Call(
        name="quick_turns_call",
        technician=Voice("en-us+f4", 60, 170),
        customer=Voice("en+m7", 25, 130),
        turns=(
            ("technician", "Hello, this is Dana from Clara HVAC."),
            ("customer", "Hi Dana."),
            ("technician", "Is the air conditioner on the roof?"),
            ("customer", "Yes, next to the water tank."),
            ("technician", "Okay. The filter is completely blocked."),
            ("customer", "Can you replace it today?"),
            ("technician", "Yes, I have one in the van."),
            ("customer", "Great, thank you."),
        ),
        formats=("ogg", "m4a", "webm"),
    ),
    # Two male voices of different variant and speed, closer in pitch: the harder pair.
    Call(
        name="two_men_call",
        technician=Voice("en-us+m1", 45, 150),
        customer=Voice("en-gb-scotland+m4", 60, 185),
        turns=(
            ("technician", "Morning, I'm Alex. I'm here for the compressor inspection."),
            ("customer", "Right, the compressor trips the breaker every afternoon."),
            ("technician", "That usually means the capacitor is failing."),
            ("customer", "Is that an expensive part to replace?"),
            ("technician", "No, the part is cheap and I can fit it in an hour."),
            ("customer", "Then please go ahead."),
        ),
        formats=("wav", "mp3", "ogg"),
    ),
    # Slow, well-separated voices and unmistakable cues: the call the analysis tests read (an old
    # unit with repeated breakdowns, a price question, a dated quote promised, thanks).
    Call(
        name="analysis_call",
        technician=SAM,
        customer=Voice("en+f2", 70, 130),
        turns=(
            ("technician", "Good afternoon, I'm Sam from Clara HVAC. I'm here about the air conditioner."),
            (
                "customer",
                "Our air conditioner is twenty years old and it broke down three times this summer.",
            ),
            ("technician", "At that age a new system would use far less power."),
            ("customer", "How much would a new air conditioner cost?"),
            ("technician", "I will email you a written quote by tomorrow afternoon."),
            ("customer", "Thank you, that would be great."),
        ),
        formats=("wav", "ogg", "m4a"),
        gaps=(1.0, 1.1, 0.9),
    ),
    # Two female voices far apart in pitch.
    Call(
        name="two_women_call",
        technician=Voice("en+f1", 50, 160),
        customer=Voice("en-us+f5", 70, 150),
        turns=(
            ("technician", "Hello, I'm Priya, your service technician for today."),
            ("customer", "Hello. The vents upstairs blow warm air all day."),
            ("technician", "I will measure the airflow in every room."),
            ("customer", "The house was built in nineteen ninety."),
            ("technician", "Then the ducts may need cleaning as well."),
            ("customer", "Please put that in the written quote."),
        ),
        formats=("mp3", "webm", "m4a"),
    ),
]


class VoicedEspeak(Espeak):
    def say_as(self, text: str, voice: Voice) -> np.ndarray:
        self.lib.espeak_SetVoiceByName(voice.name.encode())
        self.lib.espeak_SetParameter(_PITCH_PARAMETER, voice.pitch, 0)
        self.lib.espeak_SetParameter(_RANGE_PARAMETER, 50, 0)
        speech = self.say(text, words_per_minute=voice.words_per_minute)
        start, end = sound_bounds(speech.samples)
        return speech.samples[start:end]


def _set_voice_function(lib: ctypes.CDLL) -> None:
    lib.espeak_SetVoiceByName.argtypes = [ctypes.c_char_p]


def build_call(tts: VoicedEspeak, call: Call) -> dict[str, Any]:
    parts = [silence(0.3)]
    cursor = 0.3
    turns = []
    for index, (speaker, text) in enumerate(call.turns):
        if index:
            gap = call.gaps[(index - 1) % len(call.gaps)]
            parts.append(silence(gap))
            cursor += gap
        voice = call.technician if speaker == "technician" else call.customer
        samples = tts.say_as(text, voice)
        parts.append(samples)
        seconds = samples.size / RATE
        turns.append(
            {"speaker": speaker, "text": text, "start": round(cursor, 3), "end": round(cursor + seconds, 3)}
        )
        cursor += seconds
    parts.append(silence(0.3))
    samples = np.concatenate(parts).astype(np.float32) * 0.8
    total = samples.size / RATE

    folder = OUT / call.name
    folder.mkdir(parents=True, exist_ok=True)
    for old in folder.glob("chunk_*"):
        old.unlink()
    # Fixed-time cuts, as a recorder that uploads every few seconds makes them.
    cuts = [0, round(samples.size / 3), round(2 * samples.size / 3), samples.size]
    chunks = []
    for sequence, extension in enumerate(call.formats, start=1):
        piece = samples[cuts[sequence - 1] : cuts[sequence]]
        name = f"chunk_{sequence}.{extension}"
        if extension == "wav":
            write_wav(folder / name, piece)
        else:
            encode_audio(folder / name, piece, **FORMATS[extension])
        chunks.append(
            {
                "sequence": sequence,
                "file": f"{call.name}/{name}",
                "start": round(cuts[sequence - 1] / RATE, 3),
                "end": round(cuts[sequence] / RATE, 3),
            }
        )
    return {
        "technician_voice": vars(call.technician),
        "customer_voice": vars(call.customer),
        "duration_seconds": round(total, 3),
        "chunks": chunks,
        "turns": turns,
    }


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    tts = VoicedEspeak()
    _set_voice_function(tts.lib)
    truth = {
        "about": "Two-voice synthetic calls (eSpeak NG). Times in seconds on the call's timeline; chunks "
        "are the call cut at fixed times, in upload order. followup_call has the same technician voice "
        "as service_call.",
        "calls": {call.name: build_call(tts, call) for call in CALLS},
    }
    (OUT / "truth.json").write_text(json.dumps(truth, indent=2) + "\n")
    print(f"wrote {len(CALLS)} calls to {OUT}")


if __name__ == "__main__":
    main()
