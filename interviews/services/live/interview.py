"""One socket's conversation with a live interview: what each client message does, in order, and
the frames it sends back (through `emit`), over the steps in `flow`.

One message is handled at a time (a lock also holds the clock off while an answer is scored), and
every step starts from the rows, so a socket that connects to a session carries on exactly where
the last one left it: the same question, the timer counted from the original start.

Slow work runs on the job runner with a bounded wait: voice transcription always, scoring when the
provider is remote (the local engine scores in a few milliseconds, which a job hop would multiply),
the final report always (it may call the provider). A wait that runs out leaves the job going;
`ready`, `start` or a new connection picks its result up.
"""

from __future__ import annotations

import asyncio
import logging
import math
import time
import uuid
from collections.abc import Awaitable, Callable
from typing import Any

from channels.db import database_sync_to_async

from analysis import engine_config
from interviews import selectors
from interviews.exceptions import LiveConflict, LiveError, LiveInvalid
from interviews.models import LiveSession, LiveTurn
from interviews.services.live import flow, frames, voice
from interviews.services.live.jobs import ANSWER, REPORT, TRANSCRIBE, alive_job_await
from interviews.services.live.reports import REPORT_WAIT_SECONDS

logger = logging.getLogger(__name__)

Emit = Callable[[dict[str, Any]], Awaitable[None]]
SCORE_WAIT_SECONDS = 60.0
_ACTIVE = (LiveSession.Phase.INTRO, LiveSession.Phase.QUESTIONING)


@database_sync_to_async
def _session(session_id: uuid.UUID) -> LiveSession:
    return selectors.live_session_get(session_id=session_id)


@database_sync_to_async
def _session_and_pending(session_id: uuid.UUID) -> tuple[LiveSession, flow.Pending]:
    session = selectors.live_session_get(session_id=session_id)
    return session, flow.live_pending(session=session)


@database_sync_to_async
def _turn(turn_id: uuid.UUID) -> tuple[LiveTurn, LiveSession, dict[str, float]]:
    turn = LiveTurn.objects.select_related("session").get(pk=turn_id)
    return turn, turn.session, selectors.live_running_average(session=turn.session)


@database_sync_to_async
def _question_number(session_id: uuid.UUID) -> int:
    return LiveTurn.objects.filter(session_id=session_id).count()


class LiveInterview:
    def __init__(self, session_id: uuid.UUID, emit: Emit, *, tick_seconds: float) -> None:
        self.session_id = session_id
        self.emit = emit
        self.tick_seconds = tick_seconds
        self.lock = asyncio.Lock()
        self.clock: asyncio.Task[None] | None = None
        self.time_up: asyncio.Task[None] | None = None

    # ----------------------------------------------------------------------------------------
    # Client messages

    async def open(self) -> None:
        """The `connected` frame, then whatever the interview was waiting for."""
        session = await _session(self.session_id)
        await self.emit(frames.connected(session, question_number=await _question_number(self.session_id)))
        async with self.lock:
            await self._guarded(self._resume())

    async def start(self) -> None:
        async with self.lock:
            await self._guarded(self._start())

    async def ready(self) -> None:
        async with self.lock:
            await self._guarded(self._ready())

    async def answer(self, text: str) -> None:
        async with self.lock:
            await self._guarded(self._answer(text, source="text"))

    async def voice(self, data: bytes) -> None:
        async with self.lock:
            await self._guarded(self._voice(data))

    async def voice_toggle(self, enabled: bool) -> None:
        await self._guarded(
            database_sync_to_async(flow.live_voice_toggle)(session_id=self.session_id, enabled=enabled)
        )

    async def close(self) -> None:
        """The socket is gone: stop the clock and any end-of-time work it started."""
        self._stop_clock()
        if self.time_up is not None and not self.time_up.done():
            self.time_up.cancel()

    # ----------------------------------------------------------------------------------------
    # Steps

    async def _guarded(self, step: Awaitable[Any]) -> None:
        """Run a step; a domain error becomes an `error` frame and the socket stays usable."""
        try:
            await step
        except LiveError as error:
            await self.emit(frames.error(error.message, error.code))
        except Exception:
            logger.exception("live interview %s: step failed", self.session_id)
            await self.emit(frames.error("Something went wrong on our side; send ready to continue.", 4500))

    async def _start(self) -> None:
        session, started = await database_sync_to_async(flow.live_interview_start)(session_id=self.session_id)
        if not started:
            # A client that reconnects may send start again: it carries on where it was.
            await self._resume()
            return
        await self.emit(frames.intro(session))
        await self.emit(frames.phase_update(LiveSession.Phase.QUESTIONING))
        self._run_clock()
        await self._advance()

    async def _ready(self) -> None:
        session, pending = await _session_and_pending(self.session_id)
        if pending.kind == "start":
            raise LiveConflict('The interview has not started: send {"type": "start"} first.')
        await self._resume()

    async def _resume(self) -> None:
        """Send (or do) what the interview waits for now."""
        session, pending = await _session_and_pending(self.session_id)
        if session.phase in _ACTIVE:
            self._run_clock()
        if pending.kind == "start":
            return
        if pending.kind == "answer" and pending.turn is not None:
            await self.emit(frames.new_question(pending.turn, session))
        elif pending.kind == "followup" and pending.turn is not None:
            await self.emit(frames.followup(pending.turn, session))
        elif pending.kind == "score" and pending.turn is not None:
            await self._score(pending.turn.pk, pending.part)
        elif pending.kind == "next":
            await self._advance()
        elif pending.kind == "report":
            await self._report()
        else:
            await self.emit(frames.feedback(session))

    async def _answer(self, text: str, *, source: str) -> None:
        try:
            turn, part = await database_sync_to_async(flow.live_answer_record)(
                session_id=self.session_id, text=text, source=source
            )
        except flow.TimeUp:
            await self._time_up()
            return
        await self._score(turn.pk, part)

    async def _score(self, turn_id: uuid.UUID, part: flow.Part) -> None:
        options = engine_config.llm_options()
        if options["provider"] == "local":
            await database_sync_to_async(flow.live_answer_score)(turn_id=turn_id, part=part, options=options)
        else:
            await alive_job_await(
                kind=ANSWER,
                inputs={"turn_id": str(turn_id), "part": part, "llm": options},
                dedupe_key=f"{turn_id}:{part}",
                session_id=self.session_id,
                wait_seconds=SCORE_WAIT_SECONDS,
                what="Scoring your answer",
            )
        turn, _session_row, running = await _turn(turn_id)
        await self.emit(frames.score_update(turn, part=part, running=running))
        await self._advance()

    async def _advance(self) -> None:
        pending = await database_sync_to_async(flow.live_next)(session_id=self.session_id)
        if pending.kind == "report":
            await self._report()
            return
        session = await _session(self.session_id)
        if pending.kind == "answer" and pending.turn is not None:
            await self.emit(frames.new_question(pending.turn, session))
        elif pending.kind == "followup" and pending.turn is not None:
            await self.emit(frames.followup(pending.turn, session))
        elif pending.kind == "score" and pending.turn is not None:
            await self._score(pending.turn.pk, pending.part)

    async def _report(self) -> None:
        self._stop_clock()
        await self.emit(frames.phase_update(LiveSession.Phase.EVALUATION))
        await alive_job_await(
            kind=REPORT,
            inputs={"session_id": str(self.session_id), "llm": engine_config.llm_options()},
            dedupe_key=str(self.session_id),
            session_id=self.session_id,
            wait_seconds=REPORT_WAIT_SECONDS,
            what="Writing your report",
        )
        session = await _session(self.session_id)
        await self.emit(frames.feedback(session))
        await self.emit(frames.phase_update(LiveSession.Phase.COMPLETED))

    async def _voice(self, data: bytes) -> None:
        session, pending = await _session_and_pending(self.session_id)
        if not session.is_voice_enabled:
            raise LiveConflict(
                'Voice mode is off: send {"type": "voice_toggle", "data": {"enabled": true}} before a recording.'
            )
        if pending.kind not in ("answer", "followup") or pending.turn is None:
            raise LiveConflict("No question is waiting for an answer.")
        name, _seconds = await database_sync_to_async(voice.live_voice_store)(
            session_id=self.session_id, data=data
        )
        job = await alive_job_await(
            kind=TRANSCRIBE,
            inputs={"session_id": str(self.session_id), "audio": name},
            dedupe_key=name,
            session_id=self.session_id,
            wait_seconds=voice.VOICE_WAIT_SECONDS,
            what="Transcribing your answer",
        )
        heard = dict(job.result or {})
        await self.emit(
            frames.transcript(
                str(heard.get("text", "")),
                duration_seconds=float(heard.get("duration_seconds", 0.0)),
                question_number=pending.turn.order,
            )
        )
        if not str(heard.get("text", "")).strip():
            raise LiveInvalid("No speech was recognised in the recording; try again, a little louder.")
        await self._answer(str(heard["text"]), source="voice")

    # ----------------------------------------------------------------------------------------
    # Clock

    def _run_clock(self) -> None:
        if self.clock is None or self.clock.done():
            self.clock = asyncio.create_task(self._tick())

    def _stop_clock(self) -> None:
        if self.clock is not None and self.clock is not asyncio.current_task():
            self.clock.cancel()
        self.clock = None

    async def _tick(self) -> None:
        """`time_remaining` every `tick_seconds` counted from the start (not from this socket),
        and the end of the interview when the time is up."""
        try:
            while True:
                session = await _session(self.session_id)
                if session.phase not in _ACTIVE or session.started_at is None or session.deadline_at is None:
                    return
                start, deadline = session.started_at.timestamp(), session.deadline_at.timestamp()
                now = time.time()
                ticks = math.floor((now - start) / self.tick_seconds) + 1
                wake = min(start + ticks * self.tick_seconds, deadline)
                await asyncio.sleep(max(0.0, wake - now))
                session = await _session(self.session_id)
                if session.phase not in _ACTIVE:
                    return
                if wake >= deadline:
                    # Ended in a task of its own: the report is written under the lock, and the
                    # lock may be held by an answer being scored right now.
                    self.time_up = asyncio.create_task(self._time_up_locked())
                    return
                await self.emit(frames.time_remaining(round(deadline - wake)))
        except asyncio.CancelledError:
            raise
        except Exception:
            logger.exception("live interview %s: clock failed", self.session_id)

    async def _time_up_locked(self) -> None:
        async with self.lock:
            await self._guarded(self._time_up())

    async def _time_up(self) -> None:
        finished = await database_sync_to_async(flow.live_finish)(
            session_id=self.session_id, reason=LiveSession.EndReason.TIME
        )
        if finished:
            await self._report()
