"""Paths exactly as conversation-intelligence.md shows them; a trailing slash is accepted too."""

from __future__ import annotations

from django.urls import URLPattern, re_path

from coaching import api

urlpatterns: list[URLPattern] = [
    re_path(r"^coach/technicians(?:/)?$", api.CoachTechniciansApi.as_view(), name="coach-technicians"),
    re_path(r"^coach/calls/recent(?:/)?$", api.CoachRecentCallsApi.as_view(), name="coach-calls-recent"),
    re_path(
        r"^coach/calls/(?P<conversation_id>[^/]+)/feedback(?:/)?$",
        api.CoachFeedbackApi.as_view(),
        name="coach-call-feedback",
    ),
    re_path(
        r"^coach/upsells/(?P<opportunity_id>[^/]+)/status(?:/)?$",
        api.CoachUpsellStatusApi.as_view(),
        name="coach-upsell-status",
    ),
    re_path(
        r"^analytics/technician/(?P<technician_id>[^/]+)/daily(?:/)?$",
        api.TechnicianDailyApi.as_view(),
        name="analytics-technician-daily",
    ),
    re_path(
        r"^analytics/technician/(?P<technician_id>[^/]+)/trends(?:/)?$",
        api.TechnicianTrendsApi.as_view(),
        name="analytics-technician-trends",
    ),
    re_path(
        r"^analytics/team/overview(?:/)?$", api.TeamOverviewApi.as_view(), name="analytics-team-overview"
    ),
    re_path(
        r"^analytics/leaderboard/(?P<period>[^/]+)(?:/)?$",
        api.LeaderboardApi.as_view(),
        name="analytics-leaderboard",
    ),
]
