"""Demo data for trying the products: each app with something to show provides `seeds.seed_demo()`."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction

from accounts.seeding import app_seed_modules


class Command(BaseCommand):
    help = "Create demo people, a customer and an opportunity (idempotent)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        for label, module in app_seed_modules("seed_demo"):
            self.stdout.write(f"{label}: {module.seed_demo()}")
