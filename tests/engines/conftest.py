"""Where the engine tests find their media. Django-free: these tests run with or without pytest-django."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

AUDIO_FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "audio"


@pytest.fixture(scope="session")
def audio_dir() -> Path:
    return AUDIO_FIXTURES


@pytest.fixture(scope="session")
def audio_truth() -> dict[str, Any]:
    """Ground truth written by scripts/make_audio_fixtures.py alongside the media."""
    return json.loads((AUDIO_FIXTURES / "truth.json").read_text())
