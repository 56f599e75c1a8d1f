"""Report types and the section titles each allows (report-sections.md; Commercial_proposal from
DESIGN.md §6). Plain data: the API validates against it and the AI tasks write for it."""

from __future__ import annotations

import re
from enum import StrEnum


class ReportType(StrEnum):
    FEASIBILITY_REPORT = "Feasibility_report"
    TECHNICAL_SCOPE = "Technical_scope"
    COMMERCIAL_PROPOSAL = "Commercial_proposal"


SECTION_TITLES: dict[ReportType, tuple[str, ...]] = {
    ReportType.FEASIBILITY_REPORT: (
        "Executive Summary",
        "Project Overview",
        "Business Requirements",
        "Technical Assessment",
        "Resource Assessment",
        "Cost-Benefit Analysis",
        "Risk Assessment",
        "Alternative Solutions",
        "Timeline Feasibility",
        "Stakeholder Analysis",
        "Recommendations",
        "Appendix",
    ),
    ReportType.TECHNICAL_SCOPE: (
        "Executive Summary",
        "Company Background",
        "Current State Analysis",
        "Requirements Overview",
        "Proposed Solution",
        "Technology Stack",
        "Integration Points",
        "Security & Compliance",
        "Implementation Timeline",
        "Resource Requirements",
        "Risks & Mitigations",
        "Assumptions & Dependencies",
    ),
    ReportType.COMMERCIAL_PROPOSAL: (
        "Executive Summary",
        "Scope of Work",
        "Deliverables",
        "Pricing",
        "Payment Terms",
        "Timeline",
        "Assumptions",
        "Terms & Conditions",
    ),
}

_SPACES = re.compile(r"\s+")


def _fold(title: str) -> str:
    return _SPACES.sub(" ", title).strip().casefold()


def canonical_title(report_type: str, title: str) -> str | None:
    """The canonical spelling of `title` for the type, or None when the type does not allow it.

    Case and runs of whitespace are forgiven ("risk  assessment" is "Risk Assessment"): the spec
    calls its lists canonical, and a frontend that lower-cases a label should not get a 422.
    """
    try:
        titles = SECTION_TITLES[ReportType(report_type)]
    except ValueError:
        return None
    folded = _fold(title)
    return next((t for t in titles if _fold(t) == folded), None)
