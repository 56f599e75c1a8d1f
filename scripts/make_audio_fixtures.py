"""Build the audio fixtures in tests/fixtures/audio/ and their ground truth (truth.json).

Speech comes from eSpeak NG through its C library, so SSML marks around every "um" report the exact
sample where it starts and ends; pauses are inserted with numpy, so their lengths are known by
construction; tones and sweeps are synthesised with known F0; the same sentence is encoded with PyAV
into every container the decoder must read. Re-running produces the same files for the same
eSpeak NG and FFmpeg versions.

    apt-get install -y espeak-ng          # libespeak-ng.so.1 and its voice data
    .venv/bin/python scripts/make_audio_fixtures.py
"""

from __future__ import annotations

import ctypes
import json
import re
import sys
import wave
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path
from typing import Any

import av
import numpy as np

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from analysis.engines.media import resample  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "audio"
RATE = 16000
VOICE = b"en-us"

CLEAN_TEXT = (
    "The weather was mild on Tuesday morning, so we walked to the market near the river. "
    "Fresh bread, apples and cheese filled the stalls, and the baker greeted every customer by name. "
    "After lunch we visited the old library, where children were reading quietly at long wooden tables. "
    "In the evening the sky turned orange, and we took the last bus home."
)

# Hesitations are slowed to the length people hold them (0.4-0.7 s); at eSpeak's normal rate an
# "um" lasts 150 ms and sounds like no hesitation anyone makes.
UM = "<prosody rate='20%'>umm</prosody>"
UH = "<prosody rate='20%'>uh</prosody>"
FILLER_SCRIPT = [
    "So,", UM, ", the biggest project I led was moving our billing system.",
    UH, ", we had like three months to do it.",
    "And, you know, the old code was,", UM, ", really fragile.",
    "I set up,", UH, ", a plan with weekly goals.",
    "Like, we tested every step, and", UM, ", we shipped early.",
    "The team was,", UH, ", really proud.",
    "I think,", UM, ", it taught me a lot.",
]  # fmt: skip
FILLER_TEXT = (
    "So, um, the biggest project I led was moving our billing system. Uh, we had like three months to do "
    "it. And, you know, the old code was, um, really fragile. I set up, uh, a plan with weekly goals. "
    "Like, we tested every step, and um, we shipped early. The team was, uh, really proud. I think, um, "
    "it taught me a lot."
)
DISCOURSE_FILLERS = ["like", "you know", "like"]

NO_FILLER_TEXT = (
    "In my last role I led a team of four engineers. We rebuilt the checkout page in six weeks, "
    "and sales grew by ten percent. I learned to plan early and to share progress every Friday."
)

# Phrases without commas, so that the only silences of a quarter second or more are the inserted ones.
PAUSE_PHRASES = [
    "We opened the new office in March",
    "Every desk was taken by the end of spring",
    "Now we are hiring two more designers",
    "The team meets each morning at nine",
]
PAUSE_GAPS = [0.5, 1.2, 2.0, 0.8, 1.0]  # before each phrase, and after the last one

FAST_TEXT = "I think we should move quickly on this because the market is changing every single week now."
ENCODED_TEXT = "The weather was mild on Tuesday morning, so we walked to the market near the river."


# ---------------------------------------------------------------------------------------------
# eSpeak NG through ctypes: the command line tool writes the same audio but not where marks fall.


class _Event(ctypes.Structure):
    _fields_ = [
        ("type", ctypes.c_int),
        ("unique_identifier", ctypes.c_uint),
        ("text_position", ctypes.c_int),
        ("length", ctypes.c_int),
        ("audio_position", ctypes.c_int),
        ("sample", ctypes.c_int),
        ("user_data", ctypes.c_void_p),
        ("id", ctypes.c_void_p),
    ]


_EVENT_MARK = 3
_SYNCHRONOUS = 2
_RATE_PARAMETER = 1
_CHARS_UTF8 = 0x1
_SSML = 0x10
_POS_CHARACTER = 1
_Callback = ctypes.CFUNCTYPE(
    ctypes.c_int, ctypes.POINTER(ctypes.c_short), ctypes.c_int, ctypes.POINTER(_Event)
)


@dataclass
class Speech:
    samples: np.ndarray  # float32 at RATE
    marks: dict[str, float]  # SSML <mark name="..."/> -> seconds


class Espeak:
    def __init__(self) -> None:
        self.lib = ctypes.CDLL("libespeak-ng.so.1")
        self.rate = self.lib.espeak_Initialize(_SYNCHRONOUS, 0, None, 0)
        if self.rate <= 0:
            raise RuntimeError("eSpeak NG failed to initialise")
        self._chunks: list[np.ndarray] = []
        self._marks: dict[str, int] = {}
        self._callback = _Callback(self._collect)  # kept on self so ctypes does not free it
        self.lib.espeak_SetSynthCallback(self._callback)
        self.lib.espeak_SetVoiceByName(VOICE)

    def _collect(self, wav: ctypes.Array, count: int, events: ctypes.Array) -> int:
        if count > 0:
            self._chunks.append(np.ctypeslib.as_array(wav, shape=(count,)).copy())
        index = 0
        while events[index].type != 0:
            event = events[index]
            if event.type == _EVENT_MARK:
                name = ctypes.cast(event.id, ctypes.c_char_p).value or b""
                self._marks[name.decode()] = event.sample
            index += 1
        return 0

    def say(self, text: str, *, words_per_minute: int = 150, ssml: bool = False) -> Speech:
        self._chunks, self._marks = [], {}
        self.lib.espeak_SetParameter(_RATE_PARAMETER, words_per_minute, 0)
        data = text.encode()
        flags = _CHARS_UTF8 | (_SSML if ssml else 0)
        self.lib.espeak_Synth(data, len(data) + 1, 0, _POS_CHARACTER, 0, flags, None, None)
        self.lib.espeak_Synchronize()
        native = np.concatenate(self._chunks).astype(np.float32) / 32768.0
        samples = resample(native, from_rate=self.rate, to_rate=RATE)
        return Speech(samples, {name: sample / self.rate for name, sample in self._marks.items()})


# ---------------------------------------------------------------------------------------------
# Helpers


def write_wav(path: Path, samples: np.ndarray, rate: int = RATE) -> None:
    pcm = (np.clip(samples, -1.0, 1.0) * 32767.0).round().astype("<i2")
    with wave.open(str(path), "wb") as handle:
        handle.setnchannels(1)
        handle.setsampwidth(2)
        handle.setframerate(rate)
        handle.writeframes(pcm.tobytes())


def silence(seconds: float) -> np.ndarray:
    return np.zeros(round(seconds * RATE), np.float32)


def sound_bounds(samples: np.ndarray, *, threshold_db: float = -45.0) -> tuple[int, int]:
    """First and one-past-last sample whose 5 ms RMS is above `threshold_db` dBFS."""
    window = RATE // 200
    power = np.convolve(samples.astype(np.float64) ** 2, np.ones(window) / window, mode="same")
    loud = np.flatnonzero(power > 10 ** (threshold_db / 10))
    if loud.size == 0:
        return 0, 0
    return int(loud[0]), int(loud[-1]) + 1


def trim(samples: np.ndarray) -> np.ndarray:
    start, end = sound_bounds(samples)
    return samples[start:end]


def spoken_words(text: str) -> int:
    return len(re.findall(r"[A-Za-z0-9']+", text))


# ---------------------------------------------------------------------------------------------
# Fixtures


def make_clean(tts: Espeak) -> dict:
    speech = tts.say(CLEAN_TEXT)
    write_wav(OUT / "speech_clean.wav", speech.samples)
    return {"text": CLEAN_TEXT, "duration_seconds": round(speech.samples.size / RATE, 3)}


def make_fillers(tts: Espeak) -> dict:
    parts, count = [], 0
    for part in FILLER_SCRIPT:
        if part in (UM, UH):
            # Marks around each hesitation report the sample where eSpeak reaches them.
            part = f'<mark name="start{count}"/>{part}<mark name="end{count}"/>'
            count += 1
        parts.append(part)
    speech = tts.say("<speak>" + " ".join(parts) + "</speak>", words_per_minute=165, ssml=True)
    samples = speech.samples
    intervals = []
    for index in range(count):
        lo = round(speech.marks[f"start{index}"] * RATE)
        hi = round(speech.marks[f"end{index}"] * RATE)
        # The marks bound the hesitation's slot, which includes the comma's silence.
        start, end = sound_bounds(samples[lo:hi])
        intervals.append([round((lo + start) / RATE, 3), round((lo + end) / RATE, 3)])
    write_wav(OUT / "speech_fillers.wav", samples)
    return {
        "text": FILLER_TEXT,
        "filled_pauses": intervals,
        "discourse_fillers": DISCOURSE_FILLERS,
        "duration_seconds": round(samples.size / RATE, 3),
    }


def make_no_fillers(tts: Espeak) -> dict:
    speech = tts.say(NO_FILLER_TEXT)
    write_wav(OUT / "speech_no_fillers.wav", speech.samples)
    return {"text": NO_FILLER_TEXT, "duration_seconds": round(speech.samples.size / RATE, 3)}


def make_pauses(tts: Espeak) -> dict:
    parts, inserted = [], 0.0
    phrase_seconds = 0.0
    for gap, phrase in zip(PAUSE_GAPS, PAUSE_PHRASES, strict=False):
        parts.append(silence(gap))
        inserted += gap
        spoken = trim(tts.say(phrase).samples)
        phrase_seconds += spoken.size / RATE
        parts.append(spoken)
    parts.append(silence(PAUSE_GAPS[-1]))
    inserted += PAUSE_GAPS[-1]
    samples = np.concatenate(parts)
    duration = samples.size / RATE
    words = sum(spoken_words(p) for p in PAUSE_PHRASES)
    write_wav(OUT / "speech_pauses.wav", samples)
    return {
        "text": ". ".join(PAUSE_PHRASES) + ".",
        "gaps_seconds": PAUSE_GAPS,
        "duration_seconds": round(duration, 3),
        "speech_seconds": round(phrase_seconds, 3),
        "pause_ratio": round(inserted / duration, 4),
        "words": words,
        "words_per_minute": round(words / duration * 60.0, 2),
    }


def make_fast(tts: Espeak) -> dict:
    speech = tts.say(FAST_TEXT, words_per_minute=330)
    samples = trim(speech.samples)
    write_wav(OUT / "speech_fast.wav", samples)
    duration = samples.size / RATE
    return {"text": FAST_TEXT, "duration_seconds": round(duration, 3),
            "words_per_minute": round(spoken_words(FAST_TEXT) / duration * 60.0, 1)}  # fmt: skip


def make_tones() -> dict:
    t = np.arange(RATE) / RATE
    write_wav(OUT / "tone_120hz.wav", 0.5 * np.sin(2 * np.pi * 120.0 * t))
    # A voice-like tone whose fundamental is weaker than its harmonics: the classic octave trap.
    harmonics = 0.08 * np.sin(2 * np.pi * 220.0 * t)
    harmonics += sum(0.3 / k * np.sin(2 * np.pi * 220.0 * k * t + k) for k in range(2, 7))
    write_wav(OUT / "tone_220hz_weak_fundamental.wav", harmonics)
    seconds, low, high = 2.0, 100.0, 400.0
    t = np.arange(round(seconds * RATE)) / RATE
    growth = np.log(high / low) / seconds
    write_wav(
        OUT / "sweep_100_400hz.wav", 0.5 * np.sin(2 * np.pi * low * (np.exp(growth * t) - 1.0) / growth)
    )
    return {
        "tone_120hz.wav": {"f0_hz": 120.0},
        "tone_220hz_weak_fundamental.wav": {"f0_hz": 220.0},
        "sweep_100_400hz.wav": {"start_hz": low, "end_hz": high, "seconds": seconds, "shape": "exponential"},
    }


def make_silence() -> dict:
    # Not digital zero: a microphone in a quiet room still hisses at about -70 dBFS.
    noise = np.random.default_rng(7).normal(0.0, 10 ** (-70 / 20), RATE).astype(np.float32)
    write_wav(OUT / "silence.wav", noise)
    return {"duration_seconds": 1.0}


def _write_audio(
    output: av.container.OutputContainer, stream: av.AudioStream, planar: np.ndarray, rate: int, layout: str
) -> None:
    """Encode `planar` (channels x samples, floats in -1..1) into `stream` and mux the packets."""
    frame_size = stream.codec_context.frame_size or 1024
    fmt = stream.codec_context.format.name
    for start in range(0, planar.shape[1], frame_size):
        block = np.ascontiguousarray(planar[:, start : start + frame_size], dtype=np.float32)
        if not fmt.endswith("p"):
            block = np.ascontiguousarray(block.T.reshape(1, -1))  # packed formats interleave channels
        frame = av.AudioFrame.from_ndarray(_scaled(block, fmt), format=fmt, layout=layout)
        frame.sample_rate = rate
        frame.pts = start
        frame.time_base = Fraction(1, rate)
        for packet in stream.encode(frame):
            output.mux(packet)
    for packet in stream.encode(None):
        output.mux(packet)


def _scaled(block: np.ndarray, fmt: str) -> np.ndarray:
    base = fmt.rstrip("p")
    if base == "s16":
        return (np.clip(block, -1, 1) * 32767).astype(np.int16)
    if base == "s32":
        return (np.clip(block, -1, 1) * 2147483647).astype(np.int32)
    return block.astype(np.float64 if base == "dbl" else np.float32)


def encode_audio(
    path: Path, samples: np.ndarray, *, container: str, codec: str, rate: int, layout: str, bit_rate: int = 0
) -> None:
    """Encode mono 16 kHz samples into `container` with `codec` at `rate` Hz in `layout`."""
    data = resample(samples, from_rate=RATE, to_rate=rate)
    channels = 2 if layout == "stereo" else 1
    planar = np.repeat(data[None, :], channels, axis=0) * (0.9 if channels == 2 else 1.0)
    # bitexact: no random stream serials or segment ids, so re-running gives identical files.
    with av.open(str(path), "w", format=container, options={"fflags": "+bitexact"}) as output:
        stream = output.add_stream(codec, rate=rate, layout=layout)
        assert isinstance(stream, av.AudioStream)
        if bit_rate:
            stream.codec_context.bit_rate = bit_rate
        _write_audio(output, stream, planar, rate, layout)


def encode_video(path: Path, samples: np.ndarray | None, *, seconds: float) -> None:
    """A tiny H.264 clip (64x48, 10 fps, a moving bar) with optional AAC audio."""
    with av.open(str(path), "w", format="mp4", options={"fflags": "+bitexact"}) as output:
        video = output.add_stream("libx264", rate=10, options={"preset": "ultrafast", "crf": "35"})
        assert isinstance(video, av.VideoStream)
        video.width, video.height, video.pix_fmt = 64, 48, "yuv420p"
        video.codec_context.thread_count = 1
        sound = output.add_stream("aac", rate=RATE, layout="mono") if samples is not None else None
        for index in range(round(seconds * 10)):
            image = np.full((48, 64, 3), 40, np.uint8)
            image[:, (index * 4) % 64 : (index * 4) % 64 + 8] = 220
            picture = av.VideoFrame.from_ndarray(image, format="rgb24")
            picture.pts = index
            for packet in video.encode(picture):
                output.mux(packet)
        for packet in video.encode(None):
            output.mux(packet)
        if samples is not None:
            assert isinstance(sound, av.AudioStream)
            _write_audio(output, sound, samples[None, :], RATE, "mono")


def make_encoded(tts: Espeak) -> dict:
    speech = trim(tts.say(ENCODED_TEXT).samples)
    speech = np.concatenate((silence(0.2), speech, silence(0.2)))
    variants: dict[str, dict[str, Any]] = {
        "speech.webm": dict(container="webm", codec="libopus", rate=48000, layout="mono", bit_rate=24000),
        "speech.ogg": dict(container="ogg", codec="libopus", rate=48000, layout="mono", bit_rate=24000),
        "speech.mp3": dict(container="mp3", codec="libmp3lame", rate=22050, layout="mono", bit_rate=32000),
        "speech.m4a": dict(container="ipod", codec="aac", rate=44100, layout="stereo", bit_rate=48000),
        "speech.flac": dict(container="flac", codec="flac", rate=16000, layout="mono"),
    }
    for name, options in variants.items():
        encode_audio(OUT / name, speech, **options)
    seconds = speech.size / RATE
    encode_video(OUT / "video.mp4", speech, seconds=seconds)
    encode_video(OUT / "video_no_audio.mp4", None, seconds=1.0)
    return {
        "text": ENCODED_TEXT,
        "duration_seconds": round(seconds, 3),
        "files": sorted(variants) + ["video.mp4"],
    }


def make_broken() -> dict:
    rng = np.random.default_rng(11)
    (OUT / "corrupt.bin").write_bytes(rng.bytes(4096))
    (OUT / "empty.wav").write_bytes(b"")
    # A real webm header followed by noise: a header-only probe would call this a valid file.
    header = (OUT / "speech.webm").read_bytes()[:400]
    (OUT / "truncated.webm").write_bytes(header + rng.bytes(3000))
    return {
        "corrupt": ["corrupt.bin", "truncated.webm"],
        "empty": ["empty.wav"],
        "no_audio": ["video_no_audio.mp4"],
    }


def make_hour_of_silence() -> dict:
    """An hour of Opus at 6 kb/s in 1.4 MB: what a decoder without a duration cap turns into
    hundreds of megabytes of samples (the poison-media drill)."""
    output = av.open(str(OUT / "hour_of_silence.ogg"), mode="w", format="ogg")
    stream = output.add_stream("libopus", rate=48000, layout="mono")
    stream.bit_rate = 6000
    second = np.zeros((1, 48000), dtype=np.float32)
    for index in range(3600):
        frame = av.AudioFrame.from_ndarray(second, format="flt", layout="mono")
        frame.sample_rate, frame.pts = 48000, index * 48000
        for packet in stream.encode(frame):
            output.mux(packet)
    for packet in stream.encode(None):
        output.mux(packet)
    output.close()
    return {"duration_seconds": 3600.0}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    tts = Espeak()
    truth = {
        "speech_clean.wav": make_clean(tts),
        "speech_fillers.wav": make_fillers(tts),
        "speech_no_fillers.wav": make_no_fillers(tts),
        "speech_pauses.wav": make_pauses(tts),
        "speech_fast.wav": make_fast(tts),
        "silence.wav": make_silence(),
        "encoded": make_encoded(tts),
        **make_tones(),
        "broken": make_broken(),
        "hour_of_silence.ogg": make_hour_of_silence(),
    }
    (OUT / "truth.json").write_text(json.dumps(truth, indent=2) + "\n")
    total = sum(p.stat().st_size for p in OUT.iterdir())
    print(f"wrote {len(list(OUT.iterdir()))} files, {total / 1e6:.2f} MB, to {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
