"""The job table every product runs on; the OKR analysis model moves to the review app, keeping its
table (`analysis_analysissession`): only Django's idea of where the model lives changes here."""

import uuid

import django.utils.timezone

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("analysis", "0001_initial"),
        ("review", "0002_analysissession_from_analysis"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name="AnalysisSession")],
            database_operations=[],
        ),
        migrations.CreateModel(
            name="Job",
            fields=[
                ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                ("kind", models.CharField(db_index=True, max_length=60)),
                ("owner", models.CharField(blank=True, help_text='"user:<pk>", "api-key:<name>" or empty', max_length=200)),
                ("inputs", models.JSONField(blank=True, default=dict)),
                ("dedupe_key", models.CharField(blank=True, default="", max_length=200)),
                ("status", models.CharField(choices=[("pending", "Pending"), ("running", "Running"), ("succeeded", "Succeeded"), ("failed", "Failed")], default="pending", max_length=10)),
                ("step", models.CharField(blank=True, max_length=60)),
                ("progress", models.JSONField(blank=True, default=list, help_text="steps reached, in order")),
                ("result", models.JSONField(blank=True, null=True)),
                ("error_code", models.CharField(blank=True, max_length=60)),
                ("error", models.TextField(blank=True)),
                ("attempts", models.PositiveSmallIntegerField(default=0, help_text="runs claimed so far")),
                ("sends", models.PositiveSmallIntegerField(default=1, help_text="times handed to the queue")),
                ("max_attempts", models.PositiveSmallIntegerField(default=3)),
                ("lease_expires_at", models.DateTimeField(blank=True, null=True)),
                ("not_before", models.DateTimeField(blank=True, null=True)),
                ("queued_at", models.DateTimeField(blank=True, null=True)),
                ("started_at", models.DateTimeField(blank=True, null=True)),
                ("finished_at", models.DateTimeField(blank=True, null=True)),
                ("expires_at", models.DateTimeField(blank=True, null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(auto_now=True)),
            ],
            options={
                "ordering": ["-created_at"],
                "indexes": [
                    models.Index(fields=["status", "lease_expires_at"], name="job_status_lease"),
                    models.Index(fields=["kind", "owner", "-created_at"], name="job_kind_owner"),
                ],
                "constraints": [
                    models.UniqueConstraint(
                        condition=models.Q(("status__in", ["pending", "running"]), models.Q(("dedupe_key", ""), _negated=True)),
                        fields=("kind", "dedupe_key"),
                        name="job_one_live_per_dedupe_key",
                    ),
                    models.CheckConstraint(
                        condition=models.Q(("status__in", ["pending", "running", "succeeded", "failed"])),
                        name="job_status_valid",
                    ),
                ],
            },
        ),
    ]
