"""The interview itself, as small atomic steps over the rows: start, record an answer, score it
(with the follow-up decision), ask the next question or finish.

The rows are the state, so whichever socket (or process) comes next can carry on: `live_pending`
reads what the interview waits for, and every write is conditional on the state it expects, so a
step done twice (a reconnect racing a scoring job, two sockets) changes nothing the second time.

Phases: setup -> intro (start) -> questioning (first question) -> evaluation (after the last
question, or when time runs out) -> completed (the report job finished). Scoring with the local
engine runs in the caller (a few milliseconds); with a remote provider it is a job (see
`interview`), and `live_answer_apply` is that job's completion.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

from django.db import IntegrityError, transaction
from django.utils import timezone

from analysis import engine_config
from analysis.engines import llm
from interviews import selectors
from interviews.ai import live_followup, live_questions
from interviews.ai import scoring as answer_scoring
from interviews.exceptions import LiveConflict, LiveInvalid, LiveNotFound, LiveUnavailable
from interviews.models import LiveSession, LiveTurn
from interviews.services.live.scorecard import scorecard

MAX_ANSWER_CHARS = 20_000
Part = Literal["answer", "followup"]


class TimeUp(LiveConflict):
    """The interview's time ran out before this answer came; it ends instead."""


@dataclass(frozen=True)
class Pending:
    """What the interview waits for: `start`; an `answer` or a `followup` answer to `turn`; the
    scoring of `part` of `turn`; the `next` question; the `report`; or nothing (`done`)."""

    kind: Literal["start", "answer", "followup", "score", "next", "report", "done"]
    turn: LiveTurn | None = None
    part: Part = "answer"


def live_pending(*, session: LiveSession) -> Pending:
    phase = session.phase
    if phase == LiveSession.Phase.SETUP:
        return Pending("start")
    if phase == LiveSession.Phase.EVALUATION:
        return Pending("report")
    if phase == LiveSession.Phase.COMPLETED:
        return Pending("done")
    turn = selectors.live_current_turn(session=session)
    if turn is None or turn.scored_at is not None:
        return Pending("next", turn)
    if turn.answered_at is None:
        return Pending("answer", turn)
    if turn.answer_score is None:
        return Pending("score", turn, "answer")
    if turn.followup_answered_at is None:
        return Pending("followup", turn)
    return Pending("score", turn, "followup")


def _is_time_up(session: LiveSession) -> bool:
    deadline = session.deadline_at
    return deadline is not None and timezone.now() >= deadline


def live_interview_start(*, session_id: Any) -> tuple[LiveSession, bool]:
    """Start the interview if it has not started: (the session, whether this call started it).
    The timer counts from here."""
    with transaction.atomic():
        session = selectors.live_session_get(session_id=session_id, for_update=True)
        if session.phase != LiveSession.Phase.SETUP:
            return session, False
        if session.resume_id is None or session.job_description_id is None:
            raise LiveConflict("Upload resume and JD first")
        session.started_at = timezone.now()
        session.status = LiveSession.Status.IN_PROGRESS
        session.phase = LiveSession.Phase.INTRO
        session.save(update_fields=["started_at", "status", "phase", "updated_at"])
    return session, True


def live_voice_toggle(*, session_id: Any, enabled: bool) -> LiveSession:
    session = selectors.live_session_get(session_id=session_id)
    LiveSession.objects.filter(pk=session.pk).update(is_voice_enabled=enabled, updated_at=timezone.now())
    session.is_voice_enabled = enabled
    return session


def live_answer_record(*, session_id: Any, text: str, source: str) -> tuple[LiveTurn, Part]:
    """Keep the answer to what is waiting (the question, or its follow-up): (turn, which part).

    Raises LiveInvalid for an empty or overlong answer, LiveConflict when nothing waits for an
    answer, TimeUp when the interview's time has run out."""
    answer = text.strip()
    if not answer:
        raise LiveInvalid("The answer is empty: send some text (or a recording in voice mode).")
    if len(answer) > MAX_ANSWER_CHARS:
        raise LiveInvalid(f"The answer is {len(answer)} characters long; the limit is {MAX_ANSWER_CHARS}.")
    with transaction.atomic():
        session = selectors.live_session_get(session_id=session_id, for_update=True)
        if session.phase == LiveSession.Phase.SETUP:
            raise LiveConflict('The interview has not started: send {"type": "start"} first.')
        if session.phase in (LiveSession.Phase.EVALUATION, LiveSession.Phase.COMPLETED):
            raise LiveConflict("The interview is over; no more answers are taken.")
        if _is_time_up(session):
            raise TimeUp("Time is up: the interview ends here.")
        pending = live_pending(session=session)
        turn = pending.turn
        now = timezone.now()
        if pending.kind == "answer" and turn is not None:
            turn.answer_text, turn.answer_source, turn.answered_at = answer, source, now
            turn.save(update_fields=["answer_text", "answer_source", "answered_at"])
            return turn, "answer"
        if pending.kind == "followup" and turn is not None:
            turn.followup_answer_text, turn.followup_answer_source, turn.followup_answered_at = (
                answer,
                source,
                now,
            )
            turn.save(
                update_fields=["followup_answer_text", "followup_answer_source", "followup_answered_at"]
            )
            return turn, "followup"
        if pending.kind == "score":
            raise LiveConflict(
                'Your last answer is still being scored; send {"type": "ready"} to check on it.'
            )
        raise LiveConflict('No question is waiting for an answer; send {"type": "ready"} for the next one.')


def _answer_text(turn: LiveTurn, part: Part) -> str:
    # A follow-up answer completes the first one: both are scored together against the question.
    return turn.answer_text if part == "answer" else f"{turn.answer_text}\n{turn.followup_answer_text}"


def live_answer_evaluate(
    *, turn_id: Any, part: Part, options: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Score the answer (and decide on a follow-up) with the engine `options` choose. Read only:
    {"score": AnswerScore + "card", "followup": {"question", "reason"} or None}."""
    turn = LiveTurn.objects.filter(pk=turn_id).first()
    if turn is None:
        raise LiveNotFound("The question is gone.")
    answer = _answer_text(turn, part)
    question = selectors.live_turn_as_input(turn)
    config = engine_config.llm_config(options)
    try:
        scored = llm.run(answer_scoring.TASK, {"question": question, "answer": answer}, config=config)
        score = scored.model_dump(mode="json")
        followup = None
        if part == "answer" and live_followup.needs_follow_up(score):
            covered, missed = live_followup.coverage(score)
            asked = llm.run(
                live_followup.TASK,
                {"question": question, "answer": answer, "missed": missed, "covered": covered},
                config=config,
            )
            assert isinstance(asked, live_followup.FollowUp)
            followup = {"question": asked.question, "reason": asked.reason}
    except llm.AIUnavailable as error:
        raise LiveUnavailable(f"The AI service is unavailable: {error}") from error
    score["card"] = scorecard(score, answer)
    return {"score": score, "followup": followup}


def _set_final(turn: LiveTurn, score: dict[str, Any]) -> None:
    turn.technical, turn.design = float(score["technical"]), float(score["design"])
    turn.communication, turn.overall = float(score["communication"]), float(score["overall"])
    turn.scored_at = timezone.now()


def live_answer_apply(*, turn_id: Any, part: Part, evaluation: dict[str, Any]) -> bool:
    """Store an evaluation once: the score, and the follow-up (at most one per question, and only
    after the first answer) or the turn's final scores. False when it was already stored."""
    with transaction.atomic():
        turn = LiveTurn.objects.select_for_update().filter(pk=turn_id).first()
        if turn is None:
            return False
        score = evaluation["score"]
        if part == "answer":
            if turn.answer_score is not None or turn.answered_at is None:
                return False
            turn.answer_score = score
            followup = evaluation.get("followup")
            if followup and not turn.followup_question:
                turn.followup_question = followup["question"]
                turn.followup_reason = followup["reason"]
                turn.followup_asked_at = timezone.now()
            else:
                _set_final(turn, score)
        else:
            if turn.followup_score is not None or turn.followup_answered_at is None:
                return False
            turn.followup_score = score
            _set_final(turn, score)
        turn.save()
    return True


def live_answer_score(*, turn_id: Any, part: Part, options: dict[str, Any] | None = None) -> None:
    """Evaluate and store in one go: the local engine's path, in the caller's thread."""
    live_answer_apply(
        turn_id=turn_id,
        part=part,
        evaluation=live_answer_evaluate(turn_id=turn_id, part=part, options=options),
    )


def _finish(session: LiveSession, reason: str) -> None:
    session.phase = LiveSession.Phase.EVALUATION
    session.ended_at = timezone.now()
    session.end_reason = reason
    session.save(update_fields=["phase", "ended_at", "end_reason", "updated_at"])


def live_finish(*, session_id: Any, reason: str) -> bool:
    """End the questioning (time up, or every question asked); False if it already ended."""
    with transaction.atomic():
        session = selectors.live_session_get(session_id=session_id, for_update=True)
        if session.phase not in (LiveSession.Phase.INTRO, LiveSession.Phase.QUESTIONING):
            return False
        _finish(session, reason)
    return True


def _choose(session: LiveSession) -> dict[str, Any] | None:
    candidates = selectors.live_candidates(session=session)
    if not candidates:
        return None
    profile = session.profile or {}
    role = session.job_description
    ranked = live_questions.rank(
        candidates=candidates,
        history=selectors.live_history(session=session),
        focus_areas=list(profile.get("focus_areas") or []),
        seniority=session.detected_seniority or "mid",
        is_technical=bool(profile.get("is_technical_role", True)),
        role_text=f"{role.role}. {role.text}" if role is not None else "",
    )
    return ranked[0].candidate


def live_next(*, session_id: Any) -> Pending:
    """Move the interview on: ask the next question (Pending "answer" with the new turn), or end
    the questioning (Pending "report") after the last question or when time is up. When a part is
    still waiting (an answer, a follow-up, a scoring), that is returned and nothing changes."""
    for _attempt in range(2):
        try:
            with transaction.atomic():
                session = selectors.live_session_get(session_id=session_id, for_update=True)
                pending = live_pending(session=session)
                if pending.kind != "next":
                    return pending
                asked = session.turns.count()
                if _is_time_up(session):
                    _finish(session, LiveSession.EndReason.TIME)
                    return Pending("report")
                chosen = _choose(session) if asked < session.max_questions else None
                if chosen is None:
                    _finish(session, LiveSession.EndReason.QUESTIONS)
                    return Pending("report")
                turn = LiveTurn.objects.create(
                    session=session,
                    order=asked + 1,
                    source=chosen["source"],
                    source_key=chosen["source_key"],
                    question_id=chosen.get("question_id"),
                    content=chosen["content"],
                    type=chosen["type"],
                    topic=chosen["topic"],
                    difficulty=chosen["difficulty"],
                    explanation=chosen.get("explanation", ""),
                    key_points=list(chosen.get("key_points") or []),
                    focus_area=chosen.get("focus_area", ""),
                )
                if session.phase == LiveSession.Phase.INTRO:
                    session.phase = LiveSession.Phase.QUESTIONING
                    session.save(update_fields=["phase", "updated_at"])
                return Pending("answer", turn)
        except IntegrityError:
            continue  # another connection asked at the same moment: read what it asked
    raise LiveConflict("Another connection is moving this interview on; send ready to continue.")
