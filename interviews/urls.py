"""Paths exactly as interview-practice.md and live-interview.md show them; a trailing slash is
accepted too (written `(?:/)?` so that the OpenAPI schema shows the path without it)."""

from __future__ import annotations

from django.urls import URLPattern, re_path

from interviews import api, live_api

_ID = r"(?P<{}>[^/]+)"

urlpatterns: list[URLPattern] = [
    re_path(r"^interview/sessions(?:/)?$", api.SessionsApi.as_view(), name="practice-sessions"),
    re_path(
        rf"^interview/sessions/{_ID.format('session_id')}(?:/)?$",
        api.SessionDetailApi.as_view(),
        name="practice-session",
    ),
    re_path(
        rf"^interview/sessions/{_ID.format('session_id')}/start(?:/)?$",
        api.SessionStartApi.as_view(),
        name="practice-session-start",
    ),
    re_path(
        rf"^interview/sessions/{_ID.format('session_id')}/media(?:/)?$",
        api.SessionMediaApi.as_view(),
        name="practice-session-media",
    ),
    re_path(
        rf"^interview/sessions/{_ID.format('session_id')}/next-question(?:/)?$",
        api.SessionNextQuestionApi.as_view(),
        name="practice-next-question",
    ),
    re_path(
        rf"^interview/media/{_ID.format('media_id')}/transcribe(?:/)?$",
        api.MediaTranscribeApi.as_view(),
        name="practice-transcribe",
    ),
    re_path(
        rf"^interview/media/{_ID.format('media_id')}/report(?:/)?$",
        api.MediaReportApi.as_view(),
        name="practice-report",
    ),
    # Live mock interview (live-interview.md)
    re_path(r"^session/start(?:/)?$", live_api.SessionStartApi.as_view(), name="live-session-start"),
    re_path(
        rf"^session/{_ID.format('session_id')}(?:/)?$",
        live_api.SessionDetailApi.as_view(),
        name="live-session",
    ),
    re_path(r"^upload/resume(?:/)?$", live_api.ResumeUploadApi.as_view(), name="live-upload-resume"),
    re_path(r"^upload/jd(?:/)?$", live_api.JobDescriptionUploadApi.as_view(), name="live-upload-jd"),
    re_path(r"^interview/opt-in-memory(?:/)?$", live_api.MemoryOptInApi.as_view(), name="live-memory-opt-in"),
    re_path(
        rf"^interview/report/{_ID.format('session_id')}(?:/)?$",
        live_api.ReportApi.as_view(),
        name="live-report",
    ),
]
