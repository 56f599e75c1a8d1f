"""ASGI entry point: HTTP and WebSockets from one daphne process (`make run`); in production the
proxy sends sockets here and REST to gunicorn."""

from __future__ import annotations

import os
from typing import Any

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

from django.core.asgi import get_asgi_application  # noqa: E402

django_http = get_asgi_application()

from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402
from django.conf import settings  # noqa: E402

from accounts.sockets import JWTAuthMiddleware  # noqa: E402
from config import events  # noqa: E402
from config.routing import websocket_urlpatterns  # noqa: E402


class _RememberLoop:
    def __init__(self, inner: Any) -> None:
        self.inner = inner

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        events.remember_loop()
        return await self.inner(scope, receive, send)


class _NotFoundSocket:
    """Unknown socket paths are refused at the handshake instead of raising inside the router."""

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> None:
        message = await receive()
        if message["type"] == "websocket.connect":
            await send({"type": "websocket.close", "code": 4404})


def build_application() -> Any:
    from django.urls import re_path

    fallback = re_path(r"^.*$", _NotFoundSocket())  # type: ignore[arg-type]  # URLRouter takes ASGI apps
    return _RememberLoop(
        ProtocolTypeRouter(
            {
                "http": django_http,
                "websocket": JWTAuthMiddleware(URLRouter([*websocket_urlpatterns, fallback])),
            }
        )
    )


application = build_application()

if settings.CELERY_EMBEDDED and os.environ.get("COACHHUB_NO_EMBEDDED_WORKER") != "1":
    from config import embedded_worker

    embedded_worker.start()
