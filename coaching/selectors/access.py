"""Who may read and act on what in the coach platform.

- Supervisor-only routes (`/coach/*`, `/analytics/team/overview`) answer 403 to anyone else.
- A call, opportunity or technician outside the supervisor's team answers 404, exactly like an id
  that does not exist (the rule of the conversation routes): ids of other teams never leak.
- A supervisor's team: the technicians they supervise directly and those of their team
  (`accounts.selectors.team_technicians`).
"""

from __future__ import annotations

import re
from typing import Any

from accounts.models import User
from accounts.selectors import UserNotFound, team_technicians, user_get, user_visible_to
from conversations.exceptions import Conflict, Forbidden, NotFound
from conversations.models import Conversation, UpsellOpportunity
from conversations.selectors import conversation_get

_OPPORTUNITY_ID = re.compile(r"^\d{1,18}$")


def supervisor_required(user: Any) -> User:
    if getattr(user, "role", None) != User.Role.SUPERVISOR:
        raise Forbidden("Only supervisors may use the coach platform.")
    return user  # type: ignore[no-any-return]


def team_members(*, supervisor: User) -> list[User]:
    """The supervisor's technicians, by name."""
    return list(team_technicians(supervisor=supervisor).select_related("team"))


# A technician as a cached answer is looked up by: (user id, team id).
MemberKey = tuple[int, int | None]


def team_member_keys(*, supervisor: User) -> list[MemberKey]:
    """The supervisor's technicians as (id, team) pairs, by name: cheaper than the users."""
    return list(team_technicians(supervisor=supervisor).values_list("pk", "team_id"))


def members_by_ids(ids: list[int]) -> list[User]:
    return list(User.objects.filter(pk__in=ids).order_by("full_name", "id"))


def leaderboard_member_keys(*, user: Any) -> list[MemberKey]:
    """Whom a leaderboard ranks for `user`: a supervisor's team; for a technician, their team's
    technicians (or, without a team, their supervisor's); candidates have none (403)."""
    role = getattr(user, "role", None)
    if role == User.Role.SUPERVISOR:
        return team_member_keys(supervisor=user)
    if role != User.Role.TECHNICIAN:
        raise Forbidden("Leaderboards are for technicians and their supervisors.")
    if user.team_id is not None:
        peers = User.objects.filter(team_id=user.team_id, role=User.Role.TECHNICIAN, is_active=True)
        return list(peers.order_by("full_name", "id").values_list("pk", "team_id"))
    if user.supervisor_id is not None and user.supervisor is not None:
        return team_member_keys(supervisor=user.supervisor)
    return [(user.pk, None)]


def analytics_technician_get(*, viewer: Any, technician_id: str) -> User:
    """The technician whose analytics `viewer` asks for: themselves, or one of a supervisor's team."""
    try:
        return user_get(viewer=viewer, user_id=technician_id)
    except UserNotFound as error:
        raise NotFound("Technician not found.") from error


def coached_conversation_get(*, supervisor: User, conversation_id: str) -> Conversation:
    """A call of the supervisor's team (404 otherwise, as for an unknown id)."""
    conversation = conversation_get(user=supervisor, conversation_id=conversation_id)
    if conversation.technician_id == supervisor.pk:
        # A supervisor's own recorded call is not theirs to grade.
        raise Forbidden("Feedback is for your technicians' calls, not your own.")
    return conversation


def coached_opportunity_get(*, supervisor: User, opportunity_id: str) -> UpsellOpportunity:
    """An opportunity found on a call of the supervisor's team, from the call's current analysis
    (an earlier run's copy is history: 409 naming the current one)."""
    if not _OPPORTUNITY_ID.match(opportunity_id or ""):
        raise NotFound("Opportunity not found.")
    opportunity = (
        UpsellOpportunity.objects.select_related("analysis", "conversation__technician")
        .filter(pk=int(opportunity_id))
        .first()
    )
    if opportunity is None or not user_visible_to(
        viewer=supervisor, user=opportunity.conversation.technician
    ):
        raise NotFound("Opportunity not found.")
    if not opportunity.analysis.is_current:
        current = (
            UpsellOpportunity.objects.filter(
                conversation=opportunity.conversation,
                analysis__is_current=True,
                opportunity_type=opportunity.opportunity_type,
            )
            .values_list("pk", flat=True)
            .first()
        )
        raise Conflict(
            "This opportunity belongs to an earlier analysis of the call; update the current one.",
            details={"current_opportunity_id": current},
        )
    return opportunity
