"""Staff pages: questions they word and order, sessions with their answers, meetings to follow up,
and the analyses founders started (their dashboards, and a way to run one again)."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.html import format_html

from accounts.media_urls import signed_media_url
from review import services
from review.models import AnalysisSession, Answer, MeetingRequest, Question, ReviewSession


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["prompt", "order", "is_active", "key", "updated_at"]
    list_display_links = ["prompt"]
    list_editable = ["order", "is_active"]
    list_filter = ["is_active"]
    search_fields = ["prompt"]
    ordering = ["order", "id"]


class AnswerInline(admin.TabularInline):
    model = Answer
    extra = 0
    can_delete = False
    fields = ("question", "answer_text", "recording", "transcription_status", "transcript", "created_at")
    readonly_fields = fields

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="Audio")
    def recording(self, answer: Answer) -> str:
        if not answer.audio_file.name:
            return "-"
        return format_html('<a href="{}">listen</a>', signed_media_url(answer.audio_file.name))


class MeetingRequestInline(admin.TabularInline):
    model = MeetingRequest
    extra = 0
    fields = ["status", "email", "phone_number", "staff_note", "created_at"]
    # Status moves only through the actions, which go through meeting_request_set_status.
    readonly_fields = ["status", "email", "phone_number", "created_at"]


@admin.register(ReviewSession)
class ReviewSessionAdmin(admin.ModelAdmin):
    list_display = ["id", "email", "phone_number", "answer_count", "created_at", "completed_at"]
    list_filter = [("completed_at", admin.EmptyFieldListFilter)]
    search_fields = ["id", "email", "phone_number"]
    readonly_fields = ["id", "created_at", "updated_at", "completed_at"]
    inlines = [AnswerInline, MeetingRequestInline]
    date_hierarchy = "created_at"

    @admin.display(description="Answers")
    def answer_count(self, session: ReviewSession) -> int:
        return session.answers.count()


def _move_to(status: MeetingRequest.Status) -> Any:
    @admin.action(description=f"Mark selected as {status.label.lower()}")
    def action(
        modeladmin: MeetingRequestAdmin, request: HttpRequest, queryset: QuerySet[MeetingRequest]
    ) -> None:
        changed = sum(services.meeting_request_set_status(meeting_id=m.pk, status=status) for m in queryset)
        modeladmin.message_user(
            request, f"{changed} meeting request(s) marked {status.label.lower()}.", messages.SUCCESS
        )

    action.__name__ = f"mark_{status.value.lower()}"
    return action


@admin.register(MeetingRequest)
class MeetingRequestAdmin(admin.ModelAdmin):
    list_display = ["id", "session", "status", "email", "phone_number", "created_at", "updated_at"]
    list_filter = ["status"]
    search_fields = ["email", "phone_number", "session__id"]
    # Status moves only through the actions, which go through meeting_request_set_status.
    readonly_fields = ["session", "status", "email", "phone_number", "created_at", "updated_at"]
    fields = ["session", "status", "email", "phone_number", "staff_note", "created_at", "updated_at"]
    actions = [
        _move_to(status) for status in MeetingRequest.Status if status != MeetingRequest.Status.PENDING
    ]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False  # requests come from founders through the API


@admin.register(AnalysisSession)
class AnalysisSessionAdmin(admin.ModelAdmin):
    list_display = ["id", "review_session", "status", "engine", "created_at", "updated_at"]
    list_filter = ["source", "job__status"]
    search_fields = ["id", "review_session__id", "review_session__email"]
    date_hierarchy = "created_at"
    actions = ["run_again"]
    fields = (
        "id",
        "review_session",
        "source",
        "status",
        "job",
        "engine",
        "error",
        "created_at",
        "answers_pretty",
        "result_pretty",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[AnalysisSession]:
        return super().get_queryset(request).select_related("job", "review_session")

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
