"""Practice sessions over REST: login, create, start, list, get, ownership, validation, limits."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from interviews.models import PracticeSession
from tests.conftest import PASSWORD, bearer
from tests.interviews.conftest import SESSION, create_session, start_session

pytestmark = pytest.mark.django_db

SESSION_KEYS = {
    "id", "status", "started_at", "ended_at", "job_title", "job_description", "interviewer_type", "duration_minutes",
}  # fmt: skip


def _address() -> str:
    return f"10.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}.{uuid.uuid4().int % 250}"


def test_a_candidate_logs_in_and_creates_a_session_in_the_spec_shape(api, carol_candidate):
    # given a token from the password login of the spec
    login = api.post("/auth/token", {"username": "carol@example.com", "password": PASSWORD})
    token = login.json()["access_token"]
    # when
    response = api.post("/interview/sessions", SESSION, format="json", HTTP_AUTHORIZATION=f"Bearer {token}")
    # then
    assert response.status_code == 201
    body = response.json()
    assert set(body) == SESSION_KEYS
    assert body["status"] == "created"
    assert body["started_at"] is None and body["ended_at"] is None
    assert {k: body[k] for k in SESSION} == SESSION
    uuid.UUID(body["id"])


@pytest.mark.parametrize(
    ("given", "expected"),
    [("Tech", "Tech"), ("tech", "Tech"), ("HR", "HR"), ("behavioral", "Behavioral"), ("Manager", "Manager")],
)
def test_interviewer_types_are_matched_without_regard_to_case(api, carol_candidate, given, expected):
    assert create_session(api, carol_candidate, interviewer_type=given)["interviewer_type"] == expected


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"interviewer_type": "Pirate"}, "interviewer_type"),
        ({"interviewer_type": ""}, "interviewer_type"),
        ({"duration_minutes": 0}, "duration_minutes"),
        ({"duration_minutes": 4}, "duration_minutes"),
        ({"duration_minutes": 121}, "duration_minutes"),
        ({"duration_minutes": "forty"}, "duration_minutes"),
        ({"job_title": ""}, "job_title"),
        ({"job_title": "x" * 201}, "job_title"),
    ],
)
def test_invalid_sessions_are_refused_with_a_detail_naming_the_field(api, carol_candidate, change, field):
    response = api.post(
        "/interview/sessions", {**SESSION, **change}, format="json", **bearer(carol_candidate)
    )
    assert response.status_code == 400
    assert response.json()["detail"].startswith(f"{field}:")
    assert not PracticeSession.objects.exists()


def test_an_unknown_interviewer_type_is_answered_with_the_valid_ones(api, carol_candidate):
    response = api.post(
        "/interview/sessions",
        {**SESSION, "interviewer_type": "Pirate"},
        format="json",
        **bearer(carol_candidate),
    )
    assert (
        response.json()["detail"] == "interviewer_type: 'Pirate' is not one of Tech, HR, Behavioral, Manager."
    )


@pytest.mark.parametrize("body", ["[1, 2]", "{not json", '"text"'])
def test_a_body_that_is_not_a_json_object_is_a_400(api, carol_candidate, body):
    response = api.post(
        "/interview/sessions", body, content_type="application/json", **bearer(carol_candidate)
    )
    assert response.status_code == 400
    assert "detail" in response.json()


def test_only_the_title_and_interviewer_are_required(api, carol_candidate):
    response = api.post(
        "/interview/sessions",
        {"job_title": "Analyst", "interviewer_type": "HR"},
        format="json",
        **bearer(carol_candidate),
    )
    assert response.status_code == 201
    assert response.json()["duration_minutes"] == 30
    assert response.json()["job_description"] == ""


def test_starting_sets_started_at_and_status_once(api, carol_candidate):
    session = create_session(api, carol_candidate)
    started = start_session(api, carol_candidate, session["id"])
    assert started["status"] == "in_progress"
    assert started["started_at"] is not None and started["ended_at"] is None
    # when started again
    again = api.post(f"/interview/sessions/{session['id']}/start", **bearer(carol_candidate))
    # then it is refused and the first start stands
    assert again.status_code == 400
    assert "already started" in again.json()["detail"]
    assert api.get(f"/interview/sessions/{session['id']}", **bearer(carol_candidate)).json() == started


def test_a_session_whose_time_ran_out_reads_as_completed(api, carol_candidate):
    session = create_session(api, carol_candidate, duration_minutes=30)
    start_session(api, carol_candidate, session["id"])
    started_at = timezone.now() - timedelta(minutes=31)
    PracticeSession.objects.filter(pk=session["id"]).update(started_at=started_at)
    body = api.get(f"/interview/sessions/{session['id']}", **bearer(carol_candidate)).json()
    assert body["status"] == "completed"
    assert body["ended_at"].startswith((started_at + timedelta(minutes=30)).strftime("%Y-%m-%dT%H:%M"))


def test_list_shows_only_my_sessions_newest_first(api, carol_candidate, mallory):
    first = create_session(api, carol_candidate, job_title="First")
    second = create_session(api, carol_candidate, job_title="Second")
    create_session(api, mallory, job_title="Not yours")
    response = api.get("/interview/sessions", **bearer(carol_candidate))
    assert response.status_code == 200
    assert [s["id"] for s in response.json()] == [second["id"], first["id"]]
    assert all(set(s) == SESSION_KEYS for s in response.json())


def test_get_returns_my_session(api, carol_candidate):
    session = create_session(api, carol_candidate)
    response = api.get(f"/interview/sessions/{session['id']}", **bearer(carol_candidate))
    assert response.status_code == 200
    assert response.json() == session


@pytest.mark.parametrize("method", ["get", "start"])
def test_someone_elses_session_is_not_found(api, carol_candidate, mallory, method):
    session = create_session(api, carol_candidate)
    if method == "get":
        response = api.get(f"/interview/sessions/{session['id']}", **bearer(mallory))
    else:
        response = api.post(f"/interview/sessions/{session['id']}/start", **bearer(mallory))
    assert response.status_code == 404
    assert response.json() == {"detail": "Session not found."}
    assert PracticeSession.objects.get(pk=session["id"]).started_at is None


@pytest.mark.parametrize("session_id", ["not-a-uuid", str(uuid.uuid4()), "1"])
def test_unknown_and_malformed_ids_are_not_found(api, carol_candidate, session_id):
    response = api.get(f"/interview/sessions/{session_id}", **bearer(carol_candidate))
    assert response.status_code == 404
    assert response.json() == {"detail": "Session not found."}


def test_paths_work_with_a_trailing_slash_too(api, carol_candidate):
    session = create_session(api, carol_candidate)
    assert api.get(f"/interview/sessions/{session['id']}/", **bearer(carol_candidate)).status_code == 200
    assert api.get("/interview/sessions/", **bearer(carol_candidate)).status_code == 200


def test_a_wrong_method_is_a_405_in_the_detail_dialect(api, carol_candidate):
    response = api.delete("/interview/sessions", **bearer(carol_candidate))
    assert response.status_code == 405
    assert "detail" in response.json()


@pytest.mark.parametrize("headers", [{}, {"HTTP_AUTHORIZATION": "Bearer not-a-token"}])
def test_every_route_needs_a_valid_token(api, headers):
    for method, path in [
        ("get", "/interview/sessions"),
        ("post", "/interview/sessions"),
        ("get", f"/interview/sessions/{uuid.uuid4()}"),
        ("post", f"/interview/sessions/{uuid.uuid4()}/start"),
        ("get", f"/interview/sessions/{uuid.uuid4()}/media"),
        ("post", f"/interview/sessions/{uuid.uuid4()}/media"),
        ("post", f"/interview/sessions/{uuid.uuid4()}/next-question"),
        ("post", f"/interview/media/{uuid.uuid4()}/transcribe"),
        ("post", f"/interview/media/{uuid.uuid4()}/report"),
    ]:
        response = getattr(api, method)(path, REMOTE_ADDR=_address(), **headers)
        assert response.status_code == 401, path
        assert set(response.json()) == {"detail"}


def test_an_authenticated_user_gets_100_requests_a_minute(api, carol_candidate):
    headers = bearer(carol_candidate)
    statuses = [api.get("/interview/sessions", **headers).status_code for _ in range(100)]
    assert statuses == [200] * 100
    blocked = api.get("/interview/sessions", **headers)
    assert blocked.status_code == 429
    assert "throttled" in blocked.json()["detail"]
    assert int(blocked["Retry-After"]) >= 1
    assert blocked["X-RateLimit-Limit"] == "100" and blocked["X-RateLimit-Remaining"] == "0"


def test_an_anonymous_client_gets_10_requests_a_minute(api):
    address = _address()
    statuses = [api.get("/interview/sessions", REMOTE_ADDR=address).status_code for _ in range(11)]
    assert statuses == [401] * 10 + [429]
    assert api.get("/interview/sessions", REMOTE_ADDR=_address()).status_code == 401
