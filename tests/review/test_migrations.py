"""The OKR analysis model moved from the analysis app to the review app and its run state moved to
the job table: a database holding analyses from before the move keeps every row and every result."""

from __future__ import annotations

import uuid
from datetime import timedelta
from typing import Any

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.utils import timezone

BEFORE = [
    ("review", "0001_initial"),
    ("analysis", "0001_initial"),
    ("interviews", "0001_initial"),
]


def _migrate(targets: list[tuple[str, str]]) -> Any:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(targets)
    return executor.loader.project_state(targets).apps


@pytest.mark.django_db(transaction=True)
def test_analyses_from_before_the_move_keep_their_rows_results_and_run_state() -> None:
    latest = _latest_targets()
    try:
        # given a database as the previous release left it: three analyses in three states
        old = _migrate(BEFORE)
        ReviewSession = old.get_model("review", "ReviewSession")
        OldAnalysis = old.get_model("analysis", "AnalysisSession")
        review = ReviewSession.objects.create(email="founder@example.com", phone_number="+989121234567")
        now = timezone.now()
        done = OldAnalysis.objects.create(
            review_session=review,
            source="review",
            status="succeeded",
            answers=[{"order": 1, "answer": "Grow MRR"}],
            result={"summary": "kept", "engine": "local"},
            engine="local",
            attempts=1,
            finished_at=now,
        )
        failed = OldAnalysis.objects.create(
            id=uuid.uuid4(), source="payload", status="failed", error="The AI provider failed: x", attempts=3
        )
        running = OldAnalysis.objects.create(
            source="payload",
            status="running",
            attempts=1,
            progress_step="analyzing",
            lease_expires_at=now + timedelta(minutes=1),
        )

        # when the new release migrates it
        new = _migrate(latest)
        Analysis = new.get_model("review", "AnalysisSession")
        Job = new.get_model("analysis", "Job")

        # then the same table holds the same rows, each now run by a job that kept its state
        assert Analysis._meta.db_table == "analysis_analysissession"
        assert set(Analysis.objects.values_list("pk", flat=True)) == {done.pk, failed.pk, running.pk}
        moved = Analysis.objects.get(pk=done.pk)
        assert moved.review_session_id == review.pk and moved.answers == [{"order": 1, "answer": "Grow MRR"}]
        job = Job.objects.get(pk=moved.job_id)
        assert (job.kind, job.status, job.attempts) == ("review.analysis", "succeeded", 1)
        assert job.result["dashboard"] == {"summary": "kept", "engine": "local"}
        assert job.inputs == {"analysis_id": str(done.pk)}
        failed_job = Job.objects.get(pk=Analysis.objects.get(pk=failed.pk).job_id)
        assert (failed_job.status, failed_job.error, failed_job.attempts) == (
            "failed",
            "The AI provider failed: x",
            3,
        )
        running_job = Job.objects.get(pk=Analysis.objects.get(pk=running.pk).job_id)
        assert (running_job.status, running_job.step) == ("running", "analyzing")
        assert running_job.lease_expires_at is not None  # the reaper takes it over if its worker is gone
    finally:
        _migrate(latest)


def _latest_targets() -> list[tuple[str, str]]:
    executor = MigrationExecutor(connection)
    return executor.loader.graph.leaf_nodes()
