"""What the coach platform does when something happens to a call (`conversations.events`, after
commit): keep the analytics rollup exact and tell the team's webhook endpoints."""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction

from coaching.selectors import cached
from coaching.services import webhooks
from coaching.services.rollup import rollup_refresh
from conversations import events
from conversations.models import Conversation

logger = logging.getLogger(__name__)


def conversation_event_receive(event_type: str, payload: dict[str, Any]) -> None:
    """The listener registered in `CoachingConfig.ready()`."""
    conversation = (
        Conversation.objects.select_related("technician__team", "technician__supervisor")
        .filter(public_id=payload.get("conversation_id", ""))
        .first()
    )
    if conversation is None:
        return  # deleted since
    if event_type in (events.CONVERSATION_COMPLETED, events.INSIGHTS_GENERATED):
        rollup_refresh(technician_id=conversation.technician_id, started_at=conversation.started_at)
        cached.invalidate(cached.technician_scopes(conversation.technician))
    data = webhooks.conversation_event_data(event_type, payload, conversation)
    if data is not None:
        webhooks.webhook_event_dispatch(
            team_id=webhooks.team_id_of(conversation.technician), event_type=event_type, data=data
        )


def conversation_changed(conversation: Conversation) -> None:
    """A call saved or deleted outside the services (the admin): once committed, its day's rolled
    figures are recomputed and cached answers about its team dropped."""
    technician_id, started_at = conversation.technician_id, conversation.started_at
    scopes = cached.technician_scopes(conversation.technician)

    def refresh() -> None:
        rollup_refresh(technician_id=technician_id, started_at=started_at)
        cached.invalidate(scopes)

    transaction.on_commit(refresh, robust=True)
