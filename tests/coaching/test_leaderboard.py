"""/analytics/leaderboard/{period}: the score formula on hand-computed figures, deterministic tie
breaks, periods in the team's time zone, and who sees which board."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts.models import Team, User
from coaching import services
from coaching.selectors.periods import local_today, week_start
from tests.coaching.conftest import Opp, analysed_call
from tests.conftest import PASSWORD, bearer

pytestmark = pytest.mark.django_db


@pytest.fixture
def grace_technician(team, bob_supervisor) -> User:
    return User.objects.create_user(
        "grace@example.com", PASSWORD, full_name="Grace Technician", role=User.Role.TECHNICIAN, team=team,
        supervisor=bob_supervisor,
    )  # fmt: skip


def last_week(day: int = 1, hour: int = 10, tz: str = "UTC") -> datetime:
    """A moment in the previous week (Monday = day 0), local to `tz`."""
    monday = week_start(local_today(tz)) - timedelta(weeks=1)
    return datetime.combine(monday + timedelta(days=day), time(hour), tzinfo=ZoneInfo(tz))


def board(api, user, period="weekly", query="?offset=1"):
    response = api.get(f"/analytics/leaderboard/{period}{query}", **bearer(user))
    assert response.status_code == 200, response.content
    return response.json()


def test_the_score_follows_the_documented_formula(
    api, bob_supervisor, alice_technician, dave_technician, grace_technician
):
    # Alice: 4 calls, satisfaction 90, won 1 of 2 opportunities for 1,000
    for index in range(4):
        analysed_call(
            alice_technician, started_at=last_week(hour=9 + index), satisfaction=90,
            opportunities=[Opp(status="closed_won", actual_value=1000), Opp("thermostat")] if index == 0 else [],
        )  # fmt: skip
    # Dave: 2 calls, satisfaction 100, won his one opportunity for 500
    analysed_call(
        dave_technician,
        started_at=last_week(),
        satisfaction=100,
        opportunities=[Opp(status="closed_won", actual_value=500)],
    )
    analysed_call(dave_technician, started_at=last_week(hour=11), satisfaction=100)
    # Grace: no calls; and this week's calls do not count in last week's board
    analysed_call(grace_technician, started_at=timezone.now(), satisfaction=100)
    body = board(api, bob_supervisor)
    monday = week_start(local_today("UTC")) - timedelta(weeks=1)
    assert body["period_type"] == "weekly" and body["time_zone"] == "UTC"
    assert (body["period_start"], body["period_end"]) == (
        monday.isoformat(),
        (monday + timedelta(days=6)).isoformat(),
    )
    # Alice: 40×0.90 + 25×0.5 + 20×(4/4) + 15×(1000/1000) = 36 + 12.5 + 20 + 15 = 83.5
    # Dave:  40×1.00 + 25×1.0 + 20×(2/4) + 15×(500/1000)  = 40 + 25 + 10 + 7.5 = 82.5
    assert body["rankings"] == [
        {
            "rank": 1, "user_id": alice_technician.public_id, "full_name": "Alice Technician", "score": 83.5,
            "metrics": {"calls": 4, "satisfaction": 4.5, "upsell_conversion": 0.5, "revenue": 1000.0,
                        "upsells_identified": 2, "upsells_closed": 1, "coaching_moments_count": 0},
        },
        {
            "rank": 2, "user_id": dave_technician.public_id, "full_name": "Dave Technician", "score": 82.5,
            "metrics": {"calls": 2, "satisfaction": 5.0, "upsell_conversion": 1.0, "revenue": 500.0,
                        "upsells_identified": 1, "upsells_closed": 1, "coaching_moments_count": 0},
        },
        {
            "rank": 3, "user_id": grace_technician.public_id, "full_name": "Grace Technician", "score": 0.0,
            "metrics": {"calls": 0, "satisfaction": None, "upsell_conversion": None, "revenue": 0.0,
                        "upsells_identified": 0, "upsells_closed": 0, "coaching_moments_count": 0},
        },
    ]  # fmt: skip
    # and the rollup changes nothing
    services.rollup_run()
    assert board(api, bob_supervisor) == body


def test_equal_scores_are_ranked_by_revenue_then_calls_then_user_id(
    api, bob_supervisor, alice_technician, dave_technician, grace_technician
):
    # Alice and Dave score 75.5 exactly:
    #   Dave:  satisfaction 70 → 28, won 1 of 2 → 12.5, 2 calls → 20, 1,000 → 15
    #   Alice: satisfaction 57.5 → 23, won 1 of 1 → 25, 2 calls → 20, 500 → 7.5
    analysed_call(
        dave_technician,
        started_at=last_week(),
        satisfaction=70,
        opportunities=[Opp(status="closed_won", actual_value=1000), Opp("x")],
    )
    analysed_call(dave_technician, started_at=last_week(hour=11), satisfaction=70)
    analysed_call(
        alice_technician,
        started_at=last_week(),
        satisfaction=55,
        opportunities=[Opp(status="closed_won", actual_value=500)],
    )
    analysed_call(alice_technician, started_at=last_week(hour=11), satisfaction=60)
    ranked = board(api, bob_supervisor)["rankings"]
    assert [(r["full_name"], r["score"]) for r in ranked] == [
        ("Dave Technician", 75.5),  # more revenue wins the tie, although Alice's id is lower
        ("Alice Technician", 75.5),
        ("Grace Technician", 0.0),
    ]


def test_equal_scores_and_revenue_go_to_more_calls_then_the_lower_user_id(
    api, bob_supervisor, alice_technician, dave_technician, grace_technician
):
    # Dave: 1 call at 75 → 30 + 20 × 1/2 = 40; Grace: 2 calls at 50 → 20 + 20 = 40
    analysed_call(dave_technician, started_at=last_week(), satisfaction=75)
    for hour in (9, 10):
        analysed_call(grace_technician, started_at=last_week(hour=hour), satisfaction=50)
    ranked = board(api, bob_supervisor)["rankings"]
    assert [(r["full_name"], r["score"]) for r in ranked] == [
        ("Grace Technician", 40.0),
        ("Dave Technician", 40.0),
        ("Alice Technician", 0.0),
    ]
    # identical figures: the lower user id first, every time
    analysed_call(alice_technician, started_at=last_week(), satisfaction=75)
    for _ in range(3):
        ranked = board(api, bob_supervisor)["rankings"]
        assert [r["full_name"] for r in ranked] == ["Grace Technician", "Alice Technician", "Dave Technician"]
        assert [r["rank"] for r in ranked] == [1, 2, 3]


def test_periods_start_at_the_teams_local_midnight(api, bob_supervisor, alice_technician, chicago):
    chicago.time_zone = "Pacific/Kiritimati"  # UTC+14: its day begins 14 hours before UTC's
    chicago.save()
    today = local_today("Pacific/Kiritimati")
    midnight = datetime.combine(today, time(0), tzinfo=ZoneInfo("Pacific/Kiritimati"))
    analysed_call(
        alice_technician, started_at=midnight - timedelta(minutes=1), satisfaction=60
    )  # yesterday there
    analysed_call(
        alice_technician, started_at=midnight + timedelta(minutes=1), satisfaction=80
    )  # today there
    daily = board(api, bob_supervisor, "daily", "")
    assert daily["period_start"] == daily["period_end"] == today.isoformat()
    assert daily["time_zone"] == "Pacific/Kiritimati"
    assert (
        daily["rankings"][0]["metrics"]["calls"] == 1
        and daily["rankings"][0]["metrics"]["satisfaction"] == 4.0
    )
    yesterday = board(api, bob_supervisor, "daily", "?offset=1")
    assert yesterday["period_start"] == (today - timedelta(days=1)).isoformat()
    assert yesterday["rankings"][0]["metrics"]["satisfaction"] == 3.0


def test_two_teams_far_apart_are_on_different_days(api, bob_supervisor, erin_supervisor, chicago):
    # Kiritimati (UTC+14) and Pago Pago (UTC-11) are always on different dates, a day apart
    chicago.time_zone = "Pacific/Kiritimati"
    chicago.save()
    Team.objects.filter(pk=erin_supervisor.team_id).update(time_zone="Pacific/Pago_Pago")
    ahead, behind = board(api, bob_supervisor, "daily", ""), board(api, erin_supervisor, "daily", "")
    assert ahead["period_start"] > behind["period_start"]


def test_weekly_and_monthly_periods(api, bob_supervisor):
    today = local_today("UTC")
    weekly = board(api, bob_supervisor, "weekly", "")
    start = week_start(today)
    assert (weekly["period_start"], weekly["period_end"]) == (
        start.isoformat(),
        (start + timedelta(days=6)).isoformat(),
    )
    monthly = board(api, bob_supervisor, "monthly", "")
    assert monthly["period_start"] == today.replace(day=1).isoformat()
    assert monthly["period_end"][:7] == today.isoformat()[:7] and monthly["period_end"] >= today.isoformat()
    previous = board(api, bob_supervisor, "monthly", "?offset=12")
    assert previous["period_start"] == today.replace(year=today.year - 1, day=1).isoformat()


@pytest.mark.parametrize("period", ["yearly", "Weekly", "1"])
def test_an_unknown_period_is_422(api, bob_supervisor, period):
    response = api.get(f"/analytics/leaderboard/{period}", **bearer(bob_supervisor))
    assert response.status_code == 422
    assert response.json()["error"]["details"]["allowed"] == ["daily", "weekly", "monthly"]


@pytest.mark.parametrize("query", ["?offset=-1", "?offset=x", "?offset=521"])
def test_a_bad_offset_is_422(api, bob_supervisor, query):
    assert api.get(f"/analytics/leaderboard/weekly{query}", **bearer(bob_supervisor)).status_code == 422


def test_who_sees_which_board(
    api, bob_supervisor, alice_technician, dave_technician, ivan_technician, carol_candidate
):
    # a technician sees their team's board; another team's technician sees theirs
    assert [r["user_id"] for r in board(api, alice_technician, "weekly", "")["rankings"]] == [
        alice_technician.public_id,
        dave_technician.public_id,
    ]
    assert [r["user_id"] for r in board(api, ivan_technician, "weekly", "")["rankings"]] == [
        ivan_technician.public_id
    ]
    response = api.get("/analytics/leaderboard/weekly", **bearer(carol_candidate))
    assert response.status_code == 403 and response.json()["error"]["code"] == "FORBIDDEN"
    assert api.get("/analytics/leaderboard/weekly").status_code == 401


def test_cached_boards_follow_every_change_made_through_the_services(
    api, bob_supervisor, alice_technician, django_capture_on_commit_callbacks
):
    from conversations import events

    # given a board already computed (and kept) for this week
    call = analysed_call(
        alice_technician, started_at=timezone.now(), satisfaction=80, opportunities=[Opp(estimated_value=500)]
    )
    first = board(api, bob_supervisor, "weekly", "")
    assert first["rankings"][0]["metrics"]["calls"] == 1
    # a call written behind the services' back is not seen while the copy lives...
    second_call = analysed_call(alice_technician, started_at=timezone.now(), satisfaction=60, announced=False)
    assert board(api, bob_supervisor, "weekly", "") == first
    # ...but is as soon as the call's events are announced
    events.emit(events.INSIGHTS_GENERATED, {"conversation_id": second_call.public_id, "analysis_id": 0})
    assert board(api, bob_supervisor, "weekly", "")["rankings"][0]["metrics"]["calls"] == 2
    # and a deal won through the API shows at once
    opportunity = call.opportunities.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = api.put(
            f"/coach/upsells/{opportunity.pk}/status", {"status": "closed_won", "actual_value": 480}, format="json",
            **bearer(bob_supervisor),
        )  # fmt: skip
    assert response.status_code == 200
    assert board(api, bob_supervisor, "weekly", "")["rankings"][0]["metrics"]["revenue"] == 480.0
