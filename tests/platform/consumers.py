"""A consumer that uses the shared socket building blocks exactly as product consumers do."""

from __future__ import annotations

from typing import Any

from channels.generic.websocket import AsyncJsonWebsocketConsumer

from accounts import sockets


class GuardedEchoConsumer(AsyncJsonWebsocketConsumer):
    slot: sockets.ConnectionSlot | None = None

    async def connect(self) -> None:
        if not sockets.origin_allowed(self.scope):
            return await sockets.refuse(self, sockets.CLOSE_FORBIDDEN_ORIGIN)
        if self.scope.get("auth_error"):
            return await sockets.refuse(self, sockets.CLOSE_UNAUTHORIZED)
        kind = self.scope["url_route"]["kwargs"]["kind"]
        self.slot = sockets.ConnectionSlot(
            kind=kind, user_key=str(self.scope["user"].pk), per_user=1, total=2
        )
        try:
            await self.slot.acquire()
        except sockets.CapExceeded as exceeded:
            self.slot = None
            await self.accept()
            await self.send_json({"type": "error", "message": f"connection limit reached ({exceeded.which})"})
            return await self.close(code=sockets.CLOSE_TOO_MANY_CONNECTIONS)
        await self.accept()
        await self.send_json({"type": "hello", "user": self.scope["user"].email})

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        await self.send_json({"type": "echo", "data": content})

    async def disconnect(self, code: int) -> None:
        if self.slot is not None:
            await self.slot.release()
