"""Sockets of the OKR coach besides ws/analysis/<id> (dispatched in config/routing.py)."""

from __future__ import annotations

from django.urls import URLPattern, re_path

from review.consumers import HealthConsumer

websocket_urlpatterns: list[URLPattern] = [
    re_path(r"^ws/health/?$", HealthConsumer.as_asgi()),
]
