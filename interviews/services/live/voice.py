"""Voice answers: one binary WebSocket frame holding an audio file (webm, ogg, wav, m4a...).

The socket checks the recording and stores it, a job transcribes it (Whisper is slow and runs on
the workers), and the recording is deleted once its job has finished either way: only the
transcript is kept, as the answer's text.
"""

from __future__ import annotations

import uuid
from typing import Any

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from analysis.engine_config import whisper_options
from analysis.engines import audio as audio_engine
from analysis.engines import speech
from analysis.models import Job
from interviews.exceptions import LiveInvalid, LiveNotFound, LiveUnavailable

VOICE_WAIT_SECONDS = 60.0
# A spoken answer runs a few minutes at most (4 minutes of browser Opus is about 1.5 MB); the
# frame is held in memory while it is checked. Under the socket server's own message limit
# (WS_MAX_MESSAGE_MB, 8), so an answer between the two gets this error frame, not a closed socket.
MAX_VOICE_MB = 6
MAX_VOICE_SECONDS = 10 * 60
ACCEPTED_CONTAINERS = {"wav", "mp3", "mp4", "mov", "m4a", "matroska", "webm", "ogg", "flac", "aac"}
_EXTENSION_FOR = {
    "wav": ".wav",
    "mp3": ".mp3",
    "ogg": ".ogg",
    "flac": ".flac",
    "aac": ".aac",
    "matroska": ".webm",
}


def voice_limit_bytes() -> int:
    return min(MAX_VOICE_MB, int(settings.MAX_UPLOAD_MB)) * 1024 * 1024


def live_voice_store(*, session_id: Any, data: bytes) -> tuple[str, float]:
    """Check that `data` is a recording with sound and store it: (storage name, seconds)."""
    if not data:
        raise LiveInvalid("The audio frame is empty: send the recording as one binary frame.")
    if len(data) > voice_limit_bytes():
        raise LiveInvalid(
            f"The recording is {len(data) / 2**20:.1f} MB; voice answers are limited to "
            f"{voice_limit_bytes() // 2**20} MB."
        )
    try:
        info = audio_engine.probe(data)
    except audio_engine.MediaError as error:
        raise LiveInvalid(f"The binary frame is not a recording we can read: {error}.") from error
    formats = set(info.format_name.split(","))
    if not ACCEPTED_CONTAINERS & formats:
        raise LiveInvalid(f"{info.format_name!r} is not an audio recording; send webm, ogg, wav, m4a or mp3.")
    if not info.has_audio:
        raise LiveInvalid("The recording has no audio track.")
    if info.duration_seconds > MAX_VOICE_SECONDS:
        raise LiveInvalid(f"Voice answers are limited to {MAX_VOICE_SECONDS // 60} minutes.")
    extension = next((_EXTENSION_FOR[f] for f in info.format_name.split(",") if f in _EXTENSION_FOR), ".m4a")
    name = default_storage.save(f"live/{session_id}/{uuid.uuid4().hex}{extension}", ContentFile(data))
    return name, round(info.duration_seconds, 3)


def live_voice_transcribe(inputs: dict[str, Any]) -> dict[str, Any]:
    """Worker side: the recording's transcript, {"text", "duration_seconds", "language"}."""
    name = str(inputs["audio"])
    if not default_storage.exists(name):
        raise LiveNotFound("The recording is gone.")
    try:
        with default_storage.open(name, "rb") as handle:
            # Checked at the socket already; capped again here, whatever the file's header claims.
            decoded = audio_engine.decode(handle.read(), max_seconds=MAX_VOICE_SECONDS + 5)
    except audio_engine.MediaError as error:
        raise LiveInvalid(f"The recording could not be decoded: {error}.") from error
    try:
        transcript = speech.transcribe(decoded, **whisper_options())
    except speech.TranscriptionError as error:
        raise LiveUnavailable(f"Speech recognition is unavailable: {error}") from error
    return {
        "text": transcript.text.strip(),
        "duration_seconds": round(decoded.duration_seconds, 3),
        "language": transcript.language,
    }


def live_voice_discard(job: Job, result: Any = None) -> None:
    """The recording goes once its transcription finished, succeeded or failed: the transcript is
    all that is kept."""
    default_storage.delete(str(job.inputs["audio"]))
