"""The OKR analysis has no HTTP routes: it is started and followed over ws/analysis/{id}/."""

from __future__ import annotations

from django.urls import URLPattern

urlpatterns: list[URLPattern] = []
