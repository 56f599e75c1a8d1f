"""The adaptive next question: chosen by a job (the AI provider may be remote), asked here."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import Max

from analysis.engines import llm
from interviews import ai, selectors
from interviews.ai import questions as picker
from interviews.exceptions import AIServiceUnavailable, PracticeInvalid, PracticeNotFound
from interviews.models import PracticeSession, PracticeTurn, Question
from interviews.services import practice_jobs

NEXT_QUESTION_WAIT_SECONDS = 90.0


def practice_next_question_choose(
    *, session_id: Any, options: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Worker side: which unasked bank question comes next, and why (read only). The result is
    the job's: {"question_id", "reason", "engine"}."""
    session = PracticeSession.objects.filter(pk=session_id).first()
    if session is None:
        raise PracticeNotFound("Session not found.")
    inputs = selectors.next_question_inputs(session=session)
    if not inputs["candidates"]:
        raise PracticeInvalid("No questions left: every question in the bank has been asked in this session.")
    config = ai.llm_config(options)
    if config.provider != "local":
        inputs = picker.shortlist(inputs)  # a remote model reads a short list, already ranked
    try:
        choice = llm.run(picker.TASK, inputs, config=config)
    except llm.AIUnavailable as error:
        raise AIServiceUnavailable(f"The AI service is unavailable: {error}") from error
    assert isinstance(choice, picker.NextQuestion)
    if choice.question_id not in {c["id"] for c in inputs["candidates"]}:
        raise AIServiceUnavailable("The AI service is unavailable: it chose a question that was not offered.")
    return {"question_id": str(choice.question_id), "reason": choice.reason, "engine": choice.engine}


def practice_next_question(*, session: PracticeSession) -> tuple[PracticeTurn, str]:
    """Ask the next question of a started session: (the turn, why this question)."""
    if session.started_at is None:
        raise PracticeInvalid(
            f"The session has not started: POST /interview/sessions/{session.pk}/start first."
        )
    if session.is_over():
        raise PracticeInvalid("The session has ended: its time is up.")
    for _attempt in range(2):
        job = practice_jobs.practice_job_await(
            kind=practice_jobs.NEXT_QUESTION,
            inputs={"session_id": str(session.pk), "llm": ai.llm_options()},
            dedupe_key=str(session.pk),
            owner=practice_jobs.owner_of(session.user_id),
            wait_seconds=NEXT_QUESTION_WAIT_SECONDS,
            what="Choosing the next question",
        )
        outcome = job.result or {}
        question = Question.objects.get(pk=outcome["question_id"])
        try:
            with transaction.atomic():
                last = session.turns.aggregate(last=Max("order"))["last"] or 0
                turn = PracticeTurn.objects.create(session=session, question=question, order=last + 1)
            return turn, str(outcome.get("reason", ""))
        except IntegrityError:
            continue  # a concurrent call asked at the same moment; choose again with it counted
    raise PracticeInvalid("Another question was being asked at the same time; ask again.")
