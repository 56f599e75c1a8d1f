"""Every write of interview practice (and the shared answer scoring), one function per use case."""

from __future__ import annotations

from interviews.services.media import (
    practice_media_transcribe,
    practice_media_upload,
    practice_report_build,
    practice_report_collect,
    practice_transcript_collect,
    upload_limit_bytes,
)
from interviews.services.questions import practice_next_question, practice_next_question_choose
from interviews.services.scoring import answer_score
from interviews.services.sessions import practice_session_create, practice_session_start

__all__ = [
    "answer_score",
    "practice_media_transcribe",
    "practice_media_upload",
    "practice_next_question",
    "practice_next_question_choose",
    "practice_report_build",
    "practice_report_collect",
    "practice_session_create",
    "practice_session_start",
    "practice_transcript_collect",
    "upload_limit_bytes",
]
