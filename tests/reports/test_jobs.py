"""Jobs through the real Celery worker: 202 and job_id, every status shape of the spec, the busy
rule, the audit trail, unexpected failures, TTL expiry and the spec's own polling client."""

from __future__ import annotations

import time
import uuid
from datetime import timedelta

import pytest
from django.utils import timezone

from analysis.models import Job
from analysis.tasks import job_run_task
from reports.models import SectionRecord
from tests.engines.llm_server import FakeLLMServer, Reply
from tests.reports.conftest import b64, generate_body, key_headers, unb64, wait_for_job
from tests.reports.polling import JobFailed, JobLost, PollTimeout, SpecPoller

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.usefixtures("celery_worker")]


def start(api, raw_key, path="/generate", body=None, session_id="session_123"):
    response = api.post(path, body or generate_body(), format="json", **key_headers(raw_key, session_id))
    assert response.status_code == 202, response.json()
    return response.json()


def store_job(raw_key_name: str, *, status: str = "pending", inputs=None, dedupe_key="") -> Job:
    """A job placed in the job table directly, as a crashed or older process might have left it."""
    now = timezone.now()
    running = status == "running"
    return Job.objects.create(
        kind="reports.section",
        owner=f"api-key:{raw_key_name}",
        inputs=inputs if inputs is not None else {"kind": "generate", "request": {}},
        dedupe_key=dedupe_key,
        status=status,
        attempts=1 if running else 0,
        queued_at=now,
        started_at=now if running else None,
        lease_expires_at=now + timedelta(minutes=5) if running else None,
        expires_at=now + timedelta(days=1),
    )


def key_name(raw_key: str) -> str:
    from reports.selectors import api_client_for_key

    client = api_client_for_key(raw_key=raw_key)
    assert client is not None
    return client.name


# --- generate ---------------------------------------------------------------------------------


def test_generate_answers_202_with_a_job_id_and_the_job_completes_with_a_markdown_section(api, api_key, acme):
    # when the frontend asks for Acme's risk assessment
    accepted = start(api, api_key)
    # then it gets the spec's 202 body at once
    job_id = accepted["data"]["job_id"]
    assert accepted == {
        "status": "processing",
        "message": "Job queued",
        "data": {"job_id": job_id, "status": "pending"},
    }
    assert uuid.UUID(job_id).version == 4
    # and the job completes with exactly the spec's completed shape
    body = wait_for_job(api, job_id, api_key)
    result = body["data"]["result"]
    assert body == {
        "status": "ready",
        "message": "Job completed",
        "data": {
            "job_id": job_id,
            "status": "completed",
            "result": {
                "customer_id": "CUST-ACME",
                "opportunity_id": "OPP-7",
                "section_title": "Risk Assessment",
                "generated_section_b64": result["generated_section_b64"],
            },
        },
    }
    # and the section is a risk table built from Acme's record
    markdown = unb64(result["generated_section_b64"])
    assert markdown.startswith("## Risk Assessment\n")
    assert "| # | Risk | Likelihood | Impact | Rating | Mitigation |" in markdown
    assert "SAP team availability may delay the integration" in markdown
    assert "Estimated cost exceeds the budget by 7%" in markdown


def test_every_section_is_kept_for_audit_with_who_when_and_engine(api, api_key, acme):
    accepted = start(api, api_key, session_id="audit-session-1")
    job_id = accepted["data"]["job_id"]
    body = wait_for_job(api, job_id, api_key)
    record = SectionRecord.objects.get(job_id=job_id)
    assert record.kind == SectionRecord.Kind.GENERATE
    assert record.api_key_name == key_name(api_key)
    assert record.session_id == "audit-session-1"
    assert record.engine == "local"
    assert record.opportunity == acme
    assert record.text == unb64(body["data"]["result"]["generated_section_b64"])
    assert record.created_at >= record.requested_at


def test_an_unknown_customer_and_opportunity_still_generate_with_the_gaps_marked(api, api_key):
    accepted = start(
        api,
        api_key,
        body=generate_body(
            customer_id="CUST-NEW",
            opportunity_id="OPP-NEW",
            section_title="Implementation Timeline",
            type="Technical_scope",
        ),
    )
    body = wait_for_job(api, accepted["data"]["job_id"], api_key)
    markdown = unb64(body["data"]["result"]["generated_section_b64"])
    assert "> **Gap:** No customer record for `CUST-NEW`" in markdown
    assert "| Phase | Weeks | Dates | Activities |" in markdown


def test_titles_are_matched_case_insensitively_and_answered_canonically(api, api_key, acme):
    accepted = start(api, api_key, body=generate_body(section_title="  cost-benefit   analysis "))
    body = wait_for_job(api, accepted["data"]["job_id"], api_key)
    assert body["data"]["result"]["section_title"] == "Cost-Benefit Analysis"


def test_trailing_slashes_work_on_every_route(api, api_key, acme):
    accepted = start(api, api_key, path="/generate/", session_id="slash-session")
    job_id = accepted["data"]["job_id"]
    wait_for_job(api, job_id, api_key)
    assert api.get(f"/status/{job_id}/", **key_headers(api_key, None)).json()["status"] == "ready"


# --- refine -------------------------------------------------------------------------------------


def test_refine_applies_the_prompt_to_the_original_text_and_says_what_it_could_not_apply(api, api_key, acme):
    # given a section the frontend generated earlier
    generated = wait_for_job(
        api,
        start(api, api_key, body=generate_body(section_title="Executive Summary"))["data"]["job_id"],
        api_key,
    )
    original = unb64(generated["data"]["result"]["generated_section_b64"])
    # when it asks for a shorter, bulleted version in French
    body = {
        **generate_body(section_title="Executive Summary"),
        "original_text": b64(original),
        "prompt": "Shorten it by half, use bullet points and translate it to French",
    }
    accepted = start(api, api_key, path="/refine", body=body)
    done = wait_for_job(api, accepted["data"]["job_id"], api_key)
    # then the completed result carries refined_section_b64 instead of generated_section_b64
    result = done["data"]["result"]
    assert set(result) == {"customer_id", "opportunity_id", "section_title", "refined_section_b64"}
    refined = unb64(result["refined_section_b64"])
    # and the text is shorter, bulleted, and honest about the translation
    assert len(refined.split("---")[0].split()) < len(original.split())
    assert "\n- " in refined
    assert "**Refinement note:** could not apply" in refined
    assert "translation is not supported" in refined
    # and the refinement is audited with its prompt and source
    record = SectionRecord.objects.get(job_id=accepted["data"]["job_id"])
    assert record.kind == SectionRecord.Kind.REFINE
    assert record.prompt.startswith("Shorten it by half")
    assert record.source_text == original
    assert record.text == refined


# --- status shapes ------------------------------------------------------------------------------


def test_pending_and_processing_jobs_answer_the_spec_shape(api, api_key):
    name = key_name(api_key)
    pending = str(store_job(name).pk)
    processing = str(store_job(name, status="running").pk)
    assert api.get(f"/status/{pending}", **key_headers(api_key, None)).json() == {
        "status": "processing",
        "message": "Job pending",
        "data": {"job_id": pending, "status": "pending"},
    }
    assert api.get(f"/status/{processing}", **key_headers(api_key, None)).json() == {
        "status": "processing",
        "message": "Job processing",
        "data": {"job_id": processing, "status": "processing"},
    }


def test_an_unexpected_failure_is_internal_error_without_internals(api, api_key, caplog):
    # given a job whose request an older release stored without the fields this one needs
    job_id = str(
        store_job(
            key_name(api_key), inputs={"kind": "generate", "request": {"type": "Feasibility_report"}}
        ).pk
    )
    # when the worker runs it
    job_run_task.delay(job_id)
    body = wait_for_job(api, job_id, api_key)
    # then it fails with the spec's failed shape (HTTP 200) and an opaque message
    assert body == {
        "status": "error",
        "message": "Job failed",
        "data": {
            "job_id": job_id,
            "status": "failed",
            "error": {
                "error_code": "INTERNAL_ERROR",
                "message": f"Internal error while processing job {job_id}.",
            },
        },
    }
    assert "KeyError" not in str(body) and "customer_id" not in str(body)


def test_someone_elses_job_is_not_found(api, api_key, acme):
    from reports import services

    accepted = start(api, api_key)
    _, other_key = services.api_key_create(name=f"other-{uuid.uuid4().hex[:6]}")
    response = api.get(f"/status/{accepted['data']['job_id']}", **key_headers(other_key, None))
    assert response.status_code == 404
    assert response.json()["data"]["error_code"] == "JOB_NOT_FOUND"


def test_a_job_expires_after_its_ttl(api, api_key, acme, settings):
    # given jobs that live three seconds
    settings.REPORT_JOB_TTL_SECONDS = 3
    job_id = start(api, api_key)["data"]["job_id"]
    created = time.monotonic()  # the job was made before its 202 came back: its TTL ends before this + 3 s
    # when it completes, it is there
    assert wait_for_job(api, job_id, api_key)["status"] == "ready"
    # then once the TTL has passed it is gone, as the spec's 404
    time.sleep(max(0.0, 3.3 - (time.monotonic() - created)))
    response = api.get(f"/status/{job_id}", **key_headers(api_key, None))
    assert response.status_code == 404
    assert response.json()["data"]["error_code"] == "JOB_NOT_FOUND"


# --- busy -----------------------------------------------------------------------------------------


@pytest.fixture
def slow_llm(settings):
    """The worker's provider answers after a pause, so a job stays running while we knock again."""
    with FakeLLMServer() as server:
        server.script(Reply.slow(1.5, {"markdown": "## Risk Assessment\n\nSlow but sure.\n", "gaps": []}))
        settings.LLM_PROVIDER = "openai"
        settings.OPENAI_BASE_URL = server.base_url
        settings.OPENAI_API_KEY = "sk-test"
        settings.OPENAI_MODEL = "test-model"
        settings.LLM_MAX_RETRIES = 0
        settings.LLM_TIMEOUT_SECONDS = 10
        yield server


def test_an_identical_request_while_the_first_runs_answers_busy_with_the_first_job_id(
    api, api_key, acme, slow_llm
):
    # given a job that is running
    first = start(api, api_key)["data"]["job_id"]
    # when the same Session-Id sends the same body again
    again = api.post("/generate", generate_body(), format="json", **key_headers(api_key))
    # then it is 202 busy with the first job's id, and no second job is queued
    assert again.status_code == 202
    body = again.json()
    assert body["status"] == "busy" and body["message"] == "Request is busy"
    assert body["data"]["job_id"] == first and body["data"]["request_id"] == first
    assert body["data"]["ready"] is False
    # and another session, or another body, is a job of its own
    other_session = start(api, api_key, session_id="session_456")["data"]["job_id"]
    other_body = start(api, api_key, body=generate_body(section_title="Appendix"))["data"]["job_id"]
    assert len({first, other_session, other_body}) == 3
    # and once the first has finished, the identical request runs again
    assert wait_for_job(api, first, api_key)["status"] == "ready"
    rerun = start(api, api_key)
    assert rerun["status"] == "processing" and rerun["data"]["job_id"] != first
    for job_id in (other_session, other_body, rerun["data"]["job_id"]):
        wait_for_job(api, job_id, api_key)


def test_an_identical_request_for_a_pending_job_answers_busy(api, api_key):
    # given a job still waiting in the queue for the same request (stored the way the service does)
    from reports.api_clients import ApiClient
    from reports.serializers import SectionGenerateInput
    from reports.services import request_fingerprint

    data = SectionGenerateInput(data=generate_body())
    assert data.is_valid()
    name = key_name(api_key)
    fingerprint = request_fingerprint(
        client=ApiClient(name=name),
        session_id="session_123",
        kind="generate",
        request=dict(data.validated_data),
    )
    job_id = str(store_job(name, dedupe_key=fingerprint).pk)
    # when the frontend repeats the request
    response = api.post("/generate", generate_body(), format="json", **key_headers(api_key))
    # then it is told the first job is busy, pending
    assert response.status_code == 202
    assert response.json()["data"] == {
        "ready": False,
        "request_id": job_id,
        "job_id": job_id,
        "status": "pending",
    }


# --- AI provider down ----------------------------------------------------------------------------


def test_an_ai_provider_that_is_down_fails_the_job_with_ai_unavailable(api, api_key, acme, settings):
    with FakeLLMServer() as server:
        server.script(Reply.error(500))
        settings.LLM_PROVIDER = "openai"
        settings.OPENAI_BASE_URL = server.base_url
        settings.OPENAI_API_KEY = "sk-test"
        settings.LLM_MAX_RETRIES = 1
        job_id = start(api, api_key)["data"]["job_id"]
        body = wait_for_job(api, job_id, api_key)
        assert len(server.requests) == 2  # the first attempt and one retry, then it gave up
    assert body["status"] == "error"
    assert body["data"]["status"] == "failed"
    assert body["data"]["error"]["error_code"] == "AI_UNAVAILABLE"
    assert "HTTP 500" in body["data"]["error"]["message"]
    assert "sk-test" not in str(body)
    assert not SectionRecord.objects.filter(job_id=job_id).exists()


def test_the_openai_provider_writes_the_section_and_the_audit_names_it(api, api_key, acme, settings):
    with FakeLLMServer() as server:
        server.script(
            Reply.json(
                {
                    "markdown": "## Risk Assessment\n\n| Risk | Rating |\n|---|---|\n| SAP | High |\n",
                    "gaps": [],
                }
            )
        )
        settings.LLM_PROVIDER = "openai"
        settings.OPENAI_BASE_URL = server.base_url
        settings.OPENAI_API_KEY = "sk-test"
        settings.OPENAI_MODEL = "test-model"
        job_id = start(api, api_key)["data"]["job_id"]
        body = wait_for_job(api, job_id, api_key)
        sent = server.requests[0].body
    assert unb64(body["data"]["result"]["generated_section_b64"]).startswith("## Risk Assessment")
    assert SectionRecord.objects.get(job_id=job_id).engine == "openai:test-model"
    assert sent["response_format"]["json_schema"]["name"] == "report_section_write"
    assert "Dispatch modernisation" in sent["messages"][1]["content"]


# --- the spec's polling client --------------------------------------------------------------------


def fetcher(api, raw_key):
    def fetch(path: str):
        response = api.get(path, **key_headers(raw_key, None))
        return response.status_code, response.json()

    return fetch


def test_the_spec_polling_client_reaches_ready_and_decodes_the_markdown(api, api_key, acme):
    # given the spec's backoff, scaled down 20x (1 s -> 50 ms, cap 10 s -> 0.5 s)
    poller = SpecPoller(fetcher(api, api_key), time_scale=0.05)
    job_id = start(
        api, api_key, body=generate_body(type="Technical_scope", section_title="Implementation Timeline")
    )["data"]["job_id"]
    # when it polls until ready
    result = poller.poll(job_id)
    # then it decodes the Markdown section
    markdown = unb64(result["generated_section_b64"])
    assert markdown.startswith("## Implementation Timeline")
    assert "| Discovery & design | 4 | 2025-03-03 to 2025-03-30 |" in markdown
    # and it waited the spec's intervals in order
    assert poller.delays == [min(1.0 * 1.5**i, 10.0) for i in range(len(poller.delays))]


def test_the_spec_polling_client_backs_off_to_ten_seconds_and_times_out(api, api_key):
    # given a job that never leaves the queue, and a clock the client's sleeps advance
    job_id = str(store_job(key_name(api_key)).pk)
    now = [0.0]
    poller = SpecPoller(
        fetcher(api, api_key),
        max_wait_seconds=60,
        sleep=lambda seconds: now.__setitem__(0, now[0] + seconds),
        clock=lambda: now[0],
    )
    # when it polls for a minute
    with pytest.raises(PollTimeout):
        poller.poll(job_id)
    # then the waits were 1, 1.5, 2.25, 3.375, 5.06, 7.59, then 10 s each, against the real server
    assert poller.delays[:7] == [1.0, 1.5, 2.25, 3.375, 5.0625, 7.59375, 10.0]
    assert set(poller.delays[6:]) == {10.0}
    assert poller.polls == len(poller.delays)


def test_the_spec_polling_client_treats_404_as_lost_and_failed_as_failed(api, api_key):
    fast = {"time_scale": 0.01}
    with pytest.raises(JobLost):
        SpecPoller(fetcher(api, api_key), **fast).poll(str(uuid.uuid4()))
    job_id = str(
        store_job(
            key_name(api_key), inputs={"kind": "generate", "request": {"type": "Feasibility_report"}}
        ).pk
    )
    job_run_task.delay(job_id)
    with pytest.raises(JobFailed, match="Internal error while processing job"):
        SpecPoller(fetcher(api, api_key), **fast).poll(job_id)
