"""The calendar: the window from start to target date against the delivery estimate, and the four
delivery phases sized, dated and filled with the record's deliverables, requirements and
integrations."""

from __future__ import annotations

import math
import re
from dataclasses import dataclass
from datetime import date, timedelta

from reports.ai import prose
from reports.ai.context import SectionContext
from reports.ai.facts.requirements import category_of, priority_of
from reports.ai.facts.wording import split_label

PHASES: tuple[tuple[str, float], ...] = (
    ("Discovery & design", 0.15),
    ("Build", 0.45),
    ("Integration & testing", 0.25),
    ("Deployment & hypercare", 0.15),
)
_PHASE_RULES = [
    (re.compile(r"\b(design|spec\w*|blueprint|architecture|plan|assessment|workshop|discovery|audit)\b", re.I), 0),
    (re.compile(r"\b(test\w*|integrat\w*|interface|uat|migrat\w*|connector)\b", re.I), 2),
    (re.compile(r"\b(train\w*|documentation|handover|go-live|rollout|deploy\w*|support|hypercare|launch)\b", re.I), 3),
]  # fmt: skip


def phase_of(item: str) -> int:
    for pattern, index in _PHASE_RULES:
        if pattern.search(item):
            return index
    return 1


@dataclass(frozen=True)
class Schedule:
    start: date | None
    target: date | None
    needed_weeks: int | None  # the delivery estimate, or the window when no estimate is recorded
    available_weeks: int | None  # start to target

    @property
    def slack_weeks(self) -> int | None:
        if self.needed_weeks is None or self.available_weeks is None:
            return None
        return self.available_weeks - self.needed_weeks


def schedule(ctx: SectionContext) -> Schedule:
    o = ctx.opportunity
    available = None
    if o.start_on and o.target_on and o.target_on > o.start_on:
        available = (o.target_on - o.start_on).days // 7
    needed = o.duration_weeks or None
    return Schedule(o.start_on, o.target_on, needed, available)


@dataclass(frozen=True)
class Phase:
    name: str
    weeks: int | None
    start: date | None
    end: date | None
    activities: list[str]


def phases(ctx: SectionContext) -> list[Phase]:
    """The four delivery phases sized from the estimate (or the window), dated from the start,
    each with the record's deliverables, requirements and integrations that belong to it."""
    o = ctx.opportunity
    window = schedule(ctx)
    total = window.needed_weeks or window.available_weeks
    weeks: list[int | None]
    if total:
        raw = [max(1, math.floor(total * share + 0.5)) for _, share in PHASES]
        raw[1] += total - sum(raw)  # rounding lands in Build, the phase with most room
        if raw[1] < 1:
            raw = [max(1, w) for w in raw]
        weeks = list(raw)
    else:
        weeks = [None] * len(PHASES)
    activities: list[list[str]] = [[] for _ in PHASES]
    musts = [r for r in o.requirements if priority_of(r) == "Must"]
    activities[0].append(
        f"Confirm the {prose.count(len(o.requirements), 'requirement')}"
        + (f", {prose.number_word(len(musts))} of them must-haves" if musts else "")
        if o.requirements
        else "Capture and agree the requirements (none recorded yet)"
    )
    for deliverable in o.deliverables:
        activities[phase_of(deliverable)].append(deliverable)
    if not any(phase_of(d) == 1 for d in o.deliverables):
        features = [r for r in o.requirements if category_of(r) == "Functional"][:3]
        activities[1].append(
            "Build " + "; ".join(f.rstrip(".") for f in features) if features else "Build the agreed scope"
        )
    for integration in o.integrations:
        activities[2].append(f"Integrate and test {split_label(integration)[0]}")
    activities[2].append("User acceptance testing against the requirements")
    activities[3].append("Go-live" + (f" (target {o.target_on.isoformat()})" if o.target_on else ""))
    out = []
    cursor = o.start_on
    for index, (name, _) in enumerate(PHASES):
        span = weeks[index]
        start = cursor if cursor and span else None
        end = start + timedelta(weeks=span) - timedelta(days=1) if start and span else None
        cursor = start + timedelta(weeks=span) if start and span else None
        out.append(Phase(name, span, start, end, activities[index]))
    return out
