"""Requirements as an analyst reads them: MoSCoW priority and functional/non-functional category
from each requirement's own wording, and how well the proposed solution covers each one."""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.engines import text
from reports.ai.context import SectionContext
from reports.ai.facts.wording import best_match, containment, terms

_MUST_RE = re.compile(r"\b(must|shall|required|mandatory|critical|essential|need(?:s)? to)\b", re.I)
_SHOULD_RE = re.compile(r"\b(should|important|expected|preferably)\b", re.I)
_COULD_RE = re.compile(r"\b(could|nice to have|optional|ideally|would like)\b", re.I)
_WONT_RE = re.compile(r"\b(won't|will not|not required|out of scope|later phase)\b", re.I)
_NON_FUNCTIONAL_RE = re.compile(
    r"\b(performance|latency|response time|seconds?|uptime|availability|available|scalab\w*|concurrent|"
    r"throughput|secur\w*|encrypt\w*|audit\w*|complian\w*|backup|recovery|disaster|accessib\w*|usability|"
    r"wcag|gdpr|hipaa|sso|single sign-on|load|reliab\w*|maintainab\w*|retention)\b",
    re.I,
)


def priority_of(requirement: str) -> str:
    """MoSCoW priority from the requirement's own wording; '-' when it does not say."""
    if _WONT_RE.search(requirement):
        return "Won't (this phase)"
    if _MUST_RE.search(requirement):
        return "Must"
    if _SHOULD_RE.search(requirement):
        return "Should"
    if _COULD_RE.search(requirement):
        return "Could"
    return "-"


def category_of(requirement: str) -> str:
    return "Non-functional" if _NON_FUNCTIONAL_RE.search(requirement) else "Functional"


def coverage_label(score: float) -> str:
    if score >= 0.6:
        return "Addressed"
    if score >= 0.3:
        return "Partly addressed"
    return "Not addressed"


@dataclass(frozen=True)
class Coverage:
    requirement: str
    score: float
    evidence: str | None

    @property
    def label(self) -> str:
        return coverage_label(self.score)


def solution_coverage(ctx: SectionContext) -> list[Coverage]:
    """For each requirement, how much of it the proposed solution and technology list speak to."""
    o = ctx.opportunity
    pieces = text.sentences(o.proposed_solution) + o.technologies + o.integrations + o.deliverables
    everything = terms(" ".join(pieces))
    out = []
    for requirement in o.requirements:
        evidence, _ = best_match(requirement, pieces)
        out.append(Coverage(requirement, containment(requirement, everything), evidence))
    return out
