"""The live mock interview (live-interview.md): every write, one function per use case.

- `profiling`: the session, uploads of the resume and the job description, the profile job;
- `documents`: reading a resume file (pypdf, python-docx, plain text);
- `flow`: the interview's steps (start, answer, score and follow-up, next question, finish);
- `interview`: one socket's conversation, over `flow`, sending the frames of `frames`;
- `voice`: voice answers, stored and transcribed by a job;
- `reports`: the final report job, memory opt-in and the erasure of answers;
- `jobs`: the job kinds and the bounded wait on them.
"""

from __future__ import annotations

from interviews.services.live.flow import (
    live_answer_apply,
    live_answer_evaluate,
    live_answer_record,
    live_answer_score,
    live_finish,
    live_interview_start,
    live_next,
    live_pending,
    live_voice_toggle,
)
from interviews.services.live.profiling import (
    live_job_description_upload,
    live_profile_build,
    live_profile_discard,
    live_profile_save,
    live_resume_upload,
    live_session_create,
)
from interviews.services.live.reports import live_memory_opt_in, live_report_build, live_report_save
from interviews.services.live.voice import live_voice_discard, live_voice_store, live_voice_transcribe

__all__ = [
    "live_answer_apply",
    "live_answer_evaluate",
    "live_answer_record",
    "live_answer_score",
    "live_finish",
    "live_interview_start",
    "live_job_description_upload",
    "live_memory_opt_in",
    "live_next",
    "live_pending",
    "live_profile_build",
    "live_profile_discard",
    "live_profile_save",
    "live_report_build",
    "live_report_save",
    "live_resume_upload",
    "live_session_create",
    "live_voice_discard",
    "live_voice_store",
    "live_voice_transcribe",
    "live_voice_toggle",
]
