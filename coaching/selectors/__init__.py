"""Reads of the coach platform, each with its access rule (`access`), and the analytics."""

from __future__ import annotations

from coaching.selectors.access import (
    analytics_technician_get,
    coached_conversation_get,
    coached_opportunity_get,
    leaderboard_member_keys,
    members_by_ids,
    supervisor_required,
    team_member_keys,
    team_members,
)
from coaching.selectors.analytics import (
    coach_technicians,
    daily_metrics,
    date_range,
    leaderboard,
    leaderboard_for,
    open_opportunities,
    open_pipeline,
    team_overview,
    team_overview_for,
    team_technicians_stats,
    team_weekly_series,
    trends,
)
from coaching.selectors.calls import opportunity_history, recent_calls, with_call_counts

__all__ = [
    "coach_technicians",
    "analytics_technician_get",
    "coached_conversation_get",
    "coached_opportunity_get",
    "daily_metrics",
    "date_range",
    "leaderboard",
    "leaderboard_for",
    "leaderboard_member_keys",
    "members_by_ids",
    "open_opportunities",
    "open_pipeline",
    "opportunity_history",
    "recent_calls",
    "supervisor_required",
    "team_member_keys",
    "team_members",
    "team_overview",
    "team_overview_for",
    "team_technicians_stats",
    "team_weekly_series",
    "trends",
    "with_call_counts",
]
