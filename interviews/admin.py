"""Admin pages: the question bank is edited here; sessions, media and reports are inspected."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from interviews.models import PracticeMedia, PracticeReport, PracticeSession, PracticeTurn, Question


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["content", "type", "topic", "difficulty", "is_active", "updated_at"]
    list_filter = ["type", "difficulty", "is_active", "topic"]
    search_fields = ["content", "topic", "slug", "explanation"]
    prepopulated_fields = {"slug": ["topic", "content"]}
    readonly_fields = ["created_at", "updated_at"]
    fieldsets = [
        (None, {"fields": ["slug", "content", "type", "topic", "difficulty", "is_active"]}),
        (
            "Who asks it and how it is judged",
            {
                "fields": ["interviewer_types", "key_points", "tags", "explanation"],
                "description": "JSON lists of strings. A key point may list cue terms in parentheses: "
                '"Measurable outcome (#metric, grew, reduced)"; #metric is a result with a number.',
            },
        ),
        ("Timestamps", {"fields": ["created_at", "updated_at"]}),
    ]


class PracticeTurnInline(admin.TabularInline):
    model = PracticeTurn
    extra = 0
    fields = readonly_fields = ("order", "question", "asked_at", "score", "scored_at")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class PracticeMediaInline(admin.TabularInline):
    model = PracticeMedia
    extra = 0
    fields = readonly_fields = ("media_type", "filename", "duration_seconds", "created_at", "transcribed_at")
    show_change_link = True

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(PracticeSession)
class PracticeSessionAdmin(admin.ModelAdmin):
    list_display = [
        "job_title",
        "interviewer_type",
        "user",
        "status",
        "duration_minutes",
        "created_at",
        "started_at",
    ]
    list_filter = ["interviewer_type", "status"]
    search_fields = ["job_title", "user__email", "id"]
    raw_id_fields = ["user"]
    readonly_fields = ["id", "created_at", "started_at", "ended_at"]
    inlines = [PracticeTurnInline, PracticeMediaInline]


@admin.register(PracticeMedia)
class PracticeMediaAdmin(admin.ModelAdmin):
    list_display = [
        "filename",
        "media_type",
        "session",
        "duration_seconds",
        "size_bytes",
        "created_at",
        "transcribed_at",
    ]
    list_filter = ["media_type"]
    search_fields = ["filename", "session__user__email", "id"]
    raw_id_fields = ["session", "turn"]
    readonly_fields = [
        "id", "file", "filename", "extension", "content_type", "size_bytes", "container", "duration_seconds",
        "has_video", "created_at", "transcript", "transcribed_at", "audio_features", "video_features",
        "features_at",
    ]  # fmt: skip


@admin.register(PracticeReport)
class PracticeReportAdmin(admin.ModelAdmin):
    list_display = ["media", "score", "engine", "generation_seconds", "created_at"]
    list_filter = ["engine"]
    search_fields = ["media__filename", "media__session__user__email"]
    readonly_fields = [
        "media", "feedback", "points", "answer_score", "score", "engine", "audio_features", "video_features",
        "generation_seconds", "created_at",
    ]  # fmt: skip
