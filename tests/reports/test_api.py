"""The report routes' edges over HTTP: header rules, validation (422 with details), routing and
the envelope on every error. Nothing here queues a job."""

from __future__ import annotations

import base64
import json

import pytest

from reports import services
from reports.catalog import SECTION_TITLES, ReportType
from tests.reports.conftest import b64, generate_body, key_headers

pytestmark = pytest.mark.django_db


def refine_body(**overrides: object) -> dict[str, object]:
    body: dict[str, object] = {
        **generate_body(),
        "original_text": b64("## Risk Assessment\n\nThe project is late."),
        "prompt": "shorten it",
    }
    body.update(overrides)
    return body


def assert_envelope_error(response, *, status: int, code: str, path: str) -> dict:
    assert response.status_code == status
    body = response.json()
    assert body["status"] == "error"
    assert body["data"]["error_code"] == code
    assert body["data"]["path"] == path
    assert isinstance(body["message"], str) and body["message"]
    return body


# --- X-API-Key ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("post", "/generate"), ("post", "/refine"), ("get", "/status/550e8400-e29b-41d4-a716-446655440000")],
)
def test_every_route_refuses_a_request_without_an_api_key(api, method, path):
    # when the frontend forgets the key
    response = getattr(api, method)(path, generate_body(), format="json", HTTP_SESSION_ID="session_123")
    # then it is 401 UNAUTHORIZED in the envelope, naming the header
    body = assert_envelope_error(response, status=401, code="UNAUTHORIZED", path=path)
    assert "X-API-Key" in body["message"]


def test_an_unknown_api_key_is_401(api):
    response = api.post("/generate", generate_body(), format="json", **key_headers("rk_not-a-real-key"))
    assert_envelope_error(response, status=401, code="UNAUTHORIZED", path="/generate")


def test_a_revoked_api_key_is_401(api):
    # given a key that worked, then was revoked in admin
    api_key, raw_key = services.api_key_create(name="old-frontend")
    services.api_key_revoke(api_key=api_key)
    # when it is used
    response = api.get("/status/550e8400-e29b-41d4-a716-446655440000", **key_headers(raw_key, None))
    # then
    assert_envelope_error(
        response, status=401, code="UNAUTHORIZED", path="/status/550e8400-e29b-41d4-a716-446655440000"
    )


def test_keys_from_reports_api_keys_setting_are_accepted(api, settings):
    settings.REPORTS_API_KEYS = ["configured-key-123"]
    response = api.get(
        "/status/550e8400-e29b-41d4-a716-446655440000", **key_headers("configured-key-123", None)
    )
    # then the key passes and the answer is about the job
    assert_envelope_error(
        response, status=404, code="JOB_NOT_FOUND", path="/status/550e8400-e29b-41d4-a716-446655440000"
    )


def test_api_keys_are_stored_hashed(api_key):
    from reports.models import ApiKey

    stored = ApiKey.objects.get(prefix=api_key[:10])
    assert api_key not in (stored.key_hash, stored.prefix)
    assert len(stored.key_hash) == 64


# --- Session-Id ---------------------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/generate", "/refine"])
def test_session_id_is_required_on_the_post_routes_with_the_spec_message(api, api_key, path):
    response = api.post(path, refine_body(), format="json", **key_headers(api_key, None))
    body = assert_envelope_error(response, status=400, code="BAD_REQUEST", path=path)
    # then the body is the spec's example, word for word
    assert body == {
        "status": "error",
        "message": "Session-Id is required",
        "data": {"error_code": "BAD_REQUEST", "path": path},
    }


def test_a_blank_or_oversized_session_id_is_400(api, api_key):
    for value in ("   ", "x" * 201):
        response = api.post("/generate", generate_body(), format="json", **key_headers(api_key, value))
        assert_envelope_error(response, status=400, code="BAD_REQUEST", path="/generate")


def test_status_needs_only_the_api_key(api, api_key):
    # when polling without a Session-Id
    response = api.get("/status/550e8400-e29b-41d4-a716-446655440000", **key_headers(api_key, None))
    # then the answer is about the job, not the header
    assert response.json()["data"]["error_code"] == "JOB_NOT_FOUND"


def test_the_api_key_is_checked_before_the_session_id(api):
    response = api.post("/generate", generate_body(), format="json")
    assert response.status_code == 401


# --- validation: 422 with Pydantic-style details ------------------------------------------------


def details_of(response, path: str = "/generate") -> list[dict]:
    body = assert_envelope_error(response, status=422, code="VALIDATION_ERROR", path=path)
    assert body["data"]["details"], "422 must carry data.details"
    return body["data"]["details"]


def test_an_unknown_report_type_is_422_naming_the_field(api, api_key):
    response = api.post(
        "/generate", generate_body(type="Marketing_plan"), format="json", **key_headers(api_key)
    )
    [detail] = details_of(response)
    assert detail["loc"] == ["body", "type"]
    assert detail["type"] == "invalid_choice"
    assert "Marketing_plan" in detail["msg"] and "Feasibility_report" in detail["msg"]


def test_a_title_not_allowed_for_the_type_is_422_listing_the_allowed_titles(api, api_key):
    # given a Feasibility_report title sent as a Technical_scope section
    body = generate_body(type="Technical_scope", section_title="Cost-Benefit Analysis")
    response = api.post("/generate", body, format="json", **key_headers(api_key))
    [detail] = details_of(response)
    assert detail["loc"] == ["body", "section_title"]
    assert detail["type"] == "invalid_choice"
    assert "Implementation Timeline" in detail["msg"]


@pytest.mark.parametrize("title", SECTION_TITLES[ReportType.COMMERCIAL_PROPOSAL])
def test_commercial_proposal_accepts_the_design_titles(api, api_key, title):
    # DESIGN.md §6 fills the spec's "(TBD)"; a validation error would come before any job
    body = generate_body(type="Commercial_proposal", section_title=title)
    response = api.post(
        "/refine", {**refine_body(), **body, "original_text": "%%%"}, format="json", **key_headers(api_key)
    )
    [detail] = details_of(response, "/refine")
    assert detail["loc"] == ["body", "original_text"]  # only the deliberately broken field


def test_commercial_proposal_refuses_titles_of_other_types(api, api_key):
    body = generate_body(type="Commercial_proposal", section_title="Risk Assessment")
    [detail] = details_of(api.post("/generate", body, format="json", **key_headers(api_key)))
    assert detail["loc"] == ["body", "section_title"]
    assert "Payment Terms" in detail["msg"]


@pytest.mark.parametrize(
    ("original_text", "error_type"),
    [
        ("not base64 at all!", "base64_invalid"),
        ("QUJD=", "base64_invalid"),  # bad padding
        (base64.b64encode(b"\xff\xfe\x00broken").decode(), "utf8_invalid"),
        (b64("   \n  "), "blank"),
        ("", "blank"),
    ],
)
def test_refine_rejects_original_text_that_is_not_base64_text(api, api_key, original_text, error_type):
    response = api.post(
        "/refine", refine_body(original_text=original_text), format="json", **key_headers(api_key)
    )
    [detail] = details_of(response, "/refine")
    assert detail["loc"] == ["body", "original_text"]
    assert detail["type"] == error_type


def test_missing_fields_are_each_listed(api, api_key):
    response = api.post("/refine", {"type": "Feasibility_report"}, format="json", **key_headers(api_key))
    details = details_of(response, "/refine")
    missing = {tuple(d["loc"]) for d in details if d["type"] == "required"}
    assert missing == {
        ("body", "customer_id"),
        ("body", "opportunity_id"),
        ("body", "section_title"),
        ("body", "original_text"),
        ("body", "prompt"),
    }


def test_wrong_types_are_422_like_pydantic_not_coerced(api, api_key):
    body = generate_body(customer_id=123, opportunity_id=["OPP-7"], type=5)
    details = details_of(api.post("/generate", body, format="json", **key_headers(api_key)))
    assert {tuple(d["loc"]): d["type"] for d in details} == {
        ("body", "customer_id"): "string_type",
        ("body", "opportunity_id"): "string_type",
        ("body", "type"): "string_type",
    }


def test_a_body_that_is_not_an_object_is_422(api, api_key):
    response = api.post("/generate", ["a", "list"], format="json", **key_headers(api_key))
    [detail] = details_of(response)
    assert detail["loc"] == ["body"]


def test_malformed_json_is_422_json_invalid_not_500(api, api_key):
    response = api.generic(
        "POST", "/generate", "{not json", content_type="application/json", **key_headers(api_key)
    )
    [detail] = details_of(response)
    assert detail["type"] == "json_invalid"


def test_blank_ids_and_overlong_prompts_are_422(api, api_key):
    body = refine_body(customer_id="", prompt="x" * 4001)
    details = details_of(api.post("/refine", body, format="json", **key_headers(api_key)), "/refine")
    assert {tuple(d["loc"]) for d in details} == {("body", "customer_id"), ("body", "prompt")}


def test_a_form_encoded_body_is_415_in_the_envelope(api, api_key):
    response = api.post("/generate", generate_body(), **key_headers(api_key))  # multipart by default
    assert_envelope_error(response, status=415, code="UNSUPPORTED_MEDIA_TYPE", path="/generate")


def test_a_body_beyond_the_upload_limit_is_413_in_the_envelope(api, api_key, settings):
    settings.DATA_UPLOAD_MAX_MEMORY_SIZE = 64 * 1024
    huge = json.dumps(refine_body(original_text=b64("word " * 40_000)))
    response = api.generic("POST", "/refine", huge, content_type="application/json", **key_headers(api_key))
    assert_envelope_error(response, status=413, code="PAYLOAD_TOO_LARGE", path="/refine")


def test_original_text_beyond_the_text_limit_is_422(api, api_key):
    response = api.post(
        "/refine", refine_body(original_text=b64("word " * 30_000)), format="json", **key_headers(api_key)
    )
    [detail] = details_of(response, "/refine")
    assert detail["loc"] == ["body", "original_text"]


# --- routes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("method", "path"),
    [("get", "/generate"), ("put", "/refine/"), ("delete", "/status/550e8400-e29b-41d4-a716-446655440000")],
)
def test_wrong_methods_are_405_in_the_envelope(api, api_key, method, path):
    response = getattr(api, method)(path, **key_headers(api_key))
    assert_envelope_error(response, status=405, code="METHOD_NOT_ALLOWED", path=path)


@pytest.mark.parametrize("path", ["/status/", "/generate/extra", "/status/a/b"])
def test_unknown_paths_under_the_report_routes_are_404_in_the_envelope(api, api_key, path):
    response = api.get(path, **key_headers(api_key))
    assert_envelope_error(response, status=404, code="NOT_FOUND", path=path)


@pytest.mark.parametrize("job_id", ["not-a-uuid", "550e8400-e29b-41d4-a716-446655440000"])
def test_unknown_jobs_are_404_job_not_found_exactly_as_the_spec_shows(api, api_key, job_id):
    for path in (f"/status/{job_id}", f"/status/{job_id}/"):
        response = api.get(path, **key_headers(api_key, None))
        assert response.status_code == 404
        assert response.json() == {
            "status": "error",
            "message": f"Job {job_id} not found",
            "data": {"error_code": "JOB_NOT_FOUND", "path": path},
        }


def test_the_schema_documents_the_spec_paths_with_the_api_key_scheme(client):
    schema = client.get("/api/schema/", HTTP_ACCEPT="application/json").json()
    assert {"/generate", "/refine", "/status/{job_id}"} <= set(schema["paths"])
    assert "/generate/" not in schema["paths"]
    assert schema["components"]["securitySchemes"]["ApiKeyAuth"] == {
        "type": "apiKey",
        "in": "header",
        "name": "X-API-Key",
    }
