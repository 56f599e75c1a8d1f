"""Reads of conversation-intelligence.md §7-8: team stats, daily metrics, trends, the team overview
and leaderboards. The sums come from the database (`facts`, `leaderboard`); what is left here is
shaping a handful of rows (one per technician, day or week) and the trend rule.

Trend rule (also in the README): for each metric, a least-squares line through its values over the
last N complete weeks (default 8; the current, partial week is listed but not fitted). The trend
is `up` when the line rises by more than 3% of the metric's mean per week, `down` when it falls by
more than that, and `stable` inside that dead band, or when fewer than 3 weeks have a value. Weeks
without an analysed call have no satisfaction and are left out of its fit (not counted as 0).
Metrics: calls per week, mean customer satisfaction, and upsell opportunities found per week (wins
are not used: deals close weeks after the call, so recent weeks would always look worse).
"""

from __future__ import annotations

import statistics
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q
from django.utils import timezone

from accounts.models import User
from coaching.selectors import cached, facts
from coaching.selectors.access import MemberKey, leaderboard_member_keys, members_by_ids, team_member_keys
from coaching.selectors.periods import (
    MAX_RANGE_DAYS,
    Period,
    current_week,
    leaderboard_period,
    local_today,
    user_time_zone,
    week_start,
)
from coaching.selectors.ranking import Ranking, Standing, ranking
from conversations.exceptions import Invalid
from conversations.models import UpsellOpportunity

TREND_WEEKS = 8
TREND_MIN_POINTS = 3
TREND_DEAD_BAND = 0.03  # of the metric's mean, per week
DAILY_DEFAULT_DAYS = 7
OPEN_LOOKBACK_DAYS = 30
OPEN_STATUSES = (
    UpsellOpportunity.Status.IDENTIFIED,
    UpsellOpportunity.Status.PRESENTED,
    UpsellOpportunity.Status.QUOTED,
)


def money(value: Decimal) -> float:
    return float(value)


def stats_of(figures: facts.Figures) -> dict[str, Any]:
    """The figures every technician row shows."""
    return {
        "calls": figures.calls,
        "avg_call_duration": figures.avg_call_duration,
        "avg_satisfaction": figures.avg_satisfaction,
        "upsells_identified": figures.upsells_identified,
        "upsells_closed": figures.upsells_won,
        "upsell_conversion": figures.upsell_conversion,
        "upsell_revenue": money(figures.upsell_revenue),
        "coaching_moments_count": figures.coaching_moments,
    }


# --------------------------------------------------------------------------------------------
# A technician's days and weeks


def date_range(
    *, start: date | None, end: date | None, time_zone: str, now: datetime | None = None
) -> Period:
    """The days asked for: both given, or the last week up to `end` (default today, local)."""
    end = end or local_today(time_zone, now)
    start = start or end - timedelta(days=DAILY_DEFAULT_DAYS - 1)
    if end < start:
        raise Invalid("end_date is before start_date.", details={"field": "end_date"})
    days = (end - start).days + 1
    if days > MAX_RANGE_DAYS:
        raise Invalid(
            f"The range covers {days} days; at most {MAX_RANGE_DAYS} may be asked at once.",
            details={"field": "end_date", "max_days": MAX_RANGE_DAYS},
        )
    return Period(start, end, time_zone)


def daily_metrics(*, technician: User, period: Period) -> list[dict[str, Any]]:
    """One entry per day of the period, days without calls included (zeros, no averages)."""
    by_day = facts.figures([technician.pk], period, ("day",))
    metrics = []
    for day in period.each_day():
        figures = by_day.get((day,), facts.Figures())
        metrics.append(
            {
                "date": day.isoformat(),
                "total_calls": figures.calls,
                "avg_call_duration": figures.avg_call_duration,
                "upsells_identified": figures.upsells_identified,
                "upsells_closed": figures.upsells_won,
                "upsell_revenue": money(figures.upsell_revenue),
                "avg_customer_satisfaction": figures.avg_satisfaction,
                "coaching_moments_count": figures.coaching_moments,
            }
        )
    return metrics


@dataclass(frozen=True)
class Trend:
    direction: str
    slope_per_week: float | None
    relative_slope: float | None
    weeks_fitted: int


def trend_of(values: list[float | None]) -> Trend:
    """The trend rule (module docstring) over weekly values, oldest first; None = no value."""
    points = [(float(x), float(y)) for x, y in enumerate(values) if y is not None]
    if len(points) < TREND_MIN_POINTS:
        return Trend("stable", None, None, len(points))
    xs, ys = zip(*points, strict=True)
    slope = statistics.linear_regression(xs, ys).slope
    mean = statistics.fmean(ys)
    relative = slope / abs(mean) if mean else 0.0
    direction = "up" if relative > TREND_DEAD_BAND else "down" if relative < -TREND_DEAD_BAND else "stable"
    return Trend(direction, round(slope, 4), round(relative, 4), len(points))


def trends(*, technician: User, weeks: int = TREND_WEEKS, now: datetime | None = None) -> dict[str, Any]:
    time_zone = user_time_zone(technician)
    this_week = week_start(local_today(time_zone, now))
    first = this_week - timedelta(weeks=weeks)
    period = Period(first, this_week + timedelta(days=6), time_zone)
    by_week = facts.figures([technician.pk], period, ("week",))
    weekly = []
    for index in range(weeks + 1):
        start = first + timedelta(weeks=index)
        figures = by_week.get((start,), facts.Figures())
        weekly.append((start, figures))
    complete = [figures for start, figures in weekly if start < this_week]
    calls = trend_of([float(f.calls) for f in complete])
    satisfaction = trend_of([f.satisfaction_score for f in complete])
    upsells = trend_of([float(f.upsells_identified) for f in complete])
    return {
        "calls_trend": calls.direction,
        "satisfaction_trend": satisfaction.direction,
        "upsell_trend": upsells.direction,
        "weekly_stats": [
            {
                "week_start": start.isoformat(),
                "week_end": (start + timedelta(days=6)).isoformat(),
                "is_complete": start < this_week,
                # a technician row's figures, with the spec's name for the count of calls
                "total_calls": figures.calls,
                **{name: value for name, value in stats_of(figures).items() if name != "calls"},
            }
            for start, figures in weekly
        ],
        "basis": {
            "weeks_fitted": weeks,
            "dead_band_per_week": TREND_DEAD_BAND,
            "time_zone": time_zone,
            "calls": _trend_json(calls),
            "satisfaction": _trend_json(satisfaction),
            "upsells": _trend_json(upsells),
        },
    }


def _trend_json(trend: Trend) -> dict[str, Any]:
    return {
        "slope_per_week": trend.slope_per_week,
        "relative_slope": trend.relative_slope,
        "points": trend.weeks_fitted,
    }


# --------------------------------------------------------------------------------------------
# A supervisor's team


def coaching_focus(
    *, technician_ids: list[int], period: Period, limit: int = 3
) -> dict[int, list[dict[str, Any]]]:
    """What each technician most needs coaching on: the categories of their coaching moments in
    the period, most frequent first (ties by name)."""
    counts = facts.coaching_categories(technician_ids, period)
    focus: dict[int, list[dict[str, Any]]] = {}
    for (technician_id, category), count in sorted(counts.items(), key=lambda item: (-item[1], item[0][1])):
        entries = focus.setdefault(technician_id, [])
        if len(entries) < limit:
            entries.append({"category": category, "count": count})
    return focus


def team_technicians_stats(
    *, members: list[User], time_zone: str, now: datetime | None = None
) -> list[dict[str, Any]]:
    """`GET /coach/technicians`: each technician with this week's figures (the team's week)."""
    week = current_week(time_zone, now)
    ids = [member.pk for member in members]
    by_technician = facts.figures(ids, week, ("technician",))
    focus = coaching_focus(technician_ids=ids, period=week)
    technicians = []
    for member in members:
        figures = by_technician.get((member.pk,), facts.Figures())
        technicians.append(
            {
                "user_id": member.public_id,
                "full_name": member.full_name,
                "stats": {
                    "calls_this_week": figures.calls,
                    "avg_satisfaction": figures.avg_satisfaction,
                    "upsell_conversion": figures.upsell_conversion,
                    "coaching_moments_count": figures.coaching_moments,
                    "avg_call_duration": figures.avg_call_duration,
                    "upsell_revenue": money(figures.upsell_revenue),
                    "coaching_focus": focus.get(member.pk, []),
                },
            }
        )
    return technicians


def _standing_json(standing: Standing, member: User) -> dict[str, Any]:
    figures = standing.figures
    return {
        "rank": standing.rank,
        "user_id": member.public_id,
        "full_name": member.full_name,
        "score": standing.score,
        "metrics": {
            "calls": figures.calls,
            "satisfaction": figures.avg_satisfaction,
            "upsell_conversion": figures.upsell_conversion,
            "revenue": money(figures.upsell_revenue),
            "upsells_identified": figures.upsells_identified,
            "upsells_closed": figures.upsells_won,
            "coaching_moments_count": figures.coaching_moments,
        },
    }


def leaderboard(
    *, members: list[User], kind: str, time_zone: str, offset: int = 0, now: datetime | None = None
) -> dict[str, Any]:
    period = leaderboard_period(kind, time_zone, offset=offset, now=now)
    result = ranking([member.pk for member in members], period)
    by_pk = {member.pk: member for member in members}
    return {
        "period_type": kind,
        "period_start": period.start.isoformat(),
        "period_end": period.end.isoformat(),
        "time_zone": time_zone,
        "rankings": [_standing_json(s, by_pk[s.technician_id]) for s in result.standings],
    }


def open_pipeline(
    *, technician_ids: list[int], time_zone: str, now: datetime | None = None
) -> dict[str, Any]:
    """Opportunities still open (identified, presented, quoted) found on the last 30 local days'
    calls: how many, and what they are estimated to be worth."""
    today = local_today(time_zone, now)
    period = Period(today - timedelta(days=OPEN_LOOKBACK_DAYS - 1), today, time_zone)
    total = sum(facts.figures(technician_ids, period, ("technician",)).values(), facts.Figures())
    return {
        "count": total.upsells_open,
        "estimated_value": money(total.upsell_open_value),
        "since": period.start.isoformat(),
    }


def open_opportunities(
    *, technician_ids: list[int], top: int = 10, now: datetime | None = None
) -> list[UpsellOpportunity]:
    """The biggest open opportunities of the last 30 days' calls (the dashboard's list)."""
    since = (now or timezone.now()) - timedelta(days=OPEN_LOOKBACK_DAYS)
    return list(
        UpsellOpportunity.objects.filter(
            analysis__is_current=True,
            status__in=OPEN_STATUSES,
            conversation__technician_id__in=technician_ids,
            conversation__started_at__gte=since,
        )
        .select_related("conversation__technician")
        .order_by("-estimated_value", "-id")[:top]
    )


def team_overview(*, supervisor: User, members: list[User], now: datetime | None = None) -> dict[str, Any]:
    """`GET /analytics/team/overview`: this week (the team's time zone) across the team."""
    time_zone = user_time_zone(supervisor)
    week = current_week(time_zone, now)
    ids = [member.pk for member in members]
    result: Ranking = ranking(ids, week)
    by_pk = {member.pk: member for member in members}
    leader = result.standings[0] if result.standings and result.standings[0].figures.calls else None
    focus = coaching_focus(technician_ids=ids, period=week, limit=1)
    needs = sorted(
        (
            {"user_id": by_pk[pk].public_id, "full_name": by_pk[pk].full_name, **entries[0]}
            for pk, entries in focus.items()
            if entries
        ),
        key=lambda entry: (-entry["count"], entry["full_name"], entry["user_id"]),
    )
    team = result.team
    top_performer = None
    if leader is not None:
        standing = _standing_json(leader, by_pk[leader.technician_id])
        top_performer = {
            "user_id": standing["user_id"],
            "full_name": standing["full_name"],
            "stats": {"rank": 1, "score": standing["score"], **standing["metrics"]},
        }
    return {
        "team_stats": {
            "period_start": week.start.isoformat(),
            "period_end": week.end.isoformat(),
            "time_zone": time_zone,
            "technicians_count": len(members),
            "total_calls_this_week": team.calls,
            "avg_satisfaction": team.avg_satisfaction,
            "avg_call_duration": team.avg_call_duration,
            "total_upsell_revenue": money(team.upsell_revenue),
            "upsells_identified": team.upsells_identified,
            "upsells_closed": team.upsells_won,
            "upsell_conversion": team.upsell_conversion,
            "coaching_moments_count": team.coaching_moments,
            "top_performer": top_performer,
            "needs_coaching": needs,
            "open_opportunities": open_pipeline(technician_ids=ids, time_zone=time_zone, now=now),
        }
    }


def upsell_conversion_stats(users: list[User], kind: str) -> dict[int, dict[str, Any]]:
    """For /users/{id} (a stats provider): every opportunity found on the user's calls, won / found."""
    if kind != "profile":
        return {}
    rows = (
        UpsellOpportunity.objects.filter(analysis__is_current=True, conversation__technician__in=users)
        .order_by()
        .values("conversation__technician_id")
        .annotate(found=Count("id"), won=Count("id", filter=Q(status=UpsellOpportunity.Status.CLOSED_WON)))
    )
    return {
        row["conversation__technician_id"]: {"upsell_conversion": round(row["won"] / row["found"], 4)}
        for row in rows
        if row["found"]
    }


def team_weekly_series(
    *, members: list[User], time_zone: str, weeks: int = 12, now: datetime | None = None
) -> list[dict[str, Any]]:
    """The team's figures week by week (the last `weeks`, this one included), for the dashboard."""
    this_week = week_start(local_today(time_zone, now))
    first = this_week - timedelta(weeks=weeks - 1)
    by_week = facts.figures(
        [m.pk for m in members], Period(first, this_week + timedelta(days=6), time_zone), ("week",)
    )
    series = []
    for index in range(weeks):
        start = first + timedelta(weeks=index)
        figures = by_week.get((start,), facts.Figures())
        series.append(
            {
                "week_start": start,
                "calls": figures.calls,
                "avg_satisfaction": figures.avg_satisfaction,
                "upsell_revenue": money(figures.upsell_revenue),
                "upsells_identified": figures.upsells_identified,
                "coaching_moments": figures.coaching_moments,
            }
        )
    return series


# --------------------------------------------------------------------------------------------
# What the routes serve: the answers above for a viewer, kept briefly (`cached`)


def _remember(name: str, members: list[MemberKey], key: tuple[Any, ...], compute: Any) -> Any:
    ids = ",".join(str(pk) for pk, _ in members)
    return cached.remember(scopes=cached.member_scopes(members), name=name, key=(*key, ids), compute=compute)


def coach_technicians(*, supervisor: User, now: datetime | None = None) -> list[dict[str, Any]]:
    time_zone = user_time_zone(supervisor)
    week = current_week(time_zone, now)
    members = team_member_keys(supervisor=supervisor)
    return _remember(  # type: ignore[no-any-return]
        "technicians",
        members,
        (time_zone, week.start),
        lambda: team_technicians_stats(
            members=members_by_ids([pk for pk, _ in members]), time_zone=time_zone, now=now
        ),
    )


def leaderboard_for(*, viewer: User, kind: str, offset: int, now: datetime | None = None) -> dict[str, Any]:
    members = leaderboard_member_keys(user=viewer)
    time_zone = user_time_zone(viewer)
    period = leaderboard_period(kind, time_zone, offset=offset, now=now)
    return _remember(  # type: ignore[no-any-return]
        "leaderboard",
        members,
        (time_zone, kind, period.start, period.end),
        lambda: leaderboard(
            members=members_by_ids([pk for pk, _ in members]),
            kind=kind,
            time_zone=time_zone,
            offset=offset,
            now=now,
        ),
    )


def team_overview_for(*, supervisor: User, now: datetime | None = None) -> dict[str, Any]:
    time_zone = user_time_zone(supervisor)
    members = team_member_keys(supervisor=supervisor)
    return _remember(  # type: ignore[no-any-return]
        "overview",
        members,
        (time_zone, local_today(time_zone, now)),
        lambda: team_overview(
            supervisor=supervisor, members=members_by_ids([pk for pk, _ in members]), now=now
        ),
    )
