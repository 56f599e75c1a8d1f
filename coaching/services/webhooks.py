"""Webhooks: `conversation.completed`, `insights.generated`, `upsell.identified` and
`feedback.submitted`, POSTed to the endpoints a team registered in the admin.

Each event becomes one `WebhookDelivery` per subscribed endpoint, and each attempt to deliver it
is a job of the job runner (kind `coaching.webhook`): the job POSTs the signed body, and in the
transaction that completes the job the attempt is logged and the delivery's fate decided:

- 2xx: succeeded.
- 5xx, a timeout or a connection failure: retried while the round has attempts left
  (`max_attempts`, 8 by default), after an exponential backoff with jitter: the n-th retry waits
  b/2 + uniform(0, b/2) with b = min(retry_max, retry_base × 2^(n-1)), 15 s and 1 h by default.
- anything else (4xx, a redirect, an address refused): failed at once; a receiver that refuses
  a request will refuse it again.

A retry is a new job, made when its time comes: the completing transaction schedules a Celery
countdown (`webhook_attempt_task`) that enqueues it; a beat sweep (`webhook_sweep_task`) enqueues
any whose countdown was lost with a restarted worker. Jobs are deduplicated by delivery, so a
delivery never has two attempts in flight. The runner's own retry is not used for this: its delay
has no jitter and its attempts are the job's, not the delivery's.

Events reach here only after the transaction that made them true commits (conversations emits
them on commit; feedback is dispatched on commit), and the delivery rows and their first jobs
are written in one transaction, so nothing is sent for work that was rolled back.
"""

from __future__ import annotations

import ipaddress
import json
import logging
import random
import socket
import time
from datetime import datetime, timedelta
from typing import Any
from urllib.parse import urlsplit

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from accounts.models import User
from analysis import jobs
from analysis.models import Job
from coaching import signing
from coaching.models import CallFeedback, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from conversations import events
from conversations.models import Conversation, ConversationAnalysis, Insight, UpsellOpportunity

logger = logging.getLogger(__name__)

WEBHOOK_KIND = "coaching.webhook"
FEEDBACK_SUBMITTED = "feedback.submitted"
EVENT_TYPES = (*events.EVENT_TYPES, FEEDBACK_SUBMITTED)
RESPONSE_EXCERPT_CHARS = 2000
# A countdown that fires a little early (clock skew between processes) still counts as due.
DUE_SLACK_SECONDS = 1.0
# A due delivery with no attempt queued this long after its time lost its countdown message.
SWEEP_GRACE_SECONDS = 60.0
USER_AGENT = "CoachHub-Webhooks/1.0"


def policy() -> dict[str, float]:
    """The retry policy new deliveries get (settings: WEBHOOK_MAX_ATTEMPTS, WEBHOOK_RETRY_BASE_SECONDS,
    WEBHOOK_RETRY_MAX_SECONDS, WEBHOOK_TIMEOUT_SECONDS)."""
    return {
        "max_attempts": int(getattr(settings, "WEBHOOK_MAX_ATTEMPTS", 8)),
        "retry_base_seconds": float(getattr(settings, "WEBHOOK_RETRY_BASE_SECONDS", 15.0)),
        "retry_max_seconds": float(getattr(settings, "WEBHOOK_RETRY_MAX_SECONDS", 3600.0)),
        "timeout_seconds": float(getattr(settings, "WEBHOOK_TIMEOUT_SECONDS", 10.0)),
    }


def retry_delay(*, retry: int, base: float, cap: float, rng: random.Random | None = None) -> float:
    """Seconds before the `retry`-th retry: exponential, capped, half of it jittered."""
    ceiling = min(cap, base * 2 ** (retry - 1))
    return ceiling / 2 + (rng or random).uniform(0, ceiling / 2)


def team_id_of(technician: User) -> int | None:
    """A technician's events go to their team's endpoints (their supervisor's team, without one)."""
    if technician.team_id is not None:
        return technician.team_id
    supervisor = technician.supervisor if technician.supervisor_id else None
    return supervisor.team_id if supervisor is not None else None


# --------------------------------------------------------------------------------------------
# What each event says


def _person(user: User | None) -> dict[str, Any] | None:
    return None if user is None else {"user_id": user.public_id, "full_name": user.full_name}


def _when(value: datetime | None) -> str | None:
    return None if value is None else value.isoformat()


def conversation_data(conversation: Conversation) -> dict[str, Any]:
    return {
        "conversation_id": conversation.public_id,
        "technician": _person(conversation.technician),
        "customer_name": conversation.customer_name,
        "job_id": conversation.service_job_id or None,
        "started_at": _when(conversation.started_at),
        "ended_at": _when(conversation.ended_at),
        "duration_seconds": None
        if conversation.duration_seconds is None
        else round(conversation.duration_seconds),
        "status": conversation.status,
    }


def insights_data(conversation: Conversation, analysis_id: int) -> dict[str, Any] | None:
    analysis = ConversationAnalysis.objects.filter(pk=analysis_id, conversation=conversation).first()
    insight = Insight.objects.filter(analysis_id=analysis_id).first()
    if analysis is None or insight is None:
        return None
    return {
        "conversation_id": conversation.public_id,
        "technician": _person(conversation.technician),
        "insight_id": insight.pk,
        "summary": insight.summary,
        "overall_sentiment": insight.overall_sentiment,
        "customer_satisfaction_score": insight.customer_satisfaction_score,
        "key_topics": insight.key_topics,
        "action_items": insight.action_items,
        "upsells_count": analysis.opportunities.count(),
        "coaching_moments_count": analysis.moments.count(),
        "engine": insight.engine,
    }


def upsell_data(conversation: Conversation, opportunity_id: int) -> dict[str, Any] | None:
    opportunity = UpsellOpportunity.objects.filter(pk=opportunity_id, conversation=conversation).first()
    if opportunity is None:
        return None
    return {
        "conversation_id": conversation.public_id,
        "technician": _person(conversation.technician),
        "opportunity_id": opportunity.pk,
        "opportunity_type": opportunity.opportunity_type,
        "title": opportunity.title,
        "description": opportunity.description,
        "trigger_phrase": opportunity.trigger_phrase,
        "timestamp_in_call": opportunity.timestamp_in_call,
        "confidence": opportunity.confidence,
        "estimated_value": float(opportunity.estimated_value),
        "priority": opportunity.priority,
        "status": opportunity.status,
    }


def feedback_data(feedback: CallFeedback) -> dict[str, Any]:
    conversation = feedback.conversation
    return {
        "feedback_id": feedback.pk,
        "conversation_id": conversation.public_id,
        "technician": _person(conversation.technician),
        "supervisor": _person(feedback.supervisor),
        "overall_rating": feedback.overall_rating,
        "rapport_rating": feedback.rapport_rating,
        "technical_rating": feedback.technical_rating,
        "upsell_rating": feedback.upsell_rating,
        "strengths": feedback.strengths,
        "areas_for_improvement": feedback.areas_for_improvement,
        "is_training_example": feedback.is_training_example,
        "created_at": _when(feedback.created_at),
    }


def conversation_event_data(
    event_type: str, payload: dict[str, Any], conversation: Conversation
) -> dict[str, Any] | None:
    if event_type == events.CONVERSATION_COMPLETED:
        return conversation_data(conversation)
    if event_type == events.INSIGHTS_GENERATED:
        return insights_data(conversation, int(payload["analysis_id"]))
    if event_type == events.UPSELL_IDENTIFIED:
        return upsell_data(conversation, int(payload["opportunity_id"]))
    return None


# --------------------------------------------------------------------------------------------
# Deliveries


def body_for(*, delivery_id: str, event_type: str, occurred_at: datetime, data: dict[str, Any]) -> str:
    envelope = {"id": delivery_id, "type": event_type, "created_at": occurred_at.isoformat(), "data": data}
    return json.dumps(envelope, separators=(",", ":"), ensure_ascii=False, default=str)


def webhook_event_dispatch(
    *, team_id: int | None, event_type: str, data: dict[str, Any], occurred_at: datetime | None = None
) -> list[WebhookDelivery]:
    """One delivery per active endpoint of the team that wants `event_type`, each with its
    first attempt queued (sent when this transaction commits)."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown webhook event {event_type!r}")
    if team_id is None:
        return []
    endpoints = [
        e for e in WebhookEndpoint.objects.filter(team_id=team_id, is_active=True) if e.wants(event_type)
    ]
    occurred_at = occurred_at or timezone.now()
    made = []
    with transaction.atomic():
        for endpoint in endpoints:
            delivery = WebhookDelivery(
                endpoint=endpoint, event_type=event_type, next_attempt_at=occurred_at, **policy()
            )
            delivery.body = body_for(
                delivery_id=str(delivery.pk), event_type=event_type, occurred_at=occurred_at, data=data
            )
            delivery.save()
            _attempt_queue(delivery)
            made.append(delivery)
    return made


def _attempt_queue(delivery: WebhookDelivery) -> Job:
    enqueued = jobs.job_enqueue(
        kind=WEBHOOK_KIND,
        inputs={"delivery_id": str(delivery.pk)},
        owner=f"team:{delivery.endpoint.team_id}",
        dedupe_key=f"webhook:{delivery.pk}",
    )
    return enqueued.job


def webhook_test_send(*, endpoint: WebhookEndpoint, user: User | None) -> WebhookDelivery:
    """A `webhook.test` delivery to one endpoint, whatever its event filter, to check the receiver."""
    occurred_at = timezone.now()
    data = {"message": "A test delivery from CoachHub.", "endpoint": endpoint.url, "sent_by": _person(user)}
    with transaction.atomic():
        delivery = WebhookDelivery(
            endpoint=endpoint, event_type="webhook.test", next_attempt_at=occurred_at, **policy()
        )
        delivery.body = body_for(
            delivery_id=str(delivery.pk), event_type="webhook.test", occurred_at=occurred_at, data=data
        )
        delivery.save()
        _attempt_queue(delivery)
    return delivery


def webhook_attempt_enqueue(*, delivery_id: str) -> Job | None:
    """Queue the next attempt of a delivery whose time has come (a countdown or the sweep calls
    this); too early, the countdown is set again for what remains."""
    with transaction.atomic():
        delivery = (
            WebhookDelivery.objects.select_for_update()
            .select_related("endpoint")
            .filter(pk=delivery_id)
            .first()
        )
        if delivery is None or not delivery.is_in_flight:
            return None
        now = timezone.now()
        due = delivery.next_attempt_at or now
        remaining = (due - now).total_seconds()
        if remaining > DUE_SLACK_SECONDS:
            _countdown_on_commit(delivery.pk, remaining)
            return None
        return _attempt_queue(delivery)


def _countdown_on_commit(delivery_id: Any, seconds: float) -> None:
    def schedule() -> None:
        from coaching.tasks import webhook_attempt_task

        try:
            webhook_attempt_task.apply_async(args=[str(delivery_id)], countdown=max(0.0, seconds))
        except Exception:
            # The row says when it is due; the sweep queues it if this message never leaves.
            logger.exception("webhook %s: the retry could not be scheduled; the sweep will", delivery_id)

    transaction.on_commit(schedule)


def webhook_sweep(*, now: datetime | None = None, limit: int = 500) -> int:
    """Queue attempts due for a while with nothing queued (their countdown was lost)."""
    overdue = (now or timezone.now()) - timedelta(seconds=SWEEP_GRACE_SECONDS)
    queued = 0
    due = WebhookDelivery.objects.filter(
        status__in=[WebhookDelivery.Status.PENDING, WebhookDelivery.Status.RETRYING],
        next_attempt_at__lt=overdue,
    ).values_list("pk", flat=True)[:limit]
    for delivery_id in list(due):
        live = Job.objects.filter(kind=WEBHOOK_KIND, dedupe_key=f"webhook:{delivery_id}", status__in=Job.LIVE)
        if not live.exists() and webhook_attempt_enqueue(delivery_id=str(delivery_id)) is not None:
            queued += 1
    return queued


def webhook_delivery_resend(*, delivery: WebhookDelivery) -> bool:
    """Send a finished delivery again (same id, a fresh round of attempts). False when it is
    still in flight: it will be sent anyway."""
    with transaction.atomic():
        locked = WebhookDelivery.objects.select_for_update().select_related("endpoint").get(pk=delivery.pk)
        if locked.is_in_flight:
            return False
        locked.status, locked.round_attempts, locked.next_attempt_at = (
            WebhookDelivery.Status.PENDING,
            0,
            timezone.now(),
        )
        locked.save(update_fields=["status", "round_attempts", "next_attempt_at", "updated_at"])
        _attempt_queue(locked)
    return True


# --------------------------------------------------------------------------------------------
# One attempt (the job)


class TargetRefused(Exception):
    pass


def _check_target(url: str) -> None:
    """In production a webhook may only reach public addresses: an endpoint registered in the
    admin must not become a way into the private network (SSRF)."""
    if not getattr(settings, "PRODUCTION", False):
        return
    parts = urlsplit(url)
    if parts.scheme != "https":
        raise TargetRefused("webhooks are sent over https only")
    try:
        addresses = {str(info[4][0]) for info in socket.getaddrinfo(parts.hostname or "", parts.port or 443)}
    except OSError as error:
        raise TargetRefused(f"cannot resolve {parts.hostname}: {error}") from error
    for address in addresses:
        if not ipaddress.ip_address(address.split("%")[0]).is_global:
            raise TargetRefused(f"{parts.hostname} resolves to a private address ({address})")


def webhook_post(delivery: WebhookDelivery, *, attempt: int) -> dict[str, Any]:
    """POST the signed body once; what happened, as plain data (the job's result)."""
    endpoint = delivery.endpoint
    body = delivery.body.encode()
    timestamp = str(int(time.time()))
    headers = {
        "Content-Type": "application/json",
        "User-Agent": USER_AGENT,
        signing.ID_HEADER: str(delivery.pk),
        signing.TIMESTAMP_HEADER: timestamp,
        signing.SIGNATURE_HEADER: signing.signature(secret=endpoint.secret, timestamp=timestamp, body=body),
        signing.EVENT_HEADER: delivery.event_type,
        "X-Webhook-Attempt": str(attempt),
    }
    outcome: dict[str, Any] = {"requested_at": timezone.now().isoformat(), "attempt": attempt}
    started = time.perf_counter()
    try:
        _check_target(endpoint.url)
        response = requests.post(
            endpoint.url, data=body, headers=headers, timeout=delivery.timeout_seconds, allow_redirects=False
        )
    except TargetRefused as error:
        outcome.update(error=f"refused: {error}", transient=False)
    except requests.Timeout:
        outcome.update(error=f"no answer within {delivery.timeout_seconds:g} s", transient=True)
    except requests.ConnectionError as error:
        outcome.update(error=f"connection failed: {error}", transient=True)
    except requests.RequestException as error:
        outcome.update(error=f"request failed: {error}", transient=False)
    else:
        outcome.update(
            status_code=response.status_code, response_excerpt=response.text[:RESPONSE_EXCERPT_CHARS]
        )
    outcome["duration_ms"] = round((time.perf_counter() - started) * 1000)
    return outcome


def webhook_attempt_run(ctx: jobs.JobContext) -> dict[str, Any]:
    delivery = WebhookDelivery.objects.select_related("endpoint").filter(pk=ctx.inputs["delivery_id"]).first()
    if delivery is None:
        raise jobs.JobFailure("The delivery was deleted.", code="not_found")
    if not delivery.is_in_flight:
        return {"skipped": f"the delivery is {delivery.status}"}
    ctx.step("posting")
    return webhook_post(delivery, attempt=delivery.attempts + 1)


def webhook_attempt_complete(job: Job, result: dict[str, Any]) -> None:
    """In the transaction that completes the attempt's job: log it and decide what comes next."""
    if result.get("skipped"):
        return
    attempt_record(delivery_id=job.inputs["delivery_id"], outcome=result)


def webhook_attempt_fail(job: Job) -> None:
    """The attempt's job itself failed (an error of ours, a time limit, a worker lost): logged as
    a failed attempt and retried like a timeout, since the POST may never have left."""
    attempt_record(
        delivery_id=job.inputs.get("delivery_id", ""),
        outcome={
            "requested_at": (job.started_at or timezone.now()).isoformat(),
            "error": f"the delivery job failed: {job.error}",
            "transient": True,
        },
    )


def _classify(outcome: dict[str, Any]) -> tuple[bool, bool]:
    """(succeeded, worth retrying)."""
    code = outcome.get("status_code")
    if code is not None:
        return 200 <= code < 300, code >= 500
    return False, bool(outcome.get("transient"))


def attempt_record(*, delivery_id: str, outcome: dict[str, Any]) -> WebhookAttempt | None:
    delivery = WebhookDelivery.objects.select_for_update().filter(pk=delivery_id).first()
    if delivery is None or not delivery.is_in_flight:
        return None
    now = timezone.now()
    succeeded, transient = _classify(outcome)
    delivery.attempts += 1
    delivery.round_attempts += 1
    if succeeded:
        result, delivery.status, delivery.delivered_at = (
            WebhookAttempt.Outcome.SUCCEEDED,
            WebhookDelivery.Status.SUCCEEDED,
            now,
        )
        delivery.next_attempt_at = None
    elif transient and delivery.round_attempts < delivery.max_attempts:
        delay = retry_delay(
            retry=delivery.round_attempts, base=delivery.retry_base_seconds, cap=delivery.retry_max_seconds
        )
        result, delivery.status = WebhookAttempt.Outcome.RETRY, WebhookDelivery.Status.RETRYING
        delivery.next_attempt_at = now + timedelta(seconds=delay)
        _countdown_on_commit(delivery.pk, delay)
    else:
        result, delivery.status, delivery.next_attempt_at = (
            WebhookAttempt.Outcome.FAILED,
            WebhookDelivery.Status.FAILED,
            None,
        )
    delivery.last_status_code = outcome.get("status_code")
    delivery.last_response = outcome.get("response_excerpt", "")
    delivery.last_error = outcome.get("error", "")
    delivery.save()
    requested_at = outcome.get("requested_at")
    return WebhookAttempt.objects.create(
        delivery=delivery,
        number=delivery.attempts,
        requested_at=datetime.fromisoformat(requested_at) if requested_at else now,
        duration_ms=outcome.get("duration_ms"),
        status_code=outcome.get("status_code"),
        response_excerpt=outcome.get("response_excerpt", ""),
        error=outcome.get("error", ""),
        outcome=result,
    )
