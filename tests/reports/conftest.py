"""The report-sections cast: an API key, Acme's dispatch opportunity, and helpers to call the
routes and wait on jobs the way a frontend does."""

from __future__ import annotations

import base64
import time
import uuid
from datetime import date
from decimal import Decimal
from typing import Any

import pytest
from rest_framework.test import APIClient

from reports import services
from reports.models import Customer, Opportunity


def b64(value: str) -> str:
    return base64.b64encode(value.encode("utf-8")).decode("ascii")


def unb64(value: str) -> str:
    return base64.b64decode(value).decode("utf-8")


def key_headers(raw_key: str, session_id: str | None = "session_123") -> dict[str, str]:
    headers = {"HTTP_X_API_KEY": raw_key}
    if session_id is not None:
        headers["HTTP_SESSION_ID"] = session_id
    return headers


@pytest.fixture
def api_key(db: Any) -> str:
    """A fresh key per test: jobs and busy fingerprints are scoped by key, so tests never collide
    even on a Redis that outlives them."""
    _, raw_key = services.api_key_create(name=f"frontend-{uuid.uuid4().hex[:8]}")
    return raw_key


def generate_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "type": "Feasibility_report",
        "customer_id": "CUST-ACME",
        "opportunity_id": "OPP-7",
        "section_title": "Risk Assessment",
    }
    body.update(overrides)
    return body


def wait_for_job(api: APIClient, job_id: str, raw_key: str, *, timeout: float = 30.0) -> dict[str, Any]:
    """Polls quickly (tests are not the spec's frontend) until the job leaves pending/processing."""
    deadline = time.monotonic() + timeout
    while True:
        response = api.get(f"/status/{job_id}", **key_headers(raw_key, None))
        body = response.json()
        if response.status_code != 200 or body["status"] != "processing":
            return body
        if time.monotonic() > deadline:
            raise AssertionError(f"job {job_id} still {body['data']['status']} after {timeout} s")
        time.sleep(0.05)


ACME_OPPORTUNITY: dict[str, Any] = {
    "external_id": "OPP-7",
    "name": "Dispatch modernisation",
    "stage": Opportunity.Stage.PROPOSAL,
    "description": "Acme wants to replace manual route planning with an automated dispatch platform "
    "and give customers live tracking.",
    "objectives": "Cut route planning time by 50%\nGive customers live delivery tracking\nReduce late deliveries by 20%",
    "requirements": "Dispatchers must plan routes automatically from orders\n"
    "Customers should see live delivery tracking\nMust integrate with the SAP ERP for orders\n"
    "Response time under 2 seconds for dispatch screens\nCould offer a driver mobile app\n"
    "Personal data must be encrypted at rest",
    "proposed_solution": "We will build a dispatch platform on Django and PostgreSQL that plans routes "
    "automatically from SAP orders. A customer portal shows live delivery tracking from driver GPS. "
    "Data is encrypted at rest on AWS.",
    "technologies": "Django\nPostgreSQL\nReact\nAWS\nOkta SSO",
    "integrations": "SAP ERP: import orders nightly via REST API\n"
    "Telematics provider: receive GPS positions in real time via webhooks\n"
    "Customer email: send delivery notifications",
    "compliance": "GDPR\nSOC 2",
    "stakeholders": "Dana Ruiz: COO and executive sponsor\nSam Lee: Dispatch manager\n"
    "Priya Patel: IT architect\n- Tom: driver representative",
    "resources": "2 backend engineers\n1 frontend engineer\n1 project manager\none QA engineer",
    "deliverables": "Solution design document\nDispatch platform\nCustomer tracking portal\nSAP integration\n"
    "Training for 30 dispatchers",
    "exclusions": "Warehouse management\nDriver payroll",
    "risks": "SAP team availability may delay the integration | high | high | Book SAP team time at kickoff\n"
    "Dispatchers may resist the new tool\nTelematics data quality is unknown",
    "assumptions": "Acme provides a test SAP system",
    "dependencies": "Telematics vendor API access\nSAP team availability",
    "alternatives": "Off-the-shelf TMS: buy a SaaS transport management system with route planning\n"
    "Extend legacy TMS: add a routing module to the current system",
    "benefits": "Save $300k per year in dispatcher overtime\nFewer customer complaints\nCut late deliveries by 20%",
    "currency": "USD",
    "budget_amount": Decimal("450000"),
    "estimated_cost": Decimal("480000"),
    "expected_annual_benefit": Decimal("350000"),
    "pricing_model": Opportunity.PricingModel.FIXED_PRICE,
    "payment_terms": "30% on signature, 40% at build completion, 30% at go-live.",
    "start_on": date(2025, 3, 3),
    "target_on": date(2025, 9, 1),
    "duration_weeks": 24,
    "notes": "Competing with a SaaS vendor.",
}


@pytest.fixture
def acme(db: Any) -> Opportunity:
    customer = Customer.objects.create(
        external_id="CUST-ACME",
        name="Acme Logistics",
        industry="Logistics",
        region="US Midwest",
        employee_count=1200,
        annual_revenue=Decimal("250000000"),
        description="Acme Logistics runs 40 depots across the Midwest and moves freight for retailers. "
        "It is growing 15% a year.",
        current_state="Dispatchers plan routes in spreadsheets, which is slow and error-prone. Drivers "
        "report delays by phone, so customers get late updates. The legacy TMS has outages every month.",
    )
    return Opportunity.objects.create(customer=customer, **ACME_OPPORTUNITY)
