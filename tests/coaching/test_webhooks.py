"""Webhooks end to end: events become signed deliveries, POSTed by the real job runner to a
receiver on loopback that verifies them; 5xx and timeouts are retried with backoff, 4xx is not;
nothing is sent for work that was rolled back; and every attempt is in the delivery log."""

from __future__ import annotations

import json
import random
import time
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.db import transaction
from django.utils import timezone

from coaching import services, signing
from coaching.models import WebhookAttempt, WebhookDelivery, WebhookEndpoint
from coaching.services.webhooks import retry_delay
from conversations import events
from conversations.models import Conversation, Segment
from conversations.services import catalog_seed, conversation_analysis_start
from tests.coaching.conftest import analysed_call
from tests.coaching.webhook_receiver import Reply, WebhookReceiver
from tests.conftest import bearer

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "conversations" / "labelled"
WAIT_SECONDS = 60.0
FEEDBACK = {"overall_rating": 4, "strengths": "Clear explanation of the repair.", "is_training_example": True}


@pytest.fixture
def fast_retries(settings: Any) -> None:
    # Deliveries keep the policy of the process that made them, so a worker elsewhere follows it too.
    settings.WEBHOOK_RETRY_BASE_SECONDS = 0.05
    settings.WEBHOOK_RETRY_MAX_SECONDS = 0.2
    settings.WEBHOOK_TIMEOUT_SECONDS = 0.5
    settings.WEBHOOK_MAX_ATTEMPTS = 4


def endpoint_for(team, receiver: WebhookReceiver, **fields: Any) -> WebhookEndpoint:
    endpoint = WebhookEndpoint.objects.create(team=team, url=receiver.url, description="CRM", **fields)
    receiver.secret = endpoint.secret
    return endpoint


def settled(delivery_id: Any, *, timeout: float = WAIT_SECONDS) -> WebhookDelivery:
    deadline = time.monotonic() + timeout
    while True:
        delivery = WebhookDelivery.objects.get(pk=delivery_id)
        if not delivery.is_in_flight:
            return delivery
        assert time.monotonic() < deadline, (
            f"delivery still {delivery.status} after {delivery.attempts} attempts"
        )
        time.sleep(0.05)


def give_feedback(api, supervisor, call: Conversation):
    response = api.post(
        f"/coach/calls/{call.public_id}/feedback", FEEDBACK, format="json", **bearer(supervisor)
    )
    assert response.status_code == 201, response.content
    return response.json()


# --- through the worker --------------------------------------------------------------------------


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker", "fast_retries")
def test_feedback_is_delivered_signed_to_the_teams_endpoint(
    api, team, bob_supervisor, alice_technician, ivan_technician
):
    with WebhookReceiver() as receiver:
        endpoint = endpoint_for(team, receiver)
        call = analysed_call(alice_technician, started_at=timezone.now())
        # when Bob leaves feedback on Alice's call
        feedback = give_feedback(api, bob_supervisor, call)
        # then the team's endpoint receives it, signed with its secret
        (received,) = receiver.wait_for(1)
    assert received.verified, "the signature checks out with the endpoint's secret"
    body = received.json
    assert set(body) == {"id", "type", "created_at", "data"}
    assert (
        body["type"] == "feedback.submitted"
        and received.headers[signing.EVENT_HEADER] == "feedback.submitted"
    )
    assert body["id"] == received.delivery_id
    assert body["data"]["feedback_id"] == feedback["feedback_id"]
    assert body["data"]["conversation_id"] == call.public_id
    assert body["data"]["technician"] == {
        "user_id": alice_technician.public_id,
        "full_name": "Alice Technician",
    }
    assert body["data"]["supervisor"]["user_id"] == bob_supervisor.public_id
    assert body["data"]["is_training_example"] is True and body["data"]["overall_rating"] == 4
    assert received.headers[signing.SIGNATURE_HEADER].startswith("sha256=")
    # and the delivery log says so
    delivery = settled(received.delivery_id)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("succeeded", 1, 200)
    assert delivery.endpoint == endpoint and delivery.delivered_at is not None
    assert delivery.last_response == '{"ok": true}'
    # a signature over another body, or with another secret, does not verify
    timestamp = received.headers[signing.TIMESTAMP_HEADER]
    assert not signing.signature_verify(
        secret=endpoint.secret, timestamp=timestamp, body=received.body.replace(b'"overall_rating":4', b'"overall_rating":5'),
        signature_header=received.headers[signing.SIGNATURE_HEADER],
    )  # fmt: skip
    assert not signing.signature_verify(
        secret="whsec_other", timestamp=timestamp, body=received.body,
        signature_header=received.headers[signing.SIGNATURE_HEADER],
    )  # fmt: skip


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker", "fast_retries")
def test_a_5xx_is_retried_with_the_same_id_until_it_succeeds(api, team, bob_supervisor, alice_technician):
    with WebhookReceiver() as receiver:
        endpoint_for(team, receiver)
        receiver.script(Reply(500, body="db down"), Reply(503), Reply(200))
        give_feedback(api, bob_supervisor, analysed_call(alice_technician, started_at=timezone.now()))
        received = receiver.wait_for(3)
        delivery = settled(received[0].delivery_id)
    assert len({r.delivery_id for r in received}) == 1, "one delivery id across retries, for de-duplication"
    assert all(r.verified for r in received)
    assert [r.headers["X-Webhook-Attempt"] for r in received] == ["1", "2", "3"]
    assert (delivery.status, delivery.attempts) == ("succeeded", 3)
    log = list(
        WebhookAttempt.objects.filter(delivery=delivery).values_list(
            "status_code", "outcome", "response_excerpt"
        )
    )
    assert log == [
        (500, "retry", "db down"),
        (503, "retry", '{"ok": true}'),
        (200, "succeeded", '{"ok": true}'),
    ]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker", "fast_retries")
def test_a_timeout_is_retried_and_gives_up_after_the_last_attempt(
    api, team, bob_supervisor, alice_technician
):
    with WebhookReceiver() as receiver:
        endpoint_for(team, receiver)
        receiver.script(Reply(200, delay_seconds=1.5))  # slower than the 0.5 s timeout, every time
        give_feedback(api, bob_supervisor, analysed_call(alice_technician, started_at=timezone.now()))
        received = receiver.wait_for(4)
        delivery = settled(received[0].delivery_id)
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 4, None)
    assert "no answer within 0.5 s" in delivery.last_error
    outcomes = list(WebhookAttempt.objects.filter(delivery=delivery).values_list("outcome", flat=True))
    assert outcomes == ["retry", "retry", "retry", "failed"]


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker", "fast_retries")
def test_a_4xx_is_not_retried(api, team, bob_supervisor, alice_technician):
    with WebhookReceiver() as receiver:
        endpoint_for(team, receiver)
        receiver.script(Reply(400, body='{"error": "unknown field"}'), Reply(200))
        give_feedback(api, bob_supervisor, analysed_call(alice_technician, started_at=timezone.now()))
        (received,) = receiver.wait_for(1)
        delivery = settled(received.delivery_id)
        time.sleep(0.5)  # four retry delays' worth: nothing else arrives
        assert len(receiver.received) == 1
    assert (delivery.status, delivery.attempts, delivery.last_status_code) == ("failed", 1, 400)
    assert delivery.last_response == '{"error": "unknown field"}'


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker", "fast_retries")
def test_a_resend_posts_the_same_delivery_again(api, team, bob_supervisor, alice_technician):
    with WebhookReceiver() as receiver:
        endpoint_for(team, receiver)
        receiver.script(Reply(410), Reply(200))
        give_feedback(api, bob_supervisor, analysed_call(alice_technician, started_at=timezone.now()))
        first = receiver.wait_for(1)[0]
        delivery = settled(first.delivery_id)
        assert delivery.status == "failed"
        # when the receiver is fixed and the supervisor resends it
        assert services.webhook_delivery_resend(delivery=delivery) is True
        second = receiver.wait_for(2)[1]
        delivery = settled(first.delivery_id)
    assert second.delivery_id == first.delivery_id and second.body == first.body
    assert (delivery.status, delivery.attempts, delivery.round_attempts) == ("succeeded", 2, 1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker", "fast_retries")
def test_nothing_is_sent_for_rolled_back_work_and_the_rest_only_after_commit(
    team, bob_supervisor, alice_technician
):
    with WebhookReceiver() as receiver:
        endpoint_for(team, receiver)
        call = analysed_call(alice_technician, started_at=timezone.now())
        # given feedback written in a transaction that then fails
        with pytest.raises(RuntimeError), transaction.atomic():
            services.feedback_submit(conversation=call, supervisor=bob_supervisor, overall_rating=5)
            raise RuntimeError("something later in the same request failed")
        # and feedback in a transaction that commits, with nothing made before the commit
        with transaction.atomic():
            services.feedback_submit(conversation=call, supervisor=bob_supervisor, overall_rating=3)
            assert not WebhookDelivery.objects.exists()
        (received,) = receiver.wait_for(1)
        time.sleep(0.3)
        assert len(receiver.received) == 1
    assert received.json["data"]["overall_rating"] == 3
    assert WebhookDelivery.objects.count() == 1


def _res_ac_call(technician) -> Conversation:
    """A call whose transcript is complete: the labelled 'AC blowing warm air, third repair' call."""
    labelled = json.loads((FIXTURES / "res_ac_aging_repairs.json").read_text())
    call = analysed_call(technician, started_at=timezone.now() - timedelta(minutes=30), satisfaction=None)
    Segment.objects.filter(conversation=call).delete()
    for segment in labelled["segments"]:
        Segment.objects.create(
            conversation=call, speaker_type=segment["speaker_type"], text=segment["text"],
            start_time=segment["start_time"], end_time=segment["end_time"], confidence=0.9,
        )  # fmt: skip
    return call


def _wait_analysed(call: Conversation, runs: int) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while call.analyses.count() < runs or Conversation.objects.get(pk=call.pk).status != "analyzed":
        assert time.monotonic() < deadline
        time.sleep(0.1)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker", "fast_retries")
def test_an_analysis_announces_its_insights_and_each_new_opportunity(team, alice_technician):
    catalog_seed()  # a transactional test before this one emptied the migration's catalog
    with WebhookReceiver() as receiver:
        endpoint_for(team, receiver, event_types=["insights.generated", "upsell.identified"])
        call = _res_ac_call(alice_technician)
        # when the job runner analyses the call
        with transaction.atomic():
            conversation_analysis_start(conversation=call)
        _wait_analysed(call, 1)
        analysis = call.analyses.get(is_current=True)
        opportunities = set(analysis.opportunities.values_list("pk", flat=True))
        assert opportunities, "a fifteen-year-old unit on its third repair is an opportunity"
        received = receiver.wait_for(1 + len(opportunities))
        # then the insights, and one upsell.identified per opportunity
        types = sorted(r.json["type"] for r in received)
        assert types == ["insights.generated"] + ["upsell.identified"] * len(opportunities)
        insights = next(r.json["data"] for r in received if r.json["type"] == "insights.generated")
        assert insights["insight_id"] == analysis.insight.pk and insights["upsells_count"] == len(
            opportunities
        )
        assert {
            r.json["data"]["opportunity_id"] for r in received if r.json["type"] == "upsell.identified"
        } == opportunities
        assert all(r.verified for r in received)
        # when it is analysed again, its opportunities are not new: only the insights are announced
        conversation_analysis_start(conversation=call)
        _wait_analysed(call, 2)
        again = receiver.wait_for(len(received) + 1)
        time.sleep(0.5)
        assert [r.json["type"] for r in receiver.received[len(received) :]] == ["insights.generated"]
        assert len(again) == len(receiver.received)


@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("celery_worker", "fast_retries")
def test_a_stopped_call_announces_conversation_completed(api, team, alice_technician):
    with WebhookReceiver() as receiver:
        endpoint_for(team, receiver, event_types=["conversation.completed"])
        started = api.post(
            "/conversations/start",
            {"customer_name": "Linda Moreno"},
            format="json",
            **bearer(alice_technician),
        )
        conversation_id = started.json()["conversation_id"]
        assert (
            api.post(f"/conversations/{conversation_id}/stop", **bearer(alice_technician)).status_code == 200
        )
        (received,) = receiver.wait_for(1)
    data = received.json["data"]
    assert received.json["type"] == "conversation.completed"
    assert (data["conversation_id"], data["customer_name"], data["status"]) == (
        conversation_id,
        "Linda Moreno",
        "processing",
    )
    assert data["ended_at"] and data["technician"]["user_id"] == alice_technician.public_id


# --- without the worker ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_endpoints_get_only_their_teams_events_of_the_types_they_want(
    team, erin_supervisor, alice_technician, django_capture_on_commit_callbacks
):
    everything = WebhookEndpoint.objects.create(team=team, url="https://crm.example.com/hooks")
    WebhookEndpoint.objects.create(
        team=team, url="https://sales.example.com/hooks", event_types=["upsell.identified"]
    )
    WebhookEndpoint.objects.create(team=team, url="https://off.example.com/hooks", is_active=False)
    WebhookEndpoint.objects.create(team=erin_supervisor.team, url="https://north.example.com/hooks")
    call = analysed_call(alice_technician, started_at=timezone.now())
    # (the attempts' jobs are not handed to a queue: no worker runs in this test)
    with django_capture_on_commit_callbacks(execute=False):
        events.emit(events.CONVERSATION_COMPLETED, {"conversation_id": call.public_id})
    assert list(WebhookDelivery.objects.values_list("endpoint", "event_type")) == [
        (everything.pk, "conversation.completed")
    ]


def test_the_backoff_grows_exponentially_with_jitter_and_a_cap():
    rng = random.Random(7)
    for retry, ceiling in [(1, 15), (2, 30), (3, 60), (4, 120), (9, 3600), (20, 3600)]:
        delays = [retry_delay(retry=retry, base=15, cap=3600, rng=rng) for _ in range(200)]
        assert all(ceiling / 2 <= d <= ceiling for d in delays)
        assert max(delays) - min(delays) > ceiling / 4, "jittered, so retries of many deliveries spread out"


def test_a_signature_is_refused_when_stale_or_malformed():
    body, secret = b'{"id":"x"}', "whsec_test"
    now = 1_700_000_000
    good = signing.signature(secret=secret, timestamp=str(now), body=body)
    assert signing.signature_verify(
        secret=secret, timestamp=str(now), body=body, signature_header=good, now=now + 10
    )
    assert not signing.signature_verify(
        secret=secret, timestamp=str(now), body=body, signature_header=good, now=now + 301
    )
    assert not signing.signature_verify(
        secret=secret, timestamp="soon", body=body, signature_header=good, now=now
    )
    assert not signing.signature_verify(
        secret=secret, timestamp=str(now), body=body, signature_header=good[7:], now=now
    )


def test_a_failing_listener_does_not_stop_the_others_or_the_caller():
    heard: list[str] = []

    def broken(event_type: str, payload: dict) -> None:
        raise RuntimeError("listener bug")

    def listening(event_type: str, payload: dict) -> None:
        heard.append(payload["conversation_id"])

    events.listen(broken)
    events.listen(listening)
    try:
        events.emit(events.CONVERSATION_COMPLETED, {"conversation_id": "CONV-20241104-001"})
    finally:
        events.unlisten(broken)
        events.unlisten(listening)
    assert heard == ["CONV-20241104-001"]
    with pytest.raises(ValueError):
        events.emit("conversation.exploded", {})
