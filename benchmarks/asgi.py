"""ASGI app for benchmarks: the project, plus bare consumers that show what the framework alone costs."""

from __future__ import annotations

import json
import os

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "benchmarks.settings")

import numpy as np  # noqa: E402
from channels.generic.websocket import AsyncWebsocketConsumer  # noqa: E402
from django.core.asgi import get_asgi_application  # noqa: E402

django_http = get_asgi_application()

from channels.routing import URLRouter  # noqa: E402
from django.urls import re_path  # noqa: E402

from config.asgi import application as project_application  # noqa: E402


class EchoConsumer(AsyncWebsocketConsumer):
    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        await self.send(text_data=text_data, bytes_data=bytes_data)


class RmsConsumer(AsyncWebsocketConsumer):
    """A bare numpy-RMS answer per audio frame: the floor under the live-metrics consumer."""

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        samples = np.frombuffer(bytes_data or b"", dtype=np.float32)
        volume = float(np.sqrt(np.mean(samples * samples))) if samples.size else 0.0
        await self.send(text_data=json.dumps({"type": "metrics", "data": {"volume": volume}}))


bare = URLRouter(
    [re_path(r"^bench/echo/?$", EchoConsumer.as_asgi()), re_path(r"^bench/rms/?$", RmsConsumer.as_asgi())]
)


async def application(scope, receive, send):  # type: ignore[no-untyped-def]
    if scope["type"] == "websocket" and scope["path"].startswith("/bench/"):
        return await bare(scope, receive, send)
    return await project_application(scope, receive, send)
