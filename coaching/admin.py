"""The supervisor's console, coach half: feedback on calls, the upsell pipeline, webhook endpoints
and their delivery log, and the team dashboard. Built on `conversations.admin` (role scoping,
readable call pages); every write goes through `coaching.services`, so the console obeys the same
rules as the API (pipeline moves, webhooks after commit)."""

from __future__ import annotations

import json
from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest, HttpResponse
from django.template.response import TemplateResponse
from django.utils.html import format_html, format_html_join
from django.utils.safestring import SafeString

from accounts.models import Team, User
from coaching import charts, selectors, services
from coaching.models import CallFeedback, TeamDashboard, WebhookAttempt, WebhookDelivery, WebhookEndpoint
from coaching.selectors.periods import user_time_zone
from conversations.admin import (
    ConsoleAccess,
    ConversationAdmin,
    admin_link,
    clock,
    is_console_supervisor,
    scope_to_team,
)
from conversations.exceptions import ConversationError
from conversations.models import Conversation, UpsellOpportunity

RATINGS = [("", "–"), *[(n, f"{n} / 5") for n in range(1, 6)]]

# --------------------------------------------------------------------------------------------
# Feedback on a call's page


class FeedbackForm(forms.ModelForm):
    # No rating is chosen for the supervisor: an untouched form stays unsaved, not "1 / 5".
    overall_rating = forms.TypedChoiceField(choices=RATINGS, coerce=int, empty_value=None)
    rapport_rating = forms.TypedChoiceField(choices=RATINGS, coerce=int, required=False, empty_value=None)
    technical_rating = forms.TypedChoiceField(choices=RATINGS, coerce=int, required=False, empty_value=None)
    upsell_rating = forms.TypedChoiceField(choices=RATINGS, coerce=int, required=False, empty_value=None)

    class Meta:
        model = CallFeedback
        fields = [
            "overall_rating",
            "rapport_rating",
            "technical_rating",
            "upsell_rating",
            "strengths",
            "areas_for_improvement",
            "is_training_example",
        ]
        widgets = {
            "strengths": forms.Textarea(attrs={"rows": 2}),
            "areas_for_improvement": forms.Textarea(attrs={"rows": 2}),
        }

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        conversation = Conversation.objects.filter(pk=self.instance.conversation_id).first()
        if conversation is not None and conversation.ended_at is None:
            raise ValidationError("The call is still being recorded: give feedback once it has ended.")
        return cleaned


def _feedback_fields(form: forms.ModelForm) -> dict[str, Any]:
    return {name: form.cleaned_data.get(name) for name in FeedbackForm.Meta.fields}


class CallFeedbackInline(ConsoleAccess, admin.StackedInline):
    model = CallFeedback
    form = FeedbackForm
    console_can_add = True
    can_delete = False
    extra = 0
    verbose_name_plural = "supervisor feedback"
    readonly_fields = ["given_by", "given_at"]

    @admin.display(description="given by")
    def given_by(self, feedback: CallFeedback) -> str:
        return feedback.supervisor.full_name if feedback.pk and feedback.supervisor else "–"

    @admin.display(description="given at")
    def given_at(self, feedback: CallFeedback) -> str:
        return feedback.created_at.strftime("%Y-%m-%d %H:%M") if feedback.pk else "–"

    def get_extra(self, request: HttpRequest, obj: Any = None, **kwargs: Any) -> int:
        return (
            1 if obj is not None and obj.ended_at is not None and self.has_add_permission(request, obj) else 0
        )

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False  # feedback is a record: what was said (and announced) stays


admin.site.unregister(Conversation)


@admin.register(Conversation)
class CoachConversationAdmin(ConversationAdmin):
    inlines = [*ConversationAdmin.inlines, CallFeedbackInline]

    def save_formset(self, request: HttpRequest, form: Any, formset: Any, change: bool) -> None:
        if formset.model is not CallFeedback:
            super().save_formset(request, form, formset, change)
            return
        # What the admin's change message and log read after a formset save.
        formset.new_objects, formset.changed_objects, formset.deleted_objects = [], [], []
        for feedback_form in formset.forms:
            if feedback_form.instance.pk is None and feedback_form.has_changed():
                formset.new_objects.append(
                    services.feedback_submit(
                        conversation=form.instance,
                        supervisor=request.user,  # type: ignore[arg-type]
                        **_feedback_fields(feedback_form),
                    )
                )


@admin.register(CallFeedback)
class CallFeedbackAdmin(ConsoleAccess, admin.ModelAdmin):
    console_can_add = True
    form = FeedbackForm
    list_display = [
        "conversation",
        "technician",
        "supervisor",
        "overall_rating",
        "is_training_example",
        "created_at",
    ]
    list_filter = ["is_training_example", "overall_rating"]
    list_select_related = ["conversation__technician", "supervisor"]
    search_fields = ["conversation__public_id", "conversation__technician__full_name", "strengths"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[CallFeedback]:
        return scope_to_team(super().get_queryset(request), request.user, "conversation__technician")

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ["conversation", *FeedbackForm.Meta.fields]
        return fields if obj is None else [*fields, "supervisor", "created_at"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if obj is None else [*self.get_fields(request, obj)]

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False if obj is not None else super().has_change_permission(request, obj)

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "conversation":
            calls = Conversation.objects.filter(ended_at__isnull=False).select_related("technician")
            kwargs["queryset"] = scope_to_team(calls, request.user, "technician").order_by("-started_at")[
                :500
            ]
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: CallFeedback, form: Any, change: bool) -> None:
        saved = services.feedback_submit(
            conversation=form.cleaned_data["conversation"],
            supervisor=request.user,  # type: ignore[arg-type]
            **_feedback_fields(form),
        )
        obj.pk = saved.pk

    @admin.display(description="technician")
    def technician(self, feedback: CallFeedback) -> str:
        return feedback.conversation.technician.full_name


# --------------------------------------------------------------------------------------------
# The upsell pipeline


class OpenFilter(admin.SimpleListFilter):
    title = "pipeline"
    parameter_name = "pipeline"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, str]]:
        return [("open", "Open (identified, presented, quoted)"), ("closed", "Closed")]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        closed = [UpsellOpportunity.Status.CLOSED_WON, UpsellOpportunity.Status.CLOSED_LOST]
        if self.value() == "open":
            return queryset.exclude(status__in=closed)
        if self.value() == "closed":
            return queryset.filter(status__in=closed)
        return queryset


class UpsellStatusForm(forms.ModelForm):
    class Meta:
        model = UpsellOpportunity
        fields = ["status", "actual_value", "notes"]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        try:
            services.upsell_status_check(
                current=self.instance.status,
                wanted=cleaned.get("status", ""),
                actual_value=cleaned.get("actual_value"),
            )
        except ConversationError as error:
            raise ValidationError(error.message) from error
        return cleaned


def _move(status: str, label: str) -> Any:
    def action(model_admin: Any, request: HttpRequest, queryset: QuerySet[UpsellOpportunity]) -> None:
        moved, refused = 0, []
        for opportunity in queryset:
            try:
                services.upsell_status_change(opportunity=opportunity, user=request.user, status=status)  # type: ignore[arg-type]
                moved += 1
            except ConversationError as error:
                refused.append(f"{opportunity.title}: {error.message}")
        if moved:
            model_admin.message_user(
                request, f"{moved} opportunit{'y' if moved == 1 else 'ies'} marked {label}."
            )
        for reason in refused:
            model_admin.message_user(request, reason, messages.WARNING)

    action.__name__ = f"mark_{status}"
    return admin.action(description=f"Mark selected as {label}")(action)


@admin.register(UpsellOpportunity)
class UpsellOpportunityAdmin(ConsoleAccess, admin.ModelAdmin):
    console_can_change = True
    form = UpsellStatusForm
    list_display = [
        "title",
        "call",
        "technician",
        "status",
        "priority",
        "estimated_value",
        "actual_value",
        "created_at",
    ]
    list_filter = [OpenFilter, "status", "priority", "opportunity_type"]
    list_select_related = ["conversation__technician"]
    search_fields = ["title", "conversation__public_id", "conversation__customer_name", "trigger_phrase"]
    actions = [
        _move("presented", "presented"),
        _move("quoted", "quoted"),
        _move("closed_lost", "closed lost"),
    ]
    readonly_fields = [
        "call",
        "technician",
        "customer",
        "title",
        "opportunity_type",
        "description",
        "trigger_phrase",
        "at",
        "confidence",
        "estimated_value",
        "priority",
        "status_changed_at",
        "closed_at",
        "history",
    ]
    fieldsets = [
        (None, {"fields": ["call", "technician", "customer", "title", "opportunity_type", "description"]}),
        ("What the customer said", {"fields": ["trigger_phrase", "at", "confidence"]}),
        ("Value", {"fields": ["estimated_value", "priority"]}),
        (
            "Pipeline",
            {
                "fields": ["status", "actual_value", "notes", "status_changed_at", "closed_at", "history"],
                "description": "identified → presented → quoted → closed won / closed lost: forward only, "
                "steps may be skipped; a closed opportunity does not reopen. Closing as won needs the actual value.",
            },
        ),
    ]

    def get_queryset(self, request: HttpRequest) -> QuerySet[UpsellOpportunity]:
        current = super().get_queryset(request).filter(analysis__is_current=True)
        return scope_to_team(current, request.user, "conversation__technician")

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False  # opportunities come from the analysis

    def save_model(self, request: HttpRequest, obj: UpsellOpportunity, form: Any, change: bool) -> None:
        services.upsell_status_change(
            opportunity=obj,
            user=request.user,  # type: ignore[arg-type]
            status=form.cleaned_data["status"],
            actual_value=form.cleaned_data.get("actual_value"),
            notes=form.cleaned_data.get("notes"),
        )

    @admin.display(description="call", ordering="conversation__started_at")
    def call(self, opportunity: UpsellOpportunity) -> SafeString:
        return admin_link(opportunity.conversation, opportunity.conversation.public_id)

    @admin.display(description="technician")
    def technician(self, opportunity: UpsellOpportunity) -> str:
        return opportunity.conversation.technician.full_name

    @admin.display(description="customer")
    def customer(self, opportunity: UpsellOpportunity) -> str:
        return opportunity.conversation.customer_name

    @admin.display(description="at")
    def at(self, opportunity: UpsellOpportunity) -> str:
        return clock(opportunity.timestamp_in_call)

    @admin.display(description="history")
    def history(self, opportunity: UpsellOpportunity) -> SafeString:
        changes = selectors.opportunity_history(opportunity=opportunity)
        if not changes:
            return format_html("{}", "No changes yet.")
        rows = (
            (
                change.changed_at.strftime("%Y-%m-%d %H:%M"),
                change.get_from_status_display(),
                change.get_to_status_display(),
                "" if change.actual_value is None else f"{change.actual_value:,.2f}",
                change.changed_by.full_name if change.changed_by else "–",
                change.notes,
            )
            for change in changes
        )
        return format_html(
            "<table><tr><th>when</th><th>from</th><th>to</th><th>value</th><th>by</th><th>notes</th></tr>{}</table>",
            format_html_join(
                "", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows
            ),
        )


# --------------------------------------------------------------------------------------------
# Webhooks


def _team_of(user: Any) -> int | None:
    return getattr(user, "team_id", None)


class WebhookEndpointForm(forms.ModelForm):
    event_types = forms.MultipleChoiceField(
        choices=[(name, name) for name in services.EVENT_TYPES],
        widget=forms.CheckboxSelectMultiple,
        required=False,
        help_text="None ticked: every event.",
    )

    class Meta:
        model = WebhookEndpoint
        fields = ["team", "url", "description", "event_types", "is_active"]

    def clean_url(self) -> str:
        url = self.cleaned_data["url"]
        if getattr(settings, "PRODUCTION", False) and not url.startswith("https://"):
            raise ValidationError("Webhooks are sent over https only.")
        return url


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ConsoleAccess, admin.ModelAdmin):
    console_can_change = True
    console_can_add = True
    console_can_delete = True
    form = WebhookEndpointForm
    list_display = ["url", "description", "team", "events", "is_active", "created_at"]
    list_filter = ["is_active"]
    actions = ["send_test", "rotate_secret"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[WebhookEndpoint]:
        endpoints = super().get_queryset(request).select_related("team")
        if request.user.is_superuser:  # type: ignore[union-attr]
            return endpoints
        return endpoints.filter(team_id=_team_of(request.user))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        if is_console_supervisor(request.user) and _team_of(request.user) is None:
            return False  # endpoints belong to a team
        return super().has_add_permission(request, *args)

    def get_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        fields = ["url", "description", "event_types", "is_active"]
        if request.user.is_superuser:  # type: ignore[union-attr]
            fields = ["team", *fields]
        return fields if obj is None else [*fields, "signing_secret", "recent_deliveries"]

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> Any:
        return [] if obj is None else ["signing_secret", "recent_deliveries"]

    def save_model(self, request: HttpRequest, obj: WebhookEndpoint, form: Any, change: bool) -> None:
        if not request.user.is_superuser:  # type: ignore[union-attr]
            obj.team_id = _team_of(request.user)  # type: ignore[assignment]
        if not change:
            obj.created_by = request.user  # type: ignore[assignment]
        super().save_model(request, obj, form, change)

    @admin.display(description="events")
    def events(self, endpoint: WebhookEndpoint) -> str:
        return ", ".join(endpoint.event_types) or "all"

    @admin.display(description="signing secret")
    def signing_secret(self, endpoint: WebhookEndpoint) -> SafeString:
        return format_html(
            "<code>{}</code><p class='help'>Keep it in the receiver: each delivery carries "
            '<code>X-Webhook-Signature: sha256=HMAC-SHA256(secret, timestamp + "." + body)</code>. '
            "See the README (Webhooks) for the check.</p>",
            endpoint.secret,
        )

    @admin.display(description="recent deliveries")
    def recent_deliveries(self, endpoint: WebhookEndpoint) -> SafeString:
        rows = (
            (
                admin_link(d, d.event_type),
                d.get_status_display(),
                d.attempts,
                d.last_status_code or "–",
                d.created_at.strftime("%Y-%m-%d %H:%M"),
            )
            for d in endpoint.deliveries.order_by("-created_at")[:10]
        )
        if not endpoint.deliveries.exists():
            return format_html("{}", "No deliveries yet: try the “Send a test delivery” action.")
        return format_html(
            "<table><tr><th>event</th><th>status</th><th>attempts</th><th>last answer</th><th>at</th></tr>{}</table>",
            format_html_join("", "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>", rows),
        )

    @admin.action(description="Send a test delivery")
    def send_test(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        for endpoint in queryset:
            services.webhook_test_send(endpoint=endpoint, user=request.user)  # type: ignore[arg-type]
        self.message_user(request, f"Test deliveries queued for {queryset.count()} endpoint(s).")

    @admin.action(description="Rotate the signing secret")
    def rotate_secret(self, request: HttpRequest, queryset: QuerySet[WebhookEndpoint]) -> None:
        from coaching.models import _webhook_secret

        for endpoint in queryset:
            endpoint.secret = _webhook_secret()
            endpoint.save(update_fields=["secret", "updated_at"])
        self.message_user(request, "New secrets set: update your receivers before the next delivery.")


class WebhookAttemptInline(ConsoleAccess, admin.TabularInline):
    model = WebhookAttempt
    extra = 0
    max_num = 0
    can_delete = False
    readonly_fields = (
        "number",
        "requested_at",
        "duration_ms",
        "status_code",
        "outcome",
        "error",
        "response_excerpt",
    )
    fields = readonly_fields

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ConsoleAccess, admin.ModelAdmin):
    list_display = [
        "created_at",
        "event_type",
        "endpoint",
        "status",
        "attempts",
        "last_status_code",
        "delivered_at",
    ]
    list_filter = ["status", "event_type"]
    list_select_related = ["endpoint"]
    readonly_fields = (
        "id",
        "endpoint",
        "event_type",
        "status",
        "attempts",
        "round_attempts",
        "max_attempts",
        "next_attempt_at",
        "last_status_code",
        "last_error",
        "last_response",
        "delivered_at",
        "created_at",
        "payload",
    )
    fields = readonly_fields
    inlines = [WebhookAttemptInline]
    actions = ["resend"]

    def get_queryset(self, request: HttpRequest) -> QuerySet[WebhookDelivery]:
        deliveries = super().get_queryset(request)
        if request.user.is_superuser:  # type: ignore[union-attr]
            return deliveries
        return deliveries.filter(endpoint__team_id=_team_of(request.user))

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    @admin.display(description="body")
    def payload(self, delivery: WebhookDelivery) -> SafeString:
        try:
            pretty = json.dumps(json.loads(delivery.body), indent=2, ensure_ascii=False)
        except ValueError:
            pretty = delivery.body
        return format_html("<pre style='white-space:pre-wrap'>{}</pre>", pretty)

    # Resending is not a change of the log: whoever may read it may ask for it.
    @admin.action(description="Resend the selected deliveries", permissions=["view"])
    def resend(self, request: HttpRequest, queryset: QuerySet[WebhookDelivery]) -> None:
        sent = sum(services.webhook_delivery_resend(delivery=delivery) for delivery in queryset)
        skipped = queryset.count() - sent
        self.message_user(request, f"{sent} delivery(ies) queued again.")
        if skipped:
            self.message_user(
                request, f"{skipped} still in flight: they will be sent anyway.", messages.WARNING
            )


# --------------------------------------------------------------------------------------------
# The team dashboard


def _dashboard_team(request: HttpRequest) -> tuple[Team | None, list[User], str]:
    user: Any = request.user
    if user.is_superuser:
        team = Team.objects.filter(pk=request.GET.get("team") or 0).first() or Team.objects.first()
        if team is None:
            return None, [], "UTC"
        members = list(
            User.objects.filter(team=team, role=User.Role.TECHNICIAN, is_active=True).order_by(
                "full_name", "id"
            )
        )
        return team, members, team.time_zone
    return user.team, selectors.team_members(supervisor=user), user_time_zone(user)


@admin.register(TeamDashboard)
class TeamDashboardAdmin(ConsoleAccess, admin.ModelAdmin):
    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return is_console_supervisor(request.user) or bool(getattr(request.user, "is_superuser", False))

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self.has_view_permission(request)

    def changelist_view(
        self, request: HttpRequest, extra_context: dict[str, Any] | None = None
    ) -> HttpResponse:
        if not self.has_view_permission(request):
            raise PermissionDenied
        team, members, time_zone = _dashboard_team(request)
        series = selectors.team_weekly_series(members=members, time_zone=time_zone)

        def label(week: dict[str, Any]) -> str:
            return week["week_start"].strftime("%d %b")

        chart_list = [
            charts.bar_chart(
                "Calls per week", [(label(w), float(w["calls"])) for w in series], fmt=lambda v: f"{v:,.0f}"
            ),
            charts.bar_chart(
                "Customer satisfaction (1-5)",
                [(label(w), w["avg_satisfaction"]) for w in series],
                fmt=lambda v: f"{v:.1f}",
                ceiling=5.0,
                gridlines=5,
            ),
            charts.bar_chart(
                "Upsell revenue per week",
                [(label(w), w["upsell_revenue"]) for w in series],
                fmt=lambda v: f"{v:,.0f}",
            ),
        ]
        ids = [member.pk for member in members]
        context = {
            **self.admin_site.each_context(request),
            "title": f"Team dashboard: {team.name}" if team else "Team dashboard",
            "opts": self.model._meta,
            "team": team,
            "teams": Team.objects.all() if getattr(request.user, "is_superuser", False) else [],
            "time_zone": time_zone,
            "charts": chart_list,
            "series": series,
            "leaderboard": selectors.leaderboard(members=members, kind="weekly", time_zone=time_zone),
            "technicians": selectors.team_technicians_stats(members=members, time_zone=time_zone),
            "open": selectors.open_pipeline(technician_ids=ids, time_zone=time_zone),
            "open_list": selectors.open_opportunities(technician_ids=ids),
            **(extra_context or {}),
        }
        return TemplateResponse(request, "admin/coaching/team_dashboard.html", context)
