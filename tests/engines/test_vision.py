"""The vision engine on committed clips (scripts/make_video_fixtures.py): a real face, a grey
screen, audio only, and broken files."""

from __future__ import annotations

import io
from concurrent.futures import ThreadPoolExecutor
from fractions import Fraction
from pathlib import Path

import av
import numpy as np
import pytest

from analysis.engines import vision

VIDEO = Path(__file__).resolve().parent.parent / "fixtures" / "video"
FACE = VIDEO / "face.mp4"
BLANK = VIDEO / "blank.webm"


@pytest.fixture(scope="module")
def face_frames() -> list[np.ndarray]:
    with av.open(str(FACE)) as container:
        return [frame.to_ndarray(format="bgr24") for frame in container.decode(video=0)]


@pytest.fixture(scope="module")
def face_features() -> vision.VideoFeatures:
    features = vision.analyze_video(FACE)
    assert features is not None
    return features


def encode(seconds: float, fps: int, *, fmt: str, codec: str, options: dict[str, str] | None = None) -> bytes:
    """A small synthetic clip of changing grey levels, made in memory."""
    buffer = io.BytesIO()
    with av.open(buffer, "w", format=fmt, options=options or {}) as container:
        stream = container.add_stream(codec, rate=fps)
        assert isinstance(stream, av.VideoStream)
        stream.width, stream.height, stream.pix_fmt = 160, 120, "yuv420p"
        for index in range(round(seconds * fps)):
            image = np.full((120, 160, 3), (index * 3) % 255, dtype=np.uint8)
            for packet in stream.encode(av.VideoFrame.from_ndarray(image, format="bgr24")):
                container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


def mp3_with_cover_art() -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="mp3") as container:
        audio = container.add_stream("libmp3lame", rate=16000)
        assert isinstance(audio, av.AudioStream)
        audio.layout = "mono"
        cover = container.add_stream("mjpeg", rate=1)
        assert isinstance(cover, av.VideoStream)
        cover.width, cover.height, cover.pix_fmt = 64, 64, "yuvj420p"
        cover.disposition = av.stream.Disposition.attached_pic
        for packet in cover.encode(
            av.VideoFrame.from_ndarray(np.full((64, 64, 3), 100, np.uint8), format="bgr24")
        ):
            container.mux(packet)
        for packet in cover.encode():
            container.mux(packet)
        frame = av.AudioFrame.from_ndarray(np.zeros((1, 16000), np.float32), format="fltp", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = 16000, 0, Fraction(1, 16000)
        for packet in [*audio.encode(frame), *audio.encode()]:
            container.mux(packet)
    return buffer.getvalue()


def audio_only_wav() -> bytes:
    buffer = io.BytesIO()
    with av.open(buffer, "w", format="wav") as container:
        stream = container.add_stream("pcm_s16le", rate=16000)
        stream.layout = "mono"
        samples = (np.sin(np.arange(16000) * 2 * np.pi * 220 / 16000) * 8000).astype(np.int16)
        frame = av.AudioFrame.from_ndarray(samples[np.newaxis, :], format="s16", layout="mono")
        frame.sample_rate, frame.pts, frame.time_base = 16000, 0, Fraction(1, 16000)
        for packet in stream.encode(frame):
            container.mux(packet)
        for packet in stream.encode():
            container.mux(packet)
    return buffer.getvalue()


# --- a face in front of the camera ------------------------------------------------------------


def test_face_clip_shows_a_face_making_eye_contact(face_features: vision.VideoFeatures) -> None:
    # given 3.5 s at 10 fps sampled at 2 frames/s
    assert face_features.frames_sampled == 7
    # then the face is found in most frames, with both eyes and a smile (the portrait smiles)
    assert face_features.frames_with_face >= 6
    assert face_features.eye_contact_score > 0.5
    assert face_features.smile_ratio > 0.5
    assert face_features.dominant_emotion == "happy"
    assert face_features.posture_score > 0.6  # steady, in frame, a little off centre


def test_as_spec_has_exactly_the_report_fields(face_features: vision.VideoFeatures) -> None:
    spec = face_features.as_spec()
    assert set(spec) == {
        "eye_contact_score",
        "smile_ratio",
        "posture_score",
        "dominant_emotion",
        "emotion_distribution",
    }
    distribution = spec["emotion_distribution"]
    assert isinstance(distribution, dict) and set(distribution) == set(vision.EMOTION_LABELS)
    assert sum(distribution.values()) == pytest.approx(1.0)
    assert all(0.0 <= spec[key] <= 1.0 for key in ("eye_contact_score", "smile_ratio", "posture_score"))  # type: ignore[operator]


def test_bytes_and_file_objects_read_the_same_as_a_path(face_features: vision.VideoFeatures) -> None:
    data = FACE.read_bytes()
    assert vision.analyze_video(data) == face_features
    with FACE.open("rb") as handle:
        assert vision.analyze_video(handle) == face_features


def test_frames_without_a_face_count_as_away(face_frames: list[np.ndarray]) -> None:
    # given 10 face frames followed by 10 frames of an empty room
    empty = [np.full_like(face_frames[0], 90)] * 10
    # when
    features = vision.analyze_frames(face_frames[:10] + empty)
    # then half the time the person was away, and eye contact can only come from the other half
    assert features.frames_sampled == 20
    assert features.emotion_distribution["away"] == pytest.approx(0.5)
    assert features.eye_contact_score <= 0.5
    assert sum(features.emotion_distribution.values()) == pytest.approx(1.0)


def test_analyze_frames_accepts_grey_frames(face_frames: list[np.ndarray]) -> None:
    grey = [frame.mean(axis=2).astype(np.uint8) for frame in face_frames[:4]]
    assert vision.analyze_frames(grey).frames_with_face >= 3


def test_concurrent_analyses_agree(face_features: vision.VideoFeatures) -> None:
    # each thread gets its own cascades, so parallel jobs cannot corrupt each other
    with ThreadPoolExecutor(max_workers=2) as pool:
        results = list(pool.map(vision.analyze_video, [FACE, FACE]))
    assert results == [face_features, face_features]


# --- nobody there, no video, broken video ----------------------------------------------------


def test_blank_clip_has_no_face_and_no_eye_contact() -> None:
    features = vision.analyze_video(BLANK)
    assert features is not None
    assert features.frames_with_face == 0
    assert features.eye_contact_score == 0.0
    assert features.smile_ratio == 0.0
    assert features.posture_score == 0.0
    assert features.dominant_emotion == "away"
    assert features.as_spec()["emotion_distribution"] == {"happy": 0.0, "neutral": 0.0, "away": 1.0}


def test_audio_only_media_has_no_video_features() -> None:
    assert vision.analyze_video(audio_only_wav()) is None


def test_cover_art_is_not_a_video() -> None:
    assert vision.analyze_video(mp3_with_cover_art()) is None


def test_missing_file_is_not_a_decoding_error(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        vision.analyze_video(tmp_path / "nowhere.mp4")


@pytest.mark.parametrize(
    "data",
    [b"this is not a video" * 50, FACE.read_bytes()[: len(FACE.read_bytes()) // 2], b""],
    ids=["garbage", "truncated-mp4", "empty"],
)
def test_undecodable_input_raises_video_error(data: bytes) -> None:
    with pytest.raises(vision.VideoError):
        vision.analyze_video(data)


def test_video_error_is_a_value_error() -> None:
    assert issubclass(vision.VideoError, ValueError)


# --- sampling ----------------------------------------------------------------------------------


def test_long_video_samples_are_spread_over_the_whole_duration() -> None:
    # given a 60 s clip whose container states its duration
    clip = encode(60, 5, fmt="mp4", codec="libx264")
    # when at most 12 frames may be analysed
    features = vision.analyze_video(clip, max_frames=12)
    # then exactly the cap is used, one frame every 5 s rather than the first 6 s at 2 frames/s
    assert features is not None and features.frames_sampled == 12


def test_video_without_duration_is_thinned_evenly_to_the_cap() -> None:
    # given a live-style webm (as browsers record it): no duration in the header
    clip = encode(60, 5, fmt="webm", codec="libvpx", options={"live": "1"})
    # when
    features = vision.analyze_video(clip, max_frames=10)
    # then the cap holds, and halving never leaves fewer than half of it
    assert features is not None and 5 <= features.frames_sampled <= 10


def test_sampling_arguments_must_be_positive() -> None:
    with pytest.raises(ValueError):
        vision.analyze_video(FACE, sample_fps=0)
