// The section titles each report type allows: the frontend's copy of report-sections.md's lists
// (Commercial_proposal from DESIGN.md §6). The API validates again and its 422 names the allowed
// titles; tests/console checks this copy against reports/catalog.py.
export const SECTION_TITLES = {
  Feasibility_report: [
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
  ],
  Technical_scope: [
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
  ],
  Commercial_proposal: [
    "Executive Summary",
    "Scope of Work",
    "Deliverables",
    "Pricing",
    "Payment Terms",
    "Timeline",
    "Assumptions",
    "Terms & Conditions",
  ],
};
