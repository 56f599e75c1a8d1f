"""The production profile: no shared development key, secure transport settings, a Dockerfile
that can build. Each runs Django in a subprocess with the environment an operator would set."""

from __future__ import annotations

import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import jwt
import pytest
from django.conf import settings

from tests.conftest import ROOT

# What every checkout used to sign with when SECRET_KEY was unset.
FORMER_DEVELOPMENT_KEY = "dev-insecure-secret-key-set-SECRET_KEY-in-production"


def django(code: str, **env: str) -> subprocess.CompletedProcess[str]:
    clean = {k: v for k, v in os.environ.items() if k not in {"SECRET_KEY", "DJANGO_PRODUCTION"}}
    return subprocess.run(
        [sys.executable, "-c", f"import django; django.setup(); {code}"],
        cwd=ROOT,
        env={**clean, "DJANGO_SETTINGS_MODULE": "config.settings", **env},
        capture_output=True,
        text=True,
    )


@pytest.mark.parametrize("value", ["", "   ", "short-key"])
def test_an_empty_or_short_secret_key_stops_start_up_naming_it(value: str) -> None:
    result = django("", SECRET_KEY=value)
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr and "SECRET_KEY" in result.stderr.splitlines()[-1]


def test_production_without_a_secret_key_stops_start_up() -> None:
    result = django("", DJANGO_PRODUCTION="1")
    assert result.returncode != 0 and "SECRET_KEY must be set" in result.stderr


def test_without_a_secret_key_one_random_key_is_made_once_and_kept_private() -> None:
    # when two processes start with no SECRET_KEY
    first = django("from django.conf import settings; print(settings.SECRET_KEY)")
    second = django("from django.conf import settings; print(settings.SECRET_KEY)")
    # then both use the same key, stored under var/ for the owner only, and it is not a shared one
    stored = Path(settings.VAR_DIR) / "secret_key"
    assert first.stdout.strip() == second.stdout.strip() == stored.read_text().strip()
    assert len(stored.read_text().strip()) >= 50 and stored.stat().st_mode & 0o077 == 0
    assert first.stdout.strip() != FORMER_DEVELOPMENT_KEY


@pytest.mark.django_db
def test_a_token_signed_with_the_former_development_key_is_refused(api, alice_technician) -> None:
    forged = jwt.encode(
        {"token_type": "access", "user_id": alice_technician.pk, "exp": 4_000_000_000, "jti": "x"},
        FORMER_DEVELOPMENT_KEY,
        algorithm="HS256",
    )
    response = api.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {forged}")
    assert response.status_code == 401


def test_the_production_profile_passes_django_deploy_checks() -> None:
    env = {
        **{k: v for k, v in os.environ.items() if k not in {"SECRET_KEY"}},
        "DJANGO_SETTINGS_MODULE": "config.settings",
        "DJANGO_PRODUCTION": "1",
        "SECRET_KEY": secrets.token_urlsafe(50),
        "ALLOWED_HOSTS": "api.example.com",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    # and links built behind the proxy are https
    shown = django(
        "from django.conf import settings; print(settings.SECURE_PROXY_SSL_HEADER, settings.SECURE_HSTS_SECONDS)",
        DJANGO_PRODUCTION="1",
        SECRET_KEY=env["SECRET_KEY"],
    )
    assert shown.stdout.strip() == "('HTTP_X_FORWARDED_PROTO', 'https') 31536000"


def test_every_file_the_dockerfile_copies_exists() -> None:
    # docker build cannot run here (no engine); a COPY of a missing path is what broke it
    sources = []
    for line in (ROOT / "Dockerfile").read_text().splitlines():
        match = re.match(r"\s*COPY\s+(?!--from)(.+)\s+\S+\s*$", line)
        if match:
            sources += match.group(1).split()
    assert sources, "the Dockerfile copies nothing?"
    missing = [source for source in sources if not (ROOT / source).exists()]
    assert missing == []
