"""Operators' tools: `manage.py create_api_key` and the admin pages for keys, customers,
opportunities and the audit trail."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from reports.models import ApiKey, SectionRecord
from tests.reports.conftest import key_headers

pytestmark = pytest.mark.django_db

UNKNOWN_JOB = "/status/550e8400-e29b-41d4-a716-446655440000"


def test_create_api_key_prints_the_key_once_and_stores_only_its_hash(api):
    out, err = StringIO(), StringIO()
    call_command("create_api_key", "sales-frontend", stdout=out, stderr=err)
    raw_key = out.getvalue().strip()
    assert raw_key.startswith("rk_") and len(raw_key) > 40
    assert "not shown again" in err.getvalue()
    stored = ApiKey.objects.get(name="sales-frontend")
    assert raw_key not in (stored.key_hash, stored.prefix) and raw_key.startswith(stored.prefix)
    # and the key opens the report routes
    assert api.get(UNKNOWN_JOB, **key_headers(raw_key, None)).json()["data"]["error_code"] == "JOB_NOT_FOUND"


def test_create_api_key_refuses_a_taken_name():
    call_command("create_api_key", "sales-frontend", stdout=StringIO(), stderr=StringIO())
    with pytest.raises(CommandError, match="already exists"):
        call_command("create_api_key", "sales-frontend", stdout=StringIO(), stderr=StringIO())


@pytest.fixture
def admin_client(client):
    admin = User.objects.create_superuser(
        "admin@example.com", "correct horse battery staple", full_name="Admin"
    )
    client.force_login(admin)
    return client


def test_admin_pages_list_every_report_model(admin_client, acme):
    for model in ("apikey", "customer", "opportunity", "sectionrecord"):
        assert admin_client.get(f"/admin/reports/{model}/").status_code == 200
    assert admin_client.get(f"/admin/reports/opportunity/{acme.pk}/change/").status_code == 200
    assert admin_client.get(f"/admin/reports/customer/{acme.customer.pk}/change/").status_code == 200


def test_a_key_made_in_admin_is_shown_once_and_revoking_it_locks_it_out(admin_client, api):
    # when an operator adds a key in admin
    response = admin_client.post("/admin/reports/apikey/add/", {"name": "partner-portal"}, follow=True)
    # then the page shows the new key once
    shown = [str(m) for m in response.context["messages"]]
    raw_key = next(word for message in shown for word in message.split() if word.startswith("rk_"))
    api_key = ApiKey.objects.get(name="partner-portal")
    assert api_key.key_hash != raw_key
    assert api.get(UNKNOWN_JOB, **key_headers(raw_key, None)).status_code == 404
    # when it is revoked with the admin action
    admin_client.post("/admin/reports/apikey/", {"action": "revoke", "_selected_action": [api_key.pk]})
    # then the key is refused
    api_key.refresh_from_db()
    assert not api_key.is_active and api_key.revoked_at is not None
    assert api.get(UNKNOWN_JOB, **key_headers(raw_key, None)).status_code == 401


def test_the_audit_trail_cannot_be_added_to_or_deleted_from_admin(admin_client):
    assert admin_client.get("/admin/reports/sectionrecord/add/").status_code == 403
    assert not SectionRecord.objects.exists()


def test_the_demo_records_seed_is_idempotent():
    from reports.models import Customer, Opportunity
    from reports.services import demo_records_seed

    first = demo_records_seed()
    second = demo_records_seed()
    assert first.pk == second.pk
    assert (Customer.objects.count(), Opportunity.objects.count()) == (1, 1)
    assert (first.customer.external_id, first.external_id) == ("CUST-ACME", "OPP-7")
