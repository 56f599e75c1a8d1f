"""The leaderboard: technicians of a team ranked over a day, week or month of the team's time zone.

Score, 0-100 (also in the README):

    score = 40 × satisfaction   mean customer satisfaction of the period's analysed calls, 0-100 / 100
          + 25 × conversion     opportunities won / opportunities found on the period's calls
          + 20 × activity       calls / the most calls anyone on the team made in the period
          + 15 × revenue        upsell revenue won / the most anyone on the team won

A missing figure (no analysed call, no opportunity) counts 0; with no calls at all the score is 0.
Activity and revenue are shares of the team's best, so a small team and a large one score alike.

Ties (equal scores, to the last bit) are broken by, in order: more revenue, more calls, higher
satisfaction, and finally the lower user id, so the order never depends on the database's mood.
Ranks are therefore 1..n without gaps. Everything, the ranking included, is one SQL statement
(window functions: MAX/SUM OVER the team, ROW_NUMBER for the rank) on PostgreSQL and SQLite alike.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from coaching.selectors import facts
from coaching.selectors.periods import Period

WEIGHTS = {"satisfaction": 40, "conversion": 25, "activity": 20, "revenue": 15}


@dataclass(frozen=True)
class Standing:
    rank: int
    technician_id: int
    score: float
    figures: facts.Figures


@dataclass(frozen=True)
class Ranking:
    standings: list[Standing]
    team: facts.Figures


def _ranking_sql(ids: Sequence[int], period: Period) -> tuple[str, tuple[Any, ...]]:
    totals, params = facts.compiled_totals(ids, period, ("technician",), include_members=True)
    real = "DOUBLE PRECISION"
    team_sums = ", ".join(f"SUM({name}) OVER () AS team_{name}" for name in facts.METRICS)
    sql = f"""
WITH totals AS ({totals}),
shares AS (
    SELECT totals.*,
        CASE WHEN satisfaction_calls > 0
            THEN CAST(satisfaction_total AS {real}) / satisfaction_calls END AS satisfaction,
        CASE WHEN upsells_identified > 0
            THEN CAST(upsells_won AS {real}) / upsells_identified END AS conversion,
        CASE WHEN MAX(calls) OVER () > 0
            THEN CAST(calls AS {real}) / MAX(calls) OVER () ELSE 0 END AS activity,
        CASE WHEN MAX(upsell_revenue) OVER () > 0
            THEN CAST(upsell_revenue AS {real}) / MAX(upsell_revenue) OVER () ELSE 0 END AS revenue_share
    FROM totals
),
scored AS (
    SELECT shares.*,
        {WEIGHTS["satisfaction"]} * COALESCE(satisfaction, 0) / 100
        + {WEIGHTS["conversion"]} * COALESCE(conversion, 0)
        + {WEIGHTS["activity"]} * activity
        + {WEIGHTS["revenue"]} * revenue_share AS score
    FROM shares
)
SELECT scored.*,
    ROW_NUMBER() OVER (
        ORDER BY score DESC, upsell_revenue DESC, calls DESC, COALESCE(satisfaction, -1) DESC, k_technician ASC
    ) AS position,
    {team_sums}
FROM scored
ORDER BY position
"""
    return sql, params


def ranking(technician_ids: Sequence[int], period: Period) -> Ranking:
    """Every technician in `technician_ids`, ranked over `period` (those without calls last)."""
    if not technician_ids:
        return Ranking(standings=[], team=facts.Figures())
    sql, params = _ranking_sql(technician_ids, period)
    rows = facts.fetch(sql, params)
    standings = [
        Standing(
            rank=int(row["position"]),
            technician_id=int(row["k_technician"]),
            score=round(float(row["score"] or 0.0), 1),
            figures=facts.Figures.from_row(row),
        )
        for row in rows
    ]
    team = (
        facts.Figures.from_row({name: rows[0][f"team_{name}"] for name in facts.METRICS})
        if rows
        else facts.Figures()
    )
    return Ranking(standings=standings, team=team)
