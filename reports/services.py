"""Writes for report sections: API keys, starting a job (or answering `busy`), and running it.

A job's life: `section_job_start` stores it as pending and queues `section_job_run_task`; the
worker claims it (processing), asks the AI task for the section, keeps a SectionRecord for audit
and stores the result (completed) or a clear error (failed). Status reads come from the store only.
"""

from __future__ import annotations

import base64
import hashlib
import json
import logging
import secrets
import time
import uuid
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any, cast

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from analysis import providers
from analysis.engines import llm
from reports import selectors
from reports.ai import REFINE_TASK, WRITE_TASK, SectionDraft, SectionRefinement, final_text
from reports.authentication import ApiClient
from reports.jobs import Job, JobStatus, job_store
from reports.models import ApiKey, Customer, Opportunity, SectionRecord

logger = logging.getLogger(__name__)

# A job left "processing" this long by a worker that died may be taken over by a redelivery.
# Longer than any one attempt can last (LLM timeout x retries), so a live run is never doubled.
RUN_LEASE_SECONDS = 15 * 60
KEY_PREFIX = "rk_"


class QueueUnavailable(Exception):
    """The job could not be handed to Celery (broker unreachable)."""


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
    store = job_store()
    ttl = settings.REPORT_JOB_TTL_SECONDS
    fingerprint = request_fingerprint(client=client, session_id=session_id, kind=kind, request=request)
    job = Job(
        id=str(uuid.uuid4()),
        kind=kind,
        api_key_name=client.name,
        session_id=session_id,
        fingerprint=fingerprint,
        request=request,
        llm_options=providers.llm_options(),
    )
    # Stored before the claim, so a racing identical request that finds our claim also finds our job.
    store.add(job, ttl_seconds=ttl)
    for _ in range(5):
        holder = store.claim_request(fingerprint, job.id, ttl_seconds=ttl)
        if holder is None:
            break
        current = store.get(holder)
        if current is not None and current.is_live:
            store.delete(job.id)
            return JobStart(job=current, is_busy=True)
        # The holder finished or expired: identical requests may run again.
        if store.replace_claim(fingerprint, old_job_id=holder, new_job_id=job.id, ttl_seconds=ttl):
            break
    from reports.tasks import section_job_run_task  # tasks import this module

    try:
        section_job_run_task.delay(job.id)
    except Exception as error:  # kombu raises several types when the broker is down
        logger.exception("report job %s could not be queued", job.id)
        store.release_request(fingerprint, job.id)
        store.delete(job.id)
        raise QueueUnavailable("The job queue is unavailable; try again shortly.") from error
    return JobStart(job=job, is_busy=False)


def _claim(now: float) -> Any:
    def mutate(job: Job) -> Job | None:
        stale = job.status == JobStatus.PROCESSING and (job.started_at or 0) < now - RUN_LEASE_SECONDS
        if job.status != JobStatus.PENDING and not stale:
            return None  # finished, or in live hands: a redelivered task has nothing to do
        job.status = JobStatus.PROCESSING
        job.started_at = now
        return job

    return mutate


def _finish(job: Job, *, result: dict[str, Any] | None = None, error: dict[str, str] | None = None) -> None:
    def mutate(current: Job) -> Job:
        current.status = JobStatus.FAILED if error else JobStatus.COMPLETED
        current.result = result
        current.error = error
        current.finished_at = time.time()
        return current

    store = job_store()
    store.update(job.id, mutate)
    store.release_request(job.fingerprint, job.id)


def _b64(markdown: str) -> str:
    return base64.b64encode(markdown.encode("utf-8")).decode("ascii")


def _produce(job: Job) -> tuple[str, str]:
    """(Markdown, engine) for the job's request."""
    request = job.request
    ctx = selectors.section_context(
        customer_id=request["customer_id"], opportunity_id=request["opportunity_id"]
    )
    inputs: dict[str, Any] = {
        "report_type": request["type"],
        "section_title": request["section_title"],
        "context": ctx.model_dump(mode="json"),
    }
    config = providers.llm_config(job.llm_options)
    if job.kind == SectionRecord.Kind.REFINE:
        inputs |= {"original_text": request["original_text"], "prompt": request["prompt"]}
        refinement = cast(SectionRefinement, llm.run(REFINE_TASK, inputs, config=config))
        return final_text(refinement), refinement.engine
    draft = cast(SectionDraft, llm.run(WRITE_TASK, inputs, config=config))
    return draft.markdown, draft.engine


@transaction.atomic
def _record(job: Job, *, markdown: str, engine: str) -> SectionRecord:
    request = job.request
    record, _ = SectionRecord.objects.get_or_create(
        job_id=uuid.UUID(job.id),
        defaults={
            "kind": job.kind,
            "report_type": request["type"],
            "section_title": request["section_title"],
            "customer_ref": request["customer_id"],
            "opportunity_ref": request["opportunity_id"],
            "opportunity_id": selectors.opportunity_pk(
                customer_id=request["customer_id"], opportunity_id=request["opportunity_id"]
            ),
            "api_key_name": job.api_key_name,
            "session_id": job.session_id,
            "engine": engine,
            "prompt": request.get("prompt", ""),
            "source_text": request.get("original_text", ""),
            "text": markdown,
            "requested_at": datetime.fromtimestamp(job.created_at, tz=UTC),
        },
    )
    return record


def section_job_run(*, job_id: str) -> None:
    """Run one job to completion or failure. Safe to call twice: only a pending job (or one whose
    worker died) is claimed."""
    store = job_store()
    job = store.update(job_id, _claim(time.time()))
    if job is None:
        return
    try:
        markdown, engine = _produce(job)
        _record(job, markdown=markdown, engine=engine)
    except llm.AIUnavailable as error:
        logger.warning("report job %s: AI provider unavailable: %s", job_id, error)
        _finish(
            job, error={"error_code": "AI_UNAVAILABLE", "message": f"The AI provider is unavailable: {error}"}
        )
        return
    except Exception:
        # The traceback goes to the log; the client gets a reference it can quote, not internals.
        logger.exception("report job %s failed unexpectedly", job_id)
        _finish(
            job,
            error={
                "error_code": "INTERNAL_ERROR",
                "message": f"Internal error while processing job {job_id}.",
            },
        )
        return
    request = job.request
    result_key = "refined_section_b64" if job.kind == SectionRecord.Kind.REFINE else "generated_section_b64"
    _finish(
        job,
        result={
            "customer_id": request["customer_id"],
            "opportunity_id": request["opportunity_id"],
            "section_title": request["section_title"],
            result_key: _b64(markdown),
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
