"""Operators' view of the job table: every product's slow work, where it stands and how it ended."""

from __future__ import annotations

import json

from django.contrib import admin
from django.http import HttpRequest
from django.utils.html import format_html

from analysis.models import Job


@admin.register(Job)
class JobAdmin(admin.ModelAdmin):
    list_display = ["id", "kind", "status", "step", "attempts", "owner", "created_at", "finished_at"]
    list_filter = ["kind", "status", "error_code"]
    search_fields = ["id", "owner", "dedupe_key"]
    date_hierarchy = "created_at"
    fields = (
        "id",
        "kind",
        "owner",
        "status",
        "step",
        "error_code",
        "error",
        "attempts",
        "max_attempts",
        "sends",
        "queued_at",
        "started_at",
        "lease_expires_at",
        "finished_at",
        "expires_at",
        "inputs_pretty",
        "progress_pretty",
        "result_pretty",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # jobs are made by the products' services

    def has_change_permission(self, request: HttpRequest, obj: Job | None = None) -> bool:
        return False  # a job changes only through the runner's conditional updates

    @staticmethod
    def _pretty(value: object) -> str:
        return format_html("<pre>{}</pre>", json.dumps(value, indent=2, ensure_ascii=False)[:20000])

    @admin.display(description="Inputs")
    def inputs_pretty(self, job: Job) -> str:
        return self._pretty(job.inputs)

    @admin.display(description="Progress")
    def progress_pretty(self, job: Job) -> str:
        return self._pretty(job.progress)

    @admin.display(description="Result")
    def result_pretty(self, job: Job) -> str:
        return self._pretty(job.result) if job.result is not None else "-"
