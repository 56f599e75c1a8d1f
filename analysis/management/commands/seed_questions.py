"""Seeds every product's default questions. Each app that has some provides `seeds.seed_questions()`;
running it twice changes nothing."""

from __future__ import annotations

from importlib import import_module
from typing import Any

from django.apps import apps
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Create or update the default OKR questions and the interview question bank (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        seeded = 0
        for config in apps.get_app_configs():
            try:
                module = import_module(f"{config.name}.seeds")
            except ModuleNotFoundError as error:
                if error.name != f"{config.name}.seeds":
                    raise
                continue
            if not hasattr(module, "seed_questions"):
                continue
            created, updated = module.seed_questions()
            seeded += 1
            self.stdout.write(f"{config.label}: {created} created, {updated} updated")
        if not seeded:
            self.stdout.write("no question sets to seed")
