"""POST /upload/resume and POST /upload/jd through the real worker: each format parsed, the profile
traceable to the documents, every unusable file a clear 400 that leaves the session as it was."""

from __future__ import annotations

import io
import uuid
from typing import Any

import docx
import pytest
from django.test import override_settings
from rest_framework.test import APIClient

from interviews.ai.language import appears_in
from interviews.models import LiveDocument, LiveSession
from tests.engines.llm_server import FakeLLMServer, Reply
from tests.interviews.live.conftest import LIVE, ROLE, TRUTH, new_session, upload_jd, upload_resume

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_worker", "bank")]


def _snapshot(session_id: str) -> dict[str, Any]:
    session = LiveSession.objects.get(pk=session_id)
    return {
        "resume": session.resume_id,
        "job_description": session.job_description_id,
        "profile": session.profile,
        "seniority": session.detected_seniority,
        "plan": session.question_plan,
        "documents": LiveDocument.objects.filter(session=session).count(),
    }


def _traceable(profile: dict[str, Any], resume: str, jd: str) -> None:
    """Every strength, gap, focus area and seniority signal quotes the document it came from."""
    sources = {"resume": resume, "job_description": jd}
    items = [*profile["strengths"], *profile["gaps"], *profile["focus_areas"]]
    assert items
    for item in items:
        assert item["evidence"], item
        for evidence in item["evidence"]:
            assert appears_in(evidence["quote"], sources[evidence["source"]]), evidence
    for signal in profile["seniority_signals"]:
        assert appears_in(signal["evidence"]["quote"], resume), signal


@pytest.mark.parametrize(
    "name", ["resume_senior_backend.pdf", "resume_junior_frontend.docx", "resume_lead.txt"]
)
def test_each_format_is_parsed_and_its_seniority_detected_from_evidence(api: APIClient, name: str) -> None:
    # given a session with the backend job description
    session_id = new_session(api)
    assert upload_jd(api, session_id).status_code == 200
    # when the resume is uploaded
    response = upload_resume(api, session_id, name)
    # then the spec's shape comes back with the level the resume supports
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["session_id"] == session_id and body["resume_received"] is True
    assert body["detected_seniority"] == TRUTH[name]["seniority"]
    profile = body["profile"]
    assert body["strengths"] == [s["name"] for s in profile["strengths"]]
    assert body["gaps"] == [g["name"] for g in profile["gaps"]]
    assert body["focus_areas"] == [f["name"] for f in profile["focus_areas"]] and body["focus_areas"]
    # and every item is traceable to the resume or the job description
    stored = LiveSession.objects.select_related("resume").get(pk=session_id)
    _traceable(profile, stored.resume.text, (LIVE / "jd_backend.txt").read_text())
    # and the resume's text was read from the file itself, not guessed
    assert "".join(TRUTH[name]["text"].split())[:200] in "".join(stored.resume.text.split())


def test_the_backend_resume_is_profiled_against_the_backend_job(api: APIClient) -> None:
    session_id = new_session(api)
    upload_jd(api, session_id)
    body = upload_resume(api, session_id, "resume_senior_backend.pdf").json()
    # Python, Django and PostgreSQL are on both; Kubernetes and Kafka only in the job description
    assert {"Python", "Django", "PostgreSQL"} <= set(body["strengths"])
    assert {"Kubernetes", "Kafka"} <= set(body["gaps"])
    assert not {"Python", "Django", "PostgreSQL"} & set(body["gaps"])
    # "Django or FastAPI" asks for one of the two, and the resume has Django
    assert "FastAPI" not in body["gaps"]
    # the required gaps lead the focus areas, and the level adds system design
    assert body["focus_areas"][:2] == ["Kubernetes", "Kafka"] and "System design" in body["focus_areas"]
    years = [s for s in body["profile"]["seniority_signals"] if s["kind"] == "years"]
    assert years and body["profile"]["years_experience"] >= 8
    # and questions were written for the role from the profile
    plan = LiveSession.objects.get(pk=session_id).question_plan
    assert any(q["focus_area"] == "Kubernetes" and "Kubernetes" in q["content"] for q in plan)
    assert all(q["key_points"] for q in plan)


def test_a_resume_before_the_job_description_is_profiled_again_when_it_comes(api: APIClient) -> None:
    session_id = new_session(api)
    alone = upload_resume(api, session_id, "resume_junior_frontend.docx").json()
    # without a job description there are no gaps to find, and the resume's own skills lead
    assert alone["gaps"] == [] and "React" in alone["strengths"]
    # when the job description arrives
    response = upload_jd(api, session_id, "jd_frontend.txt", role="Frontend Engineer")
    # then
    assert response.status_code == 200
    assert response.json() == {"session_id": session_id, "jd_received": True, "role": "Frontend Engineer"}
    profile = LiveSession.objects.get(pk=session_id).profile
    assert "Next.js" in [g["name"] for g in profile["gaps"]]
    assert {"React", "TypeScript"} <= {s["name"] for s in profile["strengths"]}
    assert api.get(f"/session/{session_id}").json()["has_jd"] is True


def _bad_file_cases() -> list[Any]:
    pdf = (LIVE / "resume_senior_backend.pdf").read_bytes()
    return [
        pytest.param("resume_scanned.pdf", None, None, "no text layer", id="scanned-pdf"),
        pytest.param("empty.pdf", b"", "application/pdf", "empty", id="empty"),
        pytest.param("corrupt.pdf", None, None, "corrupt", id="corrupt-pdf"),
        pytest.param("corrupt.docx", None, None, "corrupt", id="corrupt-docx"),
        pytest.param("photo.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 64, "image/png", "content type", id="png"),
        pytest.param("resume.pdf", pdf, "image/jpeg", "content type", id="wrong-content-type"),
        pytest.param(
            "resume.pdf", b"Dana Reyes, engineer " * 20, "application/pdf", "not one", id="text-named-pdf"
        ),
        pytest.param("resume.txt", pdf, "text/plain", "holds a document", id="pdf-named-txt"),
        pytest.param(
            "resume.doc", b"\xd0\xcf\x11\xe0" + b"\x00" * 64, "application/msword", "97-2003", id="doc"
        ),
        pytest.param("resume.txt", b"\x00\x01\x02\x03" * 100, "text/plain", "binary", id="binary-txt"),
        pytest.param("resume.txt", b"Dana Reyes\nEngineer\n", "text/plain", "only 3 words", id="too-short"),
        pytest.param("resume", pdf, "", "not a PDF, DOCX or TXT", id="no-type-at-all"),
    ]


@pytest.mark.parametrize(("name", "data", "content_type", "message"), _bad_file_cases())
def test_an_unusable_file_is_a_clear_400_and_the_session_is_left_as_it_was(
    api: APIClient, name: str, data: bytes | None, content_type: str | None, message: str
) -> None:
    # given a session already set up with a resume and a job description
    session_id = new_session(api)
    upload_jd(api, session_id)
    assert upload_resume(api, session_id, "resume_lead.txt").status_code == 200
    before = _snapshot(session_id)
    # when a file that cannot be used is uploaded
    response = upload_resume(api, session_id, name, data=data, content_type=content_type)
    # then
    assert response.status_code == 400, response.content
    detail = response.json()["detail"]
    assert isinstance(detail, str) and detail.startswith("file:") and message in detail
    assert _snapshot(session_id) == before


@override_settings(MAX_UPLOAD_MB=1)
def test_a_file_over_the_upload_limit_is_a_400(api: APIClient) -> None:
    session_id = new_session(api)
    padded = (LIVE / "resume_lead.txt").read_text() + "\n" + "experience " * 120_000
    response = upload_resume(api, session_id, "resume_lead.txt", data=padded.encode())
    assert response.status_code == 400 and "1 MB" in response.json()["detail"]
    assert _snapshot(session_id)["documents"] == 0


def test_a_docx_with_the_resume_in_a_table_is_read_from_its_cells(api: APIClient) -> None:
    document = docx.Document()
    table = document.add_table(rows=2, cols=2)
    table.cell(0, 0).text = "Senior Data Engineer, Riverbank (2018 - Present)"
    table.cell(0, 1).text = "Built Spark and Airflow pipelines on AWS; led a team of 3 engineers."
    table.cell(1, 0).text = "Data Engineer, Lakeside (2014 - 2018)"
    table.cell(1, 1).text = "Wrote SQL models in dbt and Snowflake, cutting report time by 60%."
    buffer = io.BytesIO()
    document.save(buffer)
    session_id = new_session(api)
    response = upload_resume(api, session_id, "resume.docx", data=buffer.getvalue())
    assert response.status_code == 200, response.content
    assert {"Spark", "Airflow", "AWS"} <= set(response.json()["strengths"])
    assert response.json()["detected_seniority"] == "senior"


@pytest.mark.parametrize(
    ("fields", "loc", "kind"),
    [
        ({"session_id": "{id}"}, ["body", "file"], "missing"),
        ({"file": "x"}, ["body", "session_id"], "missing"),
        ({"session_id": "not-a-uuid", "file": "x"}, ["body", "session_id"], "value_error"),
    ],
)
def test_resume_upload_validation_errors_are_fastapi_style_422(
    api: APIClient, fields: dict, loc: list, kind: str
) -> None:
    session_id = new_session(api)
    data = {k: v.format(id=session_id) for k, v in fields.items() if k != "file"}
    if "file" in fields:
        from django.core.files.uploadedfile import SimpleUploadedFile

        data["file"] = SimpleUploadedFile("resume.txt", (LIVE / "resume_lead.txt").read_bytes())
    response = api.post("/upload/resume", data, format="multipart")
    assert response.status_code == 422
    assert any(d["loc"] == loc and d["type"] == kind for d in response.json()["detail"])


def test_uploads_to_an_unknown_session_are_404(api: APIClient) -> None:
    unknown = str(uuid.uuid4())
    assert upload_resume(api, unknown, "resume_lead.txt").status_code == 404
    assert upload_jd(api, unknown).json() == {"detail": "Session not found"}


@pytest.mark.parametrize(
    ("fields", "loc", "kind"),
    [
        ({"job_description": "Build APIs in Python.", "role": ROLE}, ["body", "session_id"], "missing"),
        ({"session_id": "{id}", "role": ROLE}, ["body", "job_description"], "missing"),
        (
            {"session_id": "{id}", "job_description": "   ", "role": ROLE},
            ["body", "job_description"],
            "string_too_short",
        ),
        ({"session_id": "{id}", "job_description": "Build APIs."}, ["body", "role"], "missing"),
        (
            {"session_id": "{id}", "job_description": "x" * 20001, "role": ROLE},
            ["body", "job_description"],
            "string_too_long",
        ),
    ],
)
def test_job_description_validation_errors_are_fastapi_style_422(
    api: APIClient, fields: dict, loc: list, kind: str
) -> None:
    session_id = new_session(api)
    response = api.post(
        "/upload/jd", {k: v.format(id=session_id) for k, v in fields.items()}, format="multipart"
    )
    assert response.status_code == 422
    assert any(d["loc"] == loc and d["type"] == kind for d in response.json()["detail"]), response.json()
    assert LiveSession.objects.get(pk=session_id).job_description_id is None


def test_the_job_description_also_comes_as_json(api: APIClient) -> None:
    session_id = new_session(api)
    response = api.post(
        "/upload/jd",
        {"session_id": session_id, "job_description": (LIVE / "jd_backend.txt").read_text(), "role": ROLE},
        format="json",
    )
    assert response.status_code == 200 and response.json()["role"] == ROLE


def test_the_openai_provider_profiles_with_the_same_schema_and_only_quoted_evidence(api: APIClient) -> None:
    # given an OpenAI-compatible server that quotes one real resume line and invents another
    session_id = new_session(api)
    upload_jd(api, session_id)
    real = "Led a team of 4 engineers rebuilding the payments API in Django and PostgreSQL."
    profile = {
        "detected_seniority": "senior",
        "years_experience": 9.5,
        "seniority_signals": [
            {"kind": "scope", "detail": "led 4 engineers", "evidence": {"source": "resume", "quote": real}},
            {"kind": "title", "detail": "principal", "evidence": {"source": "resume", "quote": "Principal Engineer at Google"}},
        ],
        "strengths": [
            {"name": "Django", "note": "required", "evidence": [{"source": "resume", "quote": real}]},
            {"name": "Rust", "note": "invented", "evidence": [{"source": "resume", "quote": "Wrote Rust every day"}]},
        ],
        "gaps": [
            {"name": "Kafka", "note": "required", "evidence": [{"source": "job_description", "quote": "Event streaming with Kafka"}]}
        ],
        "focus_areas": [
            {"name": "Kafka", "kind": "gap", "topic": "Messaging", "reason": "gap",
             "evidence": [{"source": "job_description", "quote": "Event streaming with Kafka"}]}
        ],
        "is_technical_role": True,
        "summary": "Senior backend engineer.",
    }  # fmt: skip
    questions = {
        "questions": [
            {
                "content": "How would you keep a Kafka consumer from processing an event twice?",
                "type": "technical",
                "topic": "Messaging",
                "difficulty": "medium",
                "explanation": "Delivery guarantees.",
                "key_points": ["Idempotent consumers (idempotent, dedupe, offset)"],
                "focus_area": "Kafka",
            }
        ]
    }
    with FakeLLMServer() as server:
        server.script(Reply.json(profile), Reply.json(questions))
        with override_settings(LLM_PROVIDER="openai", OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="k"):
            response = upload_resume(api, session_id, "resume_senior_backend.pdf")
    # then the provider's profile is served in the same shape, with what it invented dropped
    assert response.status_code == 200, response.content
    body = response.json()
    assert body["detected_seniority"] == "senior" and body["strengths"] == ["Django"]
    assert body["gaps"] == ["Kafka"] and body["focus_areas"] == ["Kafka"]
    assert [s["kind"] for s in body["profile"]["seniority_signals"]] == ["scope"]
    assert body["profile"]["engine"].startswith("openai:")
    assert LiveSession.objects.get(pk=session_id).question_plan[0]["focus_area"] == "Kafka"
    # and the resume left for the provider without the candidate's contact details
    sent = server.requests[0].body["messages"][1]["content"]
    assert "Northwind Payments" in sent
    assert "dana.reyes@example.com" not in sent and "901820" not in sent


def test_a_provider_outage_is_a_503_and_the_session_is_left_as_it_was(api: APIClient) -> None:
    session_id = new_session(api)
    upload_jd(api, session_id)
    before = _snapshot(session_id)
    with FakeLLMServer() as server:
        server.script(Reply.error(500))
        with override_settings(
            LLM_PROVIDER="openai", OPENAI_BASE_URL=server.base_url, OPENAI_API_KEY="k", LLM_MAX_RETRIES=0
        ):
            response = upload_resume(api, session_id, "resume_senior_backend.pdf")
    assert response.status_code == 503
    assert response.json()["detail"].startswith("The AI service is unavailable") and response["Retry-After"]
    assert _snapshot(session_id) == before
