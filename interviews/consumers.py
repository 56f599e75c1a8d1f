"""Live audio metrics for a practice session: `ws/analysis/{session_id}` (interview-practice.md),
and the live mock interview, `ws/interview/{session_id}` (live-interview.md, at the end).

config/routing.py sends the path here when the id names a practice session (DESIGN.md §3).

Connect with the access token as `?token=` (or an Authorization header) and optionally
`?sample_rate=` (Hz, integer 8000-192000, default 48000). Send binary frames of little-endian
float32 samples, mono, of any length. For every frame the server answers one
`{"type": "metrics", "data": {"volume", "is_speaking", "nudge"}}` and, when the streaming analyzer
nudges, also `{"type": "nudge", "message": ..., "data": {...the same metrics}}`. A text frame, an
empty frame or one whose length is not a multiple of 4 bytes gets
`{"type": "error", "message": ...}` and the socket stays open.

Refusals (accepted, then closed with the code, so a browser can read it; an error message with
the reason comes first where there is one):
- 4003 the Origin is not an allowed frontend;
- 4401 the token is missing, invalid or expired;
- 4404 the session is someone else's (told apart from nothing: the same as an unknown session);
- 4400 `sample_rate` is not an integer in range;
- 4429 the user already has a live-metrics socket open (1 per user), or 100 are open in total.
"""

from __future__ import annotations

import json
import uuid
from typing import Any
from urllib.parse import parse_qs

import numpy as np
from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from accounts import sockets
from analysis.engines.audio import StreamingAnalyzer
from interviews import selectors
from interviews.services.live import frames as live_frames
from interviews.services.live import messages as live_messages
from interviews.services.live.interview import LiveInterview

DEFAULT_SAMPLE_RATE = 48000
MIN_SAMPLE_RATE = 8000
MAX_SAMPLE_RATE = 192000
CLOSE_BAD_REQUEST = 4400
CLOSE_SESSION_NOT_FOUND = 4404
_FLOAT32 = np.dtype("<f4")


def parse_sample_rate(scope: dict[str, Any]) -> int | None:
    """The `?sample_rate=` of the socket URL (default 48000), or None when it is not valid."""
    query = parse_qs(scope.get("query_string", b"").decode("latin-1"))
    raw = (query.get("sample_rate") or [""])[0].strip()
    if not raw:
        return DEFAULT_SAMPLE_RATE
    try:
        rate = int(raw)
    except ValueError:
        return None
    return rate if MIN_SAMPLE_RATE <= rate <= MAX_SAMPLE_RATE else None


class PracticeMetricsConsumer(sockets.ClosesOnLayerOutage, AsyncWebsocketConsumer):
    # Connection caps: one live-metrics socket per user, 100 in all, counted across processes.
    socket_kind = "practice"
    per_user = 1
    total = 100

    slot: sockets.ConnectionSlot | None = None
    analyzer: StreamingAnalyzer | None = None

    async def connect(self) -> None:
        if not sockets.origin_allowed(self.scope):
            return await sockets.refuse(self, sockets.CLOSE_FORBIDDEN_ORIGIN)
        user = self.scope.get("user")
        if self.scope.get("auth_error") or user is None or not user.is_authenticated:
            return await self._refuse(
                sockets.CLOSE_UNAUTHORIZED, self.scope.get("auth_error") or "Not authenticated"
            )
        session_id = self.scope["url_route"]["kwargs"]["session_id"]
        owned = await database_sync_to_async(selectors.practice_session_is_owned)(
            session_id=session_id, user_id=user.pk
        )
        if not owned:
            return await self._refuse(CLOSE_SESSION_NOT_FOUND, "Session not found")
        sample_rate = parse_sample_rate(self.scope)
        if sample_rate is None:
            return await self._refuse(
                CLOSE_BAD_REQUEST,
                f"sample_rate must be an integer from {MIN_SAMPLE_RATE} to {MAX_SAMPLE_RATE} (Hz)",
            )
        slot = sockets.ConnectionSlot(
            kind=self.socket_kind, user_key=str(user.pk), per_user=self.per_user, total=self.total
        )
        try:
            await slot.acquire()
        except sockets.CapExceeded as exceeded:
            reason = (
                "You already have a live metrics connection open"
                if exceeded.which == "user"
                else "Too many live metrics connections; try again shortly"
            )
            return await self._refuse(sockets.CLOSE_TOO_MANY_CONNECTIONS, reason)
        self.slot = slot
        self.analyzer = StreamingAnalyzer(sample_rate)
        await self.accept()

    async def _refuse(self, code: int, message: str) -> None:
        await self.accept()
        await self._error(message)
        await self.close(code=code)

    async def _error(self, message: str) -> None:
        await self.send(text_data=json.dumps({"type": "error", "message": message}))

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if self.analyzer is None:
            return
        if bytes_data is None:
            return await self._error("Send audio as binary frames of float32 samples, not text")
        if not bytes_data:
            return await self._error("Empty frame: send at least one float32 sample")
        if len(bytes_data) % 4:
            return await self._error(
                f"Frame of {len(bytes_data)} bytes is not whole float32 samples (a multiple of 4 bytes)"
            )
        metrics = self.analyzer.feed(np.frombuffer(bytes_data, dtype=_FLOAT32))
        data = metrics.as_dict()
        await self.send(text_data=json.dumps({"type": "metrics", "data": data}))
        if metrics.nudge:
            await self.send(text_data=json.dumps({"type": "nudge", "message": metrics.nudge, "data": data}))
        if self.slot is not None:
            await self.slot.touch()

    async def disconnect(self, code: int) -> None:
        if self.slot is not None:
            await self.slot.release()
            self.slot = None


# --------------------------------------------------------------------------------------------
# Live mock interview: ws/interview/{session_id} (live-interview.md)

CLOSE_NOT_READY = 4000
CLOSE_INVALID_SESSION_ID = 4001
CLOSE_LIVE_SESSION_NOT_FOUND = 4004
# Ours: a newer socket took the interview over (see LiveInterviewConsumer).
CLOSE_TAKEN_OVER = 4409
_REFUSALS = {
    "not_found": (CLOSE_LIVE_SESSION_NOT_FOUND, "Session not found"),
    "not_ready": (CLOSE_NOT_READY, "Upload resume and JD first"),
}


def live_group_name(session_id: uuid.UUID) -> str:
    return f"live-interview.{session_id.hex}"


class LiveInterviewConsumer(sockets.ClosesOnLayerOutage, AsyncWebsocketConsumer):
    """The live interview over one socket; the conversation itself is `services.live.interview`.

    No authentication (the spec has none): the session id is the key. Refusals are accepted, sent
    an `error` frame with the code, then closed with it: 4003 the Origin is not an allowed
    frontend; 4001 the id is not a UUID; 4004 no such session; 4000 the resume or the job
    description is missing.

    One socket per session: a new connection takes the interview over, and the older socket gets
    an `error` frame and is closed with 4409. Reconnecting is how a client recovers from a dropped
    connection, and the server may not have noticed the drop yet; refusing the newcomer would lock
    the candidate out of their own interview until it did.

    Client frames: JSON `start`, `answer` ({"data": {"text"}}), `ready`, `voice_toggle`
    ({"data": {"enabled"}}); in voice mode, one binary frame holding a recording is an answer.
    `time_remaining` comes every `tick_seconds` (30) counted from `start`.
    """

    tick_seconds: float = 30.0

    interview: LiveInterview | None = None
    group: str | None = None
    is_open = False

    async def connect(self) -> None:
        if not sockets.origin_allowed(self.scope):
            return await self._refuse(sockets.CLOSE_FORBIDDEN_ORIGIN, "Origin not allowed")
        session_id = selectors.live_session_id(self.scope["url_route"]["kwargs"]["session_id"])
        if session_id is None:
            return await self._refuse(CLOSE_INVALID_SESSION_ID, "Invalid session ID format")
        refusal = await database_sync_to_async(selectors.live_socket_refusal)(session_id=session_id)
        if refusal is not None:
            return await self._refuse(*_REFUSALS[refusal])
        self.group = live_group_name(session_id)
        # Tell any older socket on this session to step aside, then listen for the next newcomer.
        await self.channel_layer.group_send(
            self.group, {"type": "live.takeover", "channel": self.channel_name}
        )
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        self.is_open = True
        self.interview = LiveInterview(session_id, self._emit, tick_seconds=self.tick_seconds)
        await self.interview.open()

    async def _refuse(self, code: int, message: str) -> None:
        await self.accept()
        await self.send(text_data=json.dumps(live_frames.error(message, code)))
        await self.close(code=code)

    async def _emit(self, frame: dict[str, Any]) -> None:
        if self.is_open:
            await self.send(text_data=json.dumps(frame))

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        interview = self.interview
        if interview is None:
            return
        if bytes_data is not None:
            return await interview.voice(bytes_data)
        try:
            message = live_messages.parse(text_data or "")
        except live_messages.MessageError as error:
            return await self._emit(live_frames.error(str(error), 4400))
        if message.type == "start":
            await interview.start()
        elif message.type == "ready":
            await interview.ready()
        elif message.type == "answer":
            await interview.answer(message.text)
        elif message.type == "voice_toggle":
            await interview.voice_toggle(message.enabled)

    async def live_takeover(self, event: dict[str, Any]) -> None:
        if event.get("channel") == self.channel_name or self.interview is None:
            return
        await self._emit(
            live_frames.error(
                "This interview was opened in another connection; this one is closed.", CLOSE_TAKEN_OVER
            )
        )
        await self._stop()
        await self.close(code=CLOSE_TAKEN_OVER)

    async def _stop(self) -> None:
        self.is_open = False
        if self.interview is not None:
            await self.interview.close()
            self.interview = None
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None

    async def disconnect(self, code: int) -> None:
        await self._stop()
