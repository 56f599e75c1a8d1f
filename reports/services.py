"""Writes for report sections: API keys, starting a job (or answering `busy`), and running it.

A job's life is the job runner's (`analysis.jobs`): `section_job_start` enqueues a job of kind
`reports.section` whose dedupe key is the request's fingerprint, so an identical request while
it is pending or running gets that job back (`busy`); the worker runs `section_job_run`, and the
section is kept for audit (SectionRecord) in the same transaction that completes the job.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from analysis import engine_config, jobs
from analysis.engines import llm
from analysis.models import Job
from reports import selectors
from reports.ai import REFINE_TASK, WRITE_TASK, SectionDraft, SectionRefinement, final_text
from reports.api_clients import ApiClient
from reports.models import ApiKey, Customer, Opportunity, SectionRecord

logger = logging.getLogger(__name__)

JOB_KIND = selectors.JOB_KIND
KEY_PREFIX = "rk_"


# --------------------------------------------------------------------------------------------
# API keys
# --------------------------------------------------------------------------------------------


def api_key_create(*, name: str) -> tuple[ApiKey, str]:
    """A new key; the plain key is returned once and only its hash is stored."""
    raw_key = KEY_PREFIX + secrets.token_urlsafe(32)
    api_key = ApiKey.objects.create(name=name, prefix=raw_key[:10], key_hash=selectors.hash_key(raw_key))
    return api_key, raw_key


def api_key_revoke(*, api_key: ApiKey) -> ApiKey:
    if api_key.is_active:
        api_key.is_active = False
        api_key.revoked_at = timezone.now()
        api_key.save(update_fields=["is_active", "revoked_at"])
    return api_key


# --------------------------------------------------------------------------------------------
# Jobs
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class JobStart:
    job: Job
    is_busy: bool  # an identical request's job is still pending or running: this is that job


def request_fingerprint(*, client: ApiClient, session_id: str, kind: str, request: dict[str, Any]) -> str:
    """Identical requests (same key, Session-Id, route and validated body) share a fingerprint."""
    canonical = json.dumps([client.name, session_id, kind, request], sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def section_job_start(*, client: ApiClient, session_id: str, kind: str, request: dict[str, Any]) -> JobStart:
    enqueued = jobs.job_enqueue(
        kind=JOB_KIND,
        owner=selectors.job_owner(client),
        dedupe_key=request_fingerprint(client=client, session_id=session_id, kind=kind, request=request),
        expires_in=timedelta(seconds=settings.REPORT_JOB_TTL_SECONDS),
        inputs={
            "kind": kind,
            "api_key_name": client.name,
            "session_id": session_id,
            "request": request,
            # The engine choice of the process that accepted the request (never the API key).
            "llm": engine_config.llm_options(),
        },
    )
    return JobStart(job=enqueued.job, is_busy=not enqueued.created)


def _b64(markdown: str) -> str:
    return base64.b64encode(markdown.encode("utf-8")).decode("ascii")


def section_markdown(section: dict[str, Any]) -> str:
    encoded = section.get("generated_section_b64") or section.get("refined_section_b64") or ""
    return base64.b64decode(encoded).decode("utf-8")


def _produce(inputs: dict[str, Any]) -> tuple[str, str]:
    """(Markdown, engine) for the job's request."""
    request = inputs["request"]
    ctx = selectors.section_context(
        customer_id=request["customer_id"], opportunity_id=request["opportunity_id"]
    )
    task_inputs: dict[str, Any] = {
        "report_type": request["type"],
        "section_title": request["section_title"],
        "context": ctx.model_dump(mode="json"),
    }
    config = engine_config.llm_config(inputs.get("llm"))
    if inputs["kind"] == SectionRecord.Kind.REFINE:
        task_inputs |= {"original_text": request["original_text"], "prompt": request["prompt"]}
        refinement = cast(SectionRefinement, llm.run(REFINE_TASK, task_inputs, config=config))
        return final_text(refinement), refinement.engine
    draft = cast(SectionDraft, llm.run(WRITE_TASK, task_inputs, config=config))
    return draft.markdown, draft.engine


def section_job_run(ctx: jobs.JobContext) -> dict[str, Any]:
    """Write (or refine) the section; the job's result is the spec's `result` plus the engine."""
    inputs = ctx.inputs
    try:
        markdown, engine = _produce(inputs)
    except llm.AIUnavailable as error:
        logger.warning("report job %s: AI provider unavailable: %s", ctx.job.pk, error)
        raise jobs.JobFailure(f"The AI provider is unavailable: {error}", code="AI_UNAVAILABLE") from error
    request = inputs["request"]
    result_key = (
        "refined_section_b64" if inputs["kind"] == SectionRecord.Kind.REFINE else "generated_section_b64"
    )
    section = {
        "customer_id": request["customer_id"],
        "opportunity_id": request["opportunity_id"],
        "section_title": request["section_title"],
        result_key: _b64(markdown),
    }
    return {"section": section, "engine": engine}


def section_job_complete(job: Job, result: dict[str, Any]) -> None:
    """In the transaction that completes the job: keep the section for audit, exactly once."""
    inputs, request = job.inputs, job.inputs["request"]
    SectionRecord.objects.get_or_create(
        job_id=job.pk,
        defaults={
            "kind": inputs["kind"],
            "report_type": request["type"],
            "section_title": request["section_title"],
            "customer_ref": request["customer_id"],
            "opportunity_ref": request["opportunity_id"],
            "opportunity_id": selectors.opportunity_pk(
                customer_id=request["customer_id"], opportunity_id=request["opportunity_id"]
            ),
            "api_key_name": inputs["api_key_name"],
            "session_id": inputs["session_id"],
            "engine": result["engine"],
            "prompt": request.get("prompt", ""),
            "source_text": request.get("original_text", ""),
            "text": section_markdown(result["section"]),
            "requested_at": job.created_at,
        },
    )


# --------------------------------------------------------------------------------------------
# Demo data
# --------------------------------------------------------------------------------------------


@transaction.atomic
def demo_records_seed() -> Opportunity:
    """A customer and opportunity to try the routes with (CUST-ACME / OPP-7); idempotent, for
    `manage.py seed_demo`."""
    customer, _ = Customer.objects.update_or_create(
        external_id="CUST-ACME",
        defaults={
            "name": "Acme Logistics",
            "industry": "Logistics",
            "region": "US Midwest",
            "employee_count": 1200,
            "annual_revenue": Decimal("250000000"),
            "description": "Acme Logistics runs 40 depots across the Midwest and moves freight for retailers.",
            "current_state": "Dispatchers plan routes in spreadsheets, which is slow and error-prone. Drivers "
            "report delays by phone, so customers get late updates. The legacy TMS has outages every month.",
        },
    )
    opportunity, _ = Opportunity.objects.update_or_create(
        customer=customer,
        external_id="OPP-7",
        defaults={
            "name": "Dispatch modernisation",
            "stage": Opportunity.Stage.PROPOSAL,
            "description": "Acme wants to replace manual route planning with an automated dispatch platform "
            "and give customers live tracking.",
            "objectives": "Cut route planning time by 50%\nGive customers live delivery tracking",
            "requirements": "Dispatchers must plan routes automatically from orders\n"
            "Customers should see live delivery tracking\nMust integrate with the SAP ERP for orders\n"
            "Could offer a driver mobile app",
            "proposed_solution": "A dispatch platform on Django and PostgreSQL plans routes automatically from "
            "SAP orders. A customer portal shows live delivery tracking from driver GPS.",
            "technologies": "Django\nPostgreSQL\nReact\nAWS",
            "integrations": "SAP ERP: import orders nightly via REST API\n"
            "Telematics provider: receive GPS positions in real time via webhooks",
            "compliance": "GDPR",
            "stakeholders": "Dana Ruiz: COO and executive sponsor\nSam Lee: Dispatch manager",
            "resources": "2 backend engineers\n1 project manager\n1 QA engineer",
            "deliverables": "Solution design document\nDispatch platform\nSAP integration\nTraining for dispatchers",
            "risks": "SAP team availability may delay the integration | high | high | Book SAP team time at kickoff\n"
            "Dispatchers may resist the new tool",
            "dependencies": "Telematics vendor API access",
            "benefits": "Save $300k per year in dispatcher overtime\nFewer customer complaints",
            "currency": "USD",
            "budget_amount": Decimal("450000"),
            "estimated_cost": Decimal("480000"),
            "expected_annual_benefit": Decimal("350000"),
            "pricing_model": Opportunity.PricingModel.FIXED_PRICE,
            "start_on": date(2026, 3, 2),
            "target_on": date(2026, 8, 31),
            "duration_weeks": 24,
        },
    )
    return opportunity
