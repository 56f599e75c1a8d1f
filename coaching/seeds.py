"""Demo data for the coach platform (`manage.py seed_demo`, after the accounts seeds): a week of
analysed calls for the demo team, so every /coach and /analytics route and the admin console
show something on a fresh install.

The calls are transcripts (`coaching/data/demo_calls.json`), analysed by the real post-call job
with the local engine (the job runs inline, through `analysis.jobs`), then moved along the upsell
pipeline and given feedback through the coach platform's own services. Running it again adds
nothing.
"""

from __future__ import annotations

import json
from datetime import datetime, time, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.db.models import Max
from django.utils import timezone

from accounts.models import Team, User
from analysis import jobs
from coaching import services
from coaching.selectors.periods import local_today, zone
from conversations.models import Conversation, Segment, UpsellOpportunity
from conversations.services import ANALYSIS_KIND

DEMO_CALLS = Path(__file__).resolve().parent / "data" / "demo_calls.json"
DEMO_TEAM = "Demo Team"
DEMO_TIME_ZONE = "America/Chicago"
JOB_PREFIX = "DEMO-"
DAYS = 7
# Calls per technician on each of the seven days (oldest first): a busier one and a quieter one.
CALLS_PER_DAY = {0: [3, 2, 3, 1, 2, 3, 2], 1: [2, 2, 1, 3, 2, 2, 1]}
# What became of the opportunities of earlier days, in turn.
PIPELINE = ["presented", "closed_won", "quoted", "identified", "closed_lost", "closed_won"]


def _scripts() -> list[dict[str, Any]]:
    return list(json.loads(DEMO_CALLS.read_text())["calls"])


def _demo_people() -> tuple[Team, User, list[User]] | None:
    team = Team.objects.filter(name=DEMO_TEAM).first()
    supervisor = User.objects.filter(email="sarah.supervisor@example.com").first()
    if team is None or supervisor is None:
        return None
    if team.time_zone != DEMO_TIME_ZONE:
        team.time_zone = DEMO_TIME_ZONE
        team.save(update_fields=["time_zone"])
    if not supervisor.is_staff:  # the admin console needs staff status to log in
        supervisor.is_staff = True
        supervisor.save(update_fields=["is_staff"])
    technicians = list(
        User.objects.filter(team=team, role=User.Role.TECHNICIAN).order_by("id")[: len(CALLS_PER_DAY)]
    )
    return team, supervisor, technicians


def _call(technician: User, script: dict[str, Any], started_at: datetime, number_hint: int) -> Conversation:
    day = started_at.astimezone(zone("UTC")).date()
    last = Conversation.objects.filter(day=day).aggregate(last=Max("number"))["last"] or 0
    segments = script["segments"]
    duration = round(segments[-1][3] + 4.0, 1)
    ended_at = started_at + timedelta(seconds=duration)
    conversation = Conversation.objects.create(
        public_id=f"CONV-{day:%Y%m%d}-{last + 1:03d}",
        day=day,
        number=last + 1,
        technician=technician,
        service_job_id=f"{JOB_PREFIX}{day:%Y%m%d}-{number_hint:03d}",
        service_job_title=script["job_title"],
        customer_name=script["customer_name"],
        location_address=script["location_address"],
        status=Conversation.Status.PROCESSING,
        started_at=started_at,
        ended_at=ended_at,
        duration_seconds=duration,
        transcript_completed_at=ended_at,
        completion_announced_at=ended_at,
    )
    Segment.objects.bulk_create(
        Segment(
            conversation=conversation,
            speaker_type=speaker,
            text=text,
            start_time=start,
            end_time=end,
            confidence=0.93,
            announced_at=ended_at,
        )
        for speaker, text, start, end in segments
    )
    return conversation


def _analyse(conversation: Conversation) -> None:
    """The real post-call job, run here and now with the local engine (no worker needed)."""
    enqueued = jobs.job_enqueue(
        kind=ANALYSIS_KIND,
        inputs={"conversation_id": conversation.pk, "llm": {"provider": "local"}},
        owner=f"user:{conversation.technician_id}",
        dedupe_key=str(conversation.pk),
    )
    jobs.job_run(job_id=enqueued.job.pk)


def _follow_up(conversation: Conversation, supervisor: User, turn: int) -> tuple[int, int]:
    """Move the call's opportunities on and, for some calls, leave feedback; (moves, feedback)."""
    moves = 0
    for opportunity in UpsellOpportunity.objects.filter(conversation=conversation, analysis__is_current=True):
        status = PIPELINE[(turn + moves) % len(PIPELINE)]
        if status == "identified":
            continue
        value = (
            (opportunity.estimated_value * Decimal("0.95")).quantize(Decimal("1"))
            if status == "closed_won"
            else None
        )
        services.upsell_status_change(
            opportunity=opportunity,
            user=supervisor,
            status=status,
            actual_value=value,
            notes="Demo follow-up.",
        )
        moves += 1
    given = 0
    if turn % 3 == 0 and conversation.customer_satisfaction_score is not None:
        score = conversation.customer_satisfaction_score
        services.feedback_submit(
            conversation=conversation,
            supervisor=supervisor,
            overall_rating=max(1, min(5, round(score / 20))),
            rapport_rating=max(1, min(5, round(score / 20) + 1)),
            technical_rating=4,
            upsell_rating=3 if moves else 2,
            strengths="Clear explanation of the repair and the next step.",
            areas_for_improvement="Put a price and a date on every quote the customer asks for.",
            is_training_example=score >= 90,
        )
        given = 1
    return moves, given


def seed_demo() -> str:
    people = _demo_people()
    if people is None:
        return "skipped: run the accounts seeds first (Demo Team, Sarah Supervisor)"
    team, supervisor, technicians = people
    if Conversation.objects.filter(
        technician__in=technicians, service_job_id__startswith=JOB_PREFIX
    ).exists():
        return f"{team.public_id}: demo calls already there"
    scripts = _scripts()
    now = timezone.now()
    today = local_today(DEMO_TIME_ZONE, now)
    made = moves = feedback = 0
    for tech_index, technician in enumerate(technicians):
        for day_index in range(DAYS):
            day = today - timedelta(days=DAYS - 1 - day_index)
            for call_index in range(CALLS_PER_DAY[tech_index % len(CALLS_PER_DAY)][day_index]):
                local_start = datetime.combine(day, time(8, 30), tzinfo=zone(DEMO_TIME_ZONE)) + timedelta(
                    minutes=135 * call_index + 20 * tech_index
                )
                if local_start > now:
                    continue  # the rest of today has not happened yet
                script = scripts[(tech_index * 3 + day_index * 2 + call_index) % len(scripts)]
                conversation = _call(technician, script, local_start, made + 1)
                _analyse(conversation)
                conversation.refresh_from_db()
                made += 1
                if day != today:
                    moved, given = _follow_up(conversation, supervisor, made)
                    moves, feedback = moves + moved, feedback + given
    return (
        f"{team.public_id} ({DEMO_TIME_ZONE}): {made} analysed calls over {DAYS} days for "
        f"{len(technicians)} technicians, {moves} upsell moves, {feedback} feedback; "
        f"{supervisor.email} may use /admin/ (staff)"
    )
