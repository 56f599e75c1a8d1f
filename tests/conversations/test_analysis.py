"""The post-call analysis through the real protocols: a call recorded in chunks is analysed by
itself once its transcript is complete; /insights, /upsells and /coaching answer the spec's
shapes with quotes taken from the stored transcript; /analyze runs it again and keeps history;
failures say why; and the live nudges socket prompts during the call, once per cue."""

from __future__ import annotations

import time
from typing import Any

import pytest
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from rest_framework.test import APIClient

from accounts.models import User
from accounts.services import tokens_issue
from conversations.consumers import NudgesConsumer
from conversations.models import Chunk, Conversation, ConversationAnalysis, Nudge, UpsellOpportunity
from tests.conftest import bearer
from tests.conversations.conftest import chunk_files, start_call, upload
from tests.engines.llm_server import FakeLLMServer, Reply

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_worker")]

WAIT_SECONDS = 120.0


@pytest.fixture(autouse=True)
def _own_nudge_socket_cap(monkeypatch: pytest.MonkeyPatch) -> None:
    import uuid

    monkeypatch.setattr(NudgesConsumer, "socket_kind", f"nudges-{uuid.uuid4().hex[:8]}")


@pytest.fixture(autouse=True)
def _catalog(transactional_db: Any) -> None:
    # The migration seeds the catalog, but a transactional test before this one emptied the tables.
    from conversations.services import catalog_seed

    catalog_seed()


def record(api: APIClient, user: User, call: str = "analysis_call") -> str:
    conversation_id = start_call(api, user)["conversation_id"]
    for sequence, path in enumerate(chunk_files(call), start=1):
        assert upload(api, user, conversation_id, path, sequence).status_code == 200
    # Stop once every chunk is transcribed, as a call whose last chunk came a while before the
    # technician stopped: the live pipeline cuts its audio differently when the stop overtakes
    # the last chunk, and these tests compare two analyses of the same words.
    deadline = time.monotonic() + WAIT_SECONDS
    while Chunk.objects.filter(conversation__public_id=conversation_id).exclude(state="done").exists():
        assert time.monotonic() < deadline
        time.sleep(0.1)
    assert api.post(f"/conversations/{conversation_id}/stop", **bearer(user)).status_code == 200
    return conversation_id


def wait_for_status(api: APIClient, user: User, conversation_id: str, *wanted: str) -> dict[str, Any]:
    deadline = time.monotonic() + WAIT_SECONDS
    while True:
        body = api.get(f"/conversations/{conversation_id}", **bearer(user)).json()
        if body["status"] in wanted:
            return body
        assert time.monotonic() < deadline, f"still {body['status']}"
        time.sleep(0.2)


def transcript_text(api: APIClient, user: User, conversation_id: str) -> str:
    segments = api.get(f"/conversations/{conversation_id}/transcript", **bearer(user)).json()["segments"]
    return " ".join(s["text"] for s in segments)


def test_a_stopped_call_is_analysed_and_every_route_answers_the_spec_shape(
    api, alice_technician, bob_supervisor
):
    # given a call recorded in three chunks and stopped: an air conditioner twenty years old that
    # broke down three times this summer, a price question, a written quote promised for tomorrow
    conversation_id = record(api, alice_technician)
    # when its transcript is complete, the analysis runs by itself
    detail = wait_for_status(api, alice_technician, conversation_id, "analyzed", "failed")
    assert detail["status"] == "analyzed" and detail["has_insights"] is True
    said = transcript_text(api, alice_technician, conversation_id)

    insights = api.get(f"/conversations/{conversation_id}/insights", **bearer(alice_technician)).json()
    assert {
        "insight_id", "conversation_id", "summary", "key_topics", "overall_sentiment",
        "customer_satisfaction_score", "positive_keywords", "improvement_keywords", "action_items",
    } <= set(insights)  # fmt: skip
    assert insights["conversation_id"] == conversation_id and insights["engine"] == "local"
    assert 0 <= insights["customer_satisfaction_score"] <= 100
    assert insights["overall_sentiment"] in ("positive", "neutral", "negative")
    # the technician promised a quote by tomorrow afternoon: that is an action item
    assert any("quote" in item.lower() for item in insights["action_items"])

    upsells = api.get(f"/conversations/{conversation_id}/upsells", **bearer(alice_technician)).json()
    assert upsells["opportunities"], "a twenty-year-old unit that broke down three times is one"
    for found in upsells["opportunities"]:
        assert found["status"] == "identified" and 0 <= found["confidence"] <= 1
        assert found["trigger_phrase"] in said  # the customer's words, verbatim
        assert isinstance(found["estimated_value"], float) and found["estimated_value"] > 0
        assert found["priority"] in ("high", "medium", "low")

    coaching = api.get(f"/conversations/{conversation_id}/coaching", **bearer(alice_technician)).json()
    assert set(coaching) == {"coaching_moments", "metrics"}
    assert coaching["metrics"]["talk_to_listen_ratio"] is not None
    for moment in coaching["coaching_moments"]:
        assert {"moment_id", "category", "title", "timestamp_in_call", "what_happened", "severity"} <= set(
            moment
        )
        for evidence in moment["evidence"]:
            assert evidence["quote"] in said
    # and the call's satisfaction feeds the stats: the supervisor reads it too
    conversation = Conversation.objects.get(public_id=conversation_id)
    assert conversation.customer_satisfaction_score == insights["customer_satisfaction_score"]
    supervisor_view = api.get(f"/conversations/{conversation_id}/insights", **bearer(bob_supervisor))
    assert supervisor_view.status_code == 200


def test_analysing_again_replaces_the_result_keeps_history_and_carries_statuses(api, alice_technician):
    conversation_id = record(api, alice_technician)
    wait_for_status(api, alice_technician, conversation_id, "analyzed")
    conversation = Conversation.objects.get(public_id=conversation_id)
    first = ConversationAnalysis.objects.get(conversation=conversation, is_current=True)
    # given a supervisor presented the first opportunity to the customer
    opportunity = first.opportunities.first()
    assert opportunity is not None, [
        (s["speaker_type"], s["text"])
        for s in api.get(f"/conversations/{conversation_id}/transcript", **bearer(alice_technician)).json()[
            "segments"
        ]
    ]
    UpsellOpportunity.objects.filter(pk=opportunity.pk).update(status="presented")
    # when the call is analysed again
    response = api.post(f"/conversations/{conversation_id}/analyze", **bearer(alice_technician))
    assert response.status_code == 202
    body = response.json()
    assert body["conversation_id"] == conversation_id and body["status"] == "processing"
    assert body["estimated_completion"]
    deadline = time.monotonic() + WAIT_SECONDS
    while ConversationAnalysis.objects.filter(conversation=conversation).count() < 2:
        assert time.monotonic() < deadline
        time.sleep(0.2)
    wait_for_status(api, alice_technician, conversation_id, "analyzed")
    # then a new current run answers, the first is kept, and the presented status carried over
    analyses = ConversationAnalysis.objects.filter(conversation=conversation)
    assert analyses.count() == 2 and analyses.filter(is_current=True).count() == 1
    current = analyses.get(is_current=True)
    assert current.pk != first.pk
    carried = current.opportunities.get(opportunity_type=opportunity.opportunity_type)
    assert carried.status == "presented"
    served = api.get(f"/conversations/{conversation_id}/upsells", **bearer(alice_technician)).json()
    assert carried.pk in {o["opportunity_id"] for o in served["opportunities"]}


def test_analysis_routes_refuse_before_analysis_others_and_unknown_ids(
    api, alice_technician, dave_technician, mallory
):
    conversation_id = start_call(api, alice_technician)["conversation_id"]
    # while recording: nothing to show, and no analysis can start
    early = api.get(f"/conversations/{conversation_id}/insights", **bearer(alice_technician))
    assert early.status_code == 404
    assert early.json()["error"]["code"] == "NOT_FOUND"
    assert early.json()["error"]["details"] == {"status": "in_progress"}
    refused = api.post(f"/conversations/{conversation_id}/analyze", **bearer(alice_technician))
    assert refused.status_code == 409 and refused.json()["error"]["code"] == "CONFLICT"
    # someone else's call (a teammate, a stranger) or no call at all: not found, never told apart
    for user in (dave_technician, mallory):
        for route in ("insights", "upsells", "coaching"):
            response = api.get(f"/conversations/{conversation_id}/{route}", **bearer(user))
            assert response.status_code == 404
        assert api.post(f"/conversations/{conversation_id}/analyze", **bearer(user)).status_code == 404
    assert api.get("/conversations/CONV-20240101-999/insights", **bearer(alice_technician)).status_code == 404
    assert api.get(f"/conversations/{conversation_id}/coaching").status_code == 401


def test_a_provider_outage_fails_the_analysis_with_the_reason(api, alice_technician, settings):
    with FakeLLMServer() as server:
        server.script(Reply.error(500))
        settings.LLM_PROVIDER, settings.OPENAI_BASE_URL, settings.LLM_MAX_RETRIES = (
            "openai",
            server.base_url,
            0,
        )
        conversation_id = record(api, alice_technician, "two_men_call")
        detail = wait_for_status(api, alice_technician, conversation_id, "failed", "analyzed")
    assert detail["status"] == "failed"
    assert detail["failure_reason"].startswith("The AI provider failed: conversation_insights")
    response = api.get(f"/conversations/{conversation_id}/insights", **bearer(alice_technician))
    assert response.status_code == 404 and "failed" in response.json()["error"]["message"]


# --- live nudges ---------------------------------------------------------------------------


def _application() -> Any:
    from config.asgi import application

    return application


async def _open(conversation_id: str, user: User) -> WebsocketCommunicator:
    token = await database_sync_to_async(lambda: tokens_issue(user=user).access)()
    socket = WebsocketCommunicator(_application(), f"/conversations/{conversation_id}/nudges?token={token}")
    connected, _ = await socket.connect(timeout=10)
    assert connected
    return socket


async def test_a_spoken_cue_raises_one_nudge_that_the_technician_dismisses(alice_technician):
    api = APIClient()
    conversation_id = (await database_sync_to_async(start_call)(api, alice_technician))["conversation_id"]
    socket = await _open(conversation_id, alice_technician)
    # when the call's chunks arrive (the customer: "Our air conditioner is twenty years old and it
    # broke down three times this summer.")
    for sequence, path in enumerate(chunk_files("analysis_call"), start=1):
        response = await database_sync_to_async(upload)(
            api, alice_technician, conversation_id, path, sequence
        )
        assert response.status_code == 200
    nudge = await socket.receive_json_from(timeout=WAIT_SECONDS)
    # then a nudge comes while the call goes on, shaped as the spec shows, on the call's timeline
    assert nudge["type"] == "nudge" and nudge["nudge_type"] == "upsell_prompt"
    assert nudge["title"] == "💡 Upsell Opportunity"
    assert {"nudge_id", "message", "suggested_response", "confidence", "triggered_at"} <= set(nudge)
    assert 0 < nudge["triggered_at"] < 27
    # when the technician dismisses it, the action is kept with its time
    await socket.send_json_to({"action": "dismissed", "nudge_id": nudge["nudge_id"]})
    ack = await socket.receive_json_from(timeout=10)
    assert ack["type"] == "nudge_action" and ack["action"] == "dismissed" and ack["recorded_at"]
    # and a bad action is an error frame, not a closed socket
    await socket.send_json_to({"action": "snoozed", "nudge_id": nudge["nudge_id"]})
    assert (await socket.receive_json_from(timeout=10))["type"] == "error"
    await socket.send_json_to({"action": "dismissed", "nudge_id": 999999})
    assert "not found" in (await socket.receive_json_from(timeout=10))["message"].lower()
    # the same cue is not raised again when the call ends, and a socket opened later replays it once
    await database_sync_to_async(api.post)(
        f"/conversations/{conversation_id}/stop", **bearer(alice_technician)
    )
    stored = await database_sync_to_async(
        lambda: list(Nudge.objects.filter(conversation__public_id=conversation_id))
    )()
    assert [n.cue_key for n in stored].count(stored[0].cue_key) == 1
    assert stored[0].action == "dismissed" and stored[0].action_at is not None
    await socket.disconnect()
    again = await _open(conversation_id, alice_technician)
    replayed = await again.receive_json_from(timeout=10)
    assert replayed["nudge_id"] == nudge["nudge_id"]
    assert await again.receive_nothing(timeout=0.5)
    await again.disconnect()


async def test_the_nudges_socket_refuses_strangers_and_missing_tokens(alice_technician, mallory):
    api = APIClient()
    conversation_id = (await database_sync_to_async(start_call)(api, alice_technician))["conversation_id"]
    socket = await _open(conversation_id, mallory)
    assert (await socket.receive_json_from(timeout=10))["type"] == "error"
    assert (await socket.receive_output(timeout=10))["code"] == 4404
    anonymous = WebsocketCommunicator(_application(), f"/conversations/{conversation_id}/nudges")
    await anonymous.connect(timeout=10)
    await anonymous.receive_json_from(timeout=10)
    assert (await anonymous.receive_output(timeout=10))["code"] == 4401
    # A closed socket's consumer still runs until the client's disconnect reaches it.
    await socket.disconnect()
    await anonymous.disconnect()
