"""Non-verbal cues from an interview video: eye contact, smiles, posture, and the emotion labels
that the detectors can actually see.

Frames are sampled (about 2 per second) with PyAV and run through OpenCV's bundled Haar cascades:
the face is found on a small grey frame, then eyes and smile are looked for inside the face box
rescaled to a fixed size, which keeps the cost per frame low and the eye/smile detectors working
on faces of any size.

What the numbers mean (all 0..1):
- eye_contact_score: fraction of sampled frames showing a frontal face with one eye found in each
  half of the upper face. A level, frontal face with both eyes visible is the Haar proxy for
  looking at the camera; a turned head, a look down or no face lowers it.
- smile_ratio: fraction of face frames with a smile found in the lower half of the face.
- posture_score: presence x (0.5 stability + 0.3 centring + 0.2 in-frame) over face frames.
  Stability falls with the spread of the face centre and size over time (measured in face
  widths), centring with the face's distance from where a webcam frames a seated person
  (horizontally centred, a little above the middle), in-frame with how often the face box
  touches the frame edge (cut off); presence is the fraction of frames with a face.
- emotion_distribution: over sampled frames, "happy" (face, smiling), "neutral" (face, not
  smiling) and "away" (no face). Haar cascades cannot see surprise, sadness or anger, so those
  labels are never produced.
"""

from __future__ import annotations

import io
import os
import threading
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import BinaryIO

import av
import cv2
import numpy as np

__all__ = [
    "EMOTION_LABELS",
    "VideoError",
    "VideoFeatures",
    "analyze_frames",
    "analyze_video",
    "set_threads",
]

EMOTION_LABELS = ("happy", "neutral", "away")

DETECT_WIDTH = 320  # faces are found on frames this wide: ~8x fewer pixels than 640x480
MAX_DECODE_WIDTH = 640  # frames are converted to grey at most this wide (eyes need the detail)
FACE_ROI_WIDTH = 160  # eyes and smile are looked for in the face box rescaled to this width


class VideoError(ValueError):
    """The input is not a decodable video (corrupt, truncated before the first frame, not media)."""


@dataclass(frozen=True)
class VideoFeatures:
    """Scores in 0..1 (see the module docstring for methods); `emotion_distribution` sums to 1
    over EMOTION_LABELS."""

    eye_contact_score: float
    smile_ratio: float
    posture_score: float
    dominant_emotion: str
    emotion_distribution: dict[str, float] = field(default_factory=dict)
    frames_sampled: int = 0
    frames_with_face: int = 0

    def as_spec(self) -> dict[str, object]:
        """The `video_features` object of the interview-practice report, rounded for clients."""
        return {
            "eye_contact_score": round(self.eye_contact_score, 3),
            "smile_ratio": round(self.smile_ratio, 3),
            "posture_score": round(self.posture_score, 3),
            "dominant_emotion": self.dominant_emotion,
            "emotion_distribution": _rounded_distribution(self.emotion_distribution),
        }


def _rounded_distribution(distribution: dict[str, float]) -> dict[str, float]:
    rounded = {label: round(share, 3) for label, share in distribution.items()}
    if rounded:
        # Give the rounding residue to the largest share so the rounded values still sum to 1.
        largest = max(rounded, key=lambda label: rounded[label])
        rounded[largest] = round(rounded[largest] + 1.0 - sum(rounded.values()), 3)
    return rounded


# --------------------------------------------------------------------------------------------
# Detectors
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Cascades:
    face: cv2.CascadeClassifier
    eye: cv2.CascadeClassifier
    eye_glasses: cv2.CascadeClassifier
    smile: cv2.CascadeClassifier


_thread_local = threading.local()


def set_threads(count: int) -> None:
    """Size OpenCV's worker pool, which is process-wide: call it once per worker process (e.g. 1 in
    each of N prefork workers on N cores so they do not oversubscribe). Left alone, OpenCV uses
    every core, which is fastest for a single analysis (1.1-1.7x one thread's speed on 2 cores,
    see benchmarks/bench_vision.py)."""
    if count < 1:
        raise ValueError("thread count must be at least 1")
    cv2.setNumThreads(count)


_CASCADE_DIR: str = cv2.data.haarcascades  # type: ignore[attr-defined]  # missing from cv2's stubs


def _load(name: str) -> cv2.CascadeClassifier:
    path = os.path.join(_CASCADE_DIR, name)
    classifier = cv2.CascadeClassifier(path)
    if classifier.empty():
        # OpenCV 5 wheels ship no cascades; the project pins opencv-python-headless<5.
        raise RuntimeError(f"OpenCV Haar cascade {name!r} not found under {_CASCADE_DIR}")
    return classifier


def _cascades() -> _Cascades:
    # A CascadeClassifier keeps its working image buffers in the object, so concurrent
    # detectMultiScale calls on one instance are unsafe. Each thread loads its own set once (~20 ms);
    # a prefork worker process has one thread, so that is once per process.
    cascades = getattr(_thread_local, "cascades", None)
    if cascades is None:
        cascades = _Cascades(
            face=_load("haarcascade_frontalface_default.xml"),
            eye=_load("haarcascade_eye.xml"),
            eye_glasses=_load("haarcascade_eye_tree_eyeglasses.xml"),
            smile=_load("haarcascade_smile.xml"),
        )
        _thread_local.cascades = cascades
    return cascades


@dataclass(frozen=True)
class _FrameResult:
    # Face box in pixels of the detection frame, plus that frame's size; None when no face.
    face: tuple[int, int, int, int] | None
    frame_size: tuple[int, int]
    both_eyes: bool = False
    smile: bool = False


def _both_eyes(detections: Sequence[Sequence[int]], roi_width: int) -> bool:
    # One eye in each half of the face: two hits on the same eye, or an eye and an eyebrow, do not
    # make a frontal, level face.
    centres = [x + w / 2 for x, _y, w, _h in detections]
    return any(c < roi_width / 2 for c in centres) and any(c >= roi_width / 2 for c in centres)


def _eyes(cascade: cv2.CascadeClassifier, upper_face: np.ndarray) -> Sequence[Sequence[int]]:
    return cascade.detectMultiScale(
        upper_face, scaleFactor=1.1, minNeighbors=5, minSize=(16, 16), maxSize=(64, 64)
    )


def _detect(gray: np.ndarray, cascades: _Cascades) -> _FrameResult:
    height, width = gray.shape[:2]
    scale = DETECT_WIDTH / width if width > DETECT_WIDTH else 1.0
    small = cv2.resize(gray, None, fx=scale, fy=scale, interpolation=cv2.INTER_AREA) if scale < 1 else gray
    faces = cascades.face.detectMultiScale(small, scaleFactor=1.15, minNeighbors=5, minSize=(30, 30))
    small_h, small_w = small.shape[:2]
    if len(faces) == 0:
        return _FrameResult(None, (small_w, small_h))
    # The interviewee is the largest face; posters or people behind them are smaller.
    x, y, w, h = (int(v) for v in max(faces, key=lambda box: box[2] * box[3]))
    # Eyes and smile need more pixels than face detection: cut the box from the full frame.
    fx0, fy0 = int(x / scale), int(y / scale)
    fx1, fy1 = min(int((x + w) / scale), width), min(int((y + h) / scale), height)
    roi = gray[fy0:fy1, fx0:fx1]
    roi_height = max(1, round(roi.shape[0] * FACE_ROI_WIDTH / max(roi.shape[1], 1)))
    roi = cv2.equalizeHist(cv2.resize(roi, (FACE_ROI_WIDTH, roi_height), interpolation=cv2.INTER_AREA))
    upper = roi[: roi_height // 2]
    both_eyes = _both_eyes(_eyes(cascades.eye, upper), FACE_ROI_WIDTH)
    if not both_eyes:
        # Glasses defeat the plain eye cascade; the eyeglasses one is slower, so only as a fallback.
        both_eyes = _both_eyes(_eyes(cascades.eye_glasses, upper), FACE_ROI_WIDTH)
    lower = roi[roi_height // 2 :]
    # The smile cascade fires on any mouth-like texture unless many neighbours agree.
    smiles = cascades.smile.detectMultiScale(
        lower, scaleFactor=1.15, minNeighbors=20, minSize=(FACE_ROI_WIDTH // 4, FACE_ROI_WIDTH // 8)
    )
    return _FrameResult((x, y, w, h), (small_w, small_h), both_eyes, len(smiles) > 0)


# --------------------------------------------------------------------------------------------
# Aggregation
# --------------------------------------------------------------------------------------------


def _posture(face_results: list[_FrameResult], frames_sampled: int) -> float:
    if not face_results:
        return 0.0
    boxes = np.array([r.face for r in face_results], dtype=np.float64)
    sizes = np.array([r.frame_size for r in face_results], dtype=np.float64)
    centre_x = boxes[:, 0] + boxes[:, 2] / 2
    centre_y = boxes[:, 1] + boxes[:, 3] / 2
    mean_width = float(boxes[:, 2].mean())
    jitter = (float(centre_x.std()) + float(centre_y.std()) + float(boxes[:, 2].std())) / mean_width
    stability = max(0.0, 1.0 - jitter / 0.5)  # half a face width of wobble scores 0

    rel_x = centre_x / sizes[:, 0]
    rel_y = centre_y / sizes[:, 1]
    off_x = np.abs(rel_x - 0.5) / 0.5
    off_y = np.maximum(0.0, np.abs(rel_y - 0.4) - 0.15) / 0.45  # 0.25..0.55 of the height is fine
    centring = float(np.clip(1.0 - np.hypot(off_x, off_y), 0.0, 1.0).mean())

    touching = (
        (boxes[:, 0] <= 1)
        | (boxes[:, 1] <= 1)
        | (boxes[:, 0] + boxes[:, 2] >= sizes[:, 0] - 1)
        | (boxes[:, 1] + boxes[:, 3] >= sizes[:, 1] - 1)
    )
    in_frame = 1.0 - float(touching.mean())
    presence = len(face_results) / frames_sampled
    return presence * (0.5 * stability + 0.3 * centring + 0.2 * in_frame)


def _aggregate(results: list[_FrameResult]) -> VideoFeatures:
    sampled = len(results)
    if sampled == 0:
        raise VideoError("no frames to analyse")
    with_face = [r for r in results if r.face is not None]
    counts = {
        "happy": sum(1 for r in with_face if r.smile),
        "neutral": sum(1 for r in with_face if not r.smile),
        "away": sampled - len(with_face),
    }
    distribution = {label: counts[label] / sampled for label in EMOTION_LABELS}
    # Ties go to the calmer label: neutral, then happy, then away.
    preference = {"neutral": 0, "happy": 1, "away": 2}
    dominant = max(EMOTION_LABELS, key=lambda label: (counts[label], -preference[label]))
    return VideoFeatures(
        eye_contact_score=sum(1 for r in with_face if r.both_eyes) / sampled,
        smile_ratio=counts["happy"] / len(with_face) if with_face else 0.0,
        posture_score=_posture(with_face, sampled),
        dominant_emotion=dominant,
        emotion_distribution=distribution,
        frames_sampled=sampled,
        frames_with_face=len(with_face),
    )


def _to_gray(frame: np.ndarray) -> np.ndarray:
    if frame.ndim == 2:
        return frame
    if frame.ndim == 3 and frame.shape[2] == 3:
        return cv2.cvtColor(frame, cv2.COLOR_BGR2GRAY)
    if frame.ndim == 3 and frame.shape[2] == 4:
        return cv2.cvtColor(frame, cv2.COLOR_BGRA2GRAY)
    raise VideoError(f"expected a BGR or grey image array, got shape {frame.shape}")


def analyze_frames(frames: Iterable[np.ndarray]) -> VideoFeatures:
    """Score raw frames (BGR uint8 arrays as OpenCV returns them, or grey), every one of them."""
    cascades = _cascades()
    return _aggregate([_detect(_to_gray(frame), cascades) for frame in frames])


# --------------------------------------------------------------------------------------------
# Decoding
# --------------------------------------------------------------------------------------------


def _open(source: bytes | str | os.PathLike[str] | BinaryIO) -> av.container.InputContainer:
    if isinstance(source, bytes | bytearray | memoryview):
        if len(source) == 0:
            raise VideoError("empty input: no video data")
        source = io.BytesIO(bytes(source))
    try:
        return av.open(os.fspath(source) if isinstance(source, str | os.PathLike) else source, "r")
    except FileNotFoundError:
        raise
    except (av.FFmpegError, UnicodeDecodeError, EOFError) as exc:
        raise VideoError(f"not a decodable media file: {exc}") from None


def _duration_seconds(container: av.container.InputContainer, stream: av.VideoStream) -> float | None:
    if stream.duration is not None and stream.time_base is not None:
        return float(stream.duration * stream.time_base)
    if container.duration is not None:
        return container.duration / av.time_base
    return None  # browser MediaRecorder webm files often have no duration


def _gray_size(width: int, height: int) -> tuple[int, int]:
    if width <= MAX_DECODE_WIDTH:
        return width, height
    # Even dimensions keep swscale on its fast path.
    return MAX_DECODE_WIDTH, max(2, round(height * MAX_DECODE_WIDTH / width / 2) * 2)


def analyze_video(
    source: bytes | str | os.PathLike[str] | BinaryIO,
    *,
    sample_fps: float = 2.0,
    max_frames: int = 120,
) -> VideoFeatures | None:
    """Score a video file (path, bytes or binary file object; any container FFmpeg reads).

    Returns None when the media has no video stream (an audio-only answer, cover art aside). Frames are sampled
    `sample_fps` per second; when the duration is known and would give more than `max_frames`,
    the samples are spread evenly over the whole video instead. When it is not known (webm from a
    browser), every other sample is dropped and the spacing doubled each time the cap is passed,
    so the samples stay even (between max_frames/2 and max_frames of them). A file that breaks off after some frames is scored on what decoded.

    Raises VideoError for input that is not decodable media.
    """
    if sample_fps <= 0 or max_frames <= 0:
        raise ValueError("sample_fps and max_frames must be positive")
    container = _open(source)
    try:
        # Cover art in an mp3/m4a is a one-picture "video" stream; it says nothing about a face.
        moving = [
            s for s in container.streams.video if not s.disposition & av.stream.Disposition.attached_pic
        ]
        if not moving:
            return None
        stream = moving[0]
        interval = 1.0 / sample_fps
        duration = _duration_seconds(container, stream)
        if duration and duration * sample_fps > max_frames:
            interval = duration / max_frames
        cascades = _cascades()
        stream.thread_type = "AUTO"
        rate = float(stream.average_rate) if stream.average_rate else 25.0
        samples: list[tuple[float, _FrameResult]] = []
        try:
            for index, frame in enumerate(container.decode(stream)):
                time = frame.time if frame.time is not None else index / rate
                if samples and time < samples[-1][0] + interval - 1e-6:
                    continue  # decoded but not converted: YUV->grey and detection are the cost
                # Per frame: browser recordings may change resolution mid-stream.
                width, height = _gray_size(frame.width, frame.height)
                gray = frame.to_ndarray(format="gray", width=width, height=height)
                samples.append((time, _detect(gray, cascades)))
                if len(samples) > max_frames:
                    samples = samples[::2]
                    interval *= 2
        except av.FFmpegError as exc:
            if not samples:
                raise VideoError(f"video stream could not be decoded: {exc}") from None
        if not samples:
            raise VideoError("video stream has no decodable frames")
        return _aggregate([result for _time, result in samples])
    finally:
        container.close()
