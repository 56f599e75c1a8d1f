"""Run the analytics rollup now (beat runs it every five minutes; the embedded mode has no beat)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandParser

from coaching import services


class Command(BaseCommand):
    help = "Roll every time zone's analytics up to now (--force: every day again, from the first call)."

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument(
            "--force", action="store_true", help="recompute every day, not only the recent ones"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        for zone in services.rollup_run(force=options["force"]):
            self.stdout.write(
                f"{zone['time_zone']}: from {zone['from']}, until {zone['rolled_until']}, {zone['rows']} rows"
            )
