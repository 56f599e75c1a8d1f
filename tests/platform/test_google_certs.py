"""Google sign-in without a round trip to Google per login (issue 12, finding 6): certificates
cached by their Cache-Control, garbage refused before any fetch, and refusals that name no
verifier internals."""

from __future__ import annotations

import json
import threading
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

import pytest

from accounts.services import _CachedCertsRequest
from tests.platform.google import CLIENT_ID, FakeGoogleIssuer

pytestmark = pytest.mark.django_db


class CertServer:
    def __init__(self, issuer: FakeGoogleIssuer, cache_control: str) -> None:
        self.fetches = 0
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802
                server.fetches += 1
                body = json.dumps(issuer.certs()).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Cache-Control", cache_control)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        threading.Thread(target=self.httpd.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}/oauth2/v1/certs"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def issuer() -> FakeGoogleIssuer:
    return FakeGoogleIssuer()


@pytest.fixture
def cached_certs(settings: Any, issuer: FakeGoogleIssuer) -> Iterator[CertServer]:
    server = CertServer(issuer, "public, max-age=19000")
    settings.GOOGLE_OAUTH_CERTS_URL = server.url
    settings.GOOGLE_OAUTH_CLIENT_IDS = [CLIENT_ID]
    _CachedCertsRequest.forget()
    yield server
    server.close()
    _CachedCertsRequest.forget()


def test_certificates_are_fetched_once_for_many_sign_ins(api, alice_technician, issuer, cached_certs) -> None:
    for _ in range(5):
        response = api.post(
            "/auth/google/login", {"id_token": issuer.id_token(alice_technician.email)}, format="json"
        )
        assert response.status_code == 200
    assert cached_certs.fetches == 1


def test_a_token_that_is_not_a_jwt_is_refused_without_fetching_anything(api, cached_certs) -> None:
    for garbage in ("not-a-token", "a.b", "x" * 5000, "eyJ.e30.<script>"):
        response = api.post("/auth/google/login", {"id_token": garbage}, format="json")
        assert response.status_code == 401
        assert response.json()["error"]["message"] == "Invalid Google token"
    assert cached_certs.fetches == 0


def test_a_refusal_names_no_verifier_internals(api, alice_technician, issuer, cached_certs) -> None:
    wrong_audience = issuer.id_token(alice_technician.email, aud="someone-else.apps.googleusercontent.com")
    response = api.post("/auth/google/login", {"id_token": wrong_audience}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["message"] == "Invalid Google token"
    assert "someone-else" not in response.content.decode() and CLIENT_ID not in response.content.decode()
