"""Staff view of OKR analyses: status, error, the dashboard produced, and a way to run one again."""

from __future__ import annotations

import json

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from analysis import services
from analysis.models import AnalysisSession


@admin.register(AnalysisSession)
class AnalysisSessionAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "review_session",
        "status",
        "engine",
        "progress_step",
        "attempts",
        "created_at",
        "finished_at",
    ]
    list_filter = ["status", "source", "engine"]
    search_fields = ["id", "review_session__id", "review_session__email"]
    date_hierarchy = "created_at"
    actions = ["run_again"]
    fields = (
        "id",
        "review_session",
        "source",
        "status",
        "progress_step",
        "engine",
        "error",
        "attempts",
        "queued_at",
        "started_at",
        "lease_expires_at",
        "finished_at",
        "created_at",
        "answers_pretty",
        "result_pretty",
    )
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # analyses are started by founders over the socket

    @admin.display(description="Answers")
    def answers_pretty(self, analysis: AnalysisSession) -> str:
        return format_html("<pre>{}</pre>", json.dumps(analysis.answers, indent=2, ensure_ascii=False))

    @admin.display(description="Dashboard")
    def result_pretty(self, analysis: AnalysisSession) -> str:
        if analysis.result is None:
            return "-"
        return format_html("<pre>{}</pre>", json.dumps(analysis.result, indent=2, ensure_ascii=False))

    @admin.action(description="Run the selected analyses again")
    def run_again(self, request: HttpRequest, queryset: QuerySet[AnalysisSession]) -> None:
        restarted = 0
        for analysis in queryset:
            try:
                services.analysis_start(session_id=analysis.id)
                restarted += 1
            except services.AnalysisRejected as error:
                self.message_user(request, f"{analysis.id}: {error}", messages.WARNING)
        self.message_user(request, f"{restarted} analysis(es) queued again.", messages.SUCCESS)
