"""Every write of the OKR coach: the questionnaire (`questionnaire`) and its analyses (`analysis`)."""

from __future__ import annotations

from review.selectors import SessionNotFound
from review.services.analysis import (
    JOB_KIND,
    AnalysisRejected,
    analysis_announce,
    analysis_complete,
    analysis_run,
    analysis_start,
    analysis_take_over_if_stale,
)
from review.services.questionnaire import (
    TRANSCRIBE_JOB_KIND,
    AnswerRejected,
    AudioRejected,
    ContactMissing,
    QuestionNotFound,
    answer_submit,
    answer_transcribe,
    contact_set,
    meeting_request_create,
    meeting_request_set_status,
    review_session_advance,
    review_session_start,
)

__all__ = [
    "JOB_KIND",
    "TRANSCRIBE_JOB_KIND",
    "AnalysisRejected",
    "AnswerRejected",
    "AudioRejected",
    "ContactMissing",
    "QuestionNotFound",
    "SessionNotFound",
    "analysis_announce",
    "analysis_complete",
    "analysis_run",
    "analysis_start",
    "analysis_take_over_if_stale",
    "answer_submit",
    "answer_transcribe",
    "contact_set",
    "meeting_request_create",
    "meeting_request_set_status",
    "review_session_advance",
    "review_session_start",
]
