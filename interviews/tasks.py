"""Celery jobs of interview practice: thin, taking ids (plus the engine choice, see
`ai.llm_options`), safe to run twice. Domain errors come back as data the waiting request turns
into its HTTP answer; anything else fails the job and is logged."""

from __future__ import annotations

from typing import Any

from celery import shared_task

from interviews import services
from interviews.exceptions import PracticeError, as_outcome


@shared_task(acks_late=True)
def practice_media_transcribe_task(media_id: str) -> dict[str, Any]:
    try:
        services.practice_media_transcribe(media_id=media_id)
    except PracticeError as error:
        return as_outcome(error)
    return {"ok": True}


@shared_task(acks_late=True)
def practice_report_build_task(media_id: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    try:
        services.practice_report_build(media_id=media_id, options=options)
    except PracticeError as error:
        return as_outcome(error)
    return {"ok": True}


@shared_task(acks_late=True)
def practice_next_question_task(session_id: str, options: dict[str, Any] | None = None) -> dict[str, Any]:
    try:
        return services.practice_next_question_choose(session_id=session_id, options=options)
    except PracticeError as error:
        return as_outcome(error)
