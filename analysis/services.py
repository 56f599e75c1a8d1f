"""Writes of OKR analyses: start (or reset), run as a Celery job, and take over runs whose worker died.

Every change of state is pushed to the sockets watching the analysis through `config.events`,
after the row is committed, so a socket never hears of a state the database does not hold yet.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from analysis import okr, providers, selectors
from analysis.engines import llm
from analysis.models import AnalysisSession
from config import events
from review import selectors as review_selectors
from review import services as review_services
from review.models import Answer, ReviewSession

logger = logging.getLogger(__name__)

Status = AnalysisSession.Status
# A run is handed to the queue at most this many times (the start, then takeovers by the reaper).
MAX_ATTEMPTS = 3


class AnalysisRejected(Exception):
    """A start that cannot be accepted; the message goes back to the client as is."""


class AnalysisInputError(Exception):
    """The answers cannot be analysed (e.g. a recording with no speech); the job fails with this."""


class _Superseded(Exception):
    """The analysis was restarted while this run was going: stop without writing anything."""


def run_lease(config: llm.LLMConfig | None = None) -> timedelta:
    """How long a running job may go without a sign of life before it is presumed dead: the
    provider's worst case (every attempt timing out, plus backoff) with a minute of margin.
    `config` is the run's own (the options its job carried); without it, this process's settings."""
    config = config or providers.llm_config()
    attempts = config.max_retries + 1
    return timedelta(seconds=config.timeout_seconds * attempts + 8 * config.max_retries + 60)


def _broadcast(analysis: AnalysisSession, frames: list[dict[str, Any]]) -> None:
    try:
        events.broadcast(
            selectors.group_name(analysis.watch_key), {"type": "analysis.frames", "frames": frames}
        )
    except Exception:  # a socket layer outage must not fail the job; the snapshot tells the truth
        logger.exception("could not broadcast to analysis %s", analysis.id)


def _announce(analysis_id: uuid.UUID, *, with_result: bool = False) -> None:
    analysis = AnalysisSession.objects.get(pk=analysis_id)
    frames = [selectors.status_frame(analysis)]
    if with_result and analysis.result is not None:
        frames.append({"type": "result", "data": analysis.result})
    _broadcast(analysis, frames)


# --------------------------------------------------------------------------------------------
# Start


def analysis_start(
    *, session_id: uuid.UUID, answers: list[dict[str, Any]] | None = None, names_review: bool = False
) -> AnalysisSession:
    """Start the analysis `session_id` names, or reset it if it exists (status back to pending,
    result and error cleared, a new run queued; a run still going is superseded).

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
    from analysis.tasks import analysis_run_task

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
    now = timezone.now()
    analysis.source = source
    analysis.answers = answers or []
    analysis.status = Status.PENDING
    analysis.result = None
    analysis.engine = ""
    analysis.error = ""
    analysis.progress_step = ""
    analysis.run_token = uuid.uuid4()
    analysis.attempts = 1
    analysis.queued_at = now
    analysis.started_at = None
    analysis.lease_expires_at = None
    analysis.finished_at = None
    analysis.save()
    analysis_id, token = analysis.id, analysis.run_token
    transaction.on_commit(lambda: _announce(analysis_id))
    # The job carries this process's engine choice (never the key), so a worker started with
    # other settings runs the analysis the way the request that started it was configured.
    analysis_run_task.delay_on_commit(str(analysis_id), str(token), llm=providers.llm_options())
    return analysis


def _check_review_ready(review: ReviewSession) -> None:
    if not review.is_completed and review_selectors.next_question(session=review) is not None:
        raise AnalysisRejected("The review is not completed: answer every question, then start the analysis.")
    if not review.answers.exists():
        raise AnalysisRejected("The review has no answers to analyse.")


# --------------------------------------------------------------------------------------------
# Run (the Celery job)


def analysis_run(
    *, analysis_id: uuid.UUID, run_token: uuid.UUID, llm_options: dict[str, Any] | None = None
) -> None:
    """Produce the dashboard. Safe to deliver twice: only a pending run, or a running one whose
    lease ran out (its worker died), is claimed; a stale token (the analysis was reset) is ignored.

    `llm_options` is the engine choice the job carried (`providers.llm_options()` of the process
    that started it); None (a run the reaper queued again) uses this process's settings."""
    config = providers.llm_config(llm_options)
    now = timezone.now()
    claimed = AnalysisSession.objects.filter(
        Q(status=Status.PENDING) | Q(status=Status.RUNNING, lease_expires_at__lt=now),
        id=analysis_id,
        run_token=run_token,
    ).update(
        status=Status.RUNNING,
        started_at=now,
        lease_expires_at=now + run_lease(config),
        progress_step="",
        updated_at=now,
    )
    if not claimed:
        return
    _announce(analysis_id)
    analysis = AnalysisSession.objects.select_related("review_session").get(pk=analysis_id)
    try:
        dashboard = _produce(analysis, config)
    except _Superseded:
        return
    except AnalysisInputError as error:
        _finish(analysis, status=Status.FAILED, error=str(error))
    except llm.AIUnavailable as error:
        _finish(analysis, status=Status.FAILED, error=f"The AI provider failed: {error}")
    except Exception as error:
        logger.exception("analysis %s failed", analysis_id)
        _finish(
            analysis,
            status=Status.FAILED,
            error=f"The analysis failed unexpectedly ({type(error).__name__}); start it again.",
        )
    else:
        _finish(
            analysis,
            status=Status.SUCCEEDED,
            result=dashboard.model_dump(mode="json"),
            engine=dashboard.engine,
        )


def _live(analysis: AnalysisSession) -> Any:
    return AnalysisSession.objects.filter(pk=analysis.pk, run_token=analysis.run_token, status=Status.RUNNING)


def _stepper(analysis: AnalysisSession, config: llm.LLMConfig) -> Callable[[str], None]:
    lease = run_lease(config)

    def step(name: str) -> None:
        # Every step renews the lease: a job that reports progress is alive.
        now = timezone.now()
        if not _live(analysis).update(progress_step=name, lease_expires_at=now + lease, updated_at=now):
            raise _Superseded
        _broadcast(analysis, [{"type": "progress", "step": name}])

    return step


def _produce(analysis: AnalysisSession, config: llm.LLMConfig) -> okr.Dashboard:
    step = _stepper(analysis, config)
    step("collecting_answers")
    if analysis.source == AnalysisSession.Source.REVIEW:
        answers = _review_answers(analysis, step)
        _live(analysis).update(answers=answers)
    else:
        answers = analysis.answers
    step("analyzing")
    dashboard = llm.run(okr.TASK_NAME, {"answers": answers, "on_step": step}, config=config)
    assert isinstance(dashboard, okr.Dashboard)
    return dashboard


def _review_answers(analysis: AnalysisSession, step: Callable[[str], None]) -> list[dict[str, Any]]:
    """The review's answers in question order; recordings not transcribed yet are transcribed here
    rather than waited for (the background transcription may be queued behind other work)."""
    assert analysis.review_session is not None
    stored = review_selectors.session_answers(session=analysis.review_session)
    waiting = [a for a in stored if a.transcription_status == Answer.Transcription.PENDING]
    if waiting:
        step("transcribing_audio")
        for answer in waiting:
            review_services.answer_transcribe(answer_id=answer.pk)
            step("transcribing_audio")
        stored = review_selectors.session_answers(session=analysis.review_session)
    answers = []
    for answer in stored:
        if not answer.text:
            if answer.transcription_status == Answer.Transcription.FAILED:
                raise AnalysisInputError(
                    f"Answer {answer.question.order} could not be transcribed ({answer.transcription_error})."
                )
            raise AnalysisInputError(
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


def _finish(
    analysis: AnalysisSession,
    *,
    status: str,
    error: str = "",
    result: dict[str, Any] | None = None,
    engine: str = "",
) -> None:
    now = timezone.now()
    finished = _live(analysis).update(
        status=status,
        error=error[:2000],
        result=result,
        engine=engine,
        progress_step="",
        lease_expires_at=None,
        finished_at=now,
        updated_at=now,
    )
    if finished:
        _announce(analysis.id, with_result=status == Status.SUCCEEDED)


# --------------------------------------------------------------------------------------------
# Reaper


def analysis_reap_stale(*, session_id: Any = None) -> int:
    """Take over runs whose worker died (running past their lease) or whose queue message was lost
    (pending for longer than a lease): queue them again, or fail them after MAX_ATTEMPTS.

    Runs periodically (analysis_reap_task) and for one analysis whenever a socket connects to it,
    so a watcher never waits on a dead run. Returns how many were taken over.
    """
    now = timezone.now()
    stale = AnalysisSession.objects.filter(
        Q(status=Status.RUNNING, lease_expires_at__lt=now)
        | Q(status=Status.PENDING, queued_at__lt=now - run_lease())
    )
    if session_id is not None:
        analysis = selectors.analysis_for(session_id=session_id)
        if analysis is None:
            return 0
        stale = stale.filter(pk=analysis.pk)
    return sum(_take_over(analysis, now=now) for analysis in stale)


def _take_over(analysis: AnalysisSession, *, now: Any) -> int:
    from analysis.tasks import analysis_run_task

    # Unchanged since it was read: a worker that woke up meanwhile keeps its run.
    unchanged = AnalysisSession.objects.filter(
        pk=analysis.pk,
        run_token=analysis.run_token,
        status=analysis.status,
        lease_expires_at=analysis.lease_expires_at,
        queued_at=analysis.queued_at,
    )
    with transaction.atomic():
        if analysis.attempts >= MAX_ATTEMPTS:
            was = (
                "its worker stopped responding"
                if analysis.status == Status.RUNNING
                else "no worker picked it up"
            )
            taken = unchanged.update(
                status=Status.FAILED,
                error=f"The analysis did not finish: {was} ({analysis.attempts} attempts). Start it again.",
                progress_step="",
                lease_expires_at=None,
                finished_at=now,
                updated_at=now,
            )
        else:
            taken = unchanged.update(
                status=Status.PENDING,
                attempts=F("attempts") + 1,
                queued_at=now,
                lease_expires_at=None,
                progress_step="",
                updated_at=now,
            )
        if taken:
            logger.warning(
                "analysis %s taken over (was %s, attempt %d)", analysis.pk, analysis.status, analysis.attempts
            )
            transaction.on_commit(lambda: _announce(analysis.pk))  # "pending" goes out before the job can run
            if analysis.attempts < MAX_ATTEMPTS:
                # The first job's engine choice is not kept: the worker's own settings apply.
                analysis_run_task.delay_on_commit(str(analysis.pk), str(analysis.run_token))
    return taken
