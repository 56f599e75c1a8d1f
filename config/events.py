"""One way for tasks and services to push an event to the sockets watching a group."""

from __future__ import annotations

import asyncio
import logging
import threading
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import InMemoryChannelLayer, get_channel_layer

logger = logging.getLogger(__name__)

_home_loop: asyncio.AbstractEventLoop | None = None
_home_lock = threading.Lock()


def remember_loop() -> None:
    """Called from the ASGI app: the in-memory layer's queues belong to the server's event loop."""
    global _home_loop
    loop = asyncio.get_running_loop()
    if _home_loop is not loop:
        with _home_lock:
            _home_loop = loop


def broadcast(group: str, event: dict[str, Any]) -> None:
    """Send `event` (with a `type` naming the consumer handler) to every socket in `group`.

    The in-memory layer is not thread-safe: a worker thread must hand the send to the loop that owns
    the queues, otherwise a waiting consumer may never wake. Redis layers work from any thread.
    """
    layer = get_channel_layer()
    if layer is None:
        return
    loop = _home_loop
    if isinstance(layer, InMemoryChannelLayer) and loop is not None and loop.is_running():
        try:
            running = asyncio.get_running_loop()
        except RuntimeError:
            running = None
        if running is not loop:
            future = asyncio.run_coroutine_threadsafe(layer.group_send(group, event), loop)
            future.result(timeout=10)
            return
    async_to_sync(layer.group_send)(group, event)
