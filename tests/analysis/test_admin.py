"""Staff see analyses with their answers and dashboard, and can run one again."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from analysis.models import AnalysisSession
from tests.analysis.conftest import answer_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("staff@example.com", "pw-staff-123456"))
    return client


@pytest.fixture
def failed_analysis() -> AnalysisSession:
    return AnalysisSession.objects.create(
        source="payload",
        answers=answer_set("bakery_vague"),
        status="failed",
        error="The AI provider failed: x",
    )


def test_the_analysis_list_and_page_render(staff: Client, failed_analysis: AnalysisSession) -> None:
    assert staff.get("/admin/analysis/analysissession/").status_code == 200
    page = staff.get(f"/admin/analysis/analysissession/{failed_analysis.pk}/change/")
    assert page.status_code == 200
    assert "The AI provider failed: x" in page.content.decode()


def test_staff_run_an_analysis_again(staff: Client, failed_analysis: AnalysisSession) -> None:
    response = staff.post(
        "/admin/analysis/analysissession/", {"action": "run_again", "_selected_action": [failed_analysis.pk]}
    )
    assert response.status_code == 302
    failed_analysis.refresh_from_db()
    assert failed_analysis.status == "pending" and failed_analysis.error == ""
    assert failed_analysis.answers == answer_set("bakery_vague")  # the same answers, run again
