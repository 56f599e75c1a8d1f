"""Technicians' figures over local days, added up by the database.

Every analytics route reads the same sums (`METRICS`) for some technicians over some local days,
grouped by technician, day or week. They come from two places, split at the time zone's rollup
watermark (`RollupWatermark.rolled_until`, an instant): calls started before it from the rollup
(`TechnicianDay`, one row per technician and day), later calls from the calls themselves. The
rollup runs every few minutes, so the second part is the last minutes' calls. Each source is an
ORM query grouped with `annotate`; the queries are joined with UNION ALL and added up in one
statement, so one round trip answers any period, and a period that crosses the watermark adds
the two halves exactly (sums and counts, never averages of averages).

What counts (the same rules build the rollup, `coaching.services.rollup`):

- a call counts on the local day it started, once it has ended (stopped);
- its satisfaction is the call's `customer_satisfaction_score` (0-100, from its current analysis);
- opportunities and coaching moments are those of the call's current analysis run; an
  opportunity is won when its status is `closed_won`, its `actual_value` is the revenue, credited
  to the day of the call that found it; it is open while identified, presented or quoted.
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from dataclasses import dataclass, fields
from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import connection
from django.db.models import (
    Count,
    DateField,
    DecimalField,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Sum,
    Value,
)
from django.db.models.functions import Cast, Coalesce, Trunc, TruncDate
from django.utils import timezone

from accounts.models import User
from coaching.models import RollupWatermark, TechnicianDay, TechnicianDayCoaching
from coaching.selectors.periods import Period, local_midnight, zone
from conversations.models import CoachingMoment, Conversation, UpsellOpportunity

METRICS = (
    "calls",
    "duration_total",
    "duration_calls",
    "satisfaction_total",
    "satisfaction_calls",
    "upsells_identified",
    "upsells_won",
    "upsell_revenue",
    "upsells_open",
    "upsell_open_value",
    "coaching_moments",
)
KEYS = ("technician", "day", "week")
WON = UpsellOpportunity.Status.CLOSED_WON
OPEN = (
    UpsellOpportunity.Status.IDENTIFIED,
    UpsellOpportunity.Status.PRESENTED,
    UpsellOpportunity.Status.QUOTED,
)
Ids = Sequence[int] | None  # None: every technician (the rollup)


def _money(value: Any) -> Decimal:
    return Decimal(str(value or 0)).quantize(Decimal("0.01"))


@dataclass(frozen=True)
class Figures:
    """The sums for one group (a technician, a day, a week...) and the figures routes show."""

    calls: int = 0
    duration_total: float = 0.0
    duration_calls: int = 0
    satisfaction_total: int = 0
    satisfaction_calls: int = 0
    upsells_identified: int = 0
    upsells_won: int = 0
    upsell_revenue: Decimal = Decimal("0")
    upsells_open: int = 0
    upsell_open_value: Decimal = Decimal("0")
    coaching_moments: int = 0

    @classmethod
    def from_row(cls, row: dict[str, Any]) -> Figures:
        return cls(
            calls=int(row.get("calls") or 0),
            duration_total=float(row.get("duration_total") or 0.0),
            duration_calls=int(row.get("duration_calls") or 0),
            satisfaction_total=int(row.get("satisfaction_total") or 0),
            satisfaction_calls=int(row.get("satisfaction_calls") or 0),
            upsells_identified=int(row.get("upsells_identified") or 0),
            upsells_won=int(row.get("upsells_won") or 0),
            upsell_revenue=_money(row.get("upsell_revenue")),
            upsells_open=int(row.get("upsells_open") or 0),
            upsell_open_value=_money(row.get("upsell_open_value")),
            coaching_moments=int(row.get("coaching_moments") or 0),
        )

    def __add__(self, other: Figures) -> Figures:
        return Figures(**{f.name: getattr(self, f.name) + getattr(other, f.name) for f in fields(self)})

    @property
    def avg_call_duration(self) -> int | None:
        """Seconds, over calls whose length is known."""
        return round(self.duration_total / self.duration_calls) if self.duration_calls else None

    @property
    def satisfaction_score(self) -> float | None:
        """Mean customer satisfaction, 0-100."""
        return self.satisfaction_total / self.satisfaction_calls if self.satisfaction_calls else None

    @property
    def avg_satisfaction(self) -> float | None:
        """The same on the spec's 1-5 scale (score / 20, DESIGN.md §6)."""
        score = self.satisfaction_score
        return None if score is None else round(score / 20.0, 2)

    @property
    def upsell_conversion(self) -> float | None:
        """Won / identified, over the opportunities found on these calls."""
        return round(self.upsells_won / self.upsells_identified, 4) if self.upsells_identified else None


# --------------------------------------------------------------------------------------------
# The sources


def _money_field() -> DecimalField:
    return DecimalField(max_digits=14, decimal_places=2)


_ZEROS: dict[str, Any] = {
    **{name: Value(0, output_field=IntegerField()) for name in METRICS},
    "duration_total": Value(0.0, output_field=FloatField()),
    "upsell_revenue": Value(Decimal("0"), output_field=_money_field()),
    "upsell_open_value": Value(Decimal("0"), output_field=_money_field()),
}


@dataclass(frozen=True)
class Span:
    """Calls started in [begins, ends), their days counted in `time_zone`."""

    begins: datetime
    ends: datetime
    time_zone: str


def _of(field: str, ids: Ids) -> Q:
    return Q() if ids is None else Q(**{f"{field}__in": list(ids)})


def _live_keys(prefix: str, keys: Sequence[str], tz_name: str) -> dict[str, Any]:
    tz = zone(tz_name)
    started = f"{prefix}started_at"
    available = {
        "technician": F(f"{prefix}technician_id"),
        "day": TruncDate(started, tzinfo=tz),
        "week": Cast(Trunc(started, "week", output_field=DateField(), tzinfo=tz), DateField()),
    }
    return {f"k_{key}": available[key] for key in keys}


def _rollup_keys(keys: Sequence[str]) -> dict[str, Any]:
    available = {
        "technician": F("technician_id"),
        "day": F("day"),
        "week": Cast(Trunc("day", "week", output_field=DateField()), DateField()),
    }
    return {f"k_{key}": available[key] for key in keys}


def _columns(query: QuerySet[Any], keys: Sequence[str], metrics: dict[str, Any]) -> QuerySet[Any]:
    annotations = {**_ZEROS, **metrics}
    return (
        query.order_by()
        .annotate(**{name: annotations[name] for name in METRICS})
        .values_list(*[f"k_{key}" for key in keys], *METRICS)
    )


def _per_call(model: Any, value: Any, **condition: Any) -> Coalesce:
    """One figure of a call's current analysis, as a correlated subquery: the database reaches
    the few rows of each call through the foreign-key index, however large the tables grow."""
    rows = (
        model.objects.filter(conversation=OuterRef("pk"), analysis__is_current=True, **condition)
        .order_by()
        .values("conversation")
        .annotate(figure=value)
        .values("figure")
    )
    output = _money_field() if isinstance(value, Sum) else IntegerField()
    return Coalesce(Subquery(rows, output_field=output), Value(0, output_field=output))


_CALL_FIGURES = {
    "calls": Count("id"),
    "duration_total": Sum("duration_seconds"),
    "duration_calls": Count("duration_seconds"),
    "satisfaction_total": Sum("customer_satisfaction_score"),
    "satisfaction_calls": Count("customer_satisfaction_score"),
}


def _calls(ids: Ids, span: Span) -> QuerySet[Conversation]:
    return Conversation.objects.filter(
        _of("technician_id", ids),
        ended_at__isnull=False,
        started_at__gte=span.begins,
        started_at__lt=span.ends,
    )


def _calls_with_findings_part(ids: Ids, span: Span, keys: Sequence[str]) -> QuerySet[Any]:
    """The span's ended calls with what their current analysis found, each call's findings by
    correlated subqueries: for a few minutes' calls the database reaches their few rows through
    the foreign-key indexes instead of scanning the opportunity and moment tables."""
    calls = (
        _calls(ids, span)
        .annotate(
            found=_per_call(UpsellOpportunity, Count("id")),
            won=_per_call(UpsellOpportunity, Count("id"), status=WON),
            revenue=_per_call(UpsellOpportunity, Sum("actual_value"), status=WON),
            open=_per_call(UpsellOpportunity, Count("id"), status__in=OPEN),
            open_value=_per_call(UpsellOpportunity, Sum("estimated_value"), status__in=OPEN),
            moments=_per_call(CoachingMoment, Count("id")),
        )
        .values(**_live_keys("", keys, span.time_zone))
    )
    return _columns(
        calls,
        keys,
        {
            **_CALL_FIGURES,
            "upsells_identified": Sum("found"),
            "upsells_won": Sum("won"),
            "upsell_revenue": Sum("revenue"),
            "upsells_open": Sum("open"),
            "upsell_open_value": Sum("open_value"),
            "coaching_moments": Sum("moments"),
        },
    )


def _calls_part(ids: Ids, span: Span, keys: Sequence[str]) -> QuerySet[Any]:
    return _columns(_calls(ids, span).values(**_live_keys("", keys, span.time_zone)), keys, _CALL_FIGURES)


def _found_on_calls(model: Any, ids: Ids, span: Span) -> QuerySet[Any]:
    """Rows of the current analysis of the span's ended calls."""
    return model.objects.filter(
        _of("conversation__technician_id", ids),
        analysis__is_current=True,
        conversation__ended_at__isnull=False,
        conversation__started_at__gte=span.begins,
        conversation__started_at__lt=span.ends,
    )


def _opportunities_part(ids: Ids, span: Span, keys: Sequence[str]) -> QuerySet[Any]:
    won, open_ = Q(status=WON), Q(status__in=OPEN)
    found = _found_on_calls(UpsellOpportunity, ids, span).values(
        **_live_keys("conversation__", keys, span.time_zone)
    )
    return _columns(
        found,
        keys,
        {
            "upsells_identified": Count("id"),
            "upsells_won": Count("id", filter=won),
            "upsell_revenue": Sum("actual_value", filter=won),
            "upsells_open": Count("id", filter=open_),
            "upsell_open_value": Sum("estimated_value", filter=open_),
        },
    )


def _moments_part(ids: Ids, span: Span, keys: Sequence[str]) -> QuerySet[Any]:
    found = _found_on_calls(CoachingMoment, ids, span).values(
        **_live_keys("conversation__", keys, span.time_zone)
    )
    return _columns(found, keys, {"coaching_moments": Count("id")})


# A span that begins this recently holds few calls (the minutes after the watermark): they are
# read call by call. Older spans (the rollup itself, reads before any rollup ran) join in bulk.
PER_CALL_SPAN = timedelta(days=1)


def live_parts(ids: Ids, span: Span, keys: Sequence[str]) -> list[QuerySet[Any]]:
    """The calls of the span and everything their current analyses found, grouped by `keys`:
    two ways to the same sums (the tests hold them equal), chosen by how recent the span is."""
    if span.begins >= timezone.now() - PER_CALL_SPAN:
        return [_calls_with_findings_part(ids, span, keys)]
    return [
        _calls_part(ids, span, keys),
        _opportunities_part(ids, span, keys),
        _moments_part(ids, span, keys),
    ]


def _rollup_part(ids: Sequence[int], period: Period, keys: Sequence[str]) -> QuerySet[Any]:
    rows = TechnicianDay.objects.filter(
        time_zone=period.time_zone, technician_id__in=list(ids), day__gte=period.start, day__lte=period.end
    ).values(**_rollup_keys(keys))
    return _columns(rows, keys, {name: Sum(name) for name in METRICS})


def _members_part(ids: Sequence[int]) -> QuerySet[Any]:
    """A row of zeros per technician, so that those without a call in the period still appear."""
    members = User.objects.filter(pk__in=list(ids)).values(k_technician=F("id"))
    return _columns(members, ("technician",), {})


def watermark(tz_name: str) -> datetime | None:
    return RollupWatermark.objects.filter(time_zone=tz_name).values_list("rolled_until", flat=True).first()


def split(period: Period, rolled: datetime | None) -> tuple[Period | None, Span | None]:
    """The period's days in the rollup, and the calls to read live: those started after the
    watermark `rolled` (the rollup's rows of the watermark's own day hold the calls before it)."""
    begins, ends = period.instants()
    if rolled is None or rolled <= begins:
        return None, Span(begins, ends, period.time_zone)
    last_rolled_day = min(period.end, rolled.astimezone(zone(period.time_zone)).date())
    rolled_days = (
        Period(period.start, last_rolled_day, period.time_zone) if last_rolled_day >= period.start else None
    )
    live = Span(rolled, ends, period.time_zone) if rolled < ends else None
    return rolled_days, live


def source_parts(
    ids: Sequence[int],
    period: Period,
    keys: Sequence[str],
    *,
    rolled: datetime | None,
    include_members: bool = False,
) -> list[QuerySet[Any]]:
    """The queries that together hold the period's figures, given the watermark `rolled`."""
    unknown = set(keys) - set(KEYS)
    if unknown:
        raise ValueError(f"cannot group by {sorted(unknown)}")
    rolled_days, live = split(period, rolled)
    parts: list[QuerySet[Any]] = []
    if rolled_days is not None:
        parts.append(_rollup_part(ids, rolled_days, keys))
    if live is not None:
        parts.extend(live_parts(ids, live, keys))
    if include_members:
        parts.append(_members_part(ids))
    return parts


@functools.lru_cache(maxsize=512)
def _compiled_totals(
    ids: tuple[int, ...],
    period: Period,
    keys: tuple[str, ...],
    rolled: datetime | None,
    include_members: bool,
) -> tuple[str, tuple[Any, ...]]:
    sql, params = totals_sql(
        source_parts(ids, period, keys, rolled=rolled, include_members=include_members), keys
    )
    return sql, tuple(params)


def compiled_totals(
    ids: Sequence[int], period: Period, keys: Sequence[str], *, include_members: bool = False
) -> tuple[str, tuple[Any, ...]]:
    """The statement adding up the period's figures. Building it through the ORM costs more CPU
    than running it, and it changes only with its inputs (the watermark moves every few minutes,
    the period once a day), so each process keeps the last few hundred it built."""
    return _compiled_totals(tuple(ids), period, tuple(keys), watermark(period.time_zone), include_members)


def union_sql(parts: Sequence[QuerySet[Any]]) -> tuple[str, list[Any]]:
    """The parts as one UNION ALL (each part's SQL as the ORM compiles it for this backend)."""
    sqls: list[str] = []
    params: list[Any] = []
    for part in parts:
        sql, part_params = part.query.sql_with_params()
        sqls.append(sql)
        params.extend(part_params)
    return " UNION ALL ".join(sqls), params


def totals_sql(
    parts: Sequence[QuerySet[Any]], keys: Sequence[str], metrics: Sequence[str] = METRICS
) -> tuple[str, list[Any]]:
    """SELECT keys, the sums FROM the parts GROUP BY keys."""
    union, params = union_sql(parts)
    key_columns = ", ".join(f"k_{key}" for key in keys)
    sums = ", ".join(f"COALESCE(SUM({name}), 0) AS {name}" for name in metrics)
    return f"SELECT {key_columns}, {sums} FROM ({union}) facts GROUP BY {key_columns}", params


def fetch(sql: str, params: Sequence[Any]) -> list[dict[str, Any]]:
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        names = [column[0] for column in cursor.description]
        return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]


def as_date(value: Any) -> date:
    """A date key as the backend returns it (SQLite gives text)."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    return date.fromisoformat(str(value)[:10])


def figures(
    technician_ids: Sequence[int], period: Period, keys: Sequence[str]
) -> dict[tuple[Any, ...], Figures]:
    """{(key values...): Figures} for the technicians over the period, grouped by `keys`
    ("technician", "day", "week"); groups without any call are absent."""
    if not technician_ids:
        return {}
    sql, params = compiled_totals(technician_ids, period, keys)
    found: dict[tuple[Any, ...], Figures] = {}
    for row in fetch(sql, params):
        key = tuple(
            int(row[f"k_{name}"]) if name == "technician" else as_date(row[f"k_{name}"]) for name in keys
        )
        found[key] = Figures.from_row(row)
    return found


# --------------------------------------------------------------------------------------------
# Coaching moments by category


def moments_by_category_sql(ids: Ids, span: Span, keys: Sequence[str]) -> tuple[str, list[Any]]:
    """Coaching moments of the span's calls by technician, [day,] category (for the rollup)."""
    found = (
        _found_on_calls(CoachingMoment, ids, span)
        .values(**_live_keys("conversation__", keys, span.time_zone), k_category=F("category"))
        .order_by()
        .annotate(moments=Count("id"))
        .values_list(*[f"k_{key}" for key in keys], "k_category", "moments")
    )
    return totals_sql([found], [*keys, "category"], ["moments"])


@functools.lru_cache(maxsize=256)
def _compiled_categories(
    ids: tuple[int, ...], period: Period, rolled: datetime | None
) -> tuple[str, tuple[Any, ...]]:
    rolled_days, live = split(period, rolled)
    parts: list[QuerySet[Any]] = []
    if rolled_days is not None:
        parts.append(
            TechnicianDayCoaching.objects.filter(
                time_zone=period.time_zone,
                technician_id__in=list(ids),
                day__gte=rolled_days.start,
                day__lte=rolled_days.end,
            )
            .values(k_technician=F("technician_id"), k_category=F("category"))
            .order_by()
            .annotate(moments=Sum("moments"))
            .values_list("k_technician", "k_category", "moments")
        )
    if live is not None:
        parts.append(
            _found_on_calls(CoachingMoment, ids, live)
            .values(k_technician=F("conversation__technician_id"), k_category=F("category"))
            .order_by()
            .annotate(moments=Count("id"))
            .values_list("k_technician", "k_category", "moments")
        )
    sql, params = totals_sql(parts, ["technician", "category"], ["moments"])
    return sql, tuple(params)


def coaching_categories(technician_ids: Sequence[int], period: Period) -> dict[tuple[int, str], int]:
    """{(technician, category): coaching moments} over the period, rollup and live alike."""
    if not technician_ids:
        return {}
    sql, params = _compiled_categories(tuple(technician_ids), period, watermark(period.time_zone))
    return {
        (int(row["k_technician"]), str(row["k_category"])): int(row["moments"]) for row in fetch(sql, params)
    }


def day_start(day: date, tz_name: str) -> datetime:
    return local_midnight(day, tz_name)
