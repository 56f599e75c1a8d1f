"""WebSocket routes of the interviews app besides `ws/analysis/<id>`, which config/routing.py
dispatches itself (practice sessions reach `consumers.PracticeMetricsConsumer` from there).
The live mock interview adds `ws/interview/<id>` here."""

from __future__ import annotations

from django.urls import URLPattern

websocket_urlpatterns: list[URLPattern] = []
