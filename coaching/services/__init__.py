"""Writes of the coach platform: feedback, upsell status, the analytics rollup, webhooks."""

from __future__ import annotations

from coaching.services.events import conversation_changed, conversation_event_receive
from coaching.services.feedback import feedback_submit
from coaching.services.rollup import (
    rollup_days,
    rollup_refresh,
    rollup_refresh_call,
    rollup_run,
    rollup_zone,
)
from coaching.services.upsells import allowed_next, upsell_status_change, upsell_status_check
from coaching.services.webhooks import (
    EVENT_TYPES,
    FEEDBACK_SUBMITTED,
    WEBHOOK_KIND,
    webhook_attempt_complete,
    webhook_attempt_enqueue,
    webhook_attempt_fail,
    webhook_attempt_run,
    webhook_delivery_resend,
    webhook_event_dispatch,
    webhook_sweep,
    webhook_test_send,
)

__all__ = [
    "EVENT_TYPES",
    "FEEDBACK_SUBMITTED",
    "WEBHOOK_KIND",
    "allowed_next",
    "conversation_changed",
    "conversation_event_receive",
    "feedback_submit",
    "rollup_days",
    "rollup_refresh",
    "rollup_refresh_call",
    "rollup_run",
    "rollup_zone",
    "upsell_status_change",
    "upsell_status_check",
    "webhook_attempt_complete",
    "webhook_attempt_enqueue",
    "webhook_attempt_fail",
    "webhook_attempt_run",
    "webhook_delivery_resend",
    "webhook_event_dispatch",
    "webhook_sweep",
    "webhook_test_send",
]
