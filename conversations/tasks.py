"""Field conversations' kinds of job, run by the one job runner (`analysis.jobs`): thin, taking ids."""

from __future__ import annotations

from analysis import jobs
from analysis.engines.speech import TranscriptionError
from conversations import services

# One job per upload (and one per stop): it transcribes every chunk that is ready, in sequence
# order, and pushes each chunk's segments to the transcribe socket as soon as they are stored.
TRANSCRIBE = jobs.register(
    jobs.JobKind(
        name=services.TRANSCRIBE_KIND,
        run=services.transcription_run,
        notify=services.transcription_announce,
        time_limit_seconds=10 * 60,
        retry_on=(TranscriptionError,),
    )
)

# The post-call analysis: the three AI tasks on the whole transcript, results written when the
# job completes (once), the call marked failed with the reason when it fails.
ANALYSIS = jobs.register(
    jobs.JobKind(
        name=services.ANALYSIS_KIND,
        run=services.analysis_run,
        complete=services.analysis_complete,
        fail=services.analysis_fail,
        time_limit_seconds=15 * 60,
    )
)
