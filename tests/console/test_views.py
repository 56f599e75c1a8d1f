"""The console's Django side without a browser: sign-in, the pages, the token it hands the page,
and the security headers the pages rely on."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from console.views import LOGIN_ATTEMPTS_PER_MINUTE, PAGES
from tests.conftest import PASSWORD, ROOT

pytestmark = pytest.mark.django_db


def signed_in(user: User) -> Client:
    client = Client(enforce_csrf_checks=True)
    client.force_login(user)
    return client


def csrf_of(client: Client) -> str:
    page = client.get("/console/")
    return re.search(r'name="csrf-token" content="([^"]+)"', page.content.decode()).group(1)  # type: ignore[union-attr]


def test_every_console_page_asks_an_anonymous_visitor_to_sign_in(client: Client) -> None:
    for path in ["/console/", *(f"/console/{page.slug}" for page in PAGES)]:
        # when someone not signed in opens a page
        response = client.get(path)
        # then they are sent to the login form, to come back afterwards
        assert response.status_code == 302, path
        assert response["Location"].startswith("/console/login?next=")


def test_console_without_its_slash_leads_to_the_console(client: Client) -> None:
    assert client.get("/console")["Location"] == "/console/"


def test_signing_in_with_the_form_opens_the_console(client: Client, carol_candidate: User) -> None:
    # given the login form
    assert "Sign in" in client.get("/console/login").content.decode()
    # when Carol signs in with her account's email (in any case) and password
    response = client.post("/console/login", {"username": "Carol@Example.com", "password": PASSWORD})
    # then she lands on the console, which lists every product page
    assert response.status_code == 302 and response["Location"] == "/console/"
    home = client.get("/console/").content.decode()
    for page in PAGES:
        assert page.title in home


def test_a_wrong_password_is_refused_on_the_form(client: Client, carol_candidate: User) -> None:
    response = client.post("/console/login", {"username": "carol@example.com", "password": "wrong"})
    assert response.status_code == 200
    assert "Please enter a correct email and password" in response.content.decode()
    assert client.get("/console/").status_code == 302


def test_password_guessing_on_the_console_form_is_limited(
    client: Client, carol_candidate: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    import time as real_time
    from types import SimpleNamespace

    from accounts import ratelimit

    # The counters are one-minute windows: the clock is held inside one, so that the attempts
    # cannot straddle a boundary and start counting again.
    held = (real_time.time() // 60) * 60 + 30
    monkeypatch.setattr(ratelimit, "time", SimpleNamespace(time=lambda: held))
    # given an attacker guessing Carol's password
    for _ in range(LOGIN_ATTEMPTS_PER_MINUTE):
        client.post("/console/login", {"username": "carol@example.com", "password": "guess"})
    # when they try once more, even with the right password
    response = client.post("/console/login", {"username": "carol@example.com", "password": PASSWORD})
    # then the form refuses for a minute and nobody is signed in
    assert response.status_code == 429
    assert response["Retry-After"] == "60"
    assert "Too many sign-in attempts" in response.content.decode()
    assert client.get("/console/").status_code == 302


def test_each_product_page_loads_its_own_script_under_a_strict_policy(carol_candidate: User) -> None:
    client = signed_in(carol_candidate)
    for page in PAGES:
        response = client.get(f"/console/{page.slug}/")
        assert response.status_code == 200, page.slug
        body = response.content.decode()
        assert f'<script type="module" src="/static/console/{page.slug}.js"></script>' in body
        # no inline script anywhere: the policy below would block it
        assert not re.search(r"<script(?![^>]*\bsrc=)", body)
        policy = response["Content-Security-Policy"]
        assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy
        assert "connect-src 'self' ws://testserver wss://testserver" in policy


def test_every_static_module_the_pages_import_exists() -> None:
    static = ROOT / "console" / "static" / "console"
    for script in static.rglob("*.js"):
        for target in re.findall(r'from "(\.[^"]+)"', script.read_text()):
            assert (script.parent / target).resolve().is_file(), f"{script.name} imports {target}"


def test_the_token_endpoint_gives_the_session_user_a_working_bearer_token(carol_candidate: User) -> None:
    # given Carol signed in to the console
    client = signed_in(carol_candidate)
    # when her page asks for a token with the CSRF token of the page
    response = client.post("/console/token", HTTP_X_CSRFTOKEN=csrf_of(client))
    # then it is a bearer token of the one issuer, and the practice API accepts it as Carol
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    assert body["token_type"] == "bearer" and body["expires_in"] == 3600
    assert response["Cache-Control"] == "no-store"
    sessions = Client().get("/interview/sessions", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
    assert sessions.status_code == 200
    me = Client().get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {body['access_token']}")
    assert me.json()["email"] == "carol@example.com"


def test_the_token_endpoint_refuses_other_sites_and_strangers(client: Client, carol_candidate: User) -> None:
    # a page on another site can send Carol's session cookie but not the page's CSRF token
    assert signed_in(carol_candidate).post("/console/token").status_code == 403
    # nobody signed in gets a token
    anonymous = client.post("/console/token")
    assert anonymous.status_code == 401
    assert anonymous.json() == {"detail": "Sign in to the console first."}
    # and it is never handed out on a GET
    assert signed_in(carol_candidate).get("/console/token").status_code == 405


def test_the_reports_page_offers_staff_the_admin_to_create_a_key(carol_candidate: User) -> None:
    assert (
        "create a key in the admin"
        not in signed_in(carol_candidate).get("/console/reports/").content.decode()
    )
    carol_candidate.is_staff = True
    carol_candidate.save(update_fields=["is_staff"])
    page = signed_in(carol_candidate).get("/console/reports/").content.decode()
    assert 'href="/admin/reports/apikey/add/"' in page


def test_the_console_copy_of_the_section_titles_matches_the_api() -> None:
    from reports.catalog import SECTION_TITLES

    source = (ROOT / "console" / "static" / "console" / "report-catalog.js").read_text()
    for report_type, titles in SECTION_TITLES.items():
        block = re.search(rf"{report_type.value}: \[(.*?)\]", source, re.S)
        assert block, report_type
        assert re.findall(r'"([^"]+)"', block.group(1)) == list(titles)
