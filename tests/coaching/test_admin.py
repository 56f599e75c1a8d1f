"""The admin as the supervisor's console, through Django's test client: a supervisor logs in and
sees only their team; a call's page reads like a report; feedback and upsell moves go through the
same rules as the API; webhook endpoints and the delivery log belong to the team; the dashboard
draws the team's weeks."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone

from accounts.models import User
from coaching.models import CallFeedback, UpsellStatusChange, WebhookDelivery, WebhookEndpoint
from conversations.models import UpsellOpportunity
from tests.coaching.conftest import Opp, analysed_call
from tests.conftest import PASSWORD

pytestmark = pytest.mark.django_db


def console(user: User) -> Client:
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    client = Client()
    client.force_login(user)
    return client


def change_url(obj: Any) -> str:
    return f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"


@pytest.fixture
def bob(bob_supervisor) -> Client:
    return console(bob_supervisor)


@pytest.fixture
def alices_call(alice_technician):
    return analysed_call(
        alice_technician, started_at=timezone.now(), satisfaction=85, customer_name="Phoenix Mills",
        opportunities=[Opp("equipment_replacement", estimated_value=35000, title="Fire Pump Replacement")],
        moments=["no_quote_commitment"],
    )  # fmt: skip


def test_a_supervisor_sees_the_console_and_nothing_else(bob):
    page = bob.get("/admin/").content.decode()
    for model in (
        "conversations/conversation/",
        "conversations/upsellopportunity/",
        "coaching/callfeedback/",
        "coaching/webhookendpoint/",
        "coaching/webhookdelivery/",
        "coaching/teamdashboard/",
    ):
        assert f"/admin/{model}" in page, model
    for model in ("accounts/user/", "analysis/job/", "conversations/upsellcatalogentry/", "reports/"):
        assert f"/admin/{model}" not in page, model
    assert bob.get("/admin/accounts/user/").status_code == 403


def test_the_console_is_for_staff_supervisors(client, bob_supervisor, alice_technician):
    # a technician, even a staff one, gets no console pages; a supervisor without staff status cannot log in
    technician = console(alice_technician)
    assert technician.get("/admin/conversations/conversation/").status_code == 403
    not_staff = Client()
    not_staff.force_login(bob_supervisor)
    assert not_staff.get("/admin/").status_code == 302
    assert (
        client.post("/admin/login/", {"username": "bob@example.com", "password": PASSWORD}).status_code == 200
    )


def test_calls_are_scoped_to_the_supervisors_team(
    bob, erin_supervisor, alice_technician, ivan_technician, alices_call
):
    ivans_call = analysed_call(ivan_technician, started_at=timezone.now())
    listing = bob.get("/admin/conversations/conversation/").content.decode()
    assert alices_call.public_id in listing and ivans_call.public_id not in listing
    # another team's call is "not found" (a redirect to the index with a message)
    response = bob.get(change_url(ivans_call))
    assert response.status_code == 302
    # and the other way round
    erin = console(erin_supervisor)
    listing = erin.get("/admin/conversations/conversation/").content.decode()
    assert ivans_call.public_id in listing and alices_call.public_id not in listing
    assert erin.get(change_url(UpsellOpportunity.objects.get(conversation=alices_call))).status_code == 302


def test_a_superuser_sees_every_team(alices_call, ivan_technician):
    ivans_call = analysed_call(ivan_technician, started_at=timezone.now())
    root = User.objects.create_superuser("root@example.com", PASSWORD, full_name="Root")
    client = Client()
    client.force_login(root)
    listing = client.get("/admin/conversations/conversation/").content.decode()
    assert alices_call.public_id in listing and ivans_call.public_id in listing


def test_a_call_page_reads_like_a_report(bob, alices_call):
    page = bob.get(change_url(alices_call)).content.decode()
    # the insight, the transcript with speakers, the opportunity and the coaching moment, in words
    assert "Fire pump inspected; replacement discussed." in page
    assert "85/100 (4.2 of 5)" in page
    assert "Send replacement quote within 24 hours" in page
    assert "We&#x27;ve had to fix this pump three times this year." in page
    assert "Customer" in page and "Technician" in page
    assert "Fire Pump Replacement" in page and "35000" in page
    assert "Set a clear expectation for when the quote will come." in page
    # never raw JSON, and no internals for a supervisor
    assert '"segment_id"' not in page and "speaker_runs" not in page and "[&quot;" not in page
    # the call's own fields are read-only for them
    assert 'name="customer_name"' not in page


def _inline_management(page: str) -> dict[str, str]:
    fields = re.findall(r'name="([\w-]+-(?:TOTAL|INITIAL|MIN_NUM|MAX_NUM)_FORMS)"[^>]*value="(\d+)"', page)
    return dict(fields)


def test_feedback_is_left_from_the_call_page(
    bob, bob_supervisor, team, alices_call, django_capture_on_commit_callbacks
):
    WebhookEndpoint.objects.create(
        team=team, url="https://crm.example.com/hooks", event_types=["feedback.submitted"]
    )
    page = bob.get(change_url(alices_call)).content.decode()
    # saving the page with the feedback form left as it came gives no feedback
    untouched = {**_inline_management(page), "feedback-0-overall_rating": "", "_continue": "Save"}
    assert bob.post(change_url(alices_call), untouched).status_code == 302
    assert not CallFeedback.objects.exists()
    data = {
        **_inline_management(page),
        "feedback-0-overall_rating": "4",
        "feedback-0-rapport_rating": "5",
        "feedback-0-technical_rating": "",
        "feedback-0-upsell_rating": "2",
        "feedback-0-strengths": "Explained the pump's condition clearly.",
        "feedback-0-areas_for_improvement": "Commit to a date for the quote.",
        "feedback-0-is_training_example": "on",
        "_continue": "Save",
    }
    assert data["feedback-TOTAL_FORMS"] == "1"
    with django_capture_on_commit_callbacks(execute=True):
        response = bob.post(change_url(alices_call), data)
    assert response.status_code == 302, response.content.decode()[:3000]
    feedback = CallFeedback.objects.get()
    assert (feedback.conversation, feedback.supervisor, feedback.overall_rating) == (
        alices_call,
        bob_supervisor,
        4,
    )
    assert (feedback.rapport_rating, feedback.technical_rating, feedback.upsell_rating) == (5, None, 2)
    assert feedback.is_training_example is True
    # it went through the service: the team's endpoint gets feedback.submitted
    assert WebhookDelivery.objects.get().event_type == "feedback.submitted"
    # and it now shows on the page, read-only
    page = bob.get(change_url(alices_call)).content.decode()
    assert "Explained the pump&#x27;s condition clearly." in page


def test_upsell_actions_move_opportunities_forward_only(bob, bob_supervisor, alice_technician):
    call = analysed_call(
        alice_technician,
        started_at=timezone.now(),
        opportunities=[Opp(), Opp("thermostat", status="closed_lost")],
    )
    fresh, closed = UpsellOpportunity.objects.filter(conversation=call).order_by("timestamp_in_call")
    response = bob.post(
        "/admin/conversations/upsellopportunity/",
        {"action": "mark_presented", "_selected_action": [fresh.pk, closed.pk]},
        follow=True,
    )
    page = response.content.decode()
    assert "1 opportunity marked presented." in page
    assert "does not reopen" in page
    fresh.refresh_from_db()
    closed.refresh_from_db()
    assert (fresh.status, closed.status) == ("presented", "closed_lost")
    change = UpsellStatusChange.objects.get()
    assert (change.from_status, change.to_status, change.changed_by) == (
        "identified",
        "presented",
        bob_supervisor,
    )


def test_an_opportunity_is_won_from_its_page_with_its_value(bob, alices_call):
    opportunity = UpsellOpportunity.objects.get(conversation=alices_call)
    url = change_url(opportunity)
    assert "Pipeline" in bob.get(url).content.decode()
    # without the value: refused on the form, nothing changes
    refused = bob.post(url, {"status": "closed_won", "actual_value": "", "notes": ""})
    assert refused.status_code == 200 and "actual_value: required" in refused.content.decode()
    opportunity.refresh_from_db()
    assert opportunity.status == "identified"
    won = bob.post(url, {"status": "closed_won", "actual_value": "34500.00", "notes": "Signed on site."})
    assert won.status_code == 302
    opportunity.refresh_from_db()
    assert (opportunity.status, str(opportunity.actual_value), opportunity.notes) == (
        "closed_won",
        "34500.00",
        "Signed on site.",
    )
    assert "Signed on site." in bob.get(url).content.decode()  # in the history too
    backwards = bob.post(url, {"status": "quoted", "actual_value": "", "notes": ""})
    assert "does not reopen" in backwards.content.decode()


def test_open_opportunities_are_one_filter_away(bob, alice_technician):
    call = analysed_call(
        alice_technician, started_at=timezone.now(),
        opportunities=[Opp(title="Open One"), Opp("thermostat", status="closed_won", actual_value=200, title="Won One")],
    )  # fmt: skip
    assert call
    page = bob.get("/admin/conversations/upsellopportunity/?pipeline=open").content.decode()
    assert "Open One" in page and "Won One" not in page


def test_webhook_endpoints_and_deliveries_belong_to_the_team(bob, bob_supervisor, erin_supervisor, team):
    response = bob.post(
        "/admin/coaching/webhookendpoint/add/",
        {"url": "https://crm.example.com/hooks", "description": "CRM", "event_types": ["upsell.identified"], "is_active": "on"},
    )  # fmt: skip
    assert response.status_code == 302, response.content.decode()[:2000]
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.team, endpoint.created_by, endpoint.event_types) == (
        team,
        bob_supervisor,
        ["upsell.identified"],
    )
    page = bob.get(change_url(endpoint)).content.decode()
    assert endpoint.secret in page and "X-Webhook-Signature" in page
    # a test delivery lands in the log, where it can be resent once it has finished
    bob.post("/admin/coaching/webhookendpoint/", {"action": "send_test", "_selected_action": [endpoint.pk]})
    delivery = WebhookDelivery.objects.get()
    assert delivery.event_type == "webhook.test"
    WebhookDelivery.objects.filter(pk=delivery.pk).update(status="failed", attempts=1, round_attempts=1)
    log = bob.get(change_url(delivery)).content.decode()
    assert "webhook.test" in log and "A test delivery from CoachHub." in log
    resent = bob.post(
        "/admin/coaching/webhookdelivery/",
        {"action": "resend", "_selected_action": [delivery.pk]},
        follow=True,
    )
    assert "1 delivery(ies) queued again." in resent.content.decode()
    delivery.refresh_from_db()
    assert (delivery.status, delivery.round_attempts) == ("pending", 0)
    # Erin's team sees neither
    erin = console(erin_supervisor)
    assert "crm.example.com" not in erin.get("/admin/coaching/webhookendpoint/").content.decode()
    assert erin.get(change_url(endpoint)).status_code == 302
    assert erin.get(change_url(delivery)).status_code == 302


def test_the_dashboard_draws_the_teams_weeks(bob, erin_supervisor, alice_technician, dave_technician):
    analysed_call(
        alice_technician, started_at=timezone.now(), satisfaction=90,
        opportunities=[Opp(status="closed_won", actual_value=1800)], moments=["no_quote_commitment"],
    )  # fmt: skip
    page = bob.get("/admin/coaching/teamdashboard/").content.decode()
    assert page.count('<svg class="coach-chart"') == 3
    for text in ("Calls per week", "Customer satisfaction (1-5)", "Upsell revenue per week"):
        assert text in page
    assert "Alice Technician" in page and "Dave Technician" in page
    assert "no_quote_commitment (1)" in page
    assert "1,800" in page  # this week's revenue bar
    erin = console(erin_supervisor).get("/admin/coaching/teamdashboard/").content.decode()
    assert "Alice Technician" not in erin
