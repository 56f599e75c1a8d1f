"""Live nudges (conversation-intelligence.md §6): as final segments arrive, the call so far is
read by the cue detector (`conversations.ai.NudgeDetector`) and each new cue becomes a `Nudge`,
pushed to `WS /conversations/{id}/nudges`.

The detector is rebuilt from the stored final segments each time (a few milliseconds for a long
call) rather than kept in one process's memory, so any worker can carry on a call and a restart
loses nothing; its rules make the replay deterministic (one nudge per cue per call, at most one
per 20 s on the call's timeline). A unique (call, cue) row makes a nudge raised by two racing
workers exist once. The same replay records each nudge's effect: whether the technician raised
its topic within the following minute.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from config import events
from conversations import ai, selectors
from conversations.exceptions import Invalid, NotFound
from conversations.models import Conversation, Nudge
from conversations.services.analysis import catalog_rows

logger = logging.getLogger(__name__)


def nudge_frame(nudge: Nudge) -> dict[str, Any]:
    return {
        "type": "nudge",
        "nudge_id": nudge.pk,
        "nudge_type": nudge.nudge_type,
        "title": nudge.title,
        "message": nudge.message,
        "suggested_response": nudge.suggested_response,
        "confidence": nudge.confidence,
        "triggered_at": nudge.triggered_at,
    }


def _detector(conversation: Conversation) -> ai.NudgeDetector:
    detector = ai.NudgeDetector(
        catalog_rows(),
        context={
            "customer_name": conversation.customer_name or None,
            "job_title": conversation.service_job_title or None,
            "call_date": conversation.started_at.date().isoformat(),
        },
    )
    last_end = 0.0
    for segment in selectors.transcript_segments(conversation=conversation):
        detector.feed(
            {
                "segment_id": segment.pk,
                "speaker_type": segment.speaker_type,
                "text": segment.text,
                "start_time": segment.start_time,
                "end_time": segment.end_time,
            }
        )
        last_end = max(last_end, segment.end_time)
    # Time on the call has reached the last words heard: a question nobody answered is due.
    detector.advance(last_end)
    return detector


def nudges_update(*, conversation_id: Any) -> list[Nudge]:
    """Raise the nudges the call's final transcript now calls for and record their effects;
    returns the new ones (already pushed to the call's nudge sockets after commit)."""
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return []
    detector = _detector(conversation)
    created: list[Nudge] = []
    with transaction.atomic():
        stored = {n.cue_key: n for n in Nudge.objects.select_for_update().filter(conversation=conversation)}
        for candidate in detector.emitted:
            if candidate.cue_key in stored:
                continue
            try:
                with transaction.atomic():
                    nudge = Nudge.objects.create(
                        conversation=conversation,
                        cue_key=candidate.cue_key,
                        nudge_type=candidate.nudge_type,
                        title=candidate.title,
                        message=candidate.message,
                        suggested_response=candidate.suggested_response,
                        confidence=candidate.confidence,
                        triggered_at=candidate.triggered_at,
                        trigger_phrase=candidate.trigger_phrase,
                        segment_id=candidate.segment_id,
                        topic_terms=list(candidate.topic_terms),
                        engine=candidate.engine,
                    )
            except IntegrityError:  # another worker raised it a moment ago
                continue
            stored[candidate.cue_key] = nudge
            created.append(nudge)
        for effect in detector.effects():
            raised = stored.get(effect.cue_key)
            if raised is None or effect.acted is None or raised.acted_on is not None:
                continue
            Nudge.objects.filter(pk=raised.pk, acted_on__isnull=True).update(
                acted_on=effect.acted, acted_on_at=effect.acted_at, acted_on_quote=effect.quote or ""
            )
        if created:
            frames = [nudge_frame(n) for n in created]
            group = selectors.nudge_group_name(conversation.pk)
            transaction.on_commit(lambda: _push(group, frames))
    return created


def _push(group: str, frames: list[dict[str, Any]]) -> None:
    try:
        events.broadcast(group, {"type": "nudge.frames", "frames": frames})
    except Exception:  # a socket outage must not undo the nudges; a reconnect replays them
        logger.exception("could not push nudges to %s", group)


def nudge_action_record(*, conversation_id: int, nudge_id: Any, action: str) -> Nudge:
    """The technician dismissed or accepted a nudge: kept with its time (the first answer stands)."""
    if action not in Nudge.Action.values:
        raise Invalid(f"action must be one of {', '.join(Nudge.Action.values)}.", details={"field": "action"})
    if isinstance(nudge_id, bool) or not isinstance(nudge_id, int):
        raise Invalid(
            "nudge_id must be the integer id of a nudge on this call.", details={"field": "nudge_id"}
        )
    nudge = Nudge.objects.filter(pk=nudge_id, conversation_id=conversation_id).first()
    if nudge is None:
        raise NotFound("Nudge not found on this call.")
    Nudge.objects.filter(pk=nudge.pk, action="").update(action=action, action_at=timezone.now())
    nudge.refresh_from_db()
    return nudge
