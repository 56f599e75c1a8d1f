"""The admin as the supervisor's console (issue 15).

Supervisors (role `supervisor`, with staff status to log in) see their team's calls and nothing
else: every queryset is scoped by role (a superuser sees everything; other staff only their own
calls). A call's page reads like a report, not like rows of JSON: the insight, the transcript
with speakers and the moments that matter marked, and the opportunities and coaching moments
of the current analysis. Supervisors read calls but do not edit them; the coach platform
(`coaching.admin`) adds feedback and upsell status changes on top of these pages.

Staff editing the upsell catalog keep the engine's own validation (`UpsellCatalogEntryForm`).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.db.models import Count, IntegerField, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest
from django.urls import NoReverseMatch, reverse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from accounts.models import User
from accounts.selectors import team_technicians
from conversations import ai, services
from conversations.models import (
    Chunk,
    CoachingMoment,
    Conversation,
    Insight,
    Segment,
    UpsellCatalogEntry,
    UpsellOpportunity,
    VoiceProfile,
)

# --------------------------------------------------------------------------------------------
# Who sees what


def is_console_supervisor(user: Any) -> bool:
    """A supervisor using the console (superusers are not scoped and keep every right)."""
    return bool(
        getattr(user, "is_active", False)
        and getattr(user, "is_staff", False)
        and not getattr(user, "is_superuser", False)
        and getattr(user, "role", None) == User.Role.SUPERVISOR
    )


def scope_to_team(queryset: QuerySet[Any], user: Any, technician_path: str) -> QuerySet[Any]:
    """Rows whose technician (at `technician_path`) the user may see: all for a superuser, the
    team's (and their own) for a supervisor, their own for anyone else."""
    if getattr(user, "is_superuser", False):
        return queryset
    if getattr(user, "role", None) == User.Role.SUPERVISOR:
        team = team_technicians(supervisor=user).values("pk")
        return queryset.filter(Q(**{f"{technician_path}__in": team}) | Q(**{technician_path: user.pk}))
    return queryset.filter(**{technician_path: user.pk})


class ConsoleAccess:
    """Supervisors read these pages without Django model permissions (their role is the
    permission); `console_can_change`/`console_can_add`/`console_can_delete` say what else they may
    do. Superusers and other staff keep Django's permissions."""

    console_can_change = False
    console_can_add = False
    console_can_delete = False

    def has_module_permission(self, request: HttpRequest) -> bool:
        return is_console_supervisor(request.user) or super().has_module_permission(request)  # type: ignore[misc]

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_console_supervisor(request.user) or super().has_view_permission(request, obj)  # type: ignore[misc]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_console_supervisor(request.user):
            return self.console_can_change
        return super().has_change_permission(request, obj)  # type: ignore[misc]

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        if is_console_supervisor(request.user):
            return self.console_can_add
        return super().has_add_permission(request, *args)  # type: ignore[misc]

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        if is_console_supervisor(request.user):
            return self.console_can_delete
        return super().has_delete_permission(request, obj)  # type: ignore[misc]


# --------------------------------------------------------------------------------------------
# Reading a call


def clock(seconds: float | None) -> str:
    if seconds is None:
        return "–"
    total = int(round(seconds))
    return f"{total // 60}:{total % 60:02d}"


def satisfaction_text(score: int | None) -> str:
    return "not analysed" if score is None else f"{score}/100 ({score / 20:.1f} of 5)"


def admin_link(obj: Any, text: str) -> SafeString:
    """A link to the object's admin page, or the text when it has none."""
    try:
        url = reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])
    except NoReverseMatch:
        return format_html("{}", text)
    return format_html('<a href="{}">{}</a>', url, text)


def _current_count(model: type[Any]) -> Coalesce:
    rows = model.objects.filter(conversation=OuterRef("pk"), analysis__is_current=True)
    counted = rows.order_by().values("conversation").annotate(n=Count("id")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


def insight_panel(conversation: Conversation) -> SafeString:
    insight = Insight.objects.filter(conversation=conversation, analysis__is_current=True).first()
    if insight is None:
        reason = f": {conversation.analysis_error}" if conversation.analysis_error else ""
        return format_html(
            "<p>No analysis yet (the call is {}{}).</p>", conversation.get_status_display(), reason
        )

    def items(values: list[str]) -> SafeString:
        return format_html_join("", "<li>{}</li>", ((v,) for v in values)) or format_html("<li>–</li>")

    return format_html(
        '<div class="coach-insight"><p style="font-size:1.05em">{}</p>'
        "<p><strong>Sentiment</strong> {} · <strong>Customer satisfaction</strong> {}</p>"
        "<p><strong>Key topics</strong></p><ul>{}</ul>"
        "<p><strong>Went well</strong></p><ul>{}</ul>"
        "<p><strong>To improve</strong></p><ul>{}</ul>"
        "<p><strong>Action items</strong></p><ul>{}</ul>"
        '<p style="color:#666">Engine: {} · analysed {}</p></div>',
        insight.summary,
        insight.overall_sentiment,
        satisfaction_text(insight.customer_satisfaction_score),
        items(insight.key_topics),
        items(insight.positive_keywords),
        items(insight.improvement_keywords),
        items(insight.action_items),
        insight.engine,
        insight.created_at.strftime("%Y-%m-%d %H:%M"),
    )


def transcript_panel(conversation: Conversation) -> SafeString:
    segments = list(
        Segment.objects.filter(conversation=conversation, is_final=True, is_retracted=False).order_by(
            "start_time", "id"
        )
    )
    if not segments:
        return format_html("<p>{}</p>", "No transcript yet.")
    opportunities = {
        o.segment_id: o
        for o in UpsellOpportunity.objects.filter(conversation=conversation, analysis__is_current=True)
        if o.segment_id
    }
    moments = list(CoachingMoment.objects.filter(conversation=conversation, analysis__is_current=True))
    rows = []
    for segment in segments:
        marks = []
        if segment.pk in opportunities:
            marks.append(format_html('<span title="upsell">💡 {}</span>', opportunities[segment.pk].title))
        for moment in moments:
            if segment.start_time <= moment.timestamp_in_call <= segment.end_time:
                marks.append(format_html('<span title="coaching">🎯 {}</span>', moment.title))
        colour = "#205493" if segment.speaker_type == "technician" else "#8a4b00"
        rows.append(
            format_html(
                '<tr><td style="white-space:nowrap;color:#666">{}</td>'
                '<td style="white-space:nowrap;color:{};font-weight:bold">{}</td><td>{}</td><td>{}</td></tr>',
                clock(segment.start_time),
                colour,
                segment.get_speaker_type_display(),
                segment.text,
                format_html_join(" ", "{}", ((m,) for m in marks)),
            )
        )
    return format_html(
        '<table class="coach-transcript"><thead><tr><th>at</th><th>speaker</th><th>said</th><th></th>'
        "</tr></thead><tbody>{}</tbody></table>",
        format_html_join("", "{}", ((row,) for row in rows)),
    )


class UpsellOpportunityInline(ConsoleAccess, admin.TabularInline):
    model = UpsellOpportunity
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = "upsell opportunities (current analysis)"
    readonly_fields = (
        "title_link",
        "priority",
        "status",
        "estimated_value",
        "actual_value",
        "at",
        "trigger_phrase",
    )
    fields = readonly_fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[UpsellOpportunity]:
        return super().get_queryset(request).filter(analysis__is_current=True)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # statuses move on the opportunity's own page, through the pipeline rules

    @admin.display(description="opportunity")
    def title_link(self, opportunity: UpsellOpportunity) -> SafeString:
        return admin_link(opportunity, opportunity.title)

    @admin.display(description="at")
    def at(self, opportunity: UpsellOpportunity) -> str:
        return clock(opportunity.timestamp_in_call)


class CoachingMomentInline(ConsoleAccess, admin.TabularInline):
    model = CoachingMoment
    extra = 0
    max_num = 0
    can_delete = False
    verbose_name_plural = "coaching moments (current analysis)"
    readonly_fields = (
        "at",
        "severity",
        "category",
        "title",
        "what_happened",
        "what_should_happen",
        "example_better_response",
    )
    fields = readonly_fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[CoachingMoment]:
        return super().get_queryset(request).filter(analysis__is_current=True)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="at")
    def at(self, moment: CoachingMoment) -> str:
        return clock(moment.timestamp_in_call)


class ChunkInline(admin.TabularInline):
    model = Chunk
    extra = 0
    can_delete = False
    readonly_fields = (
        "sequence",
        "state",
        "container",
        "size_bytes",
        "duration_seconds",
        "offset_seconds",
        "error",
    )
    fields = readonly_fields


@admin.register(Conversation)
class ConversationAdmin(ConsoleAccess, admin.ModelAdmin):
    # Supervisors may "change" a call only so that the coach platform's inlines (feedback) save;
    # every field of the call itself stays read-only for them.
    console_can_change = True
    list_display = [
        "public_id",
        "technician_name",
        "customer_name",
        "status",
        "started_at",
        "duration",
        "satisfaction",
        "upsells_count",
        "coaching_moments_count",
    ]
    list_filter = ["status"]
    list_select_related = ["technician"]
    date_hierarchy = "started_at"
    search_fields = ["public_id", "customer_name", "technician__email", "technician__full_name"]
    call_fields = [
        "public_id",
        "technician",
        "customer_name",
        "customer_phone",
        "location_address",
        "service_job_id",
        "service_job_title",
        "status",
        "started_at",
        "ended_at",
        "duration",
        "satisfaction",
    ]
    panels = ["insight", "transcript"]
    internals = ["day", "number", "speaker_runs", "carry_from", "transcript_completed_at", "analysis_error"]
    inlines = [UpsellOpportunityInline, CoachingMomentInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Conversation]:
        calls = scope_to_team(super().get_queryset(request), request.user, "technician")
        return calls.annotate(
            upsells=_current_count(UpsellOpportunity), moments=_current_count(CoachingMoment)
        )

    def get_fieldsets(self, request: HttpRequest, obj: Any = None) -> Any:
        call = self.call_fields
        if not request.user.is_superuser:  # type: ignore[union-attr]
            call = ["technician_name" if name == "technician" else name for name in call]
        fieldsets: list[Any] = [
            ("Call", {"fields": call}),
            ("Insights", {"fields": ["insight"]}),
            ("Transcript", {"fields": ["transcript"]}),
        ]
        if request.user.is_superuser:  # type: ignore[union-attr]
            fieldsets.append(("Internals", {"fields": self.internals, "classes": ["collapse"]}))
        return fieldsets

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        always = ["public_id", "technician_name", "duration", "satisfaction", *self.panels, *self.internals]
        if request.user.is_superuser:  # type: ignore[union-attr]
            return always
        return [*self.call_fields, *always]

    def get_inlines(self, request: HttpRequest, obj: Any) -> Any:
        inlines = list(super().get_inlines(request, obj))
        return [*inlines, ChunkInline] if request.user.is_superuser else inlines  # type: ignore[union-attr]

    def save_model(self, request: HttpRequest, obj: Conversation, form: Any, change: bool) -> None:
        if is_console_supervisor(request.user):
            return  # nothing of the call is theirs to edit; only the inlines are saved
        super().save_model(request, obj, form, change)

    @admin.display(description="technician", ordering="technician__full_name")
    def technician_name(self, conversation: Conversation) -> str:
        return conversation.technician.full_name or conversation.technician.email

    @admin.display(description="length")
    def duration(self, conversation: Conversation) -> str:
        return clock(conversation.duration_seconds)

    @admin.display(description="satisfaction", ordering="customer_satisfaction_score")
    def satisfaction(self, conversation: Conversation) -> str:
        return satisfaction_text(conversation.customer_satisfaction_score)

    @admin.display(description="upsells", ordering="upsells")
    def upsells_count(self, conversation: Conversation) -> int:
        return getattr(conversation, "upsells", 0)

    @admin.display(description="coaching", ordering="moments")
    def coaching_moments_count(self, conversation: Conversation) -> int:
        return getattr(conversation, "moments", 0)

    @admin.display(description="insight")
    def insight(self, conversation: Conversation) -> SafeString:
        return insight_panel(conversation)

    @admin.display(description="transcript")
    def transcript(self, conversation: Conversation) -> SafeString:
        return transcript_panel(conversation)


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
