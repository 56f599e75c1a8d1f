"""Interview practice's kinds of job, run by the one job runner (`analysis.jobs`): thin, taking
ids (plus the engine choice, see `ai.llm_options`), safe to run twice. Practice errors are
recorded on the job with a code that the waiting request turns back into its HTTP answer."""

from __future__ import annotations

from typing import Any

from analysis import jobs
from interviews import services
from interviews.services.practice_jobs import NEXT_QUESTION, REPORT, TRANSCRIBE, practice_job_runner


def _transcribe(inputs: dict[str, Any]) -> None:
    services.practice_media_transcribe(media_id=inputs["media_id"])


def _report(inputs: dict[str, Any]) -> None:
    services.practice_report_build(media_id=inputs["media_id"], options=inputs.get("llm"))


def _next_question(inputs: dict[str, Any]) -> dict[str, Any]:
    return services.practice_next_question_choose(session_id=inputs["session_id"], options=inputs.get("llm"))


PRACTICE_TRANSCRIBE = jobs.register(
    jobs.JobKind(name=TRANSCRIBE, run=practice_job_runner(_transcribe), time_limit_seconds=10 * 60)
)
# The report transcribes (if not done yet), measures audio and video, then asks the LLM.
PRACTICE_REPORT = jobs.register(
    jobs.JobKind(name=REPORT, run=practice_job_runner(_report), time_limit_seconds=20 * 60)
)
PRACTICE_NEXT_QUESTION = jobs.register(
    jobs.JobKind(name=NEXT_QUESTION, run=practice_job_runner(_next_question), time_limit_seconds=5 * 60)
)
