"""The post-call analysis (conversation-intelligence.md §5), run by the job runner (kind
`conversations.analysis`): insights, upsell opportunities and coaching moments from the finished,
speaker-labelled transcript.

Started once when the transcript of a stopped call is complete (the capture half calls
`conversation_analysis_start` after commit), and again by `POST /conversations/{id}/analyze`.
A run's results are written in the transaction that completes its job (exactly once): they become
the call's current analysis, the earlier runs stay as history, and the call moves to `analyzed`
(or `failed`, with the reason). Supervisors' status changes to an opportunity carry over to the
same opportunity type in a new run.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from analysis import engine_config, jobs
from analysis.models import Job
from conversations import ai, events, selectors
from conversations.exceptions import Conflict
from conversations.models import (
    CoachingMoment,
    Conversation,
    ConversationAnalysis,
    Insight,
    UpsellCatalogEntry,
    UpsellOpportunity,
)

logger = logging.getLogger(__name__)

ANALYSIS_KIND = "conversations.analysis"
# What `estimated_completion` promises: the local engine reads a call in milliseconds (2.6 ms a
# segment, make bench); a remote provider takes seconds per task. Queue time on top.
ESTIMATE_BASE_SECONDS = 10.0
ESTIMATE_SECONDS_PER_CALL_MINUTE = 2.0


def catalog_seed() -> int:
    """Add the shipped default entries staff do not have yet (the migration does this once; a
    database emptied since, as between tests, gets them back). Returns how many were added."""
    added = 0
    for entry in ai.load_catalog():
        raw = entry.model_dump(mode="json")
        _, created = UpsellCatalogEntry.objects.get_or_create(
            opportunity_type=raw["opportunity_type"],
            defaults={
                "title": raw["title"],
                "price_low": raw["price"]["low"],
                "price_high": raw["price"]["high"],
                "definition": raw,
            },
        )
        added += created
    return added


def catalog_rows() -> list[dict[str, Any]]:
    """The active catalog entries as the engine reads them."""
    return [entry.as_entry() for entry in UpsellCatalogEntry.objects.filter(is_active=True)]


def conversation_analysis_start(*, conversation: Conversation, llm: dict[str, Any] | None = None) -> Job:
    """Queue the analysis of a call whose transcript is complete (one live run per call: a second
    start while one runs returns it). The call is `processing` until the run ends. `llm` is the
    provider choice a transcription job carried from the request (`engine_config.llm_options()`)."""
    Conversation.objects.filter(pk=conversation.pk).update(
        status=Conversation.Status.PROCESSING, analysis_error="", updated_at=timezone.now()
    )
    enqueued = jobs.job_enqueue(
        kind=ANALYSIS_KIND,
        inputs={"conversation_id": conversation.pk, "llm": llm or engine_config.llm_options()},
        owner=f"user:{conversation.technician_id}",
        dedupe_key=str(conversation.pk),
    )
    return enqueued.job


def conversation_analyze(*, conversation: Conversation) -> tuple[Job, datetime]:
    """`POST /analyze`: (re-)analyse a stopped call; returns the job and when it should be done."""
    if conversation.is_recording:
        raise Conflict("The call is still being recorded: stop it first, then analyse it.")
    if not selectors.transcript_is_complete(conversation=conversation):
        raise Conflict("The transcript is still being made; the analysis starts by itself when it is done.")
    job = conversation_analysis_start(conversation=conversation)
    minutes = (conversation.duration_seconds or 0.0) / 60.0
    estimate = ESTIMATE_BASE_SECONDS + ESTIMATE_SECONDS_PER_CALL_MINUTE * minutes
    return job, job.created_at + timedelta(seconds=round(estimate))


# --------------------------------------------------------------------------------------------
# The job


def _inputs(conversation: Conversation) -> dict[str, Any]:
    segments = [
        {
            "segment_id": segment.pk,
            "speaker_type": segment.speaker_type,
            "text": segment.text,
            "start_time": segment.start_time,
            "end_time": segment.end_time,
        }
        for segment in selectors.transcript_segments(conversation=conversation)
    ]
    context = {
        "customer_name": conversation.customer_name or None,
        "job_title": conversation.service_job_title or None,
        "call_date": conversation.started_at.date().isoformat(),
    }
    return {"segments": segments, "context": context, "catalog": catalog_rows()}


def analysis_run(ctx: jobs.JobContext) -> dict[str, Any]:
    conversation = Conversation.objects.filter(pk=ctx.inputs["conversation_id"]).first()
    if conversation is None:
        raise jobs.JobFailure("The conversation was deleted.", code="not_found")
    inputs = _inputs(conversation)
    if not inputs["segments"]:
        raise jobs.JobFailure("No speech was heard in this call: there is no transcript to analyse.")
    ctx.step("analyzing")
    try:
        result = ai.analyze_call(inputs, config=engine_config.llm_config(ctx.inputs.get("llm")))
    except (ai.TranscriptError, ai.CatalogError) as error:
        raise jobs.JobFailure(f"The call could not be analysed: {error}") from error
    return {
        "insights": result.insights.model_dump(mode="json"),
        "upsells": result.upsells.model_dump(mode="json"),
        "coaching": result.coaching.model_dump(mode="json"),
    }


def analysis_complete(job: Job, result: dict[str, Any]) -> None:
    """In the transaction that completes the job: the run becomes the call's current analysis."""
    conversation = Conversation.objects.select_for_update().get(pk=job.inputs["conversation_id"])
    previous = ConversationAnalysis.objects.filter(conversation=conversation, is_current=True).first()
    carried = _carried_statuses(previous)
    # An opportunity is announced as new only when the call's previous run did not have its type.
    known_types = (
        set(previous.opportunities.values_list("opportunity_type", flat=True)) if previous else set()
    )
    ConversationAnalysis.objects.filter(conversation=conversation, is_current=True).update(is_current=False)
    insights, upsells, coaching = result["insights"], result["upsells"], result["coaching"]
    analysis = ConversationAnalysis.objects.create(
        conversation=conversation,
        job_id=job.pk,
        engine=insights["engine"],
        metrics=coaching.get("metrics") or {},
    )
    Insight.objects.create(
        analysis=analysis,
        conversation=conversation,
        summary=insights["summary"],
        key_topics=insights["key_topics"],
        overall_sentiment=insights["overall_sentiment"],
        sentiment_score=insights["sentiment_score"],
        customer_satisfaction_score=insights["customer_satisfaction_score"],
        satisfaction_signals=insights["satisfaction_signals"],
        positive_keywords=insights["positive_keywords"],
        improvement_keywords=insights["improvement_keywords"],
        action_items=insights["action_items"],
        action_item_details=insights["action_item_details"],
        evidence=insights["evidence"],
        engine=insights["engine"],
    )
    new_opportunity_ids: list[int] = []
    for found in upsells["opportunities"]:
        status = carried.get(found["opportunity_type"], {})
        opportunity = UpsellOpportunity.objects.create(
            analysis=analysis,
            conversation=conversation,
            opportunity_type=found["opportunity_type"],
            title=found["title"],
            description=found["description"],
            trigger_phrase=found["trigger_phrase"],
            segment_id=found["segment_id"],
            timestamp_in_call=found["timestamp_in_call"],
            confidence=found["confidence"],
            estimated_value=Decimal(str(round(found["estimated_value"], 2))),
            priority=found["priority"],
            equipment_facts=found["equipment_facts"],
            cues=found["cues"],
            engine=upsells["engine"],
            **status,
        )
        if found["opportunity_type"] not in known_types:
            new_opportunity_ids.append(opportunity.pk)
    for moment in coaching["coaching_moments"]:
        CoachingMoment.objects.create(
            analysis=analysis,
            conversation=conversation,
            category=moment["category"],
            title=moment["title"],
            timestamp_in_call=moment["timestamp_in_call"],
            what_happened=moment["what_happened"],
            what_should_happen=moment["what_should_happen"],
            example_better_response=moment["example_better_response"],
            severity=moment["severity"],
            evidence=moment["evidence"],
            engine=coaching["engine"],
        )
    Conversation.objects.filter(pk=conversation.pk).update(
        status=Conversation.Status.ANALYZED,
        customer_satisfaction_score=insights["customer_satisfaction_score"],
        analysis_error="",
        updated_at=timezone.now(),
    )
    # The rows are the result now; the job keeps a pointer rather than a second copy.
    Job.objects.filter(pk=job.pk).update(result={"analysis_id": analysis.pk})
    announced = {"conversation_id": conversation.public_id, "analysis_id": analysis.pk}
    events.emit_on_commit(events.INSIGHTS_GENERATED, announced)
    for opportunity_id in new_opportunity_ids:
        events.emit_on_commit(events.UPSELL_IDENTIFIED, {**announced, "opportunity_id": opportunity_id})


def _carried_statuses(previous: ConversationAnalysis | None) -> dict[str, dict[str, Any]]:
    """What supervisors recorded on the previous run's opportunities, by type, so a re-analysis
    does not send a won deal back to `identified`."""
    if previous is None:
        return {}
    carried = {}
    for opportunity in previous.opportunities.exclude(status=UpsellOpportunity.Status.IDENTIFIED):
        carried[opportunity.opportunity_type] = {
            "status": opportunity.status,
            "actual_value": opportunity.actual_value,
            "notes": opportunity.notes,
            "status_changed_at": opportunity.status_changed_at,
            "closed_at": opportunity.closed_at,
        }
    return carried


def analysis_fail(job: Job) -> None:
    """In the transaction that fails the job: the call says it failed, and why. A run superseded
    or failed while a newer one is live leaves the call to that one."""
    conversation_id = job.inputs.get("conversation_id")
    newer = Job.objects.filter(kind=ANALYSIS_KIND, dedupe_key=str(conversation_id), status__in=Job.LIVE)
    if newer.exclude(pk=job.pk).exists():
        return
    Conversation.objects.filter(pk=conversation_id).update(
        status=Conversation.Status.FAILED, analysis_error=job.error[:2000], updated_at=timezone.now()
    )


@transaction.atomic
def catalog_entry_save(*, entry: UpsellCatalogEntry) -> UpsellCatalogEntry:
    """Validate an edited catalog entry as the engine will read it, then keep it. Raises
    `ai.CatalogError` naming what is wrong (the admin shows it on the form)."""
    ai.validate_entry(entry.as_entry())
    entry.definition = entry.as_entry()
    entry.save()
    return entry
