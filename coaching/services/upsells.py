"""Moving an opportunity along its pipeline (`PUT /coach/upsells/{id}/status`, admin actions).

    identified → presented → quoted → closed_won | closed_lost

Moves go forward only, and may skip steps (a freshly identified opportunity may close at once,
as the spec's own example does). A closed opportunity does not reopen, and never switches
between won and lost. `closed_won` carries the deal's `actual_value`; other statuses carry none.
Asking for the status an opportunity already has changes nothing (PUT is idempotent) beyond
the notes, when given. Every move is kept (`UpsellStatusChange`).
"""

from __future__ import annotations

from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from accounts.models import User
from coaching.models import UpsellStatusChange
from coaching.selectors import cached
from coaching.services.rollup import rollup_refresh_call
from conversations.exceptions import Invalid
from conversations.models import UpsellOpportunity

Status = UpsellOpportunity.Status
STAGE = {
    Status.IDENTIFIED: 0,
    Status.PRESENTED: 1,
    Status.QUOTED: 2,
    Status.CLOSED_WON: 3,
    Status.CLOSED_LOST: 3,
}
CLOSED = (Status.CLOSED_WON, Status.CLOSED_LOST)


def allowed_next(status: str) -> list[str]:
    """The statuses an opportunity in `status` may move to."""
    if status in CLOSED:
        return []
    return [s.value for s, stage in STAGE.items() if stage > STAGE[Status(status)]]


def upsell_status_check(*, current: str, wanted: str, actual_value: Decimal | None) -> None:
    """Raise `Invalid` (422) unless `current` may move to `wanted` with this value."""
    details = {"from": current, "to": wanted, "allowed": allowed_next(current)}
    if wanted not in STAGE:
        raise Invalid(
            f"status: {wanted!r} is not a status; use one of {', '.join(s.value for s in STAGE)}.",
            details={**details, "field": "status"},
        )
    if wanted == Status.CLOSED_WON and actual_value is None:
        raise Invalid(
            "actual_value: required to close an opportunity as won.", details={"field": "actual_value"}
        )
    if wanted != Status.CLOSED_WON and actual_value is not None:
        raise Invalid(
            "actual_value: only a won opportunity has an actual value.", details={"field": "actual_value"}
        )
    if wanted == current:
        return
    if current in CLOSED:
        raise Invalid(f"The opportunity is {current}: a closed opportunity does not reopen.", details=details)
    if STAGE[Status(wanted)] <= STAGE[Status(current)]:
        raise Invalid(
            f"An opportunity moves forward only: {current} cannot go back to {wanted}.", details=details
        )


@transaction.atomic
def upsell_status_change(
    *,
    opportunity: UpsellOpportunity,
    user: User | None,
    status: str,
    actual_value: Decimal | None = None,
    notes: str | None = None,
) -> UpsellOpportunity:
    """Move the opportunity to `status` (see the module docstring); raises `Invalid` (422)."""
    locked = (
        UpsellOpportunity.objects.select_for_update(of=("self",))
        .select_related("conversation__technician")
        .get(pk=opportunity.pk)
    )
    upsell_status_check(current=locked.status, wanted=status, actual_value=actual_value)
    if status == locked.status:
        if status == Status.CLOSED_WON and actual_value != locked.actual_value:
            raise Invalid(
                f"The opportunity was already won at {locked.actual_value}; a closed deal keeps its value.",
                details={"field": "actual_value", "from": locked.status, "to": status},
            )
        if notes is not None and notes != locked.notes:
            locked.notes = notes
            locked.save(update_fields=["notes"])
        return locked
    now = timezone.now()
    UpsellStatusChange.objects.create(
        opportunity=locked,
        conversation=locked.conversation,
        opportunity_type=locked.opportunity_type,
        from_status=locked.status,
        to_status=status,
        actual_value=actual_value,
        notes=notes or "",
        changed_by=user,
        changed_at=now,
    )
    locked.status = status
    locked.status_changed_at = now
    if status in CLOSED:
        locked.closed_at = now
    if status == Status.CLOSED_WON:
        locked.actual_value = actual_value
    if notes is not None:
        locked.notes = notes
    locked.save(update_fields=["status", "status_changed_at", "closed_at", "actual_value", "notes"])
    # The call's day may be in the rollup already: its wins and revenue change now.
    rollup_refresh_call(conversation=locked.conversation)
    scopes = cached.technician_scopes(locked.conversation.technician)
    transaction.on_commit(lambda: cached.invalidate(scopes), robust=True)
    return locked
