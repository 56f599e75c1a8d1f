"""Admin pages: the question bank is edited here; practice sessions, media and reports, and live
interview sessions with their questions, answers and scores, are inspected."""

from __future__ import annotations

from django.contrib import admin
from django.http import HttpRequest

from interviews.models import (
    LiveDocument,
    LiveSession,
    LiveTurn,
    PracticeMedia,
    PracticeReport,
    PracticeSession,
    PracticeTurn,
    Question,
)


@admin.register(Question)
class QuestionAdmin(admin.ModelAdmin):
    list_display = ["content", "type", "topic", "difficulty", "role_tags", "is_active", "updated_at"]
    list_filter = ["type", "difficulty", "is_active", "topic"]
    search_fields = ["content", "topic", "slug", "explanation"]
    prepopulated_fields = {"slug": ["topic", "content"]}
    readonly_fields = ["created_at", "updated_at"]

    @admin.display(description="role tags")
    def role_tags(self, question: Question) -> str:
        # The live interviewer matches these against the role and job description.
        return ", ".join(question.tags)

    fieldsets = [
        (None, {"fields": ["slug", "content", "type", "topic", "difficulty", "is_active"]}),
        (
            "Who asks it and how it is judged",
            {
                "fields": ["interviewer_types", "key_points", "tags", "explanation"],
                "description": "JSON lists of strings. A key point may list cue terms in parentheses: "
                '"Measurable outcome (#metric, grew, reduced)"; #metric is a result with a number. '
                "Tags are the role tags: the live interviewer prefers questions whose tags the role or the "
                "job description mention.",
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


# --------------------------------------------------------------------------------------------
# Live mock interview: sessions with their documents and questions, read-only (they are the
# record of an interview); the question bank above is what staff edit.


class _ReadOnlyInline(admin.StackedInline):
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


class LiveTurnInline(_ReadOnlyInline):
    model = LiveTurn
    fields = readonly_fields = (
        "order", "source", "topic", "difficulty", "content", "focus_area", "answer_text", "answer_source",
        "followup_question", "followup_reason", "followup_answer_text", "technical", "design", "communication",
        "overall", "asked_at", "answered_at", "scored_at",
    )  # fmt: skip


class LiveDocumentInline(admin.TabularInline):
    model = LiveDocument
    extra = 0
    can_delete = False
    fields = readonly_fields = ("kind", "filename", "format", "role", "size_bytes", "pages", "created_at")

    def has_add_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False


@admin.register(LiveSession)
class LiveSessionAdmin(admin.ModelAdmin):
    list_display = [
        "id",
        "role",
        "phase",
        "detected_seniority",
        "recommendation",
        "memory_opt_in",
        "created_at",
    ]
    list_filter = ["phase", "status", "detected_seniority", "recommendation", "memory_opt_in"]
    search_fields = ["id", "job_description__role"]
    readonly_fields = [
        "id", "status", "phase", "memory_opt_in", "is_voice_enabled", "resume", "job_description",
        "detected_seniority", "profile", "question_plan", "duration_minutes", "max_questions", "created_at",
        "started_at", "ended_at", "end_reason", "report", "recommendation", "reported_at", "answers_erased_at",
    ]  # fmt: skip
    inlines = [LiveDocumentInline, LiveTurnInline]

    @admin.display(description="role")
    def role(self, session: LiveSession) -> str:
        return session.role

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False  # staff with view permission see every field, read-only
