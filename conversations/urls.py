"""Paths exactly as conversation-intelligence.md shows them; a trailing slash is accepted too."""

from __future__ import annotations

from django.urls import URLPattern, re_path

from conversations import api

_ID = r"(?P<conversation_id>[^/]+)"

urlpatterns: list[URLPattern] = [
    re_path(r"^conversations/start(?:/)?$", api.ConversationStartApi.as_view(), name="conversation-start"),
    re_path(
        r"^conversations/technician/(?P<technician_id>[^/]+)(?:/)?$",
        api.TechnicianConversationsApi.as_view(),
        name="conversation-history",
    ),
    re_path(
        rf"^conversations/{_ID}/upload-audio(?:/)?$",
        api.ConversationUploadApi.as_view(),
        name="conversation-upload",
    ),
    re_path(
        rf"^conversations/{_ID}/stop(?:/)?$", api.ConversationStopApi.as_view(), name="conversation-stop"
    ),
    re_path(
        rf"^conversations/{_ID}/transcript(?:/)?$",
        api.TranscriptApi.as_view(),
        name="conversation-transcript",
    ),
    re_path(
        rf"^conversations/{_ID}/insights(?:/)?$", api.InsightsApi.as_view(), name="conversation-insights"
    ),
    re_path(rf"^conversations/{_ID}/upsells(?:/)?$", api.UpsellsApi.as_view(), name="conversation-upsells"),
    re_path(
        rf"^conversations/{_ID}/coaching(?:/)?$", api.CoachingApi.as_view(), name="conversation-coaching"
    ),
    re_path(rf"^conversations/{_ID}/analyze(?:/)?$", api.AnalyzeApi.as_view(), name="conversation-analyze"),
    re_path(rf"^conversations/{_ID}(?:/)?$", api.ConversationDetailApi.as_view(), name="conversation-detail"),
]
