"""Reading the context the way an analyst would: requirement priorities, how well a solution
covers each requirement, stakeholder influence, risk ratings, delivery phases, money.

Pattern rules and term overlap on the record's own words; nothing here invents a fact. Where the
record is silent, callers say so in the section. Callers use the package as one namespace
(`facts.risks(ctx)`); the modules only group the readings by subject.
"""

from __future__ import annotations

from reports.ai.facts.compliance import COMPLIANCE_OBLIGATIONS, obligations_for, sensitive_data
from reports.ai.facts.money import MoneyFacts, money_facts, stated_amounts
from reports.ai.facts.people import Resource, Stakeholder, missing_roles, resources, stakeholders
from reports.ai.facts.requirements import (
    Coverage,
    category_of,
    coverage_label,
    priority_of,
    solution_coverage,
)
from reports.ai.facts.risk_register import LEVELS, Risk, risks, suggested_mitigation
from reports.ai.facts.technology import Integration, integrations, layer_of
from reports.ai.facts.timeline import PHASES, Phase, Schedule, phase_of, phases, schedule
from reports.ai.facts.wording import best_match, containment, mentions, pain_points, split_label, terms

__all__ = [
    "COMPLIANCE_OBLIGATIONS",
    "LEVELS",
    "PHASES",
    "Coverage",
    "Integration",
    "MoneyFacts",
    "Phase",
    "Resource",
    "Risk",
    "Schedule",
    "Stakeholder",
    "best_match",
    "category_of",
    "containment",
    "coverage_label",
    "integrations",
    "layer_of",
    "mentions",
    "missing_roles",
    "money_facts",
    "obligations_for",
    "pain_points",
    "phase_of",
    "phases",
    "priority_of",
    "resources",
    "risks",
    "schedule",
    "sensitive_data",
    "solution_coverage",
    "split_label",
    "stakeholders",
    "stated_amounts",
    "suggested_mitigation",
    "terms",
]
