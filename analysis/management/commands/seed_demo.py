"""Demo data for trying the products: each app with something to show provides `seeds.seed_demo()`."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand
from django.db import transaction


class Command(BaseCommand):
    help = "Create demo people, a customer and an opportunity (idempotent)."

    @transaction.atomic
    def handle(self, *args: Any, **options: Any) -> None:
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.seeds")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.seeds":
                    raise
                continue
            if hasattr(module, "seed_demo"):
                self.stdout.write(f"{config.label}: {module.seed_demo()}")
