"""`WS /conversations/{conversation_id}/transcribe` (conversation-intelligence.md §4) and
`WS /conversations/{conversation_id}/nudges` (§6).

Connect with the access token as `?token=` (or an Authorization header). The call's technician
and their supervisor may watch it. On connect the socket first gets the segments stored so far,
then every segment as the worker makes it:
`{"type": "transcription_segment", "segment_id", "speaker_type", "text", "start_time",
"end_time", "is_final", "confidence"}` with times on the call's timeline. A partial segment
(`is_final` false) is later sent again final under the same id, or withdrawn with
`{"type": "transcription_segment_retracted", "segment_id"}`. `{"type": "chunk_error", ...}` tells
of a chunk that could not be transcribed, `{"type": "transcription_complete", ...}` that the call
stopped and its transcript is whole. The server takes no messages on this socket: `{"type":
"ping"}` is answered with a pong, anything else with an error frame.

Refusals (accepted, then closed with the code, an error frame first):
- 4003 the Origin is not an allowed frontend;
- 4401 the token is missing, invalid or expired;
- 4404 the conversation is unknown or someone else's (never told apart);
- 4429 the user already has 5 conversation sockets open (across server processes), or 500 are open.
"""

from __future__ import annotations

import json
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncWebsocketConsumer

from accounts import sockets
from conversations import selectors, services
from conversations.exceptions import ConversationError

CLOSE_NOT_FOUND = 4404
# conversation-intelligence.md: 5 concurrent connections per user, counted for every socket of
# this product (the nudges socket of issue 11 takes its slot from the same kind).
SOCKET_KIND = "conversations"
SOCKETS_PER_USER = 5
SOCKETS_TOTAL = 500


def _replay(conversation_pk: int) -> list[dict[str, Any]]:
    return [services.segment_frame(s) for s in selectors.segments_for_replay(conversation_pk=conversation_pk)]


class TranscriptionConsumer(sockets.ClosesOnLayerOutage, AsyncWebsocketConsumer):
    socket_kind = SOCKET_KIND
    per_user = SOCKETS_PER_USER
    total = SOCKETS_TOTAL

    slot: sockets.ConnectionSlot | None = None
    group: str | None = None

    async def connect(self) -> None:
        self.sent: dict[int, tuple[Any, ...]] = {}
        if not sockets.origin_allowed(self.scope):
            return await sockets.refuse(self, sockets.CLOSE_FORBIDDEN_ORIGIN)
        user = self.scope.get("user")
        if self.scope.get("auth_error") or user is None or not user.is_authenticated:
            return await self._refuse(
                sockets.CLOSE_UNAUTHORIZED, self.scope.get("auth_error") or "Not authenticated"
            )
        conversation_id = self.scope["url_route"]["kwargs"]["conversation_id"]
        pk = await database_sync_to_async(selectors.conversation_pk_for_socket)(
            user=user, conversation_id=conversation_id
        )
        if pk is None:
            return await self._refuse(CLOSE_NOT_FOUND, "Conversation not found")
        slot = sockets.ConnectionSlot(
            kind=self.socket_kind, user_key=str(user.pk), per_user=self.per_user, total=self.total
        )
        try:
            await slot.acquire()
        except sockets.CapExceeded as exceeded:
            reason = (
                f"You already have {self.per_user} conversation connections open"
                if exceeded.which == "user"
                else "Too many conversation connections; try again shortly"
            )
            return await self._refuse(sockets.CLOSE_TOO_MANY_CONNECTIONS, reason)
        self.slot = slot
        self.conversation_pk = pk
        self.group = self.group_for(pk)
        # Listen before reading the backlog, so no segment falls between the two.
        await self.channel_layer.group_add(self.group, self.channel_name)
        await self.accept()
        await self._send_frames(await database_sync_to_async(self.replay)(pk))

    def group_for(self, conversation_pk: int) -> str:
        return selectors.group_name(conversation_pk)

    def replay(self, conversation_pk: int) -> list[dict[str, Any]]:
        return _replay(conversation_pk)

    async def _refuse(self, code: int, message: str) -> None:
        await self.accept()
        await self.send(text_data=json.dumps({"type": "error", "message": message}))
        await self.close(code=code)

    async def _send_frames(self, frames: list[dict[str, Any]]) -> None:
        for frame in frames:
            # A segment replayed on connect may also come through the group: send each version once.
            version = (frame["type"], frame.get("is_final"), frame.get("text"), frame.get("speaker_type"))
            segment_id = frame.get("segment_id")
            if segment_id is not None:
                if self.sent.get(segment_id) == version:
                    continue
                self.sent[segment_id] = version
            await self.send(text_data=json.dumps(frame))
        if self.slot is not None:
            await self.slot.touch()

    async def conversation_frames(self, event: dict[str, Any]) -> None:
        await self._send_frames(event["frames"])

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            message = json.loads(text_data) if text_data is not None else None
        except ValueError:
            message = None
        if isinstance(message, dict) and message.get("type") == "ping":
            await self.send(text_data=json.dumps({"type": "pong"}))
            return
        await self.send(
            text_data=json.dumps(
                {
                    "type": "error",
                    "message": "This socket only sends; upload audio with POST .../upload-audio.",
                }
            )
        )

    async def disconnect(self, code: int) -> None:
        if self.group is not None:
            await self.channel_layer.group_discard(self.group, self.channel_name)
            self.group = None
        if self.slot is not None:
            await self.slot.release()
            self.slot = None


class NudgesConsumer(TranscriptionConsumer):
    """Live nudges for the technician: `{"type": "nudge", "nudge_id", "nudge_type", "title",
    "message", "suggested_response", "confidence", "triggered_at"}` as cues are heard (on connect,
    the nudges already raised on the call). The technician answers one with `{"action":
    "dismissed" | "accepted", "nudge_id": 567}`, acknowledged with `{"type": "nudge_action",
    "nudge_id", "action", "recorded_at"}` (the first answer to a nudge stands). Same
    authentication, access rule, refusals and connection cap as the transcribe socket."""

    def group_for(self, conversation_pk: int) -> str:
        return selectors.nudge_group_name(conversation_pk)

    def replay(self, conversation_pk: int) -> list[dict[str, Any]]:
        return [services.nudge_frame(n) for n in selectors.nudges_for_replay(conversation_pk=conversation_pk)]

    async def _send_frames(self, frames: list[dict[str, Any]]) -> None:
        for frame in frames:
            nudge_id = frame.get("nudge_id")
            if frame.get("type") == "nudge" and nudge_id in self.sent:
                continue  # replayed on connect and pushed by the group: once
            if nudge_id is not None:
                self.sent[nudge_id] = ("nudge",)
            await self.send(text_data=json.dumps(frame))
        if self.slot is not None:
            await self.slot.touch()

    async def nudge_frames(self, event: dict[str, Any]) -> None:
        await self._send_frames(event["frames"])

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        try:
            message = json.loads(text_data) if text_data is not None else None
        except ValueError:
            message = None
        if isinstance(message, dict) and message.get("type") == "ping":
            await self.send(text_data=json.dumps({"type": "pong"}))
            return
        if not isinstance(message, dict) or "action" not in message:
            await self._error('Send {"action": "dismissed" or "accepted", "nudge_id": <id>}.')
            return
        try:
            nudge = await database_sync_to_async(services.nudge_action_record)(
                conversation_id=self.conversation_pk,
                nudge_id=message.get("nudge_id"),
                action=message.get("action"),
            )
        except ConversationError as error:
            await self._error(error.message)
            return
        await self.send(
            text_data=json.dumps(
                {
                    "type": "nudge_action",
                    "nudge_id": nudge.pk,
                    "action": nudge.action,
                    "recorded_at": nudge.action_at.isoformat() if nudge.action_at else None,
                }
            )
        )

    async def _error(self, message: str) -> None:
        await self.send(text_data=json.dumps({"type": "error", "message": message}))
