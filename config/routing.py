"""WebSocket routes of every product, in one list the ASGI app serves.

`ws/analysis/<id>` is claimed by two specs (DESIGN.md §3): an id naming a recorded-practice
session goes to the live audio-metrics consumer, anything else to the OKR analysis stream.
"""

from __future__ import annotations

from typing import Any

from channels.db import database_sync_to_async
from django.urls import URLPattern, URLResolver, re_path

from conversations.routing import websocket_urlpatterns as conversation_routes
from interviews.routing import websocket_urlpatterns as interview_routes
from review.routing import websocket_urlpatterns as review_routes


class AnalysisSocketDispatch:
    """Chooses the consumer for `ws/analysis/<id>` from what the id names."""

    def __init__(self) -> None:
        from interviews.consumers import PracticeMetricsConsumer
        from review.consumers import AnalysisConsumer

        self.okr = AnalysisConsumer.as_asgi()
        self.practice = PracticeMetricsConsumer.as_asgi()

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        from interviews.selectors import practice_session_exists

        session_id = scope["url_route"]["kwargs"]["session_id"]
        is_practice = await database_sync_to_async(practice_session_exists)(session_id=session_id)
        return await (self.practice if is_practice else self.okr)(scope, receive, send)


websocket_urlpatterns: list[URLPattern | URLResolver] = [
    re_path(r"^ws/analysis/(?P<session_id>[^/]+)/?$", AnalysisSocketDispatch()),
    *review_routes,
    *conversation_routes,
    *interview_routes,
]
