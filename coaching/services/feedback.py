"""A supervisor's feedback on a call (`POST /coach/calls/{id}/feedback`, the admin's call page)."""

from __future__ import annotations

from django.db import transaction

from accounts.models import User
from coaching.models import CallFeedback
from coaching.services import webhooks
from conversations.exceptions import Conflict
from conversations.models import Conversation


@transaction.atomic
def feedback_submit(
    *,
    conversation: Conversation,
    supervisor: User,
    overall_rating: int,
    rapport_rating: int | None = None,
    technical_rating: int | None = None,
    upsell_rating: int | None = None,
    strengths: str = "",
    areas_for_improvement: str = "",
    is_training_example: bool = False,
) -> CallFeedback:
    """Keep the feedback and, once it is committed, announce `feedback.submitted`."""
    if conversation.ended_at is None:
        raise Conflict(
            f"Conversation {conversation.public_id} is still being recorded: give feedback once it has ended.",
            details={"status": conversation.status},
        )
    feedback = CallFeedback.objects.create(
        conversation=conversation,
        supervisor=supervisor,
        overall_rating=overall_rating,
        rapport_rating=rapport_rating,
        technical_rating=technical_rating,
        upsell_rating=upsell_rating,
        strengths=strengths,
        areas_for_improvement=areas_for_improvement,
        is_training_example=is_training_example,
    )
    team_id = webhooks.team_id_of(conversation.technician)
    data = webhooks.feedback_data(feedback)
    # robust: the feedback is kept whatever happens to its announcement (logged if it fails).
    transaction.on_commit(
        lambda: webhooks.webhook_event_dispatch(
            team_id=team_id,
            event_type=webhooks.FEEDBACK_SUBMITTED,
            data=data,
            occurred_at=feedback.created_at,
        ),
        robust=True,
    )
    return feedback
