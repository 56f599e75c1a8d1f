"""Recordings: upload (probed before anything is stored), transcription and the report.

Request side: `practice_media_upload`, `practice_transcript_collect`, `practice_report_collect`.
Worker side (job kinds in interviews/tasks.py): `practice_media_transcribe`, `practice_report_build`.
"""

from __future__ import annotations

import dataclasses
import logging
import os
import re
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any, BinaryIO

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.storage import StorageError, save_file
from analysis.engine_config import whisper_options
from analysis.engines import audio as audio_engine
from analysis.engines import llm, speech, vision
from interviews import ai, selectors
from interviews.ai import feedback as feedback_task
from interviews.ai.language import appears_in
from interviews.exceptions import (
    AIServiceUnavailable,
    PracticeInvalid,
    PracticeNotFound,
    PracticeStorageError,
)
from interviews.models import PracticeMedia, PracticeReport, PracticeSession
from interviews.services import practice_jobs
from interviews.services.scoring import answer_score

logger = logging.getLogger(__name__)

# How long a request waits on its job before answering 503 "still running" (the job goes on).
TRANSCRIBE_WAIT_SECONDS = 120.0
REPORT_WAIT_SECONDS = 180.0

# FFmpeg demuxer names of what browsers and phones record; anything else that happens to decode
# (a GIF, a PNG, a subtitle file) is not a recording.
ACCEPTED_CONTAINERS = {"wav", "mp3", "mp4", "mov", "m4a", "matroska", "webm", "ogg", "flac", "aac"}
ACCEPTED_EXTENSIONS = {
    ".webm",
    ".mp4",
    ".m4a",
    ".mov",
    ".wav",
    ".mp3",
    ".ogg",
    ".oga",
    ".opus",
    ".flac",
    ".aac",
}
_EXTENSION_FOR = {
    "wav": ".wav",
    "mp3": ".mp3",
    "ogg": ".ogg",
    "flac": ".flac",
    "aac": ".aac",
    "matroska": ".webm",
}


def _megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def upload_limit_bytes() -> int:
    return int(settings.MAX_UPLOAD_MB) * 1024 * 1024


def _probe_source(upload: UploadedFile) -> str | BinaryIO:
    path = getattr(upload, "temporary_file_path", None)
    if callable(path):
        return str(path())
    upload.seek(0)
    return upload.file  # type: ignore[return-value]


def _safe_filename(name: str) -> str:
    base = os.path.basename(name.replace("\\", "/")) or "recording"
    return re.sub(r"[\x00-\x1f\x7f]", "", base)[:255] or "recording"


def _extension(filename: str, container: str) -> str:
    suffix = os.path.splitext(filename)[1].lower()
    if suffix in ACCEPTED_EXTENSIONS:
        return suffix
    for token in container.split(","):
        if token in _EXTENSION_FOR:
            return _EXTENSION_FOR[token]
    return ".mp4"


def practice_media_upload(
    *, session: PracticeSession, upload: UploadedFile, media_type: str, question_id: str | None = None
) -> PracticeMedia:
    """Store a recording answering the session's question `question_id` (default: the latest
    asked), after checking it is what it claims: a decodable audio or video recording under
    MAX_UPLOAD_MB with an audio track (answers are judged on what is said), and a video stream
    when `media_type` is video. Nothing is written when any check fails."""
    size = int(upload.size or 0)
    if size == 0:
        raise PracticeInvalid("file: the file is empty.")
    if size > upload_limit_bytes():
        raise PracticeInvalid(
            f"file: {_megabytes(size)} is over the {settings.MAX_UPLOAD_MB} MB upload limit."
        )
    turn = selectors.practice_turn_for_upload(session=session, question_id=question_id)
    try:
        info = audio_engine.probe(_probe_source(upload))
    except audio_engine.MediaError as error:
        raise PracticeInvalid(f"file: not a usable recording: {error}.") from error
    if not ACCEPTED_CONTAINERS & set(info.format_name.split(",")):
        raise PracticeInvalid(
            f"file: {info.format_name!r} is not an audio or video recording; "
            "upload webm, mp4, m4a, mov, wav, mp3, ogg or flac."
        )
    if not info.has_audio:
        raise PracticeInvalid("file: the recording has no audio track; answers are judged on what you say.")
    if media_type == PracticeMedia.MediaType.VIDEO and not info.has_video:
        raise PracticeInvalid("file: media_type is video but the file has no video stream; send it as audio.")
    # The length comes from the packets, not the header, which can claim anything.
    if info.duration_seconds > session.duration_minutes * 60:
        raise PracticeInvalid(
            f"file: the recording lasts {info.duration_seconds / 60:.0f} minutes, longer than this "
            f"{session.duration_minutes}-minute session."
        )

    filename = _safe_filename(upload.name or "recording")
    media = PracticeMedia(
        session=session,
        turn=turn,
        media_type=media_type,
        filename=filename,
        extension=_extension(filename, info.format_name),
        content_type=(upload.content_type or "")[:100],
        size_bytes=size,
        container=info.format_name[:100],
        duration_seconds=round(info.duration_seconds, 3),
        has_video=info.has_video,
    )
    upload.seek(0)
    try:
        save_file(media.file, f"recording{media.extension}", upload)
    except StorageError as error:
        raise PracticeStorageError(error.message, status=error.status) from error
    try:
        media.save()
    except Exception:
        media.file.delete(save=False)  # no orphan file when the row cannot be written
        raise
    return media


# --------------------------------------------------------------------------------------------
# Worker side


@contextmanager
def _source(media: PracticeMedia) -> Iterator[Any]:
    """The stored file as the engines read it: a path on local storage, else an open file."""
    try:
        path: str | None = media.file.path
    except NotImplementedError:  # remote storage has no paths
        path = None
    if path is not None:
        yield path
        return
    with media.file.storage.open(media.file.name or "", "rb") as handle:
        yield handle


def _load(media_id: Any) -> PracticeMedia:
    media = PracticeMedia.objects.select_related("session", "turn__question").filter(pk=media_id).first()
    if media is None:
        raise PracticeNotFound("Media not found.")
    return media


# Slack over the session's length for container rounding; past it decoding stops (a file that
# slipped through with a lying header cannot make a worker decode hours of audio).
DECODE_SLACK_SECONDS = 5.0


def _decode(media: PracticeMedia) -> audio_engine.Audio:
    limit = media.session.duration_minutes * 60 + DECODE_SLACK_SECONDS
    try:
        with _source(media) as source:
            return audio_engine.decode(source, max_seconds=limit)
    except audio_engine.MediaTooLong as error:
        raise PracticeInvalid(f"The recording is too long for this session: {error}.") from error
    except (audio_engine.MediaError, FileNotFoundError) as error:
        raise PracticeInvalid(f"The recording could not be decoded: {error}.") from error


def _transcribe(decoded: audio_engine.Audio) -> dict[str, Any]:
    try:
        return speech.transcribe(decoded, **whisper_options()).to_dict()
    except speech.TranscriptionError as error:
        raise AIServiceUnavailable(f"Speech recognition is unavailable: {error}") from error


def practice_media_transcribe(*, media_id: Any) -> None:
    """Transcribe the recording once; safe to run twice (a redelivered job finds it done)."""
    media = _load(media_id)
    if media.transcript is not None:
        return
    transcript = _transcribe(_decode(media))
    PracticeMedia.objects.filter(pk=media.pk, transcript__isnull=True).update(
        transcript=transcript, transcribed_at=timezone.now()
    )


def _measure(media: PracticeMedia) -> PracticeMedia:
    """Transcript and audio/video features, each computed once and kept on the media."""
    decoded: audio_engine.Audio | None = None
    if media.transcript is None:
        decoded = _decode(media)
        transcript = _transcribe(decoded)
        PracticeMedia.objects.filter(pk=media.pk, transcript__isnull=True).update(
            transcript=transcript, transcribed_at=timezone.now()
        )
        media.refresh_from_db()
    if media.features_at is None:
        decoded = decoded or _decode(media)
        features = audio_engine.features(decoded, speech.Transcript.from_dict(media.transcript or {}))
        video: dict[str, Any] | None = None
        if media.media_type == PracticeMedia.MediaType.VIDEO:
            try:
                with _source(media) as source:
                    found = vision.analyze_video(source)
            except vision.VideoError as error:
                raise PracticeInvalid(f"The video could not be analysed: {error}.") from error
            video = found.as_spec() if found is not None else None
        media.audio_features = dataclasses.asdict(features)
        media.video_features = video
        media.features_at = timezone.now()
        media.save(update_fields=["audio_features", "video_features", "features_at"])
    return media


def _grounded(points: list[dict[str, Any]], transcript: str) -> list[dict[str, Any]]:
    """Points whose quote is really in the transcript keep it; an invented quote is dropped."""
    return [
        {**p, "quote": p["quote"] if p.get("quote") and appears_in(p["quote"], transcript) else ""}
        for p in points
    ]


def practice_report_build(*, media_id: Any, options: dict[str, Any] | None = None) -> None:
    """Transcript, features, answer score and feedback for one recording; stored once.

    Measurements are kept even when the AI step fails, so a retry after an outage redoes only
    the AI step. Raises AIServiceUnavailable when the provider is down.
    """
    started = time.perf_counter()
    media = _load(media_id)
    if PracticeReport.objects.filter(media=media).exists():
        return
    media = _measure(media)
    config = ai.llm_config(options)
    transcript = media.transcript or {}
    transcript_text = str(transcript.get("text", ""))
    question = media.turn.question if media.turn else None
    features = media.audio_features or {}
    score = answer_score(
        question=question,
        answer_text=transcript_text,
        config=config,
        word_count=int(features["word_count"]) if features.get("word_count") else None,
    )
    spec_features = audio_engine.AudioFeatures(**features).as_spec()
    inputs = {
        "transcript": transcript_text,
        "segments": transcript.get("segments", []),
        "words": [w for s in transcript.get("segments", []) for w in s.get("words", [])],
        "duration_seconds": media.duration_seconds,
        "audio_features": features,
        "video_features": media.video_features,
        "question": selectors.question_as_input(question),
        "answer_score": score.model_dump(),
        "interviewer_type": media.session.interviewer_type,
        "job_title": media.session.job_title,
    }
    try:
        result = llm.run(feedback_task.TASK, inputs, config=config)
    except llm.AIUnavailable as error:
        raise AIServiceUnavailable(f"The AI service is unavailable: {error}") from error
    assert isinstance(result, feedback_task.PracticeFeedback)
    try:
        with transaction.atomic():
            PracticeReport.objects.create(
                media=media,
                feedback=result.feedback,
                points=_grounded([p.model_dump() for p in result.points], transcript_text),
                answer_score=score.model_dump(),
                score=score.overall if question is not None else None,
                engine=result.engine,
                audio_features=spec_features,
                video_features=media.video_features,
                generation_seconds=round(time.perf_counter() - started, 3),
            )
            if media.turn_id is not None:
                media.turn.score = score.overall  # type: ignore[union-attr]
                media.turn.scored_at = timezone.now()  # type: ignore[union-attr]
                media.turn.save(update_fields=["score", "scored_at"])  # type: ignore[union-attr]
    except IntegrityError:  # a redelivered job finished first; its report stands
        logger.info("report for media %s already exists", media.pk)


# --------------------------------------------------------------------------------------------
# Request side


def practice_transcript_collect(*, media: PracticeMedia) -> PracticeMedia:
    """The media with its transcript: stored already (instant), or from a job waited on."""
    if media.transcript is not None:
        return media
    practice_jobs.practice_job_await(
        kind=practice_jobs.TRANSCRIBE,
        inputs={"media_id": str(media.pk)},
        dedupe_key=str(media.pk),
        owner=practice_jobs.owner_of(media.session.user_id),
        wait_seconds=TRANSCRIBE_WAIT_SECONDS,
        what="Transcription",
    )
    media.refresh_from_db()
    return media


def practice_report_collect(*, media: PracticeMedia) -> PracticeReport:
    """The media's report: stored already (instant), or from a job waited on."""
    report = PracticeReport.objects.filter(media=media).first()
    if report is not None:
        return report
    practice_jobs.practice_job_await(
        kind=practice_jobs.REPORT,
        inputs={"media_id": str(media.pk), "llm": ai.llm_options()},
        dedupe_key=str(media.pk),
        owner=practice_jobs.owner_of(media.session.user_id),
        wait_seconds=REPORT_WAIT_SECONDS,
        what="The report",
    )
    return PracticeReport.objects.get(media=media)
