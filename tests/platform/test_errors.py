"""Each product's error dialect, for every kind of failure, through one mechanism."""

from __future__ import annotations

import logging

import pytest

from tests.conftest import bearer

pytestmark = [pytest.mark.django_db, pytest.mark.urls("tests.platform.urls")]


def test_drf_dialect_keeps_field_errors_as_drf_shapes_them(api):
    response = api.post("/probe/drf/x", {"name": "a very long name", "count": 0}, format="json")
    assert response.status_code == 400
    body = response.json()
    assert set(body) == {"name", "count"}
    assert "10" in body["name"][0]


def test_detail_dialect_flattens_validation_errors_into_one_detail_string(api):
    response = api.post("/probe/detail/x", {"count": "many"}, format="json")
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "name: This field is required." in detail
    assert "count: A valid integer is required." in detail


def test_envelope_dialect_validation_is_422_with_pydantic_style_details(api):
    response = api.post("/probe/envelope/x", {"name": "ok"}, format="json")
    assert response.status_code == 422
    body = response.json()
    assert body["status"] == "error"
    assert body["data"]["error_code"] == "VALIDATION_ERROR"
    assert body["data"]["path"] == "/probe/envelope/x"
    assert body["data"]["details"] == [
        {"loc": ["body", "count"], "msg": "This field is required.", "type": "required"}
    ]


def test_conversations_dialect_validation_is_422_error_object(api):
    response = api.post("/probe/conversations/x", {"name": "ok", "count": -1}, format="json")
    assert response.status_code == 422
    error = response.json()["error"]
    assert error["code"] == "VALIDATION_ERROR"
    assert "count" in error["message"]
    assert error["details"][0]["loc"] == ["body", "count"]


@pytest.mark.parametrize(
    ("dialect", "expected"),
    [
        ("drf", {"detail": "Widget 7 not found"}),
        ("detail", {"detail": "Widget 7 not found"}),
        (
            "envelope",
            {
                "status": "error",
                "message": "Widget 7 not found",
                "data": {"error_code": "WIDGET_NOT_FOUND", "path": "/probe/envelope/missing"},
            },
        ),
        (
            "conversations",
            {"error": {"code": "WIDGET_NOT_FOUND", "message": "Widget 7 not found", "details": {}}},
        ),
    ],
)
def test_domain_errors_keep_their_status_and_code(api, dialect, expected):
    response = api.get(f"/probe/{dialect}/missing")
    assert response.status_code == 404
    assert response.json() == expected


@pytest.mark.parametrize("dialect", ["drf", "detail", "envelope", "conversations"])
def test_unexpected_exception_is_500_without_internals_and_logged_with_request_id(api, dialect, caplog):
    with caplog.at_level(logging.ERROR, logger="config.errors"):
        response = api.get(f"/probe/{dialect}/crash", HTTP_X_REQUEST_ID="req-abc-123")
    assert response.status_code == 500
    text = response.content.decode()
    assert "hunter2" not in text and "postgres" not in text and "Traceback" not in text
    assert "req-abc-123" in text
    assert response["X-Request-Id"] == "req-abc-123"
    assert any("req-abc-123" in record.getMessage() for record in caplog.records)
    assert any(record.exc_info for record in caplog.records)


def test_500_codes_follow_each_spec(api):
    assert api.get("/probe/envelope/crash").json()["data"]["error_code"] == "INTERNAL_ERROR"
    assert api.get("/probe/conversations/crash").json()["error"]["code"] == "SERVER_ERROR"


def test_method_not_allowed_is_405_in_dialect(api):
    response = api.delete("/probe/envelope/x")
    assert response.status_code == 405
    assert response.json()["data"]["error_code"] == "METHOD_NOT_ALLOWED"


def test_unauthenticated_and_forbidden_in_dialect(api, mallory):
    response = api.get("/probe/private")
    assert response.status_code == 401
    assert response.json()["data"]["error_code"] == "UNAUTHORIZED"
    assert api.get("/probe/private", **bearer(mallory)).status_code == 200
    forbidden = api.get("/probe/conversations/private", **bearer(mallory))
    assert forbidden.status_code == 403
    assert forbidden.json()["error"]["code"] == "FORBIDDEN"


def test_malformed_json_is_400_not_500(api):
    response = api.generic("POST", "/probe/detail/x", "{not json", content_type="application/json")
    assert response.status_code == 400
    assert "JSON parse error" in response.json()["detail"]


@pytest.mark.parametrize(
    ("path", "check"),
    [
        ("/api/review/nope/", lambda body: body == {"detail": "Not found."}),
        (
            "/generate/extra",
            lambda body: body["data"] == {"error_code": "NOT_FOUND", "path": "/generate/extra"},
        ),
        ("/conversations/x/y/z", lambda body: body["error"]["code"] == "NOT_FOUND"),
        ("/no/such/route", lambda body: body == {"detail": "Not found."}),
    ],
)
def test_unknown_routes_are_404_in_the_dialect_of_their_prefix(api, path, check):
    response = api.get(path)
    assert response.status_code == 404
    assert check(response.json())
