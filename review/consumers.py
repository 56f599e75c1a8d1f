"""ws/health/ and ws/analysis/{session_id}/ (specs/okr-review.md): thin consumers over
review.selectors and review.services."""

from __future__ import annotations

import json
import logging
import uuid
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer

from accounts import sockets
from accounts.ratelimit import hit, scope_client_ip
from review import frames, selectors, services

logger = logging.getLogger(__name__)


def _error(message: str) -> dict[str, Any]:
    return {"type": "error", "message": message}


class JsonFramesConsumer(sockets.ClosesOnLayerOutage, AsyncJsonWebsocketConsumer):
    """Answers binary and malformed frames with an error frame instead of dropping the socket."""

    async def receive(
        self, text_data: str | None = None, bytes_data: bytes | None = None, **kwargs: Any
    ) -> None:
        if text_data is None:
            await self.send_json(_error("Frames must be JSON text, not binary."))
            return
        try:
            content = json.loads(text_data)
        except ValueError as error:
            await self.send_json(_error(f"Invalid JSON: {error}."))
            return
        await self.receive_json(content)


class HealthConsumer(JsonFramesConsumer):
    async def connect(self) -> None:
        await self.accept()
        await self.send_json({"status": "ok", "message": "connected"})

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if isinstance(content, dict) and content.get("action") == "db_ping":
            problem = await selectors.database_ping()
            await self.send_json(
                {"type": "db_ping", "ok": True}
                if problem is None
                else {"type": "db_ping", "ok": False, "error": problem}
            )
            return
        await self.send_json({"type": "echo", "data": content})


class AnalysisConsumer(JsonFramesConsumer):
    """The status snapshot on connect, then every event of the analysis the path id names (by
    its own id or its review's); a start message (re)starts an analysis."""

    # Connections a minute per address: the socket is open to anyone, and each connect reads the
    # database and may take over a dead run.
    connects_per_minute = 30

    async def connect(self) -> None:
        self.path_id: str = self.scope["url_route"]["kwargs"]["session_id"]
        self.watching: set[str] = set()
        address = scope_client_ip(self.scope)
        allowed, _ = await database_sync_to_async(hit)(
            key=f"okr-socket:ip:{address}", limit=self.connects_per_minute, period_seconds=60
        )
        if not allowed:
            await sockets.refuse(self, sockets.CLOSE_TOO_MANY_CONNECTIONS)
            return
        await self.accept()
        key = await database_sync_to_async(selectors.watch_key)(session_id=self.path_id)
        if key is not None:
            await self._watch(key)  # before the snapshot, so no event falls between the two
        # A run whose worker died is taken over now rather than shown as running forever.
        await database_sync_to_async(services.analysis_take_over_if_stale)(session_id=self.path_id)
        await self.send_json(
            await database_sync_to_async(selectors.analysis_snapshot)(session_id=self.path_id)
        )

    async def disconnect(self, code: int) -> None:
        for group in self.watching:
            await self.channel_layer.group_discard(group, self.channel_name)

    async def _watch(self, key: uuid.UUID) -> None:
        group = selectors.group_name(key)
        if group not in self.watching:
            await self.channel_layer.group_add(group, self.channel_name)
            self.watching.add(group)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        try:
            start = frames.parse_start(content, path_id=self.path_id)
        except frames.FrameError as error:
            await self.send_json(_error(str(error)))
            return
        # Listen before starting: the "pending" status is broadcast as soon as the start commits.
        key = await database_sync_to_async(selectors.watch_key)(session_id=start.session_id)
        await self._watch(key or start.session_id)
        try:
            analysis = await database_sync_to_async(services.analysis_start)(
                session_id=start.session_id, answers=start.answers, names_review=start.names_review
            )
        except services.AnalysisRejected as error:
            await self.send_json(_error(str(error)))
            return
        except Exception:
            logger.exception("could not start analysis %s", start.session_id)
            await self.send_json(_error("The analysis could not be started; try again."))
            return
        await self._watch(analysis.watch_key)
        await self.send_json({"type": "accepted", "session_id": str(analysis.id)})

    async def analysis_frames(self, event: dict[str, Any]) -> None:
        for frame in event["frames"]:
            await self.send_json(frame)
