from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.http import HttpRequest

from conversations import ai, services
from conversations.models import Chunk, Conversation, Segment, UpsellCatalogEntry, VoiceProfile


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


class UpsellCatalogEntryForm(forms.ModelForm):
    class Meta:
        model = UpsellCatalogEntry
        fields = ["opportunity_type", "title", "price_low", "price_high", "is_active", "definition"]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        if self.errors:
            return cleaned
        candidate = UpsellCatalogEntry(**{k: v for k, v in cleaned.items() if k in self.Meta.fields})
        try:
            ai.validate_entry(candidate.as_entry())
        except ai.CatalogError as error:
            # The engine's own check: a bad cue pattern or template never reaches an analysis.
            raise forms.ValidationError(str(error)) from error
        return cleaned


@admin.register(UpsellCatalogEntry)
class UpsellCatalogEntryAdmin(admin.ModelAdmin):
    form = UpsellCatalogEntryForm
    list_display = ["opportunity_type", "title", "price_low", "price_high", "is_active", "updated_at"]
    list_editable = ["is_active"]
    search_fields = ["opportunity_type", "title"]

    def save_model(self, request: HttpRequest, obj: UpsellCatalogEntry, form: Any, change: bool) -> None:
        services.catalog_entry_save(entry=obj)
