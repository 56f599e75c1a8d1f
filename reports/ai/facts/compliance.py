"""Compliance and data: what each named standard or regulation obliges the solution to do, and the
personal or sensitive data the record says the solution will handle."""

from __future__ import annotations

import re

from reports.ai.context import SectionContext

COMPLIANCE_OBLIGATIONS = {
    "gdpr": "lawful basis and records of processing, data-subject rights (access, erasure), breach notice within 72 hours, EU data transfer safeguards",
    "ccpa": "notice at collection, consumer rights to know and delete, opt-out of sale or sharing",
    "hipaa": "safeguards for protected health information, business associate agreements, access logging",
    "soc 2": "controls evidenced for security, availability and confidentiality over the audit period",
    "iso 27001": "an information security management system with risk treatment and annual audits",
    "pci dss": "cardholder data kept out of scope where possible (tokenisation), network segmentation, quarterly scans",
    "sox": "change control and access reviews for systems that feed financial reporting",
    "wcag": "accessible interfaces (WCAG 2.1 AA): keyboard use, contrast, screen-reader labels",
    "fedramp": "an authorised cloud environment and continuous monitoring",
}
_SENSITIVE_RE = re.compile(
    r"\b(personal data|customer data|pii|names?|e-?mail addresses|phone numbers|addresses|health|patient|"
    r"medical|payment|card|bank|salary|payroll|passport|social security)\b",
    re.I,
)


def obligations_for(item: str) -> str | None:
    folded = re.sub(r"[\s_-]+", " ", item.lower())
    for name, obligation in COMPLIANCE_OBLIGATIONS.items():
        if name in folded:
            return obligation
    return None


def sensitive_data(ctx: SectionContext) -> list[str]:
    found: list[str] = []
    for label, value in ctx.all_text():
        if label == "exclusion":
            continue  # data the project will not touch
        for match in _SENSITIVE_RE.findall(value):
            word = match.lower()
            if word not in found:
                found.append(word)
    return found
