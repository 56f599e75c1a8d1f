"""Opening uploaded media with PyAV (FFmpeg): probing containers and decoding their audio.

Everything FFmpeg can demux is accepted (wav, mp3, m4a/aac, ogg/opus, webm, mp4, ...). Failures
surface as `MediaError` whose message can be shown to the person who uploaded the file.
"""

from __future__ import annotations

import io
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from typing import BinaryIO

import av
import numpy as np

MediaSource = bytes | bytearray | memoryview | str | os.PathLike[str] | BinaryIO

# FFmpeg reports broken input through several exception families depending on where it breaks
# (probing, demuxing, decoding, or the Python file object underneath).
_AV_FAILURES = (av.FFmpegError, OSError, EOFError, ValueError, IndexError)

# A recording cut short (a browser tab closed mid-upload) decodes fine up to the cut; keep what
# came out when at least this much audio did, otherwise the file is treated as undecodable.
_TRUNCATION_TOLERANCE_SECONDS = 1.0


class MediaError(ValueError):
    """The media cannot be used: empty, undecodable, or without audio. The message is user-facing."""


class MediaTooLong(MediaError):
    """The media plays longer than the caller's cap (found while reading, whatever its header says)."""


@dataclass(frozen=True)
class MediaInfo:
    """What a container holds. `format_name` is FFmpeg's demuxer name (e.g. "wav", "matroska,webm")."""

    format_name: str
    duration_seconds: float
    has_audio: bool
    has_video: bool
    video_width: int | None
    video_height: int | None


def _reason(exc: BaseException) -> str:
    reason = getattr(exc, "strerror", None) or str(exc) or type(exc).__name__
    return str(reason).rstrip(".")


def _input_for(source: MediaSource) -> str | BinaryIO:
    if isinstance(source, bytes | bytearray | memoryview):
        if len(source) == 0:
            raise MediaError("the file is empty")
        return io.BytesIO(bytes(source))
    if isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        try:
            size = os.path.getsize(path)
        except OSError as exc:
            raise MediaError(f"could not read the file: {_reason(exc)}") from exc
        if size == 0:
            raise MediaError("the file is empty")
        return path
    if source.seekable():
        position = source.tell()
        end = source.seek(0, io.SEEK_END)
        source.seek(position)
        if end - position <= 0:
            raise MediaError("the file is empty")
    return source


@contextmanager
def _opened(source: MediaSource, what: str) -> Iterator[av.container.InputContainer]:
    handle = _input_for(source)
    # An upload is often probed and then decoded; put a file object back where it was found.
    rewind = handle.tell() if not isinstance(handle, str) and handle.seekable() else None
    try:
        try:
            container = av.open(handle, mode="r", metadata_errors="ignore")
        except _AV_FAILURES as exc:
            raise MediaError(f"could not decode {what}: {_reason(exc)}") from exc
        try:
            yield container
        finally:
            container.close()
    finally:
        if rewind is not None and not isinstance(handle, str):
            handle.seek(rewind)


def _is_cover_art(stream: av.stream.Stream) -> bool:
    # An mp3 or m4a with album art carries the picture as a one-frame "video" stream.
    return bool(stream.disposition & av.stream.Disposition.attached_pic)


def probe(source: MediaSource) -> MediaInfo:
    """Describe a media file, decoding at least one frame so that garbage behind a valid header fails.

    Raises `MediaError` when the file is empty, cannot be parsed, or its first stream yields no frame.
    """
    with _opened(source, "the file") as container:
        audio = container.streams.audio[0] if container.streams.audio else None
        videos = [s for s in container.streams.video if not _is_cover_art(s)]
        video = videos[0] if videos else None
        stream = audio or video
        if stream is None:
            raise MediaError("the file contains no audio or video")
        decoded = False
        end_seconds = 0.0
        try:
            # Every packet's timestamp is read (no decoding, so cheap): a header can claim ten
            # seconds for a file that plays for hours, and browser webm files carry no duration.
            for packet in container.demux(stream):
                if packet.pts is not None and packet.time_base is not None:
                    end_seconds = max(
                        end_seconds, float((packet.pts + (packet.duration or 0)) * packet.time_base)
                    )
                if not decoded:
                    decoded = bool(packet.decode()) if packet.size else decoded
            if not decoded:
                decoded = any(True for _ in stream.codec_context.decode(None))
        except _AV_FAILURES as exc:
            if not decoded:
                raise MediaError(f"could not decode the file: {_reason(exc)}") from exc
        if not decoded:
            raise MediaError("could not decode the file: no frame could be decoded")
        header = container.duration / av.time_base if container.duration is not None else 0.0
        duration = max(header, end_seconds)
        return MediaInfo(
            format_name=container.format.name,
            duration_seconds=max(0.0, float(duration)),
            has_audio=audio is not None,
            has_video=video is not None,
            video_width=video.codec_context.width if video is not None else None,
            video_height=video.codec_context.height if video is not None else None,
        )


def decode_audio(source: MediaSource, *, sample_rate: int, max_seconds: float | None = None) -> np.ndarray:
    """Decode the first audio stream to mono float32 samples at `sample_rate` Hz.

    Raises `MediaError` when the file is empty, undecodable, or has no audio, and `MediaTooLong`
    as soon as more than `max_seconds` of audio came out: decoding stops there, so an hour of
    Opus packed into 2 MB never becomes a gigabyte of samples.
    """
    if sample_rate <= 0:
        raise ValueError("sample_rate must be positive")
    cap = None if max_seconds is None else int(max_seconds * sample_rate)
    with _opened(source, "audio") as container:
        if not container.streams.audio:
            raise MediaError("the file contains no audio")
        stream = container.streams.audio[0]
        chunks: list[np.ndarray] = []
        resampler: av.AudioResampler | None = None
        signature: tuple[str, str, int] | None = None
        decoded = 0

        def drain(frame: av.AudioFrame | None) -> None:
            nonlocal decoded
            assert resampler is not None
            for out in resampler.resample(frame):
                samples = out.to_ndarray().reshape(-1)
                decoded += samples.size
                chunks.append(samples)

        try:
            for frame in container.decode(stream):
                current = (frame.format.name, frame.layout.name, frame.sample_rate)
                if current != signature:
                    # The resampler's filter graph is fixed to its first input; streams that switch
                    # layout or rate mid-way (HE-AAC, concatenated mp3) need a fresh one.
                    if resampler is not None:
                        drain(None)
                    resampler = av.AudioResampler(format="flt", layout="mono", rate=sample_rate)
                    signature = current
                frame.pts = None
                drain(frame)
                if cap is not None and decoded > cap:
                    raise MediaTooLong(f"the recording is longer than {_minutes(max_seconds or 0)}")
        except MediaTooLong:
            raise
        except _AV_FAILURES as exc:
            if decoded < _TRUNCATION_TOLERANCE_SECONDS * sample_rate:
                raise MediaError(f"could not decode audio: {_reason(exc)}") from exc
        if resampler is not None:
            drain(None)
        if decoded == 0:
            raise MediaError("the file contains no audio")
        samples = np.concatenate(chunks).astype(np.float32, copy=False)
        np.nan_to_num(samples, copy=False, nan=0.0, posinf=1.0, neginf=-1.0)
        return samples


def _minutes(seconds: float) -> str:
    if seconds >= 120:
        return f"{seconds / 60:.0f} minutes"
    return f"{seconds:.0f} seconds"


def resample(samples: np.ndarray, *, from_rate: int, to_rate: int) -> np.ndarray:
    """Band-limited resampling of mono float32 samples through FFmpeg's swresample."""
    samples = np.ascontiguousarray(samples, dtype=np.float32).reshape(-1)
    if from_rate == to_rate or samples.size == 0:
        return samples.copy()
    frame = av.AudioFrame.from_ndarray(samples.reshape(1, -1), format="flt", layout="mono")
    frame.sample_rate = from_rate
    resampler = av.AudioResampler(format="flt", layout="mono", rate=to_rate)
    parts = [out.to_ndarray().reshape(-1) for out in resampler.resample(frame)]
    parts += [out.to_ndarray().reshape(-1) for out in resampler.resample(None)]
    return np.concatenate(parts).astype(np.float32, copy=False) if parts else np.zeros(0, np.float32)
