"""Calls as supervisors browse them: the team's recent calls with what their analysis found, and an
opportunity's status history."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any

from django.db.models import Count, IntegerField, OuterRef, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.utils import timezone

from coaching.models import CallFeedback, UpsellStatusChange
from conversations.models import CoachingMoment, Conversation, UpsellOpportunity


def _count_of(model: Any, *, current_only: bool = True) -> Coalesce:
    rows = model.objects.filter(conversation=OuterRef("pk"))
    if current_only:
        rows = rows.filter(analysis__is_current=True)
    counted = rows.order_by().values("conversation").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def with_call_counts(calls: QuerySet[Conversation]) -> QuerySet[Conversation]:
    """Each call with the opportunities and coaching moments of its current analysis, and its feedback."""
    return calls.annotate(
        upsells_count=_count_of(UpsellOpportunity),
        coaching_moments_count=_count_of(CoachingMoment),
        feedback_count=_count_of(CallFeedback, current_only=False),
    )


def recent_calls(
    *,
    technician_ids: list[int],
    limit: int,
    days: int,
    min_rating: float | None,
    now: datetime | None = None,
) -> list[Conversation]:
    """The team's calls started in the last `days` × 24 h that have ended, newest first.
    `min_rating` keeps calls whose customer satisfaction, on the 1-5 scale (score / 20), is at
    least that; a call not analysed yet has no rating and is then left out."""
    since = (now or timezone.now()) - timedelta(days=days)
    calls = Conversation.objects.filter(
        technician_id__in=technician_ids, ended_at__isnull=False, started_at__gte=since
    ).select_related("technician")
    if min_rating is not None:
        calls = calls.filter(customer_satisfaction_score__gte=min_rating * 20)
    return list(with_call_counts(calls).order_by("-started_at", "-id")[:limit])


def opportunity_history(*, opportunity: UpsellOpportunity) -> list[UpsellStatusChange]:
    """Every status change of this opportunity on this call, across analysis runs."""
    return list(
        UpsellStatusChange.objects.filter(
            conversation_id=opportunity.conversation_id, opportunity_type=opportunity.opportunity_type
        ).select_related("changed_by")
    )
