"""Interview practice's and the live interview's kinds of job, run by the one job runner
(`analysis.jobs`): thin, taking ids (plus the engine choice, see `ai.llm_options`), safe to run
twice. Domain errors are recorded on the job with a code that the waiting side turns back into
its own answer (HTTP, or an `error` frame on the interview socket)."""

from __future__ import annotations

from typing import Any

from analysis import jobs
from interviews import services
from interviews.services import live
from interviews.services.live import jobs as live_jobs
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


# --------------------------------------------------------------------------------------------
# Live mock interview: the slow pieces of an interview, each waited on with a bound.


def _live_profile(inputs: dict[str, Any]) -> dict[str, Any]:
    return live.live_profile_build(inputs)


def _live_answer(inputs: dict[str, Any]) -> dict[str, Any]:
    return live.live_answer_evaluate(
        turn_id=inputs["turn_id"], part=inputs["part"], options=inputs.get("llm")
    )


def _live_answer_apply(job: jobs.Job, result: dict[str, Any]) -> None:
    live.live_answer_apply(turn_id=job.inputs["turn_id"], part=job.inputs["part"], evaluation=result)


def _live_transcribe(inputs: dict[str, Any]) -> dict[str, Any]:
    return live.live_voice_transcribe(inputs)


def _live_report(inputs: dict[str, Any]) -> dict[str, Any]:
    return live.live_report_build(session_id=inputs["session_id"], options=inputs.get("llm"))


# Profiling reads the resume and writes the questions for the role: two provider calls.
LIVE_PROFILE = jobs.register(
    jobs.JobKind(
        name=live_jobs.PROFILE,
        run=live_jobs.live_job_runner(_live_profile),
        complete=live.live_profile_save,
        fail=live.live_profile_discard,
        time_limit_seconds=5 * 60,
    )
)
# Scoring with a remote provider: the score and, for a vague answer, the follow-up's wording.
LIVE_ANSWER = jobs.register(
    jobs.JobKind(
        name=live_jobs.ANSWER,
        run=live_jobs.live_job_runner(_live_answer),
        complete=_live_answer_apply,
        time_limit_seconds=3 * 60,
    )
)
# A spoken answer is minutes at most; Whisper runs it 35x faster than real time.
LIVE_TRANSCRIBE = jobs.register(
    jobs.JobKind(
        name=live_jobs.TRANSCRIBE,
        run=live_jobs.live_job_runner(_live_transcribe),
        complete=live.live_voice_discard,
        fail=live.live_voice_discard,
        time_limit_seconds=5 * 60,
    )
)
LIVE_REPORT = jobs.register(
    jobs.JobKind(
        name=live_jobs.REPORT,
        run=live_jobs.live_job_runner(_live_report),
        complete=live.live_report_save,
        time_limit_seconds=5 * 60,
    )
)
