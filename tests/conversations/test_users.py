"""/users/{user_id} and /users/technicians (conversation-intelligence.md §2), and §1 checked again."""

from __future__ import annotations

import pytest

from accounts.services import tokens_issue
from conversations.models import Conversation
from tests.conftest import bearer
from tests.conversations.conftest import start_call

pytestmark = pytest.mark.django_db


def test_a_user_sees_their_profile_with_call_stats(api, alice_technician):
    # given two calls, one analysed with a satisfaction score of 90 (4.5 of 5)
    first = start_call(api, alice_technician)["conversation_id"]
    start_call(api, alice_technician)
    Conversation.objects.filter(public_id=first).update(customer_satisfaction_score=90)
    body = api.get(f"/users/{alice_technician.public_id}", **bearer(alice_technician)).json()
    assert body == {
        "user_id": alice_technician.public_id,
        "email": "alice@example.com",
        "full_name": "Alice Technician",
        "role": "technician",
        "stats": {"total_calls": 2, "avg_satisfaction": 4.5, "upsell_conversion": None},
    }


@pytest.mark.parametrize(
    ("who", "status"),
    [("bob_supervisor", 200), ("dave_technician", 404), ("erin_supervisor", 404), ("mallory", 404)],
)
def test_who_may_see_a_technicians_profile(api, request, alice_technician, who, status):
    response = api.get(f"/users/{alice_technician.public_id}", **bearer(request.getfixturevalue(who)))
    assert response.status_code == status
    if status == 404:
        assert response.json()["error"]["code"] == "NOT_FOUND"


@pytest.mark.parametrize("user_id", ["USER-99999", "42", "USER-abc"])
def test_unknown_users_are_404(api, alice_technician, user_id):
    assert api.get(f"/users/{user_id}", **bearer(alice_technician)).status_code == 404


def test_a_supervisor_lists_their_technicians_with_todays_stats(
    api, alice_technician, dave_technician, bob_supervisor, erin_supervisor, mallory
):
    call = start_call(api, alice_technician)["conversation_id"]
    Conversation.objects.filter(public_id=call).update(duration_seconds=840.4, customer_satisfaction_score=96)
    body = api.get("/users/technicians", **bearer(bob_supervisor)).json()
    assert body == {
        "technicians": [
            {"user_id": alice_technician.public_id, "full_name": "Alice Technician",
             "stats": {"calls_today": 1, "avg_call_duration": 840, "customer_satisfaction": 4.8}},
            {"user_id": dave_technician.public_id, "full_name": "Dave Technician",
             "stats": {"calls_today": 0, "avg_call_duration": None, "customer_satisfaction": None}},
        ]
    }  # fmt: skip
    assert api.get("/users/technicians", **bearer(erin_supervisor)).json() == {"technicians": []}
    for other in (alice_technician, mallory):
        response = api.get("/users/technicians", **bearer(other))
        assert response.status_code == 403 and response.json()["error"]["code"] == "FORBIDDEN"


def test_auth_section_one_again(api, alice_technician):
    tokens = tokens_issue(user=alice_technician)
    # refresh with a refresh token: a new access token for an hour
    refreshed = api.post("/auth/refresh", {"refresh_token": tokens.refresh}, format="json")
    assert refreshed.status_code == 200 and refreshed.json()["expires_in"] == 3600
    # refresh with an access token is 401 in the spec's dialect
    wrong = api.post("/auth/refresh", {"refresh_token": tokens.access}, format="json")
    assert wrong.status_code == 401 and wrong.json()["error"]["code"] == "UNAUTHORIZED"
    me = api.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {refreshed.json()['access_token']}").json()
    assert me["user_id"] == alice_technician.public_id and me["team"]["team_id"].startswith("TEAM-")
    assert me["supervisor"]["full_name"] == "Bob Supervisor" and me["phone"] == "+14155550123"
