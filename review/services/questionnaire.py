"""Writes of the review questionnaire: sessions, answers (typed or recorded), contact, meetings."""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, BinaryIO, cast

from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import IntegrityError, transaction
from django.utils import timezone

from accounts.storage import save_file
from analysis import engine_config, jobs
from analysis.engines import audio, speech
from review import selectors
from review.models import Answer, MeetingRequest, Question, ReviewSession
from review.selectors import SessionNotFound

logger = logging.getLogger(__name__)

TRANSCRIBE_JOB_KIND = "review.answer_transcribe"
# A founder's spoken answer runs minutes, not hours; an hour of Opus fits in 2.4 MB and decodes to
# 800 MB of work, so longer recordings are refused.
MAX_ANSWER_SECONDS = 10 * 60


class QuestionNotFound(Exception):
    pass


class AnswerRejected(Exception):
    """Out of order, already answered, or the session is completed."""


class AudioRejected(Exception):
    def __init__(self, message: str, *, too_large: bool = False) -> None:
        super().__init__(message)
        self.too_large = too_large


class ContactMissing(Exception):
    pass


@dataclass(frozen=True)
class Progress:
    session: ReviewSession
    next_question: Question | None
    completed: bool


def review_session_start(*, phone_number: str = "", email: str = "") -> Progress:
    session = ReviewSession.objects.create(phone_number=phone_number, email=email)
    return Progress(session=session, next_question=selectors.next_question(session=session), completed=False)


def _complete(session: ReviewSession) -> None:
    if session.completed_at is None:
        session.completed_at = timezone.now()
        session.save(update_fields=["completed_at", "updated_at"])


def review_session_advance(*, session_id: Any) -> Progress:
    """The next unanswered question; when none is left the session is marked complete."""
    session = selectors.review_session_get(session_id=session_id)
    question = None if session.is_completed else selectors.next_question(session=session)
    if question is None:
        _complete(session)
    return Progress(session=session, next_question=question, completed=session.is_completed)


def _check_audio(upload: UploadedFile) -> None:
    limit = settings.MAX_UPLOAD_MB * 1024 * 1024
    if upload.size is not None and upload.size > limit:
        raise AudioRejected(f"audio_file is larger than {settings.MAX_UPLOAD_MB} MB.", too_large=True)
    try:
        info = audio.probe(cast(BinaryIO, upload))  # an upload is a seekable binary file
    except audio.MediaError as error:
        raise AudioRejected(f"audio_file could not be read: {error}.") from None
    finally:
        upload.seek(0)
    if not info.has_audio:
        raise AudioRejected("audio_file contains no audio.")
    if info.duration_seconds > MAX_ANSWER_SECONDS:
        raise AudioRejected(
            f"audio_file lasts {info.duration_seconds / 60:.0f} minutes; a spoken answer may last "
            f"{MAX_ANSWER_SECONDS // 60} minutes."
        )


def answer_submit(
    *, session_id: Any, question_id: int, answer_text: str = "", audio_file: UploadedFile | None = None
) -> tuple[Answer, Progress]:
    """Record the answer to the session's next question and queue the recording's transcription.

    Answers come in question order; a repeated, skipped or late answer raises AnswerRejected.
    """
    if audio_file is not None:
        # An unknown session or question is reported before the upload is read, and the upload
        # is read before the session's row is locked.
        selectors.review_session_get(session_id=session_id)
        if not Question.objects.filter(pk=question_id, is_active=True).exists():
            raise QuestionNotFound("Question not found.")
        _check_audio(audio_file)
    try:
        with transaction.atomic():
            return _answer_save(
                session_id=session_id, question_id=question_id, answer_text=answer_text, audio_file=audio_file
            )
    except IntegrityError:  # a concurrent request answered the same question first
        raise AnswerRejected("This question has already been answered.") from None


def _answer_save(
    *, session_id: Any, question_id: int, answer_text: str, audio_file: UploadedFile | None
) -> tuple[Answer, Progress]:
    # The row lock orders two answers racing for the same session (PostgreSQL; SQLite serializes).
    parsed = selectors.parse_session_id(session_id)
    session = ReviewSession.objects.select_for_update().filter(pk=parsed).first() if parsed else None
    if session is None:
        raise SessionNotFound("Review session not found.")
    expected = None if session.is_completed else selectors.next_question(session=session)
    if expected is None or expected.pk != question_id:
        if not Question.objects.filter(pk=question_id, is_active=True).exists():
            raise QuestionNotFound("Question not found.")
        if expected is None:
            raise AnswerRejected("This review session is already completed.")
        if Answer.objects.filter(session=session, question_id=question_id).exists():
            raise AnswerRejected("This question has already been answered.")
        raise AnswerRejected(
            f"Answers must follow the question order: question {expected.pk} (order {expected.order}) comes next."
        )
    answer = Answer(session=session, question=expected, answer_text=answer_text)
    if audio_file is not None:
        save_file(answer.audio_file, audio_file.name or "answer", audio_file)
        answer.transcription_status = Answer.Transcription.PENDING
    try:
        answer.save()
    except Exception:
        if answer.audio_file:
            answer.audio_file.delete(save=False)
        raise
    following = selectors.next_question(session=session)
    if following is None:
        _complete(session)
    else:
        session.save(update_fields=["updated_at"])
    if answer.audio_file:
        jobs.job_enqueue(kind=TRANSCRIBE_JOB_KIND, inputs={"answer_id": answer.pk}, dedupe_key=str(answer.pk))
    return answer, Progress(session=session, next_question=following, completed=following is None)


def answer_transcribe(*, answer_id: int, force: bool = False) -> Answer | None:
    """Transcribe the answer's recording with the speech engine; safe to run twice.

    A file that cannot be decoded or recognised marks the answer `failed` with the reason.
    """
    answer = Answer.objects.filter(pk=answer_id).first()
    if answer is None or not answer.audio_file:
        return answer
    finished = {Answer.Transcription.DONE, Answer.Transcription.FAILED}
    if answer.transcription_status in finished and not force:
        return answer
    try:
        # The cap again while decoding, whatever the file's header claimed at upload.
        samples = audio.decode(answer.audio_file.path, max_seconds=MAX_ANSWER_SECONDS + 5)
        transcript = speech.transcribe(samples, **engine_config.whisper_options())
    except (audio.MediaError, speech.TranscriptionError, OSError) as error:
        logger.warning("transcription failed answer=%s: %s", answer_id, error)
        Answer.objects.filter(pk=answer_id).update(
            transcription_status=Answer.Transcription.FAILED, transcription_error=str(error)[:500]
        )
    else:
        spoken = transcript.text.strip()
        with transaction.atomic():
            Answer.objects.filter(pk=answer_id).update(
                transcript=spoken,
                transcription_status=Answer.Transcription.DONE,
                transcription_error="",
                transcribed_at=timezone.now(),
            )
            # The founder reads their answer where they wrote it, so a recording's words become
            # the answer text at once; text typed beside the recording still wins (the filter
            # makes that hold even if the text arrived while the recording was transcribed).
            Answer.objects.filter(pk=answer_id, answer_text="").update(answer_text=spoken)
    answer.refresh_from_db()
    return answer


def contact_set(*, session_id: Any, email: str, phone_number: str) -> ReviewSession:
    """Attach (or replace) the founder's contact; values arrive validated and normalized."""
    session = selectors.review_session_get(session_id=session_id)
    session.email = email
    session.phone_number = phone_number
    session.save(update_fields=["email", "phone_number", "updated_at"])
    return session


def meeting_request_create(*, session_id: Any) -> MeetingRequest:
    session = selectors.review_session_get(session_id=session_id)
    if not session.has_contact:
        raise ContactMissing("Add an email and phone number to this session before requesting a meeting.")
    return MeetingRequest.objects.create(
        session=session, email=session.email, phone_number=session.phone_number
    )


def meeting_request_set_status(*, meeting_id: int, status: str) -> int:
    """Staff moving requests along (admin action); returns how many changed."""
    return (
        MeetingRequest.objects.filter(pk=meeting_id)
        .exclude(status=status)
        .update(status=status, updated_at=timezone.now())
    )
