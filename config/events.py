"""One way for tasks and services to push an event to the sockets watching a group."""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from typing import Any

from channels.layers import InMemoryChannelLayer, get_channel_layer

logger = logging.getLogger(__name__)

_home_loop: asyncio.AbstractEventLoop | None = None
_home_lock = threading.Lock()
_sender_loop: asyncio.AbstractEventLoop | None = None


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
    # From a sync thread (a Celery task): async_to_sync would build a new event loop per call and
    # with it a new Redis connection; one long-lived loop keeps the layer's connection pool warm.
    future = asyncio.run_coroutine_threadsafe(layer.group_send(group, event), _sender())
    future.result(timeout=10)


def _sender() -> asyncio.AbstractEventLoop:
    global _sender_loop
    with _home_lock:
        # A forked worker child inherits the variable but not the thread running the loop.
        if _sender_loop is None or not _sender_loop.is_running():
            loop = asyncio.new_event_loop()
            thread = threading.Thread(target=loop.run_forever, name="channel-layer-sender", daemon=True)
            thread.start()
            while not loop.is_running():
                time.sleep(0.001)
            _sender_loop = loop
        return _sender_loop
