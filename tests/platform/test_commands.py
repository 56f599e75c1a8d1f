from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from accounts.models import User
from reports.models import Opportunity

pytestmark = pytest.mark.django_db


def test_seed_demo_creates_people_and_records_once():
    call_command("seed_demo", stdout=io.StringIO())
    call_command("seed_demo", stdout=io.StringIO())
    supervisor = User.objects.get(email="sarah.supervisor@example.com")
    technicians = User.objects.filter(role=User.Role.TECHNICIAN, supervisor=supervisor)
    assert technicians.count() == 2
    assert all(t.team_id == supervisor.team_id for t in technicians)
    assert Opportunity.objects.filter(external_id="OPP-7", customer__external_id="CUST-ACME").count() == 1


def test_seed_demo_prints_the_logins_it_made():
    out = io.StringIO()
    call_command("seed_demo", stdout=out)
    printed = out.getvalue()
    assert "password 'demo-password-123'" in printed
    for email in ("sarah.supervisor@example.com", "john.tech@example.com", "casey.candidate@example.com"):
        user = User.objects.get(email=email)
        assert f"{email:<30} {user.role:<11} {user.public_id}" in printed


def test_seed_questions_is_idempotent():
    out = io.StringIO()
    call_command("seed_questions", stdout=out)
    call_command("seed_questions", stdout=out)
    assert "0 created" in out.getvalue().splitlines()[-1] or "no question sets" in out.getvalue()
