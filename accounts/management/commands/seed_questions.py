"""Seeds every product's default questions. Each app that has some provides `seeds.seed_questions()`;
running it twice changes nothing."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from accounts.seeding import app_seed_modules


class Command(BaseCommand):
    help = "Create or update the default OKR questions and the interview question bank (idempotent)."

    def handle(self, *args: Any, **options: Any) -> None:
        seeded = 0
        for label, module in app_seed_modules("seed_questions"):
            created, updated = module.seed_questions()
            seeded += 1
            self.stdout.write(f"{label}: {created} created, {updated} updated")
        if not seeded:
            self.stdout.write("no question sets to seed")
