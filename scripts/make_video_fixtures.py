"""Write the small videos under tests/fixtures/video/ that the vision tests and benchmark use.

    .venv/bin/pip install scikit-image   # only this script needs it, for the `astronaut` photo
    .venv/bin/python scripts/make_video_fixtures.py

- face.mp4: 3.5 s, 640x480, 10 fps H.264 with a 220 Hz AAC tone; scikit-image's `astronaut`
  portrait (a real, frontal, smiling face) drifting and breathing a few pixels, like a person
  sitting in front of a webcam.
- blank.webm: 3 s, 640x480, 10 fps VP8 of solid grey: a camera that sees no one.

Output is deterministic: the motion is a fixed function of the frame index and the encoders run
single-threaded with bit-exact muxing.
"""

from __future__ import annotations

import math
from fractions import Fraction
from pathlib import Path

import av
import cv2
import numpy as np

OUT = Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "video"
WIDTH, HEIGHT, FPS = 640, 480, 10
GREY = 128


def _astronaut_bgr() -> np.ndarray:
    from skimage import data  # a dev-only dependency; the photo ships inside the package

    return cv2.cvtColor(data.astronaut(), cv2.COLOR_RGB2BGR)


def face_frames(seconds: float = 3.5) -> list[np.ndarray]:
    portrait = _astronaut_bgr()
    frames = []
    for index in range(round(seconds * FPS)):
        phase = 2 * math.pi * index / (2.5 * FPS)
        size = round(440 * (1 + 0.02 * math.sin(phase)))  # breathing: +-2 % scale
        dx = round(8 * math.sin(phase))  # drifting: +-8 px sideways, +-4 px up and down
        dy = round(4 * math.cos(phase * 0.7))
        resized = cv2.resize(portrait, (size, size), interpolation=cv2.INTER_AREA)
        canvas = np.full((HEIGHT, WIDTH, 3), GREY, dtype=np.uint8)
        left = (WIDTH - size) // 2 + dx
        top = (HEIGHT - size) // 2 + 20 + dy  # the portrait's face sits in its upper third
        y0, x0 = max(top, 0), max(left, 0)
        y1, x1 = min(top + size, HEIGHT), min(left + size, WIDTH)
        canvas[y0:y1, x0:x1] = resized[y0 - top : y1 - top, x0 - left : x1 - left]
        frames.append(canvas)
    return frames


def blank_frames(seconds: float = 3.0) -> list[np.ndarray]:
    return [np.full((HEIGHT, WIDTH, 3), GREY, dtype=np.uint8) for _ in range(round(seconds * FPS))]


def write_video(
    path: Path, frames: list[np.ndarray], *, codec: str, options: dict[str, str], tone_hz: float | None
) -> None:
    with av.open(str(path), "w", options={"fflags": "+bitexact"}) as container:
        video = container.add_stream(codec, rate=FPS, options=options)
        assert isinstance(video, av.VideoStream)
        video.width, video.height, video.pix_fmt = WIDTH, HEIGHT, "yuv420p"
        video.thread_count = 1
        audio = None
        if tone_hz is not None:
            audio = container.add_stream("aac", rate=16000)
            audio.layout = "mono"
        for frame in frames:
            for packet in video.encode(av.VideoFrame.from_ndarray(frame, format="bgr24")):
                container.mux(packet)
        for packet in video.encode():
            container.mux(packet)
        if audio is not None and tone_hz is not None:
            seconds = len(frames) / FPS
            t = np.arange(round(seconds * 16000)) / 16000
            samples = (0.2 * np.sin(2 * np.pi * tone_hz * t)).astype(np.float32)
            chunk = 1024
            for offset in range(0, len(samples), chunk):
                piece = samples[offset : offset + chunk]
                audio_frame = av.AudioFrame.from_ndarray(piece[np.newaxis, :], format="flt", layout="mono")
                audio_frame.sample_rate = 16000
                audio_frame.pts = offset
                audio_frame.time_base = Fraction(1, 16000)
                for packet in audio.encode(audio_frame):
                    container.mux(packet)
            for packet in audio.encode():
                container.mux(packet)


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    write_video(
        OUT / "face.mp4",
        face_frames(),
        codec="libx264",
        options={"crf": "30", "preset": "medium", "threads": "1", "tune": "stillimage"},
        tone_hz=220.0,
    )
    write_video(
        OUT / "blank.webm",
        blank_frames(),
        codec="libvpx",
        options={"crf": "30", "b": "200k", "threads": "1"},
        tone_hz=None,
    )
    for path in sorted(OUT.iterdir()):
        print(f"{path.relative_to(OUT.parent.parent.parent)}  {path.stat().st_size / 1024:.1f} KiB")


if __name__ == "__main__":
    main()
