"""The OKR analysis model joins the review app (the OKR coach is one app now). State only: the
table `analysis_analysissession` and its rows stay exactly as they are."""

import uuid

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("review", "0001_initial"),
        ("analysis", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="AnalysisSession",
                    fields=[
                        ("id", models.UUIDField(default=uuid.uuid4, editable=False, primary_key=True, serialize=False)),
                        ("source", models.CharField(choices=[("review", "The review session's stored answers"), ("payload", "Answers sent with the start message")], max_length=8)),
                        ("status", models.CharField(choices=[("pending", "Pending"), ("running", "Running"), ("succeeded", "Succeeded"), ("failed", "Failed")], db_index=True, default="pending", max_length=10)),
                        ("answers", models.JSONField(blank=True, default=list)),
                        ("result", models.JSONField(blank=True, null=True)),
                        ("engine", models.CharField(blank=True, max_length=120)),
                        ("error", models.TextField(blank=True)),
                        ("progress_step", models.CharField(blank=True, max_length=40)),
                        ("run_token", models.UUIDField(default=uuid.uuid4)),
                        ("attempts", models.PositiveSmallIntegerField(default=0)),
                        ("queued_at", models.DateTimeField(blank=True, null=True)),
                        ("started_at", models.DateTimeField(blank=True, null=True)),
                        ("lease_expires_at", models.DateTimeField(blank=True, null=True)),
                        ("finished_at", models.DateTimeField(blank=True, null=True)),
                        ("created_at", models.DateTimeField(auto_now_add=True)),
                        ("updated_at", models.DateTimeField(auto_now=True)),
                        ("review_session", models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="analysis", to="review.reviewsession")),
                    ],
                    options={
                        "db_table": "analysis_analysissession",
                        "ordering": ["-created_at"],
                        "indexes": [models.Index(fields=["status", "lease_expires_at"], name="analysis_status_lease")],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
