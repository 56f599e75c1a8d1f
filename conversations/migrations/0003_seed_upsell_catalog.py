"""The default upsell catalog (conversations/data/upsell_catalog.json) as admin-editable rows.
Entries staff already have are left as they are."""

import json
from pathlib import Path

from django.db import migrations

CATALOG = Path(__file__).resolve().parent.parent / "data" / "upsell_catalog.json"


def seed(apps, schema_editor):
    Entry = apps.get_model("conversations", "UpsellCatalogEntry")
    for entry in json.loads(CATALOG.read_text(encoding="utf-8"))["opportunity_types"]:
        Entry.objects.get_or_create(
            opportunity_type=entry["opportunity_type"],
            defaults={
                "title": entry["title"],
                "price_low": entry["price"]["low"],
                "price_high": entry["price"]["high"],
                "definition": entry,
            },
        )


class Migration(migrations.Migration):
    dependencies = [("conversations", "0002_analysis_results")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
