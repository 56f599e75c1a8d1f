"""Report sections: who may call (API keys), what a section is written from (customers and their
opportunities, kept in admin) and every section ever produced (the audit trail).

Job state itself is not here: jobs run on the one job runner (`analysis.jobs`, kind `reports.section`).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone

from reports.catalog import ReportType


class ApiKey(models.Model):
    """An `X-API-Key` for the report routes. Only a SHA-256 of the key is stored: keys are 256-bit
    random tokens, so a fast hash is enough and a leaked table does not leak usable keys."""

    name = models.CharField(max_length=100, unique=True)
    prefix = models.CharField(max_length=12, help_text="first characters of the key, to recognise it")
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    is_active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name = "API key"

    def __str__(self) -> str:
        return f"{self.name} ({self.prefix}…)"


class Customer(models.Model):
    """A customer as the frontend names it (`customer_id`), with what a writer needs to know."""

    external_id = models.CharField("customer id", max_length=100, unique=True)
    name = models.CharField(max_length=200)
    industry = models.CharField(max_length=120, blank=True)
    region = models.CharField(max_length=120, blank=True)
    employee_count = models.PositiveIntegerField(null=True, blank=True)
    annual_revenue = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    description = models.TextField(blank=True, help_text="who the customer is and what they do")
    current_state = models.TextField(
        blank=True, help_text="today's systems, processes and pain points, in sentences"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} [{self.external_id}]"


LINES_HELP = "one item per line"


class Opportunity(models.Model):
    """One deal with a customer (`opportunity_id`). List fields hold one item per line so that
    sales people can fill them in the admin without learning a format."""

    class Stage(models.TextChoices):
        QUALIFICATION = "qualification", "Qualification"
        DISCOVERY = "discovery", "Discovery"
        PROPOSAL = "proposal", "Proposal"
        NEGOTIATION = "negotiation", "Negotiation"
        WON = "won", "Won"
        LOST = "lost", "Lost"

    class PricingModel(models.TextChoices):
        UNSET = "", "Not decided"
        FIXED_PRICE = "fixed_price", "Fixed price"
        TIME_AND_MATERIALS = "time_and_materials", "Time and materials"
        SUBSCRIPTION = "subscription", "Subscription"

    customer = models.ForeignKey(Customer, on_delete=models.CASCADE, related_name="opportunities")
    external_id = models.CharField("opportunity id", max_length=100)
    name = models.CharField(max_length=200)
    stage = models.CharField(max_length=20, choices=Stage.choices, default=Stage.DISCOVERY)
    description = models.TextField(blank=True, help_text="the need or problem, in sentences")
    objectives = models.TextField(blank=True, help_text=LINES_HELP)
    requirements = models.TextField(
        blank=True, help_text=f"{LINES_HELP}; 'must'/'should'/'could' set priority"
    )
    proposed_solution = models.TextField(blank=True)
    technologies = models.TextField(blank=True, help_text=LINES_HELP)
    integrations = models.TextField(blank=True, help_text=f"{LINES_HELP}: 'System: purpose'")
    compliance = models.TextField(blank=True, help_text=f"{LINES_HELP}: standards and regulations")
    stakeholders = models.TextField(blank=True, help_text=f"{LINES_HELP}: 'Name: role'")
    resources = models.TextField(blank=True, help_text=f"{LINES_HELP}: '2 backend engineers'")
    deliverables = models.TextField(blank=True, help_text=LINES_HELP)
    exclusions = models.TextField(blank=True, help_text=f"{LINES_HELP}: what is out of scope")
    risks = models.TextField(blank=True, help_text=f"{LINES_HELP}: 'risk | likelihood | impact | mitigation'")
    assumptions = models.TextField(blank=True, help_text=LINES_HELP)
    dependencies = models.TextField(blank=True, help_text=LINES_HELP)
    alternatives = models.TextField(blank=True, help_text=f"{LINES_HELP}: 'Option: description'")
    benefits = models.TextField(blank=True, help_text=LINES_HELP)
    currency = models.CharField(max_length=3, default="USD")
    budget_amount = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    estimated_cost = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    expected_annual_benefit = models.DecimalField(max_digits=16, decimal_places=2, null=True, blank=True)
    pricing_model = models.CharField(max_length=20, choices=PricingModel.choices, blank=True, default="")
    payment_terms = models.TextField(blank=True)
    start_on = models.DateField(null=True, blank=True)
    target_on = models.DateField(null=True, blank=True, help_text="go-live date the customer wants")
    duration_weeks = models.PositiveIntegerField(null=True, blank=True, help_text="our delivery estimate")
    notes = models.TextField(blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["customer__name", "name"]
        verbose_name_plural = "opportunities"
        constraints = [
            models.UniqueConstraint(
                fields=["customer", "external_id"], name="opportunity_unique_per_customer"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} [{self.external_id}]"


class SectionRecord(models.Model):
    """Every section the service produced, kept after its job expires: who asked (API key and
    Session-Id), when, with which engine, and the text."""

    class Kind(models.TextChoices):
        GENERATE = "generate", "Generate"
        REFINE = "refine", "Refine"

    job_id = models.UUIDField(unique=True)
    kind = models.CharField(max_length=10, choices=Kind.choices)
    report_type = models.CharField(max_length=30, choices=[(t.value, t.value) for t in ReportType])
    section_title = models.CharField(max_length=100)
    customer_ref = models.CharField("customer id", max_length=100)
    opportunity_ref = models.CharField("opportunity id", max_length=100)
    opportunity = models.ForeignKey(
        Opportunity, null=True, blank=True, on_delete=models.SET_NULL, related_name="sections"
    )
    api_key_name = models.CharField(max_length=100)
    session_id = models.CharField(max_length=200)
    engine = models.CharField(max_length=120)
    prompt = models.TextField(blank=True)
    source_text = models.TextField(blank=True, help_text="the text a refinement started from")
    text = models.TextField()
    requested_at = models.DateTimeField()
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at"]
        indexes = [models.Index(fields=["session_id", "created_at"])]

    def __str__(self) -> str:
        return f"{self.kind} {self.report_type} / {self.section_title} ({self.job_id})"
