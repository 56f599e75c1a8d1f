"""Which composer writes each title a report type allows, and `compose_section` / `write_section`,
which run it on a fresh Draft."""

from __future__ import annotations

from reports.ai.context import SectionContext
from reports.ai.writer import commercial, feasibility, shared, technical_scope
from reports.ai.writer.draft import Composer, Draft
from reports.catalog import ReportType

COMPOSERS: dict[ReportType, dict[str, Composer]] = {
    ReportType.FEASIBILITY_REPORT: {
        "Executive Summary": shared.executive_summary,
        "Project Overview": feasibility.project_overview,
        "Business Requirements": feasibility.business_requirements,
        "Technical Assessment": feasibility.technical_assessment,
        "Resource Assessment": shared.resource_assessment,
        "Cost-Benefit Analysis": feasibility.cost_benefit,
        "Risk Assessment": shared.risk_section,
        "Alternative Solutions": feasibility.alternative_solutions,
        "Timeline Feasibility": feasibility.timeline_feasibility,
        "Stakeholder Analysis": feasibility.stakeholder_analysis,
        "Recommendations": feasibility.recommendations,
        "Appendix": feasibility.appendix,
    },
    ReportType.TECHNICAL_SCOPE: {
        "Executive Summary": shared.executive_summary,
        "Company Background": technical_scope.company_background,
        "Current State Analysis": technical_scope.current_state_analysis,
        "Requirements Overview": technical_scope.requirements_overview,
        "Proposed Solution": technical_scope.proposed_solution,
        "Technology Stack": technical_scope.technology_stack,
        "Integration Points": technical_scope.integration_points,
        "Security & Compliance": technical_scope.security_compliance,
        "Implementation Timeline": technical_scope.implementation_timeline,
        "Resource Requirements": technical_scope.resource_requirements,
        "Risks & Mitigations": technical_scope.risks_mitigations,
        "Assumptions & Dependencies": technical_scope.assumptions_dependencies,
    },
    ReportType.COMMERCIAL_PROPOSAL: {
        "Executive Summary": shared.executive_summary,
        "Scope of Work": commercial.scope_of_work,
        "Deliverables": commercial.deliverables,
        "Pricing": commercial.pricing,
        "Payment Terms": commercial.payment_terms,
        "Timeline": commercial.commercial_timeline,
        "Assumptions": commercial.assumptions,
        "Terms & Conditions": commercial.terms_conditions,
    },
}


def compose_section(report_type: str, title: str, ctx: SectionContext) -> Draft:
    """The filled Draft for one allowed title, with its gaps and derivations. Raises KeyError for
    a title the type does not allow."""
    kind = ReportType(report_type)
    composer = COMPOSERS[kind][title]
    draft = Draft(kind.value, title, ctx)
    composer(draft)
    return draft


def write_section(report_type: str, title: str, ctx: SectionContext) -> tuple[str, list[str]]:
    """(Markdown, gaps) for one allowed title."""
    draft = compose_section(report_type, title, ctx)
    return draft.markdown(), draft.gaps
