"""The coach platform's own data (conversation-intelligence.md §7-8 and webhooks): supervisors'
feedback on calls, the history of upsell status changes, the nightly analytics rollup, and the
webhook endpoints teams register with the log of every delivery."""

from __future__ import annotations

import secrets
import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from accounts.models import Team
from conversations.models import Conversation, UpsellOpportunity

RATING_RANGE = (1, 5)


def _rating_between(field: str) -> models.CheckConstraint:
    low, high = RATING_RANGE
    return models.CheckConstraint(
        condition=Q(**{f"{field}__isnull": True}) | Q(**{f"{field}__gte": low, f"{field}__lte": high}),
        name=f"feedback_{field}_1_5",
    )


class CallFeedback(models.Model):
    """A supervisor's review of one call (`POST /coach/calls/{id}/feedback`). A call may get
    several: from more than one supervisor, or a second look later."""

    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="feedback")
    supervisor = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    overall_rating = models.PositiveSmallIntegerField()
    rapport_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    technical_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    upsell_rating = models.PositiveSmallIntegerField(null=True, blank=True)
    strengths = models.TextField(blank=True)
    areas_for_improvement = models.TextField(blank=True)
    is_training_example = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]
        verbose_name = "call feedback"
        verbose_name_plural = "call feedback"
        constraints = [
            _rating_between("overall_rating"),
            _rating_between("rapport_rating"),
            _rating_between("technical_rating"),
            _rating_between("upsell_rating"),
        ]

    def __str__(self) -> str:
        who = self.supervisor.full_name if self.supervisor_id and self.supervisor else "a supervisor"
        return f"{self.overall_rating}/5 from {who}"

    @property
    def public_id(self) -> int:
        return self.pk


class UpsellStatusChange(models.Model):
    """One move of an opportunity along identified → presented → quoted → closed. Kept by call
    and type as well as by row, because a re-analysis makes a new row that carries the status."""

    opportunity = models.ForeignKey(
        UpsellOpportunity, on_delete=models.CASCADE, related_name="status_changes"
    )
    conversation = models.ForeignKey(Conversation, on_delete=models.CASCADE, related_name="+")
    opportunity_type = models.CharField(max_length=50)
    from_status = models.CharField(max_length=20, choices=UpsellOpportunity.Status.choices)
    to_status = models.CharField(max_length=20, choices=UpsellOpportunity.Status.choices)
    actual_value = models.DecimalField(max_digits=12, decimal_places=2, null=True, blank=True)
    notes = models.TextField(blank=True)
    changed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["changed_at", "id"]
        indexes = [models.Index(fields=["conversation", "opportunity_type"], name="upsell_change_call_type")]

    def __str__(self) -> str:
        return f"{self.opportunity_type}: {self.from_status} → {self.to_status}"


class TechnicianDay(models.Model):
    """One technician's figures for one local day of a time zone: the nightly rollup.

    A call counts on the local day it started, once it has ended; everything its current analysis
    found (satisfaction, opportunities and what became of them, coaching moments) counts on that
    same day, so a deal closed later is credited to the call that found it. Sums and counts, never
    averages, so any set of days adds up exactly (`coaching.selectors.facts`)."""

    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    time_zone = models.CharField(max_length=64)
    day = models.DateField()
    calls = models.PositiveIntegerField(default=0)
    duration_total = models.FloatField(default=0.0, help_text="seconds, over calls with a known length")
    duration_calls = models.PositiveIntegerField(default=0)
    satisfaction_total = models.PositiveIntegerField(default=0, help_text="sum of 0-100 scores")
    satisfaction_calls = models.PositiveIntegerField(default=0)
    upsells_identified = models.PositiveIntegerField(default=0)
    upsells_won = models.PositiveIntegerField(default=0)
    upsell_revenue = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    upsells_open = models.PositiveIntegerField(default=0, help_text="identified, presented or quoted")
    upsell_open_value = models.DecimalField(max_digits=14, decimal_places=2, default=0)
    coaching_moments = models.PositiveIntegerField(default=0)
    computed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["time_zone", "technician", "day"]
        constraints = [
            models.UniqueConstraint(fields=["time_zone", "technician", "day"], name="technician_day_once")
        ]
        indexes = [models.Index(fields=["time_zone", "day"], name="technician_day_zone_day")]

    def __str__(self) -> str:
        return f"{self.technician_id} {self.day} ({self.time_zone}): {self.calls} calls"


class TechnicianDayCoaching(models.Model):
    """How many coaching moments of one category a technician's calls of one local day had: what
    "who needs coaching on what" adds up, rolled with `TechnicianDay`."""

    technician = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    time_zone = models.CharField(max_length=64)
    day = models.DateField()
    category = models.CharField(max_length=40)
    moments = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["time_zone", "technician", "day", "category"]
        constraints = [
            models.UniqueConstraint(
                fields=["time_zone", "technician", "day", "category"], name="technician_day_category_once"
            )
        ]
        indexes = [models.Index(fields=["time_zone", "day"], name="technician_day_coaching_zone")]

    def __str__(self) -> str:
        return f"{self.technician_id} {self.day} {self.category}: {self.moments}"


class RollupWatermark(models.Model):
    """Calls started before `rolled_until` are in the rollup of `time_zone` (days before its
    local day complete, its own day up to that instant); later calls are read from the calls
    themselves."""

    time_zone = models.CharField(max_length=64, unique=True)
    rolled_until = models.DateTimeField()
    nightly_through = models.DateField(
        null=True, blank=True, help_text="the last local day whose week was checked again (once a night)"
    )
    updated_at = models.DateTimeField(default=timezone.now)

    def __str__(self) -> str:
        return f"{self.time_zone} until {self.rolled_until:%Y-%m-%d %H:%M}"


def _webhook_secret() -> str:
    return f"whsec_{secrets.token_urlsafe(32)}"


class WebhookEndpoint(models.Model):
    """Where a team wants its events: registered in the admin. `secret` signs every delivery
    (HMAC-SHA256); the receiver keeps a copy to verify it."""

    team = models.ForeignKey(Team, on_delete=models.CASCADE, related_name="webhook_endpoints")
    url = models.URLField(max_length=500, help_text="https:// address that accepts POSTed JSON.")
    description = models.CharField(max_length=200, blank=True)
    secret = models.CharField(max_length=100, default=_webhook_secret)
    event_types = models.JSONField(default=list, blank=True, help_text="Empty: every event.")
    is_active = models.BooleanField(default=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["team", "id"]

    def __str__(self) -> str:
        return self.description or self.url

    def wants(self, event_type: str) -> bool:
        return self.is_active and (not self.event_types or event_type in self.event_types)


class WebhookDelivery(models.Model):
    """One event for one endpoint. Its id is the `X-Webhook-Id` header and the body's `id`, the
    same on every attempt and resend, so a receiver drops what it has already processed.

    The retry policy is fixed when the delivery is made (from settings of the process that saw the
    event): workers started with other settings still follow it."""

    class Status(models.TextChoices):
        PENDING = "pending", "Pending"
        RETRYING = "retrying", "Retrying"
        SUCCEEDED = "succeeded", "Succeeded"
        FAILED = "failed", "Failed"

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    endpoint = models.ForeignKey(WebhookEndpoint, on_delete=models.CASCADE, related_name="deliveries")
    event_type = models.CharField(max_length=40)
    body = models.TextField(help_text="The exact JSON sent and signed.")
    status = models.CharField(max_length=10, choices=Status.choices, default=Status.PENDING)
    attempts = models.PositiveIntegerField(default=0, help_text="every attempt, resends included")
    round_attempts = models.PositiveIntegerField(default=0, help_text="attempts since it was last (re)sent")
    max_attempts = models.PositiveSmallIntegerField(default=8)
    retry_base_seconds = models.FloatField(default=15.0)
    retry_max_seconds = models.FloatField(default=3600.0)
    timeout_seconds = models.FloatField(default=10.0)
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    last_status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    last_response = models.TextField(blank=True)
    last_error = models.TextField(blank=True)
    delivered_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name_plural = "webhook deliveries"
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="webhook_delivery_due"),
            models.Index(fields=["endpoint", "-created_at"], name="webhook_delivery_endpoint"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(status__in=["pending", "retrying", "succeeded", "failed"]),
                name="webhook_delivery_status_valid",
            )
        ]

    def __str__(self) -> str:
        return f"{self.event_type} → {self.endpoint_id} ({self.status})"

    @property
    def is_in_flight(self) -> bool:
        return self.status in (self.Status.PENDING, self.Status.RETRYING)


class WebhookAttempt(models.Model):
    """One POST of a delivery, as the receiver answered it (or why it got no answer)."""

    class Outcome(models.TextChoices):
        SUCCEEDED = "succeeded", "Succeeded"
        RETRY = "retry", "Will retry"
        FAILED = "failed", "Failed for good"

    delivery = models.ForeignKey(WebhookDelivery, on_delete=models.CASCADE, related_name="attempt_log")
    number = models.PositiveIntegerField()
    requested_at = models.DateTimeField()
    duration_ms = models.PositiveIntegerField(null=True, blank=True)
    status_code = models.PositiveSmallIntegerField(null=True, blank=True)
    response_excerpt = models.TextField(blank=True)
    error = models.TextField(blank=True)
    outcome = models.CharField(max_length=10, choices=Outcome.choices)

    class Meta:
        ordering = ["delivery", "number"]

    def __str__(self) -> str:
        return f"attempt {self.number} of {self.delivery_id}: {self.status_code or self.error[:40]}"


class TeamDashboard(Team):
    """The admin's team dashboard page (charts and tables), listed as a model of its own."""

    class Meta:
        proxy = True
        verbose_name = "team dashboard"
        verbose_name_plural = "team dashboard"
