"""`manage.py create_api_key NAME`: prints a new X-API-Key once; only its hash is stored."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError, CommandParser

from reports import services
from reports.models import ApiKey


class Command(BaseCommand):
    help = "Create an X-API-Key for the report routes and print it once (it is stored hashed)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("name", help="who the key is for, e.g. 'sales-frontend'")

    def handle(self, *args: Any, name: str, **options: Any) -> None:
        name = name.strip()
        if not name or len(name) > 100:
            raise CommandError("NAME must be 1-100 characters")
        if ApiKey.objects.filter(name=name).exists():
            raise CommandError(
                f"an API key named {name!r} already exists; revoke it in admin or pick another name"
            )
        api_key, raw_key = services.api_key_create(name=name)
        self.stdout.write(raw_key)
        self.stderr.write(
            f"Created API key {api_key.name!r} ({api_key.prefix}…). Copy it now: it is not shown again."
        )
