"""Transcription and report jobs of a recording are rows of the one job table now (deduplicated by
the media's id), so the media no longer keeps their Celery ids."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("interviews", "0001_initial"),
    ]

    operations = [
        migrations.RemoveField(model_name="practicemedia", name="report_job_at"),
        migrations.RemoveField(model_name="practicemedia", name="report_job_id"),
        migrations.RemoveField(model_name="practicemedia", name="transcript_job_at"),
        migrations.RemoveField(model_name="practicemedia", name="transcript_job_id"),
    ]
