"""The README's walkthroughs, run as written against a live server (issue 13).

Every fenced block after a `<!-- walkthrough: NAME -->` line is run by bash with `-euo pipefail`
in a scratch folder that sees the repository's `.venv`, `manage.py`, `scripts` and `tests` (the
relative paths a reader at the repository root uses); only the server's address is changed, from
127.0.0.1:8000 to the test server's port. A walkthrough that fails, or stops printing what the
README promises, fails here, so the README cannot drift from the code.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command

from tests.conftest import ROOT, _database_url_for_worker
from tests.stack import Stack

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(600)]

BLOCK = re.compile(r"<!-- walkthrough: (?P<name>[\w-]+) -->\n```bash\n(?P<script>.*?)\n```", re.DOTALL)

# What each walkthrough must print, as the README's comments promise it.
PROMISES: dict[str, list[str]] = {
    "start": ['"status": "ok"', "Superuser created successfully.", '"refresh_token"'],
    "seed": ["sign in with password 'demo-password-123'", "john.tech@example.com"],
    "okr": [
        '{"completed":true,"next":null}',
        '"type": "result"',
        '"scores":{"clarity":90,"measurability":80,"alignment":41,"execution_readiness":75,"overall":74}',
        '{"metric":"active sellers","baseline":"400","target":"800","due":"December 2026"}',
        '"status": "ok"',
    ],
    "live": ['"detected_seniority":"senior"', '"type": "feedback"', '"recommendation": "No Hire"'],
    "reports": [
        "## Risk Assessment",
        "SAP team availability may delay the integration",
        "Return on investment",
    ],
    "practice": ["In my last role", "Overall", '"type": "metrics"'],
    "conversations": [
        '"total_segments": 10',
        '["technician","Hi, I\'m Sam from ',
        "Service call for Phoenix Mills Ltd.",
        '"title":"Fire Pump Replacement"',
    ],
}


def walkthroughs() -> dict[str, str]:
    readme = (ROOT / "README.md").read_text()
    return {match["name"]: match["script"] for match in BLOCK.finditer(readme)}


def test_every_product_has_a_walkthrough_with_its_promises() -> None:
    assert set(walkthroughs()) == set(PROMISES)


@pytest.fixture
def server(transactional_db: Any, tmp_path: Path) -> Iterator[tuple[Stack, Path, dict[str, str]]]:
    if shutil.which("jq") is None or shutil.which("curl") is None:
        pytest.skip("the README's walkthroughs need curl and jq (apt-get install -y curl jq)")
    from conversations.services import catalog_seed

    # What `make run` leaves in a fresh database (migrations seed the upsell catalog; transactional
    # tests before this one may have flushed it).
    call_command("seed_questions", stdout=open(os.devnull, "w"))  # noqa: SIM115
    catalog_seed()
    redis_url = os.environ.get("REDIS_URL") or None
    with Stack(
        database_url=_database_url_for_worker(), redis_url=redis_url, name="readme", web="daphne"
    ) as stack:
        stack.start_web()
        if redis_url:
            stack.start_worker()
        for name in (".venv", "manage.py", "scripts", "tests"):
            (tmp_path / name).symlink_to(ROOT / name)
        yield stack, tmp_path, stack.env


@pytest.mark.parametrize("name", list(PROMISES))
def test_the_readme_walkthrough_runs_as_written(
    name: str, server: tuple[Stack, Path, dict[str, str]]
) -> None:
    stack, folder, env = server
    if name not in ("seed", "start"):
        call_command("seed_demo", stdout=open(os.devnull, "w"))  # noqa: SIM115 - the README's first step
    script = walkthroughs()[name].replace("127.0.0.1:8000", f"127.0.0.1:{stack.port}")
    # given the block as the README shows it, when bash runs it
    run = subprocess.run(
        ["bash", "-euo", "pipefail", "-c", script],
        cwd=folder,
        env=env,
        capture_output=True,
        text=True,
        timeout=500,
    )
    printed = run.stdout + run.stderr
    # then it finishes and prints what the README says it prints
    assert run.returncode == 0, printed
    missing = [promise for promise in PROMISES[name] if promise not in printed]
    assert not missing, f"{missing} not in:\n{printed}"
