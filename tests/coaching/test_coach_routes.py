"""/coach/* (conversation-intelligence.md §7) over HTTP: shapes, filters, errors, and who may do
what (a technician 403, the team's supervisor 200, another team's supervisor 404)."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from coaching.models import CallFeedback, UpsellStatusChange
from conversations.models import Conversation, UpsellOpportunity
from tests.coaching.conftest import Opp, analysed_call, superseded_run
from tests.conftest import bearer

pytestmark = pytest.mark.django_db


def error_of(response) -> dict:
    return response.json()["error"]


# --- GET /coach/technicians ------------------------------------------------------------------


def test_a_supervisor_sees_each_technician_with_this_weeks_stats_and_coaching_focus(
    api, bob_supervisor, alice_technician, dave_technician, ivan_technician
):
    # given Alice made two calls today: 90 and 70 satisfaction, two opportunities of which one
    # was won, and three coaching moments (two about quotes, one about jargon)
    now = timezone.now()
    analysed_call(
        alice_technician, started_at=now - timedelta(seconds=2), satisfaction=90,
        opportunities=[Opp(status="closed_won", actual_value=350), Opp("thermostat")],
        moments=["no_quote_commitment", "jargon"],
    )  # fmt: skip
    analysed_call(
        alice_technician,
        started_at=now - timedelta(seconds=1),
        satisfaction=70,
        moments=["no_quote_commitment"],
    )
    # and Ivan, of another team, made one
    analysed_call(ivan_technician, started_at=now, satisfaction=100)
    # when Bob asks for his technicians
    response = api.get("/coach/technicians", **bearer(bob_supervisor))
    # then both of his, and only his, come back with the week's figures
    assert response.status_code == 200
    assert response["X-RateLimit-Limit"] == "100"
    technicians = response.json()["technicians"]
    assert [t["full_name"] for t in technicians] == ["Alice Technician", "Dave Technician"]
    alice, dave = technicians
    assert alice["user_id"] == alice_technician.public_id
    assert alice["stats"] == {
        "calls_this_week": 2,
        "avg_satisfaction": 4.0,  # (90 + 70) / 2 / 20
        "upsell_conversion": 0.5,
        "coaching_moments_count": 3,
        "avg_call_duration": 600,
        "upsell_revenue": 350.0,
        "coaching_focus": [
            {"category": "no_quote_commitment", "count": 2},
            {"category": "jargon", "count": 1},
        ],
    }
    assert dave["stats"]["calls_this_week"] == 0 and dave["stats"]["avg_satisfaction"] is None


def test_coach_routes_are_for_supervisors_only(api, alice_technician, carol_candidate):
    for user in (alice_technician, carol_candidate):
        for path in ("/coach/technicians", "/coach/calls/recent"):
            response = api.get(path, **bearer(user))
            assert response.status_code == 403
            assert error_of(response)["code"] == "FORBIDDEN"
    assert api.get("/coach/technicians").status_code == 401
    assert error_of(api.get("/coach/calls/recent"))["code"] == "UNAUTHORIZED"


def test_another_teams_supervisor_sees_none_of_bobs_people(api, erin_supervisor, alice_technician):
    analysed_call(alice_technician, started_at=timezone.now())
    assert api.get("/coach/technicians", **bearer(erin_supervisor)).json() == {"technicians": []}
    assert api.get("/coach/calls/recent", **bearer(erin_supervisor)).json() == {"calls": []}


# --- GET /coach/calls/recent -----------------------------------------------------------------


def test_recent_calls_answer_the_spec_shape_newest_first(
    api, bob_supervisor, alice_technician, ivan_technician
):
    now = timezone.now()
    older = analysed_call(
        alice_technician, started_at=now - timedelta(hours=5), satisfaction=85, duration_seconds=930.4,
        opportunities=[Opp(), Opp("thermostat")], moments=["upsell_missed"], customer_name="Phoenix Mills",
    )  # fmt: skip
    superseded_run(older)  # an earlier run's findings are not counted
    newer = analysed_call(alice_technician, started_at=now - timedelta(hours=1), satisfaction=None)
    analysed_call(alice_technician, started_at=now - timedelta(minutes=3), ended=False)  # still recording
    analysed_call(ivan_technician, started_at=now - timedelta(hours=2))  # another team
    body = api.get("/coach/calls/recent", **bearer(bob_supervisor)).json()
    assert [c["conversation_id"] for c in body["calls"]] == [newer.public_id, older.public_id]
    assert body["calls"][1] == {
        "conversation_id": older.public_id,
        "technician": {"user_id": alice_technician.public_id, "full_name": "Alice Technician"},
        "customer_name": "Phoenix Mills",
        "duration_seconds": 930,
        "satisfaction_score": 85,
        "upsells_count": 2,
        "coaching_moments_count": 1,
        "feedback_count": 0,
        "status": "analyzed",
        "started_at": body["calls"][1]["started_at"],
    }
    assert body["calls"][0]["satisfaction_score"] is None and body["calls"][0]["upsells_count"] == 0


def test_recent_calls_filter_by_days_limit_and_minimum_rating(api, bob_supervisor, alice_technician):
    now = timezone.now()
    great = analysed_call(alice_technician, started_at=now - timedelta(hours=1), satisfaction=96)  # 4.8
    good = analysed_call(alice_technician, started_at=now - timedelta(hours=2), satisfaction=80)  # 4.0
    analysed_call(alice_technician, started_at=now - timedelta(hours=3), satisfaction=None)  # no rating yet
    old = analysed_call(alice_technician, started_at=now - timedelta(days=9), satisfaction=100)

    def ids(query: str) -> list[str]:
        response = api.get(f"/coach/calls/recent{query}", **bearer(bob_supervisor))
        assert response.status_code == 200, response.content
        return [c["conversation_id"] for c in response.json()["calls"]]

    assert old.public_id not in ids("")  # 7 days by default
    assert old.public_id in ids("?days=10")
    assert ids("?min_rating=4") == [great.public_id, good.public_id]
    assert ids("?min_rating=4.5") == [great.public_id]
    assert ids("?limit=1") == [great.public_id]


@pytest.mark.parametrize(
    "query",
    [
        "?limit=0",
        "?limit=101",
        "?limit=ten",
        "?days=0",
        "?days=400",
        "?min_rating=6",
        "?min_rating=-1",
        "?min_rating=x",
    ],
)
def test_recent_calls_refuse_bad_filters_with_422(api, bob_supervisor, query):
    response = api.get(f"/coach/calls/recent{query}", **bearer(bob_supervisor))
    assert response.status_code == 422
    assert error_of(response)["code"] == "VALIDATION_ERROR"


# --- POST /coach/calls/{id}/feedback ---------------------------------------------------------

FEEDBACK = {
    "overall_rating": 4,
    "rapport_rating": 5,
    "technical_rating": 4,
    "upsell_rating": 3,
    "strengths": "Great rapport building. Customer felt comfortable.",
    "areas_for_improvement": "Could have been more proactive with pricing discussion.",
    "is_training_example": True,
}


def test_a_supervisor_leaves_feedback_on_a_call_of_the_team(api, bob_supervisor, alice_technician):
    call = analysed_call(alice_technician, started_at=timezone.now() - timedelta(hours=1))
    response = api.post(
        f"/coach/calls/{call.public_id}/feedback", FEEDBACK, format="json", **bearer(bob_supervisor)
    )
    assert response.status_code == 201, response.content
    body = response.json()
    assert set(body) == {"feedback_id", "conversation_id", "created_at"}
    feedback = CallFeedback.objects.get(pk=body["feedback_id"])
    assert (feedback.conversation, feedback.supervisor) == (call, bob_supervisor)
    assert (feedback.overall_rating, feedback.rapport_rating, feedback.technical_rating, feedback.upsell_rating) == (
        4, 5, 4, 3,
    )  # fmt: skip
    assert feedback.strengths == FEEDBACK["strengths"] and feedback.is_training_example is True
    # the call now says it has feedback
    recent = api.get("/coach/calls/recent", **bearer(bob_supervisor)).json()["calls"]
    assert recent[0]["feedback_count"] == 1
    # only the overall rating is required
    minimal = api.post(
        f"/coach/calls/{call.public_id}/feedback",
        {"overall_rating": 2},
        format="json",
        **bearer(bob_supervisor),
    )
    assert minimal.status_code == 201
    assert CallFeedback.objects.get(pk=minimal.json()["feedback_id"]).rapport_rating is None


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"overall_rating": 0}, "overall_rating"),
        ({"overall_rating": 6}, "overall_rating"),
        ({"overall_rating": 4.5}, "overall_rating"),
        ({"overall_rating": "great"}, "overall_rating"),
        ({"overall_rating": None}, "overall_rating"),
        ({"rapport_rating": 9}, "rapport_rating"),
        ({"upsell_rating": -1}, "upsell_rating"),
        ({"strengths": "x" * 5001}, "strengths"),
        ({"is_training_example": "maybe"}, "is_training_example"),
    ],
)
def test_feedback_with_a_bad_field_is_refused_with_422_and_nothing_is_kept(
    api, bob_supervisor, alice_technician, change, field
):
    call = analysed_call(alice_technician, started_at=timezone.now())
    response = api.post(
        f"/coach/calls/{call.public_id}/feedback",
        {**FEEDBACK, **change},
        format="json",
        **bearer(bob_supervisor),
    )
    assert response.status_code == 422
    assert error_of(response)["code"] == "VALIDATION_ERROR" and field in error_of(response)["message"]
    assert not CallFeedback.objects.exists()


def test_feedback_without_overall_rating_or_on_a_call_still_recording_is_refused(
    api, bob_supervisor, alice_technician
):
    call = analysed_call(alice_technician, started_at=timezone.now())
    missing = api.post(
        f"/coach/calls/{call.public_id}/feedback", {"strengths": "x"}, format="json", **bearer(bob_supervisor)
    )
    assert missing.status_code == 422 and "overall_rating" in error_of(missing)["message"]
    live = analysed_call(alice_technician, started_at=timezone.now(), ended=False)
    response = api.post(
        f"/coach/calls/{live.public_id}/feedback", FEEDBACK, format="json", **bearer(bob_supervisor)
    )
    assert response.status_code == 409 and error_of(response)["code"] == "CONFLICT"


def test_who_may_leave_feedback(api, bob_supervisor, erin_supervisor, alice_technician, dave_technician):
    call = analysed_call(alice_technician, started_at=timezone.now())
    url = f"/coach/calls/{call.public_id}/feedback"
    # the technician (even on their own call) and a teammate: supervisors only
    for user in (alice_technician, dave_technician):
        response = api.post(url, FEEDBACK, format="json", **bearer(user))
        assert response.status_code == 403 and error_of(response)["code"] == "FORBIDDEN"
    # another team's supervisor: as if the call did not exist
    other = api.post(url, FEEDBACK, format="json", **bearer(erin_supervisor))
    assert other.status_code == 404 and error_of(other)["code"] == "NOT_FOUND"
    for unknown in ("CONV-20240101-999", "nonsense"):
        assert (
            api.post(
                f"/coach/calls/{unknown}/feedback", FEEDBACK, format="json", **bearer(bob_supervisor)
            ).status_code
            == 404
        )
    assert api.post(url, FEEDBACK, format="json").status_code == 401
    assert not CallFeedback.objects.exists()


# --- PUT /coach/upsells/{id}/status ----------------------------------------------------------


def opportunity_of(call: Conversation) -> UpsellOpportunity:
    return UpsellOpportunity.objects.get(conversation=call, analysis__is_current=True)


def put_status(api, user, opportunity_id, body):
    return api.put(f"/coach/upsells/{opportunity_id}/status", body, format="json", **bearer(user))


def test_an_opportunity_moves_forward_and_keeps_its_history(api, bob_supervisor, alice_technician):
    call = analysed_call(
        alice_technician, started_at=timezone.now(), opportunities=[Opp(estimated_value=35000)]
    )
    opportunity = opportunity_of(call)
    presented = put_status(
        api, bob_supervisor, opportunity.pk, {"status": "presented", "notes": "Showed the options."}
    )
    assert presented.status_code == 200, presented.content
    assert presented.json()["status"] == "presented"
    assert presented.json()["allowed_next"] == ["quoted", "closed_won", "closed_lost"]
    # skipping `quoted` is allowed: the customer signed on the spot
    won = put_status(
        api, bob_supervisor, opportunity.pk,
        {"status": "closed_won", "actual_value": 35000.00, "notes": "Customer signed contract."},
    )  # fmt: skip
    assert won.status_code == 200, won.content
    body = won.json()
    assert body["opportunity_id"] == opportunity.pk and body["conversation_id"] == call.public_id
    assert (body["status"], body["actual_value"], body["notes"]) == (
        "closed_won",
        35000.0,
        "Customer signed contract.",
    )
    assert body["closed_at"] and body["status_changed_at"] and body["allowed_next"] == []
    assert [(h["from_status"], h["to_status"]) for h in body["history"]] == [
        ("identified", "presented"),
        ("presented", "closed_won"),
    ]
    assert body["history"][1]["changed_by"] == {
        "user_id": bob_supervisor.public_id,
        "full_name": "Bob Supervisor",
    }
    assert body["history"][1]["actual_value"] == 35000.0
    # the conversation route shows the new status too
    upsells = api.get(f"/conversations/{call.public_id}/upsells", **bearer(alice_technician)).json()
    assert upsells["opportunities"][0]["status"] == "closed_won"


def test_a_fresh_opportunity_may_close_at_once_as_the_spec_example_does(
    api, bob_supervisor, alice_technician
):
    call = analysed_call(alice_technician, started_at=timezone.now(), opportunities=[Opp()])
    response = put_status(api, bob_supervisor, opportunity_of(call).pk, {"status": "closed_lost"})
    assert response.status_code == 200 and response.json()["status"] == "closed_lost"


@pytest.mark.parametrize(
    ("start", "body", "message"),
    [
        ("identified", {"status": "won"}, "not a status"),
        ("identified", {"status": ""}, "status"),
        ("quoted", {"status": "presented"}, "forward only"),
        ("quoted", {"status": "identified"}, "forward only"),
        ("closed_lost", {"status": "quoted"}, "does not reopen"),
        ("closed_lost", {"status": "closed_won", "actual_value": 10}, "does not reopen"),
        ("closed_won", {"status": "closed_lost"}, "does not reopen"),
        ("presented", {"status": "closed_won"}, "actual_value"),
        ("presented", {"status": "quoted", "actual_value": 100}, "actual_value"),
        ("presented", {"status": "closed_won", "actual_value": -5}, "actual_value"),
        ("presented", {"status": "closed_won", "actual_value": "lots"}, "actual_value"),
        ("presented", {"notes": "no status"}, "status"),
    ],
)
def test_unknown_statuses_and_backward_moves_are_422_and_change_nothing(
    api, bob_supervisor, alice_technician, start, body, message
):
    actual = 350 if start == "closed_won" else None
    call = analysed_call(
        alice_technician, started_at=timezone.now(), opportunities=[Opp(status=start, actual_value=actual)]
    )
    opportunity = opportunity_of(call)
    response = put_status(api, bob_supervisor, opportunity.pk, body)
    assert response.status_code == 422, response.content
    assert error_of(response)["code"] == "VALIDATION_ERROR" and message in error_of(response)["message"]
    opportunity.refresh_from_db()
    assert opportunity.status == start and not UpsellStatusChange.objects.exists()


def test_the_same_status_again_is_idempotent(api, bob_supervisor, alice_technician):
    call = analysed_call(alice_technician, started_at=timezone.now(), opportunities=[Opp()])
    opportunity = opportunity_of(call)
    for _ in range(2):
        response = put_status(
            api, bob_supervisor, opportunity.pk, {"status": "closed_won", "actual_value": 280}
        )
        assert response.status_code == 200
    assert UpsellStatusChange.objects.count() == 1
    changed_value = put_status(
        api, bob_supervisor, opportunity.pk, {"status": "closed_won", "actual_value": 999}
    )
    assert changed_value.status_code == 422 and "keeps its value" in error_of(changed_value)["message"]


def test_who_may_move_an_opportunity(api, bob_supervisor, erin_supervisor, alice_technician):
    call = analysed_call(alice_technician, started_at=timezone.now(), opportunities=[Opp()])
    opportunity = opportunity_of(call)
    assert put_status(api, alice_technician, opportunity.pk, {"status": "presented"}).status_code == 403
    other = put_status(api, erin_supervisor, opportunity.pk, {"status": "presented"})
    assert other.status_code == 404 and error_of(other)["code"] == "NOT_FOUND"
    for unknown in ("999999", "abc", "-1"):
        assert put_status(api, bob_supervisor, unknown, {"status": "presented"}).status_code == 404
    opportunity.refresh_from_db()
    assert opportunity.status == "identified"


def test_an_earlier_runs_copy_is_409_naming_the_current_one(api, bob_supervisor, alice_technician):
    call = analysed_call(alice_technician, started_at=timezone.now(), opportunities=[Opp()])
    current = opportunity_of(call)
    old = superseded_run(call, opportunities=0, moments=0)
    stale = UpsellOpportunity.objects.create(
        analysis=old, conversation=call, opportunity_type=current.opportunity_type, title="x", description="x",
        trigger_phrase="x", timestamp_in_call=1, confidence=0.5, estimated_value=1, priority="low", engine="local",
    )  # fmt: skip
    response = put_status(api, bob_supervisor, stale.pk, {"status": "presented"})
    assert response.status_code == 409
    assert error_of(response)["details"] == {"current_opportunity_id": current.pk}
