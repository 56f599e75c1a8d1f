"""/analytics/technician/{id}/daily and /trends, and /analytics/team/overview, against figures
worked out by hand: empty days, the team's time zone (a call at 23:30 in Chicago is that Chicago
day's, whatever the UTC date), a day 25 hours long, earlier analysis runs left out, and the
nightly rollup giving the very same numbers as the calls themselves."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

import pytest
from django.utils import timezone

from coaching import services
from coaching.models import RollupWatermark, TechnicianDay
from coaching.selectors import facts
from coaching.selectors.periods import Period, local_midnight, local_today, week_start
from conversations.models import Conversation, UpsellOpportunity
from tests.coaching.conftest import Opp, analysed_call, at, superseded_run
from tests.conftest import bearer

pytestmark = pytest.mark.django_db

EMPTY = {
    "total_calls": 0,
    "avg_call_duration": None,
    "upsells_identified": 0,
    "upsells_closed": 0,
    "upsell_revenue": 0.0,
    "avg_customer_satisfaction": None,
    "coaching_moments_count": 0,
}


@pytest.fixture
def alices_week(chicago, alice_technician, dave_technician):
    """Alice's calls around the end of daylight saving time in Chicago (Sunday 3 November 2024,
    a day of 25 hours), written so that each day's figures can be checked by hand."""
    # Sunday 23:30 CST = Monday 05:30 UTC: Sunday's call in Chicago
    analysed_call(alice_technician, started_at=at("2024-11-03 23:30"), duration_seconds=120, satisfaction=60)
    # Monday 09:00: won 300 of two opportunities, two coaching moments
    analysed_call(
        alice_technician, started_at=at("2024-11-04 09:00"), duration_seconds=600, satisfaction=90,
        opportunities=[Opp(status="closed_won", actual_value=300), Opp("thermostat", estimated_value=250)],
        moments=["upsell_missed", "jargon"],
    )  # fmt: skip
    # Monday 23:30 = Tuesday 05:30 UTC: still Monday in Chicago
    analysed_call(
        alice_technician,
        started_at=at("2024-11-04 23:30"),
        duration_seconds=300,
        satisfaction=70,
        moments=["rapport"],
    )
    # Tuesday: nothing. Wednesday 00:15: a call not analysed yet (counted, no satisfaction)
    analysed_call(
        alice_technician, started_at=at("2024-11-06 00:15"), duration_seconds=900, satisfaction=None
    )
    # Wednesday 10:00: analysed twice; only the current run's findings count
    wednesday = analysed_call(
        alice_technician,
        started_at=at("2024-11-06 10:00"),
        duration_seconds=600,
        satisfaction=100,
        opportunities=[Opp()],
    )
    superseded_run(wednesday)
    # Wednesday 11:00: still being recorded (not a call yet); and Dave's call is not Alice's
    analysed_call(alice_technician, started_at=at("2024-11-06 11:00"), ended=False)
    analysed_call(dave_technician, started_at=at("2024-11-04 12:00"), satisfaction=20)


EXPECTED_DAYS = [
    {"date": "2024-11-02", **EMPTY},
    {
        **EMPTY,
        "date": "2024-11-03",
        "total_calls": 1,
        "avg_call_duration": 120,
        "avg_customer_satisfaction": 3.0,
    },
    {
        "date": "2024-11-04",
        "total_calls": 2,
        "avg_call_duration": 450,  # (600 + 300) / 2
        "upsells_identified": 2,
        "upsells_closed": 1,
        "upsell_revenue": 300.0,
        "avg_customer_satisfaction": 4.0,  # (90 + 70) / 2 = 80 → 80 / 20
        "coaching_moments_count": 3,
    },
    {"date": "2024-11-05", **EMPTY},
    {
        **EMPTY,
        "date": "2024-11-06",
        "total_calls": 2,
        "avg_call_duration": 750,  # (900 + 600) / 2
        "upsells_identified": 1,
        "avg_customer_satisfaction": 5.0,  # only the analysed call: 100 / 20
    },
]


def daily(api, viewer, technician, query="?start_date=2024-11-02&end_date=2024-11-06"):
    return api.get(f"/analytics/technician/{technician.public_id}/daily{query}", **bearer(viewer))


@pytest.mark.usefixtures("alices_week")
def test_daily_metrics_by_the_teams_local_day_with_empty_days(api, alice_technician):
    response = daily(api, alice_technician, alice_technician)
    assert response.status_code == 200, response.content
    body = response.json()
    assert (body["technician_id"], body["time_zone"]) == (alice_technician.public_id, "America/Chicago")
    assert (body["start_date"], body["end_date"]) == ("2024-11-02", "2024-11-06")
    assert body["metrics"] == EXPECTED_DAYS


@pytest.mark.usefixtures("alices_week")
def test_the_same_calls_in_utc_fall_on_other_days(api, chicago, alice_technician):
    chicago.time_zone = "UTC"
    chicago.save()
    metrics = {m["date"]: m for m in daily(api, alice_technician, alice_technician).json()["metrics"]}
    # the two 23:30 calls and the 00:15 one move to the next UTC day
    assert [metrics[d]["total_calls"] for d in sorted(metrics)] == [0, 0, 2, 1, 2]


@pytest.mark.usefixtures("alices_week")
def test_the_nightly_rollup_gives_the_same_figures_and_is_what_is_read(api, chicago, alice_technician):
    before = daily(api, alice_technician, alice_technician).json()["metrics"]
    # when the rollup has run (every call started so far is in it)
    services.rollup_run()
    mark = RollupWatermark.objects.get(time_zone="America/Chicago")
    assert timezone.now() - timedelta(minutes=1) < mark.rolled_until <= timezone.now()
    assert (
        TechnicianDay.objects.filter(time_zone="America/Chicago", technician=alice_technician).count() == 3
    )  # days with calls
    # then the route answers the same
    assert daily(api, alice_technician, alice_technician).json()["metrics"] == before == EXPECTED_DAYS
    # and it reads the rollup: a change that bypasses every service is not seen...
    Conversation.objects.filter(technician=alice_technician).update(customer_satisfaction_score=0)
    assert daily(api, alice_technician, alice_technician).json()["metrics"] == EXPECTED_DAYS
    # ...until the rollup runs again over those days
    services.rollup_days(time_zone="America/Chicago", start=date(2024, 11, 2), end=date(2024, 11, 6))
    assert (
        daily(api, alice_technician, alice_technician).json()["metrics"][2]["avg_customer_satisfaction"]
        == 0.0
    )


@pytest.mark.usefixtures("alices_week")
def test_a_period_across_the_watermark_adds_both_halves(api, alice_technician):
    # given the rollup holds Chicago days up to Monday only
    services.rollup_days(time_zone="America/Chicago", start=date(2024, 11, 1), end=date(2024, 11, 4))
    RollupWatermark.objects.create(time_zone="America/Chicago", rolled_until=at("2024-11-05 00:00"))
    assert daily(api, alice_technician, alice_technician).json()["metrics"] == EXPECTED_DAYS


@pytest.mark.usefixtures("alices_week")
def test_a_watermark_in_the_middle_of_a_day_splits_it_exactly(api, alice_technician):
    # given the rollup ran on Monday at noon: Monday's row holds the 09:00 call, not the 23:30 one
    services.rollup_zone(time_zone="America/Chicago", now=at("2024-11-04 12:00"), force=True)
    monday = TechnicianDay.objects.get(
        time_zone="America/Chicago", technician=alice_technician, day=date(2024, 11, 4)
    )
    assert (monday.calls, monday.coaching_moments) == (1, 2)
    # then the route adds the rest of Monday from the calls, and the figures are those worked out by hand
    assert daily(api, alice_technician, alice_technician).json()["metrics"] == EXPECTED_DAYS


@pytest.mark.usefixtures("alices_week")
def test_a_status_change_on_a_rolled_day_updates_its_figures_at_once(api, bob_supervisor, alice_technician):
    services.rollup_run()
    thermostat = UpsellOpportunity.objects.get(opportunity_type="thermostat")
    response = api.put(
        f"/coach/upsells/{thermostat.pk}/status", {"status": "closed_won", "actual_value": 150}, format="json",
        **bearer(bob_supervisor),
    )  # fmt: skip
    assert response.status_code == 200
    monday = daily(api, alice_technician, alice_technician).json()["metrics"][2]
    assert (monday["upsells_closed"], monday["upsell_revenue"]) == (2, 450.0)


@pytest.mark.usefixtures("alices_week")
def test_a_deleted_call_leaves_the_rollup(api, alice_technician, django_capture_on_commit_callbacks):
    services.rollup_run()
    with django_capture_on_commit_callbacks(execute=True):
        Conversation.objects.get(started_at=at("2024-11-04 23:30")).delete()
    monday = daily(api, alice_technician, alice_technician).json()["metrics"][2]
    assert (monday["total_calls"], monday["coaching_moments_count"]) == (1, 2)


def test_daily_defaults_to_the_last_seven_local_days(api, alice_technician):
    body = daily(api, alice_technician, alice_technician, query="").json()
    today = local_today("UTC")
    assert body["end_date"] == today.isoformat()
    assert [m["date"] for m in body["metrics"]] == [
        (today - timedelta(days=n)).isoformat() for n in range(6, -1, -1)
    ]


@pytest.mark.parametrize(
    "query",
    [
        "?start_date=2024-11-31&end_date=2024-12-01",
        "?start_date=04/11/2024&end_date=2024-11-05",
        "?start_date=2024-11-05&end_date=yesterday",
        "?start_date=2024-11-05&end_date=2024-11-04",
        "?start_date=2023-01-01&end_date=2024-01-02",  # 367 days
    ],
)
def test_daily_refuses_bad_dates_and_ranges_over_366_days(api, alice_technician, query):
    response = daily(api, alice_technician, alice_technician, query=query)
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


def test_a_range_of_exactly_366_days_is_fine(api, alice_technician):
    response = daily(
        api, alice_technician, alice_technician, query="?start_date=2024-01-01&end_date=2024-12-31"
    )
    assert response.status_code == 200 and len(response.json()["metrics"]) == 366


@pytest.mark.parametrize(
    ("who", "status"),
    [
        ("alice_technician", 200),
        ("bob_supervisor", 200),
        ("dave_technician", 404),
        ("erin_supervisor", 404),
        ("carol_candidate", 404),
    ],
)
def test_who_may_read_a_technicians_analytics(api, request, alice_technician, who, status):
    viewer = request.getfixturevalue(who)
    for route in ("daily", "trends"):
        response = api.get(f"/analytics/technician/{alice_technician.public_id}/{route}", **bearer(viewer))
        assert response.status_code == status
        if status == 404:
            assert response.json()["error"]["code"] == "NOT_FOUND"
    assert api.get(f"/analytics/technician/{alice_technician.public_id}/daily").status_code == 401
    assert api.get("/analytics/technician/USER-99999/daily", **bearer(alice_technician)).status_code == 404


# --- trends ------------------------------------------------------------------------------------


def weeks_ago(count: int, tz: str = "UTC", hour: int = 10):
    """Tuesday `hour`:00 local of the week `count` weeks before this one."""
    monday = week_start(local_today(tz)) - timedelta(weeks=count)
    return local_midnight(monday + timedelta(days=1), tz) + timedelta(hours=hour)


def test_trends_follow_a_least_squares_line_with_a_dead_band(api, bob_supervisor, alice_technician):
    # given eight complete weeks: calls rising 1..8 a week, satisfaction flat at 80, and
    # opportunities found falling 8..1 a week
    for index, ago in enumerate(range(8, 0, -1)):
        for call in range(index + 1):
            opportunities = [Opp()] * (8 - index) if call == 0 else []
            analysed_call(
                alice_technician, started_at=weeks_ago(ago) + timedelta(minutes=call), satisfaction=80,
                opportunities=opportunities,
            )  # fmt: skip
    # and a busy current week, which is listed but not fitted
    for minute in range(20):
        analysed_call(
            alice_technician, started_at=timezone.now() - timedelta(seconds=minute), satisfaction=10
        )
    response = api.get(f"/analytics/technician/{alice_technician.public_id}/trends", **bearer(bob_supervisor))
    assert response.status_code == 200, response.content
    trends = response.json()["trends"]
    assert (trends["calls_trend"], trends["satisfaction_trend"], trends["upsell_trend"]) == (
        "up",
        "stable",
        "down",
    )
    weekly = trends["weekly_stats"]
    assert len(weekly) == 9 and [w["is_complete"] for w in weekly] == [True] * 8 + [False]
    assert [w["total_calls"] for w in weekly[:8]] == [1, 2, 3, 4, 5, 6, 7, 8]
    assert [w["upsells_identified"] for w in weekly[:8]] == [8, 7, 6, 5, 4, 3, 2, 1]
    assert weekly[0]["week_start"] == (week_start(local_today("UTC")) - timedelta(weeks=8)).isoformat()
    assert weekly[-1]["total_calls"] == 20
    # calls: slope 1 a week on a mean of 4.5 → +22% a week, well outside the 3% band
    assert trends["basis"]["calls"] == {"slope_per_week": 1.0, "relative_slope": 0.2222, "points": 8}
    # and weeks added up from the rollup (and today's calls) are the same weeks
    services.rollup_run()
    again = api.get(f"/analytics/technician/{alice_technician.public_id}/trends", **bearer(bob_supervisor))
    assert again.json()["trends"] == trends


def test_a_small_change_inside_the_dead_band_is_stable_and_thin_data_too(
    api, alice_technician, dave_technician
):
    # 20 calls a week, then 21 in the last two weeks: a rise of ~1% a week
    for ago in range(4, 0, -1):
        for call in range(21 if ago <= 2 else 20):
            analysed_call(
                alice_technician, started_at=weeks_ago(ago) + timedelta(minutes=call), satisfaction=None
            )
    trends = api.get(
        f"/analytics/technician/{alice_technician.public_id}/trends?weeks=4", **bearer(alice_technician)
    ).json()["trends"]
    assert trends["calls_trend"] == "stable"
    # satisfaction measured in only two weeks: not enough to call a trend
    analysed_call(dave_technician, started_at=weeks_ago(2), satisfaction=40)
    analysed_call(dave_technician, started_at=weeks_ago(1), satisfaction=95)
    thin = api.get(
        f"/analytics/technician/{dave_technician.public_id}/trends", **bearer(dave_technician)
    ).json()["trends"]
    assert thin["satisfaction_trend"] == "stable" and thin["basis"]["satisfaction"]["points"] == 2


@pytest.mark.parametrize("query", ["?weeks=2", "?weeks=53", "?weeks=many"])
def test_trends_refuse_a_bad_number_of_weeks(api, alice_technician, query):
    response = api.get(
        f"/analytics/technician/{alice_technician.public_id}/trends{query}", **bearer(alice_technician)
    )
    assert response.status_code == 422


# --- team overview -----------------------------------------------------------------------------


def test_the_team_overview_adds_up_this_week(
    api, bob_supervisor, alice_technician, dave_technician, ivan_technician
):
    now = timezone.now()
    analysed_call(
        alice_technician, started_at=now, satisfaction=90, duration_seconds=800,
        opportunities=[Opp(status="closed_won", actual_value=1200), Opp("thermostat", estimated_value=400)],
        moments=["no_quote_commitment", "no_quote_commitment"],
    )  # fmt: skip
    analysed_call(
        alice_technician,
        started_at=now,
        satisfaction=70,
        duration_seconds=400,
        opportunities=[Opp("duct_cleaning", status="presented", estimated_value=700)],
    )
    analysed_call(dave_technician, started_at=now, satisfaction=80, duration_seconds=600, moments=["jargon"])
    analysed_call(
        ivan_technician, started_at=now, satisfaction=10, opportunities=[Opp(estimated_value=99999)]
    )
    response = api.get("/analytics/team/overview", **bearer(bob_supervisor))
    assert response.status_code == 200, response.content
    stats = response.json()["team_stats"]
    week = week_start(local_today("UTC"))
    assert (stats["period_start"], stats["period_end"]) == (
        week.isoformat(),
        (week + timedelta(days=6)).isoformat(),
    )
    assert stats["technicians_count"] == 2
    assert stats["total_calls_this_week"] == 3
    assert stats["avg_satisfaction"] == 4.0  # (90 + 70 + 80) / 3 = 80
    assert stats["avg_call_duration"] == 600
    assert stats["total_upsell_revenue"] == 1200.0
    assert (stats["upsells_identified"], stats["upsells_closed"], stats["upsell_conversion"]) == (
        3,
        1,
        0.3333,
    )
    assert stats["coaching_moments_count"] == 3
    top = stats["top_performer"]
    assert (top["user_id"], top["full_name"]) == (alice_technician.public_id, "Alice Technician")
    assert top["stats"]["calls"] == 2 and top["stats"]["revenue"] == 1200.0 and top["stats"]["rank"] == 1
    assert stats["needs_coaching"] == [
        {
            "user_id": alice_technician.public_id,
            "full_name": "Alice Technician",
            "category": "no_quote_commitment",
            "count": 2,
        },
        {
            "user_id": dave_technician.public_id,
            "full_name": "Dave Technician",
            "category": "jargon",
            "count": 1,
        },
    ]
    open_ = stats["open_opportunities"]
    assert (open_["count"], open_["estimated_value"]) == (2, 1100.0)
    assert open_["since"] == (local_today("UTC") - timedelta(days=29)).isoformat()
    # and the same figures once the calls are in the rollup
    services.rollup_run()
    assert api.get("/analytics/team/overview", **bearer(bob_supervisor)).json()["team_stats"] == stats


def test_the_team_overview_is_for_supervisors_and_empty_without_calls(api, alice_technician, erin_supervisor):
    response = api.get("/analytics/team/overview", **bearer(alice_technician))
    assert response.status_code == 403 and response.json()["error"]["code"] == "FORBIDDEN"
    stats = api.get("/analytics/team/overview", **bearer(erin_supervisor)).json()["team_stats"]
    assert stats["total_calls_this_week"] == 0 and stats["avg_satisfaction"] is None
    assert stats["top_performer"] is None and stats["open_opportunities"]["count"] == 0


def test_user_profiles_gain_upsell_conversion(api, alice_technician):
    analysed_call(
        alice_technician,
        started_at=timezone.now(),
        opportunities=[Opp(status="closed_won", actual_value=1), Opp("x"), Opp("y"), Opp("z")],
    )
    stats = api.get(f"/users/{alice_technician.public_id}", **bearer(alice_technician)).json()["stats"]
    assert stats["upsell_conversion"] == 0.25


@pytest.mark.usefixtures("alices_week")
def test_calls_read_one_by_one_or_in_bulk_add_up_the_same(monkeypatch, alice_technician, dave_technician):
    # the recent minutes after the watermark are read call by call, older spans by joining in bulk
    period = Period(date(2024, 11, 2), date(2024, 11, 6), "America/Chicago")
    ids = [alice_technician.pk, dave_technician.pk]
    results = []
    for per_call_span in (timedelta(0), timedelta(days=10_000)):
        monkeypatch.setattr(facts, "PER_CALL_SPAN", per_call_span)
        facts._compiled_totals.cache_clear()
        results.append(facts.figures(ids, period, ("technician", "day")))
    facts._compiled_totals.cache_clear()
    bulk, one_by_one = results
    assert bulk == one_by_one and len(bulk) == 4
    assert bulk[(alice_technician.pk, date(2024, 11, 4))].upsell_open_value == Decimal("250.00")


@pytest.mark.usefixtures("alices_week")
def test_operators_can_run_the_rollup_by_hand(api, alice_technician):
    import io

    from django.core.management import call_command

    out = io.StringIO()
    call_command("rollup_analytics", stdout=out)
    assert "America/Chicago: from 2024-11-03" in out.getvalue() and "UTC:" in out.getvalue()
    assert daily(api, alice_technician, alice_technician).json()["metrics"] == EXPECTED_DAYS
