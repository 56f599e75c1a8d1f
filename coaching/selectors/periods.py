"""Local days, weeks and months of a team, and the UTC instants they begin and end at.

A team's analytics count days in its own time zone (`Team.time_zone`): a call at 23:30 in
Chicago is that Chicago day's call, whatever the date in UTC. Weeks start on Monday (ISO).
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.utils import timezone

from accounts.models import User

UTC_NAME = "UTC"
PERIOD_KINDS = ("daily", "weekly", "monthly")
MAX_RANGE_DAYS = 366


def user_time_zone(user: User) -> str:
    """The time zone a user's days are counted in: their team's, else their supervisor's team's,
    else UTC."""
    team = getattr(user, "team", None)
    if team is None and getattr(user, "supervisor_id", None):
        supervisor = user.supervisor
        team = supervisor.team if supervisor is not None else None
    return team.time_zone if team is not None else UTC_NAME


def zone(name: str) -> ZoneInfo:
    return ZoneInfo(name)


def local_today(tz_name: str, now: datetime | None = None) -> date:
    return (now or timezone.now()).astimezone(zone(tz_name)).date()


def local_midnight(day: date, tz_name: str) -> datetime:
    """The instant a local day begins (zoneinfo resolves days that skip or repeat an hour)."""
    return datetime.combine(day, time(0), tzinfo=zone(tz_name))


def week_start(day: date) -> date:
    return day - timedelta(days=day.weekday())


@dataclass(frozen=True)
class Period:
    """Local days `start` to `end`, both included, in `time_zone`."""

    start: date
    end: date
    time_zone: str

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise ValueError("a period ends on or after its start")

    @property
    def days(self) -> int:
        return (self.end - self.start).days + 1

    def instants(self) -> tuple[datetime, datetime]:
        """[first instant, first instant after) of the period."""
        return local_midnight(self.start, self.time_zone), local_midnight(
            self.end + timedelta(days=1), self.time_zone
        )

    def each_day(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range(self.days)]

    def as_json(self) -> dict[str, Any]:
        return {"start": self.start.isoformat(), "end": self.end.isoformat(), "time_zone": self.time_zone}


def current_week(tz_name: str, now: datetime | None = None) -> Period:
    """Monday to Sunday of this local week (the days to come included: they simply have no calls)."""
    start = week_start(local_today(tz_name, now))
    return Period(start, start + timedelta(days=6), tz_name)


def leaderboard_period(kind: str, tz_name: str, *, offset: int = 0, now: datetime | None = None) -> Period:
    """The period of a leaderboard: the current day, week (Monday-Sunday) or calendar month in
    the team's time zone, or the one `offset` periods before it."""
    today = local_today(tz_name, now)
    if kind == "daily":
        day = today - timedelta(days=offset)
        return Period(day, day, tz_name)
    if kind == "weekly":
        start = week_start(today) - timedelta(weeks=offset)
        return Period(start, start + timedelta(days=6), tz_name)
    if kind == "monthly":
        months = today.year * 12 + (today.month - 1) - offset
        year, month = divmod(months, 12)
        month += 1
        last = calendar.monthrange(year, month)[1]
        return Period(date(year, month, 1), date(year, month, last), tz_name)
    raise ValueError(f"unknown period {kind!r}")
