from __future__ import annotations

import io
import time
from collections.abc import Iterator

import pytest
from rest_framework_simplejwt.tokens import AccessToken

from accounts.models import User
from accounts.services import tokens_issue
from tests.conftest import PASSWORD, bearer
from tests.loopback import json_server
from tests.platform.google import CLIENT_ID, FakeGoogleIssuer

pytestmark = pytest.mark.django_db


# --- /auth/token (interview-practice dialect: {"detail": ...}) ---------------------------------


def test_token_login_with_form_body_returns_bearer_token(api, carol_candidate):
    response = api.post(
        "/auth/token", {"username": "CAROL@example.com", "password": PASSWORD}, format="multipart"
    )
    assert response.status_code == 200
    body = response.json()
    assert set(body) == {"access_token", "token_type", "refresh_token"}
    assert body["token_type"] == "bearer"
    assert AccessToken(body["access_token"])["user_id"] == str(carol_candidate.pk)


def test_token_login_accepts_urlencoded_body(api, carol_candidate):
    response = api.generic(
        "POST",
        "/auth/token",
        f"username=carol@example.com&password={PASSWORD.replace(' ', '+')}",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200


def test_token_login_wrong_password_is_401_with_detail(api, carol_candidate):
    response = api.post("/auth/token", {"username": "carol@example.com", "password": "nope"})
    assert response.status_code == 401
    assert response.json() == {"detail": "Incorrect username or password"}


def test_token_login_missing_field_is_400_detail(api):
    response = api.post("/auth/token", {"username": "carol@example.com"})
    assert response.status_code == 400
    assert "password" in response.json()["detail"]


# --- /auth/me and JWT (conversation-intelligence dialect) -------------------------------------


def test_me_returns_profile_with_team_and_supervisor(api, alice_technician, bob_supervisor):
    response = api.get("/auth/me", **bearer(alice_technician))
    assert response.status_code == 200
    body = response.json()
    assert body["user_id"] == f"USER-{alice_technician.pk:05d}"
    assert body["role"] == "technician"
    assert body["phone"] == "+14155550123"
    assert body["team"] == {"team_id": f"TEAM-{alice_technician.team.pk:03d}", "name": "Main Team"}
    assert body["supervisor"] == {"user_id": bob_supervisor.public_id, "full_name": "Bob Supervisor"}


def test_me_without_token_is_401_in_error_envelope(api):
    response = api.get("/auth/me")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHORIZED"


def test_me_with_expired_token_is_401(api, alice_technician):
    token = AccessToken.for_user(alice_technician)
    token.set_exp(lifetime=-__import__("datetime").timedelta(seconds=5))
    response = api.get("/auth/me", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code == 401
    error = response.json()["error"]
    assert error["code"] == "UNAUTHORIZED"
    assert "expired" in error["message"].lower() or "not valid" in error["message"].lower()


def test_me_with_garbage_token_is_401(api):
    response = api.get("/auth/me", HTTP_AUTHORIZATION="Bearer not.a.jwt")
    assert response.status_code == 401


def test_refresh_issues_a_new_access_token(api, alice_technician):
    from accounts.services import tokens_issue

    pair = tokens_issue(user=alice_technician)
    response = api.post("/auth/refresh", {"refresh_token": pair.refresh}, format="json")
    assert response.status_code == 200
    body = response.json()
    assert body["expires_in"] == 3600
    assert AccessToken(body["access_token"])["user_id"] == str(alice_technician.pk)


def test_refresh_rejects_an_access_token_and_garbage(api, alice_technician):
    from accounts.services import tokens_issue

    pair = tokens_issue(user=alice_technician)
    for bad in (pair.access, "garbage"):
        response = api.post("/auth/refresh", {"refresh_token": bad}, format="json")
        assert response.status_code == 401
        assert response.json()["error"]["code"] == "UNAUTHORIZED"


def test_refresh_missing_field_is_422_validation_error(api):
    response = api.post("/auth/refresh", {}, format="json")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert "refresh_token" in error["message"]


# --- /auth/google/login against a loopback certificate server --------------------------------


@pytest.fixture
def google(settings) -> Iterator[FakeGoogleIssuer]:
    issuer = FakeGoogleIssuer()
    with json_server(lambda path: (200, issuer.certs())) as base:
        settings.GOOGLE_OAUTH_CERTS_URL = f"{base}/oauth2/v1/certs"
        settings.GOOGLE_OAUTH_CLIENT_IDS = [CLIENT_ID]
        settings.GOOGLE_OAUTH_ALLOWED_DOMAINS = ["clarahvac.com"]
        yield issuer


def test_google_login_existing_user_gets_tokens_and_profile(api, google, alice_technician):
    response = api.post(
        "/auth/google/login", {"id_token": google.id_token("alice@example.com")}, format="json"
    )
    assert response.status_code == 200
    body = response.json()
    assert body["expires_in"] == 3600
    assert body["user"]["user_id"] == alice_technician.public_id
    assert body["user"]["role"] == "technician"
    assert AccessToken(body["access_token"])["user_id"] == str(alice_technician.pk)
    assert (
        api.post("/auth/refresh", {"refresh_token": body["refresh_token"]}, format="json").status_code == 200
    )


def test_google_login_enrols_new_user_from_allowed_domain_as_technician(api, google):
    response = api.post(
        "/auth/google/login", {"id_token": google.id_token("new.tech@clarahvac.com")}, format="json"
    )
    assert response.status_code == 200
    user = User.objects.get(email="new.tech@clarahvac.com")
    assert user.role == User.Role.TECHNICIAN
    assert response.json()["user"]["full_name"] == "Test Person"


def test_google_login_unknown_domain_is_403(api, google):
    response = api.post("/auth/google/login", {"id_token": google.id_token("eve@gmail.com")}, format="json")
    assert response.status_code == 403
    assert response.json()["error"]["code"] == "FORBIDDEN"
    assert not User.objects.filter(email="eve@gmail.com").exists()


@pytest.mark.parametrize(
    "overrides",
    [
        {"exp": int(time.time()) - 120, "iat": int(time.time()) - 3720},
        {"aud": "someone-else.apps.googleusercontent.com"},
        {"iss": "https://evil.example.com"},
        {"email_verified": False},
    ],
    ids=["expired", "wrong-audience", "wrong-issuer", "unverified-email"],
)
def test_google_login_rejects_bad_claims_with_401(api, google, alice_technician, overrides):
    token = google.id_token("alice@example.com", **overrides)
    response = api.post("/auth/google/login", {"id_token": token}, format="json")
    assert response.status_code == 401
    assert response.json()["error"]["code"] == "UNAUTHORIZED"


def test_google_login_rejects_token_signed_by_another_key(api, google, alice_technician):
    impostor = FakeGoogleIssuer(kid=google.kid)  # same key id, different private key
    response = api.post(
        "/auth/google/login", {"id_token": impostor.id_token("alice@example.com")}, format="json"
    )
    assert response.status_code == 401


def test_google_login_missing_token_is_422(api, google):
    response = api.post("/auth/google/login", {}, format="json")
    assert response.status_code == 422
    assert response.json()["error"]["code"] == "VALIDATION_ERROR"


def test_an_operator_scripts_a_superuser_with_an_email_and_a_password_alone(monkeypatch):
    from django.core.management import call_command

    # as the README and deployment scripts run it: no name, no prompt
    monkeypatch.setenv("DJANGO_SUPERUSER_PASSWORD", PASSWORD)
    call_command("createsuperuser", "--noinput", "--email", "ops@example.com", stdout=io.StringIO())
    admin = User.objects.get(email="ops@example.com")
    assert admin.is_superuser and admin.check_password(PASSWORD) and admin.full_name == ""


# --- refresh rotation, reuse detection, sign-out -----------------------------------------------


def refresh(api, token):
    return api.post("/auth/refresh", {"refresh_token": token}, format="json")


def test_a_refresh_rotates_the_refresh_token_and_the_old_one_stops_working(api, alice_technician):
    first = tokens_issue(user=alice_technician).refresh
    rotated = refresh(api, first)
    assert rotated.status_code == 200
    second = rotated.json()["refresh_token"]
    assert second != first
    assert refresh(api, second).status_code == 200


def test_a_reused_refresh_token_revokes_every_refresh_token_of_the_user(api, alice_technician):
    # given a stolen refresh token, used once by the thief
    stolen = tokens_issue(user=alice_technician).refresh
    elsewhere = tokens_issue(user=alice_technician).refresh  # the same user on another device
    thiefs = refresh(api, stolen).json()["refresh_token"]
    # when the owner's copy (already rotated) is used again
    assert refresh(api, stolen).status_code == 401
    # then every refresh token of the user is revoked: the thief's and the other device's
    assert refresh(api, thiefs).status_code == 401
    assert refresh(api, elsewhere).status_code == 401


def test_logout_revokes_the_refresh_token_and_needs_a_token(api, alice_technician, mallory):
    tokens = tokens_issue(user=alice_technician)
    assert api.post("/auth/logout", {"refresh_token": tokens.refresh}, format="json").status_code == 401
    # someone else cannot revoke it
    assert (
        api.post(
            "/auth/logout", {"refresh_token": tokens.refresh}, format="json", **bearer(mallory)
        ).status_code
        == 401
    )
    out = api.post(
        "/auth/logout", {"refresh_token": tokens.refresh}, format="json", **bearer(alice_technician)
    )
    assert out.status_code == 204
    assert refresh(api, tokens.refresh).status_code == 401
