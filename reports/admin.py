"""Admin for report sections: API keys (create shows the key once; revoke), the customer and
opportunity records sections are written from, and the read-only audit trail of sections."""

from __future__ import annotations

from typing import Any

from django.contrib import admin, messages
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from reports import services
from reports.models import ApiKey, Customer, Opportunity, SectionRecord


@admin.register(ApiKey)
class ApiKeyAdmin(admin.ModelAdmin):
    list_display = ["name", "prefix", "is_active", "created_at", "revoked_at"]
    list_filter = ["is_active"]
    search_fields = ["name", "prefix"]
    readonly_fields = ["prefix", "is_active", "created_at", "revoked_at"]
    fields = ["name", "prefix", "is_active", "created_at", "revoked_at"]
    actions = ["revoke"]

    def save_model(self, request: HttpRequest, obj: ApiKey, form: ModelForm, change: bool) -> None:
        if change:
            obj.save(update_fields=["name"])
            return
        # The key is made by the service (hash stored, plain key shown once), not by the form.
        api_key, raw_key = services.api_key_create(name=obj.name)
        obj.pk, obj.prefix, obj.key_hash = api_key.pk, api_key.prefix, api_key.key_hash
        self.message_user(
            request,
            f"API key for {api_key.name}: {raw_key} — copy it now, it is not shown again.",
            messages.WARNING,
        )

    @admin.action(description="Revoke selected API keys")
    def revoke(self, request: HttpRequest, queryset: QuerySet[ApiKey]) -> None:
        for api_key in queryset.filter(is_active=True):
            services.api_key_revoke(api_key=api_key)
        self.message_user(request, "Revoked.", messages.SUCCESS)


class OpportunityInline(admin.TabularInline):
    model = Opportunity
    fields = ["external_id", "name", "stage", "estimated_cost", "target_on"]
    extra = 0
    show_change_link = True


@admin.register(Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ["external_id", "name", "industry", "region", "employee_count", "updated_at"]
    search_fields = ["external_id", "name", "industry"]
    inlines = [OpportunityInline]


@admin.register(Opportunity)
class OpportunityAdmin(admin.ModelAdmin):
    list_display = [
        "external_id",
        "name",
        "customer",
        "stage",
        "estimated_cost",
        "budget_amount",
        "target_on",
    ]
    list_filter = ["stage", "pricing_model"]
    search_fields = ["external_id", "name", "customer__name", "customer__external_id"]
    autocomplete_fields = ["customer"]
    fieldsets = (
        (None, {"fields": ("customer", "external_id", "name", "stage", "description", "notes")}),
        (
            "Scope",
            {"fields": ("objectives", "requirements", "proposed_solution", "deliverables", "exclusions")},
        ),
        ("Technology", {"fields": ("technologies", "integrations", "compliance")}),
        ("People", {"fields": ("stakeholders", "resources")}),
        ("Risks and assumptions", {"fields": ("risks", "assumptions", "dependencies", "alternatives")}),
        (
            "Money",
            {
                "fields": (
                    "currency",
                    "budget_amount",
                    "estimated_cost",
                    "expected_annual_benefit",
                    "benefits",
                    "pricing_model",
                    "payment_terms",
                )
            },
        ),
        ("Dates", {"fields": ("start_on", "target_on", "duration_weeks")}),
    )


@admin.register(SectionRecord)
class SectionRecordAdmin(admin.ModelAdmin):
    """The audit trail: never edited or deleted from the admin."""

    list_display = ["created_at", "kind", "report_type", "section_title", "customer_ref", "opportunity_ref", "api_key_name", "session_id", "engine"]  # fmt: skip
    list_filter = ["kind", "report_type", "engine", "api_key_name"]
    search_fields = ["job_id", "session_id", "customer_ref", "opportunity_ref", "section_title"]
    date_hierarchy = "created_at"

    def get_readonly_fields(self, request: HttpRequest, obj: Any = None) -> list[str]:
        return [field.name for field in SectionRecord._meta.fields]

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False
