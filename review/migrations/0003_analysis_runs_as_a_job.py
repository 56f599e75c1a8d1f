"""Analyses run on the one job runner: each row's run state (status, lease, attempts, result, error)
becomes a Job row of kind `review.analysis`, and the columns that held it go."""

import django.db.models.deletion
from django.db import migrations, models

RUN_FIELDS = (
    "status",
    "result",
    "engine",
    "error",
    "progress_step",
    "run_token",
    "attempts",
    "queued_at",
    "started_at",
    "lease_expires_at",
    "finished_at",
)


def runs_to_jobs(apps, schema_editor):
    AnalysisSession = apps.get_model("review", "AnalysisSession")
    Job = apps.get_model("analysis", "Job")
    for analysis in AnalysisSession.objects.all().iterator():
        succeeded = analysis.status == "succeeded" and analysis.result is not None
        job = Job.objects.create(
            kind="review.analysis",
            inputs={"analysis_id": str(analysis.pk)},
            status=analysis.status,
            step=analysis.progress_step,
            result={"answers": analysis.answers, "dashboard": analysis.result} if succeeded else None,
            error_code="failed" if analysis.status == "failed" else "",
            error=analysis.error,
            attempts=analysis.attempts,
            lease_expires_at=analysis.lease_expires_at,
            queued_at=analysis.queued_at,
            started_at=analysis.started_at,
            finished_at=analysis.finished_at,
            created_at=analysis.created_at,
        )
        AnalysisSession.objects.filter(pk=analysis.pk).update(job=job)


def jobs_to_runs(apps, schema_editor):
    AnalysisSession = apps.get_model("review", "AnalysisSession")
    for analysis in AnalysisSession.objects.select_related("job").iterator():
        job = analysis.job
        if job is None:
            continue
        AnalysisSession.objects.filter(pk=analysis.pk).update(
            status=job.status,
            result=(job.result or {}).get("dashboard"),
            engine=((job.result or {}).get("dashboard") or {}).get("engine", ""),
            error=job.error,
            progress_step=job.step[:40],
            attempts=job.attempts,
            queued_at=job.queued_at,
            started_at=job.started_at,
            lease_expires_at=job.lease_expires_at,
            finished_at=job.finished_at,
        )


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0002_analysissession_from_analysis"),
        ("analysis", "0002_job_analysissession_moves_to_review"),
    ]

    operations = [
        migrations.AddField(
            model_name="analysissession",
            name="job",
            field=models.ForeignKey(
                blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to="analysis.job"
            ),
        ),
        migrations.RunPython(runs_to_jobs, jobs_to_runs),
        migrations.RemoveIndex(model_name="analysissession", name="analysis_status_lease"),
        *[migrations.RemoveField(model_name="analysissession", name=name) for name in RUN_FIELDS],
    ]
