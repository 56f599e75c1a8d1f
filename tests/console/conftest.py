"""The web console in a real browser: Debian's headless Chromium driven by Playwright, against a
whole server (daphne with its embedded worker, tests/stack.py) on the test database, with a fake
microphone that plays a committed speech recording.

Skipped, with the reason, where Playwright or Chromium is missing; CI installs both.
"""

from __future__ import annotations

import os
import shutil
import wave
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import numpy as np
import pytest

from tests.conftest import ROOT, _database_url_for_worker
from tests.stack import Stack

FIXTURES = ROOT / "tests" / "fixtures"
SCREENSHOTS = ROOT / "var" / "screenshots"
CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
DEMO_PASSWORD = "demo-password-123"
# Waits for work a person would watch a progress line for: Whisper's first load, a report job.
SLOW_MS = 120_000


def browser_tests_skipped() -> str | None:
    """Why the browser tests cannot run here, or None."""
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        return "Playwright is not installed (pip install -e '.[dev]')"
    if CHROMIUM is None:
        return "Debian's chromium is not installed (apt-get install -y chromium); .ci/run installs it"
    return None


@pytest.fixture(scope="module")
def console_server(
    django_db_setup: Any, django_db_blocker: Any, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Stack]:
    """One daphne process (HTTP, sockets and the embedded job worker) on the test database for
    the module's tests; each test's own rows are committed (transactional_db) so it sees them.
    Its uploads go to a folder of its own, removed afterwards: ids such as CONV-...-001 repeat
    between tests, and other tests expect no media of theirs to be there already."""
    with django_db_blocker.unblock():
        database_url = _database_url_for_worker()
    media = tmp_path_factory.mktemp("console-media")
    stack = Stack(database_url=database_url, redis_url=None, name="console", env={"MEDIA_ROOT": str(media)})
    stack.start_web()
    try:
        yield stack
    finally:
        stack.close()
        shutil.rmtree(media, ignore_errors=True)


@pytest.fixture(scope="module")
def playwright_driver() -> Iterator[Any]:
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an asyncio loop running in this thread, which Django takes for
    # an async context and refuses ORM calls in. The tests' own ORM calls are plain synchronous
    # code between browser steps, so Django's guard is lifted while the driver runs (the remedy
    # Playwright's and Django's docs give).
    previous = os.environ.get("DJANGO_ALLOW_ASYNC_UNSAFE")
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    try:
        with sync_playwright() as driver:
            yield driver
    finally:
        if previous is None:
            os.environ.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
        else:
            os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = previous


@pytest.fixture
def launch(playwright_driver: Any) -> Iterator[Callable[[Path], Any]]:
    """launch(wav) -> a page in a fresh headless Chromium whose microphone plays `wav`."""
    browsers: list[Any] = []

    def _launch(wav: Path) -> Any:
        browser = playwright_driver.chromium.launch(
            executable_path=CHROMIUM,
            headless=True,
            args=[
                "--use-fake-device-for-media-stream",
                "--use-fake-ui-for-media-stream",
                f"--use-file-for-fake-audio-capture={wav}",
                "--autoplay-policy=no-user-gesture-required",
            ],
        )
        browsers.append(browser)
        page = browser.new_page(viewport={"width": 1000, "height": 900})
        page.set_default_timeout(30_000)
        page.errors = []  # type: ignore[attr-defined]
        page.on("pageerror", lambda error: page.errors.append(str(error)))
        return page

    yield _launch
    for browser in browsers:
        browser.close()


def sign_in(page: Any, server: Stack, email: str, password: str = DEMO_PASSWORD) -> None:
    page.goto(f"{server.base_url}/console/")
    page.wait_for_url("**/console/login**")
    page.fill("input[name=username]", email)
    page.fill("input[name=password]", password)
    page.click("button[type=submit]")
    page.wait_for_url(f"{server.base_url}/console/")


def open_page(page: Any, title: str) -> None:
    """Follow the product's link in the top bar, as a person would, and wait until its script ran."""
    page.click(f"nav >> text={title}")
    page.wait_for_load_state("load")


def screenshot(page: Any, name: str) -> Path:
    """A full-page picture of what the person sees, kept as a CI artifact."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    page.screenshot(path=str(path), full_page=True)
    return path


def call_recording(path: Path) -> Path:
    """The committed two-voice service call (three chunks in three formats) joined into the one
    WAV a fake microphone can play."""
    from analysis.engines.audio import decode

    folder = FIXTURES / "conversations" / "analysis_call"
    samples = np.concatenate(
        [decode(folder / name).samples for name in ("chunk_1.wav", "chunk_2.ogg", "chunk_3.m4a")]
    )
    with wave.open(str(path), "wb") as out:
        out.setnchannels(1)
        out.setsampwidth(2)
        out.setframerate(16000)
        out.writeframes((np.clip(samples, -1, 1) * 32767).astype("<i2").tobytes())
    return path
