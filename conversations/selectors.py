"""Reads of field conversations, each with its access rule: a technician sees their own calls, a
supervisor the calls of the technicians they supervise or share a team with. Anyone else is told
"not found" (404, socket close 4404), exactly as for an id that does not exist, so ids never leak."""

from __future__ import annotations

import re
from typing import Any

from django.db.models import Avg, Count, Q, QuerySet
from django.utils import timezone

from accounts.models import User
from accounts.selectors import user_visible_to
from conversations.exceptions import NotFound
from conversations.models import (
    CoachingMoment,
    Conversation,
    ConversationAnalysis,
    Insight,
    Nudge,
    Segment,
    UpsellOpportunity,
)

_CONVERSATION_ID = re.compile(r"^CONV-\d{8}-\d{3,}$")


def group_name(conversation_pk: Any) -> str:
    """The channel-layer group of the sockets watching one call's transcription."""
    return f"conversation.{int(conversation_pk)}"


def nudge_group_name(conversation_pk: Any) -> str:
    """The channel-layer group of the sockets receiving one call's nudges."""
    return f"conversation-nudges.{int(conversation_pk)}"


def conversation_get(*, user: User, conversation_id: str) -> Conversation:
    if not _CONVERSATION_ID.match(conversation_id or ""):
        raise NotFound("Conversation not found.")
    conversation = Conversation.objects.select_related("technician").filter(public_id=conversation_id).first()
    if conversation is None or not user_visible_to(viewer=user, user=conversation.technician):
        raise NotFound("Conversation not found.")
    return conversation


def conversation_pk_for_socket(*, user: User, conversation_id: str) -> int | None:
    """The call's key if `user` may watch it, else None (never raises)."""
    try:
        return conversation_get(user=user, conversation_id=conversation_id).pk
    except NotFound:
        return None


def conversation_list(
    *, user: User, technician: User, status: str | None, limit: int, offset: int
) -> tuple[list[Conversation], int]:
    """A page of `technician`'s calls, newest first, and how many there are in all."""
    if not user_visible_to(viewer=user, user=technician):
        raise NotFound("Technician not found.")
    calls = Conversation.objects.filter(technician=technician).select_related("technician")
    if status:
        calls = calls.filter(status=status)
    total = calls.count()
    return list(calls.order_by("-started_at", "-id")[offset : offset + limit]), total


def transcript_segments(*, conversation: Conversation) -> QuerySet[Segment]:
    """The final transcript in call order (partial and retracted segments left out)."""
    return conversation.segments.filter(is_final=True, is_retracted=False).order_by("start_time", "id")


def segments_for_replay(*, conversation_pk: int) -> list[Segment]:
    """What a socket that connects mid-call has missed: every live segment, partial included."""
    return list(
        Segment.objects.filter(conversation_id=conversation_pk, is_retracted=False).order_by(
            "start_time", "id"
        )
    )


def transcript_is_complete(*, conversation: Conversation) -> bool:
    return conversation.transcript_completed_at is not None


# --------------------------------------------------------------------------------------------
# Stats shown on /users/* (registered with accounts.selectors in apps.ready)


def _satisfaction(value: float | None) -> float | None:
    # customer_satisfaction_score is 0-100; the stats are on the 1-5 scale of the spec (DESIGN §6).
    return None if value is None else round(value / 20.0, 2)


def technician_stats(users: list[User], kind: str) -> dict[int, dict[str, Any]]:
    """`profile`: total_calls, avg_satisfaction; `today`: calls_today, avg_call_duration,
    customer_satisfaction (calls started since midnight UTC)."""
    calls = Conversation.objects.filter(technician__in=users)
    if kind == "today":
        midnight = timezone.now().replace(hour=0, minute=0, second=0, microsecond=0)
        calls = calls.filter(started_at__gte=midnight)
    rows = calls.values("technician_id").annotate(
        count=Count("id"),
        duration=Avg("duration_seconds", filter=Q(duration_seconds__isnull=False)),
        satisfaction=Avg("customer_satisfaction_score"),
    )
    found = {row["technician_id"]: row for row in rows}
    stats: dict[int, dict[str, Any]] = {}
    for user in users:
        row: dict[str, Any] = dict(found.get(user.pk, {}))
        if kind == "today":
            stats[user.pk] = {
                "calls_today": row.get("count", 0),
                "avg_call_duration": round(row["duration"]) if row.get("duration") is not None else None,
                "customer_satisfaction": _satisfaction(row.get("satisfaction")),
            }
        else:
            stats[user.pk] = {
                "total_calls": row.get("count", 0),
                "avg_satisfaction": _satisfaction(row.get("satisfaction")),
            }
    return stats


# --------------------------------------------------------------------------------------------
# The analysis (issue 11)


def current_analysis(*, conversation: Conversation) -> ConversationAnalysis | None:
    return ConversationAnalysis.objects.filter(conversation=conversation, is_current=True).first()


def _analysed(conversation: Conversation) -> ConversationAnalysis:
    analysis = current_analysis(conversation=conversation)
    if analysis is None:
        states: dict[str, str] = {
            Conversation.Status.IN_PROGRESS: "the call is still being recorded",
            Conversation.Status.PROCESSING: "the analysis is still running",
            Conversation.Status.FAILED: f"the analysis failed: {conversation.analysis_error}",
        }
        state = states.get(conversation.status, "the call has not been analysed")
        raise NotFound(f"No analysis yet: {state}.", details={"status": conversation.status})
    return analysis


def conversation_insight(*, conversation: Conversation) -> Insight:
    return Insight.objects.get(analysis=_analysed(conversation))


def conversation_opportunities(*, conversation: Conversation) -> list[UpsellOpportunity]:
    return list(UpsellOpportunity.objects.filter(analysis=_analysed(conversation)))


def conversation_moments(*, conversation: Conversation) -> list[CoachingMoment]:
    return list(CoachingMoment.objects.filter(analysis=_analysed(conversation)))


def nudges_for_replay(*, conversation_pk: int) -> list[Nudge]:
    """A socket that connects mid-call gets the nudges already raised (it may have missed them)."""
    return list(Nudge.objects.filter(conversation_id=conversation_pk).order_by("triggered_at", "id"))
