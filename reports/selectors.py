"""Reads for report sections: who an API key belongs to, the context a section is written from,
and a job as its owner may see it."""

from __future__ import annotations

import hashlib
import hmac
from decimal import Decimal

from django.conf import settings

from analysis import jobs
from analysis.models import Job
from reports.ai import CustomerFacts, OpportunityFacts, SectionContext
from reports.api_clients import ApiClient
from reports.models import ApiKey, Customer, Opportunity


def hash_key(raw_key: str) -> str:
    return hashlib.sha256(raw_key.encode("utf-8")).hexdigest()


def settings_key_name(raw_key: str) -> str:
    """A stable, non-secret name for a REPORTS_API_KEYS entry (a hash prefix, never the key)."""
    return f"settings-key-{hash_key(raw_key)[:8]}"


def api_client_for_key(*, raw_key: str) -> ApiClient | None:
    if len(raw_key) > 200:
        return None
    api_key = ApiKey.objects.filter(key_hash=hash_key(raw_key), is_active=True).only("id", "name").first()
    if api_key is not None:
        return ApiClient(name=api_key.name, api_key_id=api_key.pk)
    for configured in settings.REPORTS_API_KEYS:
        # Constant-time comparison: the configured keys are plain text.
        if configured and hmac.compare_digest(configured.encode(), raw_key.encode()):
            return ApiClient(name=settings_key_name(configured))
    return None


JOB_KIND = "reports.section"


def job_owner(client: ApiClient) -> str:
    return f"api-key:{client.name}"


def job_for_client(*, job_id: str, client: ApiClient) -> Job | None:
    """The job if it exists, has not expired and was started with the caller's key; someone
    else's job is as unknown to the caller as a job that never existed."""
    return jobs.job_get(job_id=job_id, kind=JOB_KIND, owner=job_owner(client))


def _lines(value: str) -> list[str]:
    # Admin users paste lists with bullets; the marker is not part of the item.
    out = []
    for line in value.splitlines():
        cleaned = line.strip().lstrip("-*•").strip()
        if cleaned:
            out.append(cleaned)
    return out


def _number(value: Decimal | None) -> float | None:
    return float(value) if value is not None else None


def section_context(*, customer_id: str, opportunity_id: str) -> SectionContext:
    """The facts for one (customer, opportunity) pair. An unknown pair still yields a context,
    marked not found, so the section can be written with its gaps shown."""
    customer = Customer.objects.filter(external_id=customer_id).first()
    opportunity = (
        Opportunity.objects.filter(customer=customer, external_id=opportunity_id).first()
        if customer
        else None
    )
    customer_facts = CustomerFacts(customer_id=customer_id)
    if customer is not None:
        customer_facts = CustomerFacts(
            customer_id=customer_id,
            found=True,
            name=customer.name,
            industry=customer.industry,
            region=customer.region,
            employee_count=customer.employee_count,
            annual_revenue=_number(customer.annual_revenue),
            description=customer.description.strip(),
            current_state=customer.current_state.strip(),
        )
    opportunity_facts = OpportunityFacts(opportunity_id=opportunity_id)
    if opportunity is not None:
        o = opportunity
        opportunity_facts = OpportunityFacts(
            opportunity_id=opportunity_id,
            found=True,
            name=o.name,
            stage=o.get_stage_display().lower(),
            description=o.description.strip(),
            objectives=_lines(o.objectives),
            requirements=_lines(o.requirements),
            proposed_solution=o.proposed_solution.strip(),
            technologies=_lines(o.technologies),
            integrations=_lines(o.integrations),
            compliance=_lines(o.compliance),
            stakeholders=_lines(o.stakeholders),
            resources=_lines(o.resources),
            deliverables=_lines(o.deliverables),
            exclusions=_lines(o.exclusions),
            risks=_lines(o.risks),
            assumptions=_lines(o.assumptions),
            dependencies=_lines(o.dependencies),
            alternatives=_lines(o.alternatives),
            benefits=_lines(o.benefits),
            currency=o.currency or "USD",
            budget_amount=_number(o.budget_amount),
            estimated_cost=_number(o.estimated_cost),
            expected_annual_benefit=_number(o.expected_annual_benefit),
            pricing_model=o.pricing_model,
            payment_terms=o.payment_terms.strip(),
            start_on=o.start_on,
            target_on=o.target_on,
            duration_weeks=o.duration_weeks,
            notes=o.notes.strip(),
        )
    return SectionContext(customer=customer_facts, opportunity=opportunity_facts)


def opportunity_pk(*, customer_id: str, opportunity_id: str) -> int | None:
    return (
        Opportunity.objects.filter(customer__external_id=customer_id, external_id=opportunity_id)
        .values_list("pk", flat=True)
        .first()
    )
