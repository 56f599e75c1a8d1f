"""Writes of a call's life: start, upload a chunk (probed before it is stored, idempotent per
sequence), stop (the recording assembled in sequence order, the transcript finished by a job)."""

from __future__ import annotations

import logging
import os
import tempfile
import time
from fractions import Fraction
from typing import Any, BinaryIO

import av
import numpy as np
from django.core.files import File
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.db.models import Max
from django.utils import timezone

from accounts.models import User
from accounts.storage import StorageError, save_file
from analysis import engine_config, jobs
from analysis.engines import audio as audio_engine
from conversations import events
from conversations.exceptions import Conflict, Forbidden, Invalid, StorageProblem
from conversations.limits import UPLOAD_BYTES_PER_MINUTE
from conversations.models import PUBLIC_ID_PREFIX, Chunk, Conversation

logger = logging.getLogger(__name__)

TRANSCRIBE_KIND = "conversations.transcribe"

# A chunk larger than a minute's upload budget could never be accepted: it is refused as invalid.
MAX_CHUNK_BYTES = UPLOAD_BYTES_PER_MINUTE
MAX_CHUNK_SECONDS = 10 * 60
MAX_SEQUENCE = 1_000_000
# FFmpeg demuxer names of m4a, wav, mp3, webm and ogg (conversation-intelligence.md lists m4a, wav
# and mp3; phone browsers record webm and ogg).
ACCEPTED_CONTAINERS = {"mov", "mp4", "m4a", "wav", "mp3", "matroska", "webm", "ogg"}
_EXTENSION_OF = {"wav": ".wav", "mp3": ".mp3", "ogg": ".ogg", "matroska": ".webm", "webm": ".webm"}
# How long a second stop waits for the first one to finish assembling the recording.
STOP_WAIT_SECONDS = 60.0
START_ATTEMPTS = 20


def owner_of(conversation: Conversation) -> str:
    return f"user:{conversation.technician_id}"


# --------------------------------------------------------------------------------------------
# Start


def conversation_start(
    *,
    technician: User,
    job_id: str = "",
    job_title: str = "",
    customer_name: str = "",
    customer_phone: str = "",
    location_address: str = "",
) -> Conversation:
    """A new call in progress, numbered after the day's last one (`CONV-YYYYMMDD-NNN`).

    Two calls started at the same moment may both read the same last number; the unique
    (day, number) constraint lets only one of them have it and the other takes the next one."""
    if technician.role not in (User.Role.TECHNICIAN, User.Role.SUPERVISOR):
        raise Forbidden("Only technicians and supervisors record field conversations.")
    for _ in range(START_ATTEMPTS):
        now = timezone.now()
        day = now.date()
        try:
            with transaction.atomic():
                last = Conversation.objects.filter(day=day).aggregate(last=Max("number"))["last"] or 0
                number = last + 1
                return Conversation.objects.create(
                    public_id=f"{PUBLIC_ID_PREFIX}-{day:%Y%m%d}-{number:03d}",
                    day=day,
                    number=number,
                    technician=technician,
                    service_job_id=job_id,
                    service_job_title=job_title,
                    customer_name=customer_name,
                    customer_phone=customer_phone,
                    location_address=location_address,
                    started_at=now,
                )
        except IntegrityError:
            continue  # another call took that number a moment ago
    raise RuntimeError("could not number a new conversation after repeated collisions")


# --------------------------------------------------------------------------------------------
# Chunks


def _probe_source(upload: UploadedFile) -> str | BinaryIO:
    path = getattr(upload, "temporary_file_path", None)
    if callable(path):
        return str(path())
    upload.seek(0)
    return upload.file  # type: ignore[return-value]


def _extension(filename: str, container: str) -> str:
    suffix = os.path.splitext(filename)[1].lower()
    if suffix in {".m4a", ".mp4", ".wav", ".mp3", ".webm", ".ogg", ".oga", ".opus"}:
        return suffix
    for token in container.split(","):
        if token in _EXTENSION_OF:
            return _EXTENSION_OF[token]
    return ".m4a"


def chunk_upload(
    *, conversation: Conversation, user: User, upload: UploadedFile, sequence: int
) -> tuple[Chunk, bool]:
    """Store chunk `sequence` of a call in progress and queue its transcription; returns the chunk
    and whether it is new. The same sequence again answers the stored chunk and queues nothing.
    Nothing is stored when a check fails."""
    if conversation.technician_id != user.pk:
        raise Forbidden("Only the technician recording this conversation can upload its audio.")
    if not 1 <= sequence <= MAX_SEQUENCE:
        raise Invalid("sequence: must be an integer from 1.", details={"field": "sequence"})
    existing = Chunk.objects.filter(conversation=conversation, sequence=sequence).first()
    if existing is not None:
        return existing, False
    if not conversation.is_recording:
        raise Conflict(
            f"Conversation {conversation.public_id} is {conversation.status}: it no longer takes audio.",
            details={"status": conversation.status},
        )
    size = int(upload.size or 0)
    if size == 0:
        raise Invalid("chunk: the file is empty.", details={"field": "chunk"})
    if size > MAX_CHUNK_BYTES:
        raise Invalid(
            f"chunk: {size / 2**20:.1f} MB is over the {MAX_CHUNK_BYTES // 2**20} MB a chunk may have.",
            details={"field": "chunk", "max_bytes": MAX_CHUNK_BYTES},
        )
    try:
        info = audio_engine.probe(_probe_source(upload))
    except audio_engine.MediaError as error:
        raise Invalid(f"chunk: not a usable recording: {error}.", details={"field": "chunk"}) from error
    if not ACCEPTED_CONTAINERS & set(info.format_name.split(",")) or not info.has_audio:
        raise Invalid(
            "chunk: not an audio recording; upload m4a, wav, mp3, webm or ogg.",
            details={"field": "chunk", "format": info.format_name},
        )
    if info.duration_seconds > MAX_CHUNK_SECONDS:
        raise Invalid(
            f"chunk: {info.duration_seconds:.0f} s is longer than a chunk may be ({MAX_CHUNK_SECONDS} s).",
            details={"field": "chunk"},
        )

    chunk = Chunk(
        conversation=conversation,
        sequence=sequence,
        extension=_extension(upload.name or "", info.format_name),
        content_type=(upload.content_type or "")[:100],
        size_bytes=size,
        container=info.format_name[:100],
        duration_seconds=round(info.duration_seconds, 3),
    )
    upload.seek(0)
    try:
        save_file(chunk.file, f"chunk{chunk.extension}", upload)
    except StorageError as error:
        raise StorageProblem(error.message, status=error.status) from error
    try:
        with transaction.atomic():
            # Locked against a stop: once a stop commits, no chunk joins the recording.
            current = Conversation.objects.select_for_update().get(pk=conversation.pk)
            if not current.is_recording:
                raise Conflict(
                    f"Conversation {current.public_id} is {current.status}: it no longer takes audio.",
                    details={"status": current.status},
                )
            chunk.save()
            jobs.job_enqueue(
                kind=TRANSCRIBE_KIND,
                # The analysis that follows the transcript uses the provider of the request that led to it.
                inputs={
                    "conversation_id": conversation.pk,
                    "chunk_id": chunk.pk,
                    "llm": engine_config.llm_options(),
                },
                owner=owner_of(conversation),
            )
    except IntegrityError:
        chunk.file.delete(save=False)
        # The same sequence raced in from a retry: the first one stands.
        return Chunk.objects.get(conversation=conversation, sequence=sequence), False
    except Exception:
        chunk.file.delete(save=False)
        raise
    return chunk, True


# --------------------------------------------------------------------------------------------
# Stop


def conversation_stop(*, conversation: Conversation, user: User) -> Conversation:
    """End the recording: status `processing`, the chunks joined in sequence order into one
    recording, and a job that finishes the transcript (and then hands the call to the analysis).
    A second stop answers the same conversation."""
    if conversation.technician_id != user.pk:
        raise Forbidden("Only the technician recording this conversation can stop it.")
    now = timezone.now()
    won = Conversation.objects.filter(pk=conversation.pk, status=Conversation.Status.IN_PROGRESS).update(
        status=Conversation.Status.PROCESSING, ended_at=now, updated_at=now
    )
    if won:
        _recording_build(conversation_id=conversation.pk)
        with transaction.atomic():
            jobs.job_enqueue(
                kind=TRANSCRIBE_KIND,
                inputs={"conversation_id": conversation.pk, "llm": engine_config.llm_options()},
                owner=owner_of(conversation),
            )
        events.emit_on_commit(events.CONVERSATION_COMPLETED, {"conversation_id": conversation.public_id})
    else:
        deadline = time.monotonic() + STOP_WAIT_SECONDS
        while not Conversation.objects.filter(pk=conversation.pk, duration_seconds__isnull=False).exists():
            if time.monotonic() > deadline:
                _recording_build(conversation_id=conversation.pk)  # the first stop died mid-way
                break
            time.sleep(0.1)
    conversation.refresh_from_db()
    return conversation


def _chunk_audio(chunk: Chunk) -> np.ndarray:
    try:
        with chunk.file.open("rb") as handle:
            return audio_engine.decode(handle.file).samples  # type: ignore[arg-type]
    except (audio_engine.MediaError, OSError) as error:
        logger.warning("chunk %s left out of the recording: %s", chunk.pk, error)
        return np.zeros(0, np.float32)


RECORDING_RATE = 16000
RECORDING_BIT_RATE = 48000


def _encode_m4a(samples: np.ndarray, path: str) -> None:
    with av.open(path, "w", format="ipod") as output:
        stream = output.add_stream("aac", rate=RECORDING_RATE, layout="mono")
        assert isinstance(stream, av.AudioStream)
        stream.codec_context.bit_rate = RECORDING_BIT_RATE
        frame_size = stream.codec_context.frame_size or 1024
        for start in range(0, samples.size, frame_size):
            block = np.ascontiguousarray(samples[start : start + frame_size], dtype=np.float32)[None, :]
            frame = av.AudioFrame.from_ndarray(block, format="fltp", layout="mono")
            frame.sample_rate = RECORDING_RATE
            frame.pts = start
            frame.time_base = Fraction(1, RECORDING_RATE)
            for packet in stream.encode(frame):
                output.mux(packet)
        for packet in stream.encode(None):
            output.mux(packet)


def _recording_build(*, conversation_id: Any) -> None:
    """Join the chunks in sequence order (16 kHz mono AAC, `.m4a`) and store the length."""
    conversation = Conversation.objects.get(pk=conversation_id)
    chunks = list(conversation.chunks.order_by("sequence"))
    samples = np.concatenate([_chunk_audio(chunk) for chunk in chunks]) if chunks else np.zeros(0, np.float32)
    duration = round(samples.size / RECORDING_RATE, 3)
    name = ""
    if samples.size:
        handle, path = tempfile.mkstemp(suffix=".m4a")
        os.close(handle)
        try:
            _encode_m4a(samples, path)
            with open(path, "rb") as source:
                name = conversation.recording.storage.save(
                    f"conversations/{conversation.public_id}/recording.m4a", File(source)
                )
        finally:
            os.unlink(path)
    Conversation.objects.filter(pk=conversation.pk).update(
        recording=name, duration_seconds=duration, updated_at=timezone.now()
    )
