"""What a section is written from: a customer and one of its opportunities, as plain data.

Built by `reports.selectors.section_context` from the admin records; either side may be missing
(`found` false), and the writers mark every fact the context does not give them.
"""

from __future__ import annotations

from datetime import date

from pydantic import BaseModel, Field


class CustomerFacts(BaseModel):
    customer_id: str
    found: bool = False
    name: str = ""
    industry: str = ""
    region: str = ""
    employee_count: int | None = None
    annual_revenue: float | None = None
    description: str = ""
    current_state: str = ""


class OpportunityFacts(BaseModel):
    """List fields hold one item each; money is in `currency`; dates are ISO dates."""

    opportunity_id: str
    found: bool = False
    name: str = ""
    stage: str = ""
    description: str = ""
    objectives: list[str] = Field(default_factory=list)
    requirements: list[str] = Field(default_factory=list)
    proposed_solution: str = ""
    technologies: list[str] = Field(default_factory=list)
    integrations: list[str] = Field(default_factory=list)
    compliance: list[str] = Field(default_factory=list)
    stakeholders: list[str] = Field(default_factory=list)
    resources: list[str] = Field(default_factory=list)
    deliverables: list[str] = Field(default_factory=list)
    exclusions: list[str] = Field(default_factory=list)
    risks: list[str] = Field(default_factory=list)
    assumptions: list[str] = Field(default_factory=list)
    dependencies: list[str] = Field(default_factory=list)
    alternatives: list[str] = Field(default_factory=list)
    benefits: list[str] = Field(default_factory=list)
    currency: str = "USD"
    budget_amount: float | None = None
    estimated_cost: float | None = None
    expected_annual_benefit: float | None = None
    pricing_model: str = ""
    payment_terms: str = ""
    start_on: date | None = None
    target_on: date | None = None
    duration_weeks: int | None = None
    notes: str = ""


class SectionContext(BaseModel):
    customer: CustomerFacts
    opportunity: OpportunityFacts

    def all_text(self) -> list[tuple[str, str]]:
        """(source label, sentence-bearing text) for every free-text fact, for search and expansion."""
        c, o = self.customer, self.opportunity
        pieces: list[tuple[str, str]] = [
            ("customer description", c.description),
            ("current state", c.current_state),
            ("opportunity description", o.description),
            ("proposed solution", o.proposed_solution),
            ("payment terms", o.payment_terms),
            ("notes", o.notes),
        ]
        for label, items in (
            ("objective", o.objectives),
            ("requirement", o.requirements),
            ("technology", o.technologies),
            ("integration", o.integrations),
            ("compliance", o.compliance),
            ("stakeholder", o.stakeholders),
            ("resource", o.resources),
            ("deliverable", o.deliverables),
            ("exclusion", o.exclusions),
            ("risk", o.risks),
            ("assumption", o.assumptions),
            ("dependency", o.dependencies),
            ("alternative", o.alternatives),
            ("benefit", o.benefits),
        ):
            # A risk line may carry "| likelihood | impact | mitigation" columns; the words are the risk.
            pieces.extend((label, item.split("|")[0].strip() if label == "risk" else item) for item in items)
        return [(label, value) for label, value in pieces if value.strip()]
