"""What happened to field conversations, for whoever listens, without conversations knowing who.

The coach platform (`coaching`) listens from its `AppConfig.ready()` to send webhooks and keep
its analytics rollup current; conversations never imports it. Services announce an event only
once the transaction that made it true has committed (`emit_on_commit`), so a listener never sees
a call, an analysis or an opportunity that a rollback then takes back.

Events and their payloads (plain JSON values; listeners read the rows for the rest):

- `conversation.completed`: the call was stopped; `{"conversation_id": "CONV-..."}`
- `insights.generated`: an analysis run became the call's current one;
  `{"conversation_id", "analysis_id"}`
- `upsell.identified`: an opportunity of a type the call's previous run did not have;
  `{"conversation_id", "analysis_id", "opportunity_id"}`
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from typing import Any

from django.db import transaction

logger = logging.getLogger(__name__)

CONVERSATION_COMPLETED = "conversation.completed"
INSIGHTS_GENERATED = "insights.generated"
UPSELL_IDENTIFIED = "upsell.identified"
EVENT_TYPES = (CONVERSATION_COMPLETED, INSIGHTS_GENERATED, UPSELL_IDENTIFIED)

Listener = Callable[[str, dict[str, Any]], None]
_listeners: list[Listener] = []
_lock = threading.Lock()


def listen(callback: Listener) -> None:
    """Call `callback(event_type, payload)` for every event from now on (once, however often
    it is registered: `ready()` may run more than once in tests)."""
    with _lock:
        if callback not in _listeners:
            _listeners.append(callback)


def unlisten(callback: Listener) -> None:
    with _lock:
        if callback in _listeners:
            _listeners.remove(callback)


def emit(event_type: str, payload: dict[str, Any]) -> None:
    """Hand the event to every listener now. A listener that fails is logged and skipped: the
    work that caused the event is already committed and must not be reported as failed."""
    if event_type not in EVENT_TYPES:
        raise ValueError(f"unknown conversation event {event_type!r}")
    for callback in list(_listeners):
        try:
            callback(event_type, dict(payload))
        except Exception:
            logger.exception("listener %r failed on %s %s", callback, event_type, payload)


def emit_on_commit(event_type: str, payload: dict[str, Any]) -> None:
    """`emit` once the current transaction commits (at once outside a transaction)."""
    frozen = dict(payload)
    transaction.on_commit(lambda: emit(event_type, frozen))
