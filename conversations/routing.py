"""Sockets of field conversations, at the paths conversation-intelligence.md shows (no `ws/`)."""

from __future__ import annotations

from django.urls import URLPattern, re_path

from conversations.consumers import NudgesConsumer, TranscriptionConsumer

websocket_urlpatterns: list[URLPattern] = [
    re_path(r"^conversations/(?P<conversation_id>[^/]+)/transcribe/?$", TranscriptionConsumer.as_asgi()),
    re_path(r"^conversations/(?P<conversation_id>[^/]+)/nudges/?$", NudgesConsumer.as_asgi()),
]
