from __future__ import annotations

from django.contrib import admin

from conversations.models import Chunk, Conversation, Segment, VoiceProfile


class ChunkInline(admin.TabularInline):
    model = Chunk
    extra = 0
    can_delete = False
    fields = ["sequence", "state", "container", "size_bytes", "duration_seconds", "offset_seconds", "error"]
    readonly_fields = fields


class SegmentInline(admin.TabularInline):
    model = Segment
    extra = 0
    can_delete = False
    fields = ["start_time", "end_time", "speaker_type", "text", "confidence", "is_final", "is_retracted"]
    readonly_fields = fields


@admin.register(Conversation)
class ConversationAdmin(admin.ModelAdmin):
    list_display = ["public_id", "technician", "customer_name", "status", "started_at", "duration_seconds"]
    list_filter = ["status"]
    search_fields = ["public_id", "customer_name", "technician__email"]
    readonly_fields = ["public_id", "day", "number", "speaker_runs", "carry_from", "transcript_completed_at"]
    inlines = [ChunkInline, SegmentInline]


@admin.register(VoiceProfile)
class VoiceProfileAdmin(admin.ModelAdmin):
    list_display = ["user", "calls", "updated_at"]
    readonly_fields = ["model", "calls"]
