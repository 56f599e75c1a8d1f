"""Writes of OKR analyses: start (or reset) a dashboard job, produce the dashboard in the worker,
and tell the sockets watching it about every change.

The job runner (`analysis.jobs`) owns the life cycle: lease, takeover when a worker dies, a
bounded number of attempts, finishing once. This module says what an analysis job does and how
its events look on `ws/analysis/{id}/` (specs/okr-review.md).
"""

from __future__ import annotations

import logging
import uuid
from typing import Any

from django.db import IntegrityError, transaction

from analysis import engine_config, jobs
from analysis.engines import llm
from analysis.models import Job
from config import events
from review import ai, selectors
from review.models import AnalysisSession, Answer, ReviewSession
from review.services.questionnaire import answer_transcribe

logger = logging.getLogger(__name__)

JOB_KIND = "review.analysis"


class AnalysisRejected(Exception):
    """A start that cannot be accepted; the message goes back to the client as is."""


# --------------------------------------------------------------------------------------------
# Start


def analysis_start(
    *, session_id: uuid.UUID, answers: list[dict[str, Any]] | None = None, names_review: bool = False
) -> AnalysisSession:
    """Start the analysis `session_id` names, or reset it if it exists (its result cleared, a new
    run queued; a run still going is superseded and writes nothing more).

    `session_id` may name an analysis, a review session (its answers are pulled when the job runs
    unless `answers` are given) or, with `answers`, a new analysis of that id.
    """
    try:
        with transaction.atomic():
            return _start(session_id=session_id, answers=answers, names_review=names_review)
    except IntegrityError:
        # Two starts raced to create the same analysis; the second one resets what the first made.
        with transaction.atomic():
            return _start(session_id=session_id, answers=answers, names_review=names_review)


def _start(
    *, session_id: uuid.UUID, answers: list[dict[str, Any]] | None, names_review: bool
) -> AnalysisSession:
    analysis = AnalysisSession.objects.select_for_update().filter(pk=session_id).first()
    review: ReviewSession | None
    if analysis is not None:
        if names_review:
            raise AnalysisRejected("Review session not found.")
        review = analysis.review_session
    else:
        review = ReviewSession.objects.select_for_update().filter(pk=session_id).first()
        if review is None and names_review:
            raise AnalysisRejected("Review session not found.")
        if review is not None:
            analysis = AnalysisSession.objects.select_for_update().filter(review_session=review).first()
    if answers is not None:
        source = AnalysisSession.Source.PAYLOAD
    elif review is not None:
        _check_review_ready(review)
        source = AnalysisSession.Source.REVIEW
    elif analysis is not None and analysis.answers:
        source, answers = AnalysisSession.Source.PAYLOAD, analysis.answers  # the same answers again
    else:
        raise AnalysisRejected("Unknown session: send review_session_id, or session_id with five answers.")
    if analysis is None:
        # A review's analysis gets an id of its own; answers sent under a new id keep that id.
        analysis = AnalysisSession(
            id=uuid.uuid4() if review is not None else session_id, review_session=review
        )
    elif analysis.job_id is not None:
        jobs.job_cancel(job_id=analysis.job_id, reason="Superseded by a new start.")
    analysis.source = source
    analysis.answers = answers or []
    analysis.save()
    # The job carries this process's engine choice (never the key), so a worker started with
    # other settings runs the analysis the way the request that started it was configured.
    enqueued = jobs.job_enqueue(
        kind=JOB_KIND, inputs={"analysis_id": str(analysis.pk), "llm": engine_config.llm_options()}
    )
    analysis.job = enqueued.job
    analysis.save(update_fields=["job", "updated_at"])
    return analysis


def _check_review_ready(review: ReviewSession) -> None:
    if not review.is_completed and selectors.next_question(session=review) is not None:
        raise AnalysisRejected("The review is not completed: answer every question, then start the analysis.")
    if not review.answers.exists():
        raise AnalysisRejected("The review has no answers to analyse.")


def analysis_take_over_if_stale(*, session_id: Any) -> None:
    """A run whose worker died is queued again (or failed) now rather than shown as running."""
    analysis = selectors.analysis_for(session_id=session_id)
    if analysis is not None and analysis.job_id is not None:
        jobs.job_reap(job_id=analysis.job_id)


# --------------------------------------------------------------------------------------------
# Run (in the worker)


def analysis_run(ctx: jobs.JobContext) -> dict[str, Any]:
    """Produce the dashboard: the answers read (recordings transcribed if still pending), then
    the OKR task with the engine the job carried. Returns the job's result."""
    analysis = (
        AnalysisSession.objects.select_related("review_session").filter(pk=ctx.inputs["analysis_id"]).first()
    )
    if analysis is None or analysis.job_id != ctx.job.pk:
        raise jobs.JobCancelled  # deleted, or restarted since this job was queued
    config = engine_config.llm_config(ctx.inputs.get("llm"))
    ctx.step("collecting_answers")
    if analysis.source == AnalysisSession.Source.REVIEW:
        answers = _review_answers(analysis, ctx)
    else:
        answers = analysis.answers
    ctx.step("analyzing")
    # Relative dates ("this year", "in six months") count from when the founder asked, not from
    # when a worker got to the job.
    inputs = {
        "answers": answers,
        "on_step": ctx.step,
        "reference_date": ctx.job.created_at.date().isoformat(),
    }
    dashboard = llm.run(ai.TASK_NAME, inputs, config=config)
    assert isinstance(dashboard, ai.Dashboard)
    return {"answers": answers, "dashboard": dashboard.model_dump(mode="json")}


def _review_answers(analysis: AnalysisSession, ctx: jobs.JobContext) -> list[dict[str, Any]]:
    """The review's answers in question order; recordings not transcribed yet are transcribed here
    rather than waited for (the background transcription may be queued behind other work)."""
    assert analysis.review_session is not None
    stored = selectors.session_answers(session=analysis.review_session)
    waiting = [a for a in stored if a.transcription_status == Answer.Transcription.PENDING]
    if waiting:
        ctx.step("transcribing_audio")
        for answer in waiting:
            answer_transcribe(answer_id=answer.pk)
            ctx.step("transcribing_audio")
        stored = selectors.session_answers(session=analysis.review_session)
    answers = []
    for answer in stored:
        if not answer.text:
            if answer.transcription_status == Answer.Transcription.FAILED:
                raise jobs.JobFailure(
                    f"Answer {answer.question.order} could not be transcribed ({answer.transcription_error})."
                )
            raise jobs.JobFailure(
                f"Answer {answer.question.order} has no text: its recording contains no recognisable speech."
            )
        answers.append(
            {
                "order": answer.question.order,
                "question_id": answer.question_id,
                "prompt": answer.question.prompt,
                "answer": answer.text,
            }
        )
    return answers


def analysis_complete(job: Job, result: dict[str, Any]) -> None:
    """In the transaction that finishes the job: keep the answers the dashboard was read from."""
    AnalysisSession.objects.filter(pk=job.inputs["analysis_id"], job_id=job.pk).update(
        answers=result["answers"]
    )


# --------------------------------------------------------------------------------------------
# Events on ws/analysis/{id}/

_STATUS_OF_EVENT = {
    "queued": Job.Status.PENDING,
    "started": Job.Status.RUNNING,
    "succeeded": Job.Status.SUCCEEDED,
    "failed": Job.Status.FAILED,
}


def analysis_announce(job: Job, event: str) -> None:
    """The frames sockets on the analysis (by its id or its review's) get for one job event.
    A superseded job is no longer the analysis's and says nothing."""
    analysis = AnalysisSession.objects.filter(job_id=job.pk).select_related("job").first()
    if analysis is None:
        return
    frames: list[dict[str, Any]]
    if event == "progress":
        frames = [{"type": "progress", "step": job.step}]
    else:
        status = _STATUS_OF_EVENT[event]
        frames = [selectors.status_frame(analysis, status=status, error=job.error)]
        if status == Job.Status.SUCCEEDED and analysis.result is not None:
            frames.append({"type": "result", "data": analysis.result})
    events.broadcast(selectors.group_name(analysis.watch_key), {"type": "analysis.frames", "frames": frames})
