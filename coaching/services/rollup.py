"""The analytics rollup: one `TechnicianDay` row (and its `TechnicianDayCoaching` rows, by
coaching category) per technician and local day, per time zone in use, so a month of a team's
figures is a few hundred rows to add up instead of every call and everything found on it.

`rollup_run` (Celery beat, every five minutes, as a job) rolls each time zone up to now: the rows
of the current local day are recomputed (calls started before the new watermark), and once a
night, when a new local day has begun, the week before is recomputed as well (what reached it
without a service: an admin edit, a deleted call). Reads add the rollup's rows and the calls
started after the watermark (`coaching.selectors.facts`), so the figures are exact whenever the
rollup last ran, and reads stay cheap: the live part is a few minutes of calls.

Changes to a call already in the rollup are applied at once: `rollup_refresh` recomputes that
technician's day when a call ends or is analysed again, an opportunity changes status, or a call
is deleted.
"""

from __future__ import annotations

import dataclasses
import logging
from collections.abc import Sequence
from datetime import date, datetime, timedelta
from typing import Any

from django.db import transaction
from django.db.models import Min
from django.utils import timezone

from accounts.models import Team
from coaching.models import RollupWatermark, TechnicianDay, TechnicianDayCoaching
from coaching.selectors import cached, facts
from coaching.selectors.periods import UTC_NAME, local_midnight, local_today, zone
from conversations.models import Conversation

logger = logging.getLogger(__name__)

REFRESH_DAYS = 7


def time_zones_in_use() -> list[str]:
    return sorted(set(Team.objects.values_list("time_zone", flat=True)) | {UTC_NAME})


def rollup_days(
    *,
    time_zone: str,
    start: date,
    end: date,
    cutoff: datetime | None = None,
    technician_ids: Sequence[int] | None = None,
) -> int:
    """Recompute the rows of local days `start`..`end` (of these technicians, or everyone) from
    the calls started before `cutoff` (default: the end of `end`); returns the rows written."""
    begins = local_midnight(start, time_zone)
    ends = local_midnight(end + timedelta(days=1), time_zone)
    if cutoff is not None:
        ends = max(begins, min(ends, cutoff))
    span = facts.Span(begins, ends, time_zone)
    keys = ("technician", "day")
    sql, params = facts.totals_sql(facts.live_parts(technician_ids, span, keys), keys)
    now = timezone.now()
    days = [
        TechnicianDay(
            technician_id=int(row["k_technician"]),
            time_zone=time_zone,
            day=facts.as_date(row["k_day"]),
            computed_at=now,
            **dataclasses.asdict(facts.Figures.from_row(row)),
        )
        for row in facts.fetch(sql, params)
    ]
    category_sql, category_params = facts.moments_by_category_sql(technician_ids, span, keys)
    categories = [
        TechnicianDayCoaching(
            technician_id=int(row["k_technician"]),
            time_zone=time_zone,
            day=facts.as_date(row["k_day"]),
            category=str(row["k_category"]),
            moments=int(row["moments"]),
        )
        for row in facts.fetch(category_sql, category_params)
    ]
    with transaction.atomic():
        for model in (TechnicianDay, TechnicianDayCoaching):
            stale = model.objects.filter(time_zone=time_zone, day__gte=start, day__lte=end)  # type: ignore[attr-defined]
            if technician_ids is not None:
                stale = stale.filter(technician_id__in=list(technician_ids))
            stale.delete()
        TechnicianDay.objects.bulk_create(days, batch_size=1000)
        TechnicianDayCoaching.objects.bulk_create(categories, batch_size=1000)
    return len(days)


def _first_call_day(time_zone: str) -> date | None:
    first = Conversation.objects.filter(ended_at__isnull=False).aggregate(first=Min("started_at"))["first"]
    return None if first is None else first.astimezone(zone(time_zone)).date()


def rollup_zone(*, time_zone: str, now: datetime | None = None, force: bool = False) -> dict[str, Any]:
    """Roll one time zone up to `now` (see the module docstring); `force` redoes every day."""
    now = (now or timezone.now()).replace(microsecond=0)
    today = local_today(time_zone, now)
    with transaction.atomic():
        # The watermark row is the lock: two runs of one zone queue up instead of interleaving.
        mark, created = RollupWatermark.objects.select_for_update().get_or_create(
            time_zone=time_zone, defaults={"rolled_until": now}
        )
        first = _first_call_day(time_zone) or today
        # The watermark's own day was rolled only up to it: that day onwards is redone.
        start = first if created or force else mark.rolled_until.astimezone(zone(time_zone)).date()
        nightly = force or mark.nightly_through is None or mark.nightly_through < today - timedelta(days=1)
        if nightly:
            start = min(start, today - timedelta(days=REFRESH_DAYS))
        start = min(max(start, first), today)
        rows = rollup_days(time_zone=time_zone, start=start, end=today, cutoff=now)
        mark.rolled_until, mark.updated_at = now, timezone.now()
        if nightly:
            mark.nightly_through = today - timedelta(days=1)
        mark.save(update_fields=["rolled_until", "nightly_through", "updated_at"])
    logger.info("rollup %s: %s..%s until %s, %d rows", time_zone, start, today, now.isoformat(), rows)
    return {"time_zone": time_zone, "from": start.isoformat(), "rolled_until": now.isoformat(), "rows": rows}


def rollup_run(*, now: datetime | None = None, force: bool = False) -> list[dict[str, Any]]:
    """Every time zone in use, rolled up to now."""
    zones = [rollup_zone(time_zone=name, now=now, force=force) for name in time_zones_in_use()]
    # Same figures by design; but a run also repairs what bypassed the services: publish it.
    cached.invalidate([cached.EVERYTHING])
    return zones


def rollup_refresh(*, technician_id: int, started_at: datetime) -> int:
    """Recompute, in every time zone, the rolled row of the day a call started on, if the call is
    in the rollup (started before the watermark); returns how many rows were recomputed."""
    refreshed = 0
    with transaction.atomic():
        for mark in RollupWatermark.objects.select_for_update().order_by("time_zone"):
            if started_at < mark.rolled_until:
                day = started_at.astimezone(zone(mark.time_zone)).date()
                rollup_days(
                    time_zone=mark.time_zone,
                    start=day,
                    end=day,
                    cutoff=mark.rolled_until,
                    technician_ids=[technician_id],
                )
                refreshed += 1
    return refreshed


def rollup_refresh_call(*, conversation: Conversation) -> int:
    return rollup_refresh(technician_id=conversation.technician_id, started_at=conversation.started_at)
