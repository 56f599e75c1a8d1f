"""`manage.py seed_demo` on a fresh database gives every coach and analytics route, and the
console, something to show; a second run adds nothing."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.test import Client

from accounts.models import User
from coaching.models import CallFeedback, UpsellStatusChange
from conversations.models import Conversation, UpsellOpportunity
from tests.conftest import bearer

pytestmark = pytest.mark.django_db


def test_the_demo_team_has_a_week_of_analysed_calls_on_every_route(api):
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    assert "analysed calls over 7 days" in out.getvalue()
    sarah = User.objects.get(email="sarah.supervisor@example.com")
    john = User.objects.get(email="john.tech@example.com")
    calls = Conversation.objects.filter(technician__team=sarah.team)
    assert calls.count() >= 10 and set(calls.values_list("status", flat=True)) == {"analyzed"}
    # analysed by the engine, not written by hand: findings quote the transcript
    opportunity = UpsellOpportunity.objects.filter(analysis__is_current=True).first()
    assert opportunity is not None
    assert opportunity.trigger_phrase in " ".join(
        opportunity.conversation.segments.values_list("text", flat=True)
    )
    assert UpsellStatusChange.objects.exists() and CallFeedback.objects.exists()

    def get(path: str, user: User = sarah) -> dict:
        response = api.get(path, **bearer(user))
        assert response.status_code == 200, (path, response.content)
        return response.json()

    assert any(
        t["stats"]["calls_this_week"] + t["stats"]["coaching_moments_count"]
        for t in get("/coach/technicians")["technicians"]
    )
    assert get("/coach/calls/recent?days=8")["calls"]
    overview = get("/analytics/team/overview")["team_stats"]
    assert overview["needs_coaching"] and overview["open_opportunities"]["count"] > 0
    daily = get(f"/analytics/technician/{john.public_id}/daily", john)["metrics"]
    assert sum(day["total_calls"] for day in daily) > 0
    weeks = get(f"/analytics/technician/{john.public_id}/trends")["trends"]["weekly_stats"]
    assert sum(week["total_calls"] for week in weeks) == sum(day["total_calls"] for day in daily)
    rankings = (
        get("/analytics/leaderboard/weekly")["rankings"]
        + get("/analytics/leaderboard/weekly?offset=1")["rankings"]
    )
    assert any(r["metrics"]["calls"] for r in rankings)
    # the console is open to the demo supervisor
    console = Client()
    console.force_login(sarah)
    assert console.get("/admin/coaching/teamdashboard/").status_code == 200
    assert console.get("/admin/conversations/conversation/").status_code == 200
    # and running it again adds nothing
    count = calls.count()
    call_command("seed_demo", stdout=io.StringIO())
    assert Conversation.objects.filter(technician__team=sarah.team).count() == count
