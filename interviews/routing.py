"""WebSocket route of the live mock interview (live-interview.md); ws/analysis/{id} for practice
sessions is dispatched in config/routing.py."""

from __future__ import annotations

from django.urls import URLPattern, re_path

from interviews.consumers import LiveInterviewConsumer

# Any id reaches the consumer, even an empty or malformed one: it answers those with close 4001.
websocket_urlpatterns: list[URLPattern] = [
    re_path(r"^ws/interview/(?P<session_id>[^/]*)/?$", LiveInterviewConsumer.as_asgi()),  # type: ignore[arg-type]
]
