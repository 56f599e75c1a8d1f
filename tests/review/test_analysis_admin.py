"""Staff see analyses with their answers and dashboard, and can run one again."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import User
from review.models import AnalysisSession
from tests.review.okr_flow import analysis_in_state, answer_set

pytestmark = pytest.mark.django_db


@pytest.fixture
def staff(client: Client) -> Client:
    client.force_login(User.objects.create_superuser("staff@example.com", "pw-staff-123456"))
    return client


@pytest.fixture
def failed_analysis() -> AnalysisSession:
    return analysis_in_state(
        status="failed", answers=answer_set("bakery_vague"), error="The AI provider failed: x"
    )


def test_the_analysis_list_and_page_render(staff: Client, failed_analysis: AnalysisSession) -> None:
    assert staff.get("/admin/review/analysissession/").status_code == 200
    page = staff.get(f"/admin/review/analysissession/{failed_analysis.pk}/change/")
    assert page.status_code == 200
    assert "The AI provider failed: x" in page.content.decode()


def test_staff_run_an_analysis_again(staff: Client, failed_analysis: AnalysisSession) -> None:
    response = staff.post(
        "/admin/review/analysissession/", {"action": "run_again", "_selected_action": [failed_analysis.pk]}
    )
    assert response.status_code == 302
    failed_analysis.refresh_from_db()
    assert failed_analysis.status == "pending" and failed_analysis.error == ""
    assert failed_analysis.answers == answer_set("bakery_vague")  # the same answers, run again


def test_staff_see_every_job_of_every_product_read_only(
    staff: Client, failed_analysis: AnalysisSession
) -> None:
    job = failed_analysis.job
    listing = staff.get("/admin/analysis/job/")
    assert listing.status_code == 200 and "review.analysis" in listing.content.decode()
    page = staff.get(f"/admin/analysis/job/{job.pk}/change/")
    assert page.status_code == 200 and "The AI provider failed: x" in page.content.decode()
    # a job changes only through the runner: the page has no save button
    assert 'name="_save"' not in page.content.decode()
