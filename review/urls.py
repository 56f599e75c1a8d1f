"""Paths exactly as specs/okr-review.md shows them; the trailing slash is optional (APPEND_SLASH is off
and frontends differ)."""

from __future__ import annotations

from django.urls import URLPattern, re_path

from review import api

_ID = r"(?P<session_id>[^/]+)"

urlpatterns: list[URLPattern] = [
    re_path(r"^api/review/start/?$", api.ReviewStartApi.as_view(), name="review-start"),
    re_path(rf"^api/review/{_ID}/next/?$", api.ReviewNextApi.as_view(), name="review-next"),
    re_path(rf"^api/review/{_ID}/answer/?$", api.AnswerSubmitApi.as_view(), name="review-answer"),
    re_path(r"^api/review/session/contact/?$", api.ContactSetApi.as_view(), name="review-contact"),
    re_path(
        rf"^api/review/session/{_ID}/contact/?$", api.ContactStatusApi.as_view(), name="review-contact-status"
    ),
    re_path(
        r"^api/review/session/meeting/request/?$",
        api.MeetingRequestCreateApi.as_view(),
        name="review-meeting-request",
    ),
    re_path(
        rf"^api/review/session/{_ID}/meeting/requests/?$",
        api.MeetingRequestListApi.as_view(),
        name="review-meeting-requests",
    ),
]
