"""The coach platform: the cast beyond tests/conftest.py (Bob's team, another team with its own
supervisor), and builders for analysed calls with exactly the figures a test wants to add up."""

from __future__ import annotations

import itertools
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from decimal import Decimal
from typing import Any
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from accounts import api as accounts_api
from accounts.models import Team, User
from coaching.selectors import cached
from conversations.models import (
    CoachingMoment,
    Conversation,
    ConversationAnalysis,
    Insight,
    Segment,
    UpsellOpportunity,
)
from tests.conftest import PASSWORD
from tests.conversations import conftest as conversations_cast

# The cast shared with the conversation tests: Dave (Alice's teammate), Erin (another team's supervisor).
dave_technician = conversations_cast.dave_technician
erin_supervisor = conversations_cast.erin_supervisor

_numbers = itertools.count(1)


@pytest.fixture(autouse=True)
def coaching_isolation(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each test counts requests and keeps cached analytics in namespaces of its own: user and
    team ids repeat between tests, and the cache outlives them."""
    tag = uuid.uuid4().hex[:10]
    monkeypatch.setattr(accounts_api.ConversationsRateThrottle, "scope", f"coaching-{tag}")
    monkeypatch.setattr(cached, "NAMESPACE", f"coaching-analytics-{tag}")


@pytest.fixture
def ivan_technician(db: Any, erin_supervisor: User) -> User:
    """A technician of Erin's (other) team."""
    return User.objects.create_user(
        "ivan@example.com", PASSWORD, full_name="Ivan Technician", role=User.Role.TECHNICIAN,
        team=erin_supervisor.team, supervisor=erin_supervisor,
    )  # fmt: skip


@pytest.fixture
def chicago(team: Team) -> Team:
    """Bob's team works in Chicago (UTC-6 in winter, UTC-5 in summer)."""
    team.time_zone = "America/Chicago"
    team.save(update_fields=["time_zone"])
    return team


def at(text: str, tz: str = "America/Chicago") -> datetime:
    """A local wall-clock time, e.g. at("2024-11-04 10:30")."""
    return datetime.fromisoformat(text).replace(tzinfo=ZoneInfo(tz))


@dataclass
class Opp:
    opportunity_type: str = "maintenance_plan"
    status: str = "identified"
    estimated_value: float = 300.0
    actual_value: float | None = None
    title: str = ""


@dataclass
class CallSpec:
    started_at: datetime
    duration_seconds: float | None = 600.0
    satisfaction: int | None = 80
    opportunities: list[Opp] = field(default_factory=list)
    moments: list[str] = field(default_factory=list)
    ended: bool = True
    customer_name: str = "Phoenix Mills Ltd"


def analysed_call(
    technician: User, spec: CallSpec | None = None, *, announced: bool = True, **overrides: Any
) -> Conversation:
    """A call as the analysis leaves it: ended, analysed (unless `satisfaction` is None), with
    a current analysis holding the opportunities and coaching moments asked for. `announced`:
    cached team analytics learn of it, as they do when the analysis announces its insights."""
    conversation = _build(technician, spec, **overrides)
    if announced:
        cached.invalidate(cached.technician_scopes(technician))
    return conversation


def _build(technician: User, spec: CallSpec | None, **overrides: Any) -> Conversation:
    spec = spec or CallSpec(started_at=overrides.pop("started_at", timezone.now()))
    for name, value in overrides.items():
        setattr(spec, name, value)
    number = next(_numbers)
    started = spec.started_at
    day = started.astimezone(ZoneInfo("UTC")).date()
    analysed = spec.satisfaction is not None
    conversation = Conversation.objects.create(
        public_id=f"CONV-{day:%Y%m%d}-{number:03d}",
        day=day,
        number=number,
        technician=technician,
        customer_name=spec.customer_name,
        service_job_title="Fire Pump Inspection",
        started_at=started,
        ended_at=(started + timedelta(seconds=spec.duration_seconds or 60)) if spec.ended else None,
        duration_seconds=spec.duration_seconds if spec.ended else None,
        status=("analyzed" if analysed else "processing") if spec.ended else "in_progress",
        customer_satisfaction_score=spec.satisfaction,
        transcript_completed_at=started + timedelta(minutes=20) if spec.ended else None,
    )
    Segment.objects.create(
        conversation=conversation, speaker_type="technician", text="Hi, I'm here about the fire pump.",
        start_time=0.0, end_time=2.5, confidence=0.9,
    )  # fmt: skip
    Segment.objects.create(
        conversation=conversation, speaker_type="customer",
        text="We've had to fix this pump three times this year.", start_time=3.0, end_time=6.0, confidence=0.9,
    )  # fmt: skip
    if not analysed and not spec.opportunities and not spec.moments:
        return conversation
    analysis = ConversationAnalysis.objects.create(conversation=conversation, engine="local", is_current=True)
    if analysed:
        Insight.objects.create(
            analysis=analysis, conversation=conversation, summary="Fire pump inspected; replacement discussed.",
            key_topics=["Equipment Age", "Frequent Repairs"], overall_sentiment="positive",
            customer_satisfaction_score=spec.satisfaction, positive_keywords=["thorough"],
            improvement_keywords=["no written quote"], action_items=["Send replacement quote within 24 hours"],
            engine="local",
        )  # fmt: skip
    for index, opp in enumerate(spec.opportunities):
        UpsellOpportunity.objects.create(
            analysis=analysis, conversation=conversation, opportunity_type=opp.opportunity_type,
            title=opp.title or opp.opportunity_type.replace("_", " ").title(),
            description="Customer mentioned frequent repairs.",
            trigger_phrase="We've had to fix this pump three times this year.", segment_id=None,
            timestamp_in_call=3.0 + index, confidence=0.8, estimated_value=Decimal(str(opp.estimated_value)),
            priority="high", status=opp.status,
            actual_value=None if opp.actual_value is None else Decimal(str(opp.actual_value)),
            closed_at=timezone.now() if opp.status.startswith("closed") else None, engine="local",
        )  # fmt: skip
    for index, category in enumerate(spec.moments):
        CoachingMoment.objects.create(
            analysis=analysis, conversation=conversation, category=category,
            title=f"{category.replace('_', ' ').title()}", timestamp_in_call=10.0 + index,
            what_happened="The customer asked about replacement cost; no timeline was given.",
            what_should_happen="Set a clear expectation for when the quote will come.",
            example_better_response="I'll have a detailed quote to you by tomorrow afternoon.",
            severity="important", engine="local",
        )  # fmt: skip
    return conversation


def superseded_run(
    conversation: Conversation, *, opportunities: int = 2, moments: int = 2
) -> ConversationAnalysis:
    """An earlier analysis run of the call (history), with findings that must not count."""
    old = ConversationAnalysis.objects.create(conversation=conversation, engine="local", is_current=False)
    for index in range(opportunities):
        UpsellOpportunity.objects.create(
            analysis=old, conversation=conversation, opportunity_type=f"old_{index}", title="Old finding",
            description="-", trigger_phrase="-", timestamp_in_call=1.0, confidence=0.5,
            estimated_value=Decimal("999"), priority="low", status="closed_won", actual_value=Decimal("999"),
            engine="local",
        )  # fmt: skip
    for _ in range(moments):
        CoachingMoment.objects.create(
            analysis=old, conversation=conversation, category="jargon", title="Old", timestamp_in_call=1.0,
            what_happened="-", what_should_happen="-", example_better_response="-", severity="minor",
            engine="local",
        )  # fmt: skip
    return old
