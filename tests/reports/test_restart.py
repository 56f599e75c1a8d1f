"""Whole deployments as real processes: a job survives restarts of the web process and of the
worker (it is a row of the job table), and a provider outage fails it clearly. With Redis the
worker is a process of its own; without it, the worker lives in the web process."""

from __future__ import annotations

import uuid
from datetime import timedelta

import pytest

from analysis.models import Job
from reports.models import SectionRecord
from tests.conftest import _database_url_for_worker
from tests.engines.llm_server import FakeLLMServer, Reply
from tests.reports.conftest import b64, generate_body, unb64
from tests.stack import Stack

pytestmark = [pytest.mark.django_db(transaction=True), pytest.mark.timeout(240)]


@pytest.fixture
def database_url(transactional_db: object) -> str:
    return _database_url_for_worker()


def test_with_redis_a_job_survives_restarts_of_the_web_process_and_the_worker(
    acme, private_redis, database_url
):
    key = f"stack-key-{uuid.uuid4().hex}"
    with Stack(database_url=database_url, api_key=key, redis_url=private_redis, name="restart") as stack:
        stack.start_web()
        # given a job accepted while no worker is running
        status, accepted = stack.request("POST", "/generate", generate_body(), session_id="s-restart")
        assert status == 202
        job_id = accepted["data"]["job_id"]
        # then it is kept with the 24 h TTL, counted from its creation
        job = Job.objects.get(pk=job_id)
        assert job.expires_at - job.created_at == timedelta(seconds=86_400)
        # and an identical request is told it is busy
        status, busy = stack.request("POST", "/generate", generate_body(), session_id="s-restart")
        assert (status, busy["status"], busy["data"]["job_id"]) == (202, "busy", job_id)

        # when the web process restarts
        stack.restart_web()
        # then the job is still there, still pending, and still busy for a repeat
        status, body = stack.request("GET", f"/status/{job_id}")
        assert (status, body["data"]["status"]) == (200, "pending")
        status, busy = stack.request("POST", "/generate", generate_body(), session_id="s-restart")
        assert busy["data"]["job_id"] == job_id

        # when a worker starts, it runs the job that was queued before
        stack.start_worker()
        done = stack.wait_for_job(job_id)
        assert done["status"] == "ready"
        assert unb64(done["data"]["result"]["generated_section_b64"]).startswith("## Risk Assessment")

        # when the worker and the web process restart again
        stack.restart_worker()
        stack.restart_web()
        # then the completed job answers exactly as before
        status, again = stack.request("GET", f"/status/{job_id}")
        assert (status, again) == (200, done)
        # and the restarted worker takes new jobs; the identical request, now finished, runs anew
        status, rerun = stack.request("POST", "/generate", generate_body(), session_id="s-restart")
        assert (status, rerun["status"]) == (202, "processing")
        rerun_id = rerun["data"]["job_id"]
        assert rerun_id != job_id
        assert stack.wait_for_job(rerun_id)["status"] == "ready"
    # and both sections were kept for audit by the stack's worker
    assert set(
        SectionRecord.objects.filter(job_id__in=[job_id, rerun_id]).values_list("session_id", flat=True)
    ) == {"s-restart"}
    assert SectionRecord.objects.filter(job_id__in=[job_id, rerun_id]).count() == 2


def test_with_redis_a_provider_outage_fails_the_job_and_the_openai_provider_takes_any_prompt(
    acme, private_redis, database_url
):
    key = f"stack-key-{uuid.uuid4().hex}"
    with FakeLLMServer() as llm_server:
        env = {
            "LLM_PROVIDER": "openai",
            "OPENAI_BASE_URL": llm_server.base_url,
            "OPENAI_API_KEY": "sk-test",
            "OPENAI_MODEL": "test-model",
            "LLM_MAX_RETRIES": "0",
            "LLM_TIMEOUT_SECONDS": "5",
        }
        with Stack(
            database_url=database_url, api_key=key, redis_url=private_redis, env=env, name="provider"
        ) as stack:
            stack.start_web()
            stack.start_worker()
            # given the provider answers 500s
            llm_server.script(Reply.error(500))
            status, accepted = stack.request("POST", "/generate", generate_body(), session_id="s-down")
            failed = stack.wait_for_job(accepted["data"]["job_id"])
            # then the job failed with AI_UNAVAILABLE, HTTP 200 as the spec shows
            assert failed["status"] == "error" and failed["data"]["status"] == "failed"
            assert failed["data"]["error"]["error_code"] == "AI_UNAVAILABLE"
            assert "sk-test" not in str(failed)

            # given the provider is back, a refinement with an instruction no local rule knows
            llm_server.script(
                Reply.json(
                    {
                        "markdown": "## Risk Assessment\n\nEn bref.\n",
                        "applied": ["translated"],
                        "not_applied": [],
                    }
                )
            )
            body = {
                **generate_body(),
                "original_text": b64("## Risk Assessment\n\nIn short."),
                "prompt": "Translate to French",
            }
            status, accepted = stack.request("POST", "/refine", body, session_id="s-down")
            done = stack.wait_for_job(accepted["data"]["job_id"])
            assert unb64(done["data"]["result"]["refined_section_b64"]) == "## Risk Assessment\n\nEn bref.\n"
            assert "Translate to French" in llm_server.requests[-1].body["messages"][1]["content"]
    assert SectionRecord.objects.get(job_id=accepted["data"]["job_id"]).engine == "openai:test-model"


def test_without_redis_a_job_survives_a_restart_of_the_web_process_too(acme, database_url):
    key = f"stack-key-{uuid.uuid4().hex}"
    with Stack(database_url=database_url, api_key=key, redis_url=None, name="memory") as stack:
        # given daphne with its embedded worker, and a finished job
        stack.start_web()
        status, accepted = stack.request("POST", "/generate", generate_body(), session_id="s-memory")
        job_id = accepted["data"]["job_id"]
        done = stack.wait_for_job(job_id)
        assert done["status"] == "ready"
        # when the process restarts
        stack.restart_web()
        # then the job is still there (the spec allows losing it in development; we do not)
        status, body = stack.request("GET", f"/status/{job_id}")
        assert (status, body) == (200, done)
