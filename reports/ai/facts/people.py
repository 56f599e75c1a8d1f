"""The people on both sides of the deal: stakeholders with the influence and interest their
titles imply, the delivery team's roles and head counts, and the roles the scope needs that the
team does not name."""

from __future__ import annotations

import re
from dataclasses import dataclass

from reports.ai.context import SectionContext
from reports.ai.facts.wording import split_label

# --------------------------------------------------------------------------------------------
# Stakeholders
# --------------------------------------------------------------------------------------------

_HIGH_INFLUENCE_RE = re.compile(
    r"\b(chief|ceo|cfo|cto|cio|coo|ciso|vp|vice president|director|head|owner|sponsor|board|founder|"
    r"president|partner|executive)\b",
    re.I,
)
_MEDIUM_INFLUENCE_RE = re.compile(r"\b(manager|lead|architect|principal|supervisor|procurement)\b", re.I)
_HIGH_INTEREST_RE = re.compile(
    r"\b(sponsor|owner|user|users|operator|manager|lead|agent|technician|analyst|team|dispatcher|staff|"
    r"champion)\b",
    re.I,
)


@dataclass(frozen=True)
class Stakeholder:
    name: str
    role: str
    influence: str
    interest: str

    @property
    def engagement(self) -> str:
        high_influence = self.influence == "High"
        high_interest = self.interest == "High"
        if high_influence and high_interest:
            return "Manage closely"
        if high_influence:
            return "Keep satisfied"
        if high_interest:
            return "Keep informed"
        return "Monitor"


def stakeholders(ctx: SectionContext) -> list[Stakeholder]:
    out = []
    for line in ctx.opportunity.stakeholders:
        name, role = split_label(line)
        subject = role or name
        if _HIGH_INFLUENCE_RE.search(subject):
            influence = "High"
        elif _MEDIUM_INFLUENCE_RE.search(subject):
            influence = "Medium"
        else:
            influence = "Low"
        interest = "High" if _HIGH_INTEREST_RE.search(subject) else "Medium"
        out.append(Stakeholder(name, role or "role not stated", influence, interest))
    return out


# --------------------------------------------------------------------------------------------
# Resources
# --------------------------------------------------------------------------------------------

_COUNT_RE = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*(?:x\s+|×\s*)?(.*)$", re.I)
_WORD_COUNTS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10, "a": 1, "an": 1}  # fmt: skip


@dataclass(frozen=True)
class Resource:
    count: float | None
    role: str


def resources(ctx: SectionContext) -> list[Resource]:
    out = []
    for line in ctx.opportunity.resources:
        match = _COUNT_RE.match(line)
        if match:
            out.append(Resource(float(match.group(1)), match.group(2).strip() or line))
            continue
        first, _, rest = line.strip().partition(" ")
        if first.lower() in _WORD_COUNTS and rest:
            out.append(Resource(float(_WORD_COUNTS[first.lower()]), rest.strip()))
        else:
            out.append(Resource(None, line.strip()))
    return out


_ROLE_NEEDS = [
    ("project or delivery manager", re.compile(r"\b(project|delivery|program+e?)\s*(manager|lead)|\bpm\b|scrum", re.I), lambda ctx: True),
    ("QA or test engineer", re.compile(r"\b(qa|test\w*|quality)\b", re.I), lambda ctx: bool(ctx.opportunity.requirements)),
    ("integration or backend engineer", re.compile(r"\b(integration|backend|back-end|api|full[- ]?stack)\b", re.I), lambda ctx: bool(ctx.opportunity.integrations)),
    ("security or compliance specialist", re.compile(r"\b(secur\w*|complian\w*|privacy)\b", re.I), lambda ctx: bool(ctx.opportunity.compliance)),
    ("data or migration specialist", re.compile(r"\b(data|migration|dba|database)\b", re.I), lambda ctx: any("migrat" in t.lower() for _, t in ctx.all_text())),
]  # fmt: skip


def missing_roles(ctx: SectionContext) -> list[str]:
    """Roles the scope calls for that the resource list does not name."""
    listed = " ".join(ctx.opportunity.resources)
    return [role for role, pattern, needed in _ROLE_NEEDS if needed(ctx) and not pattern.search(listed)]
