"""Demo records for `manage.py seed_demo`."""

from __future__ import annotations

from reports.services import demo_records_seed


def seed_demo() -> str:
    opportunity = demo_records_seed()
    return f"customer {opportunity.customer.external_id}, opportunity {opportunity.external_id}"
