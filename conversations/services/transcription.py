"""Live transcription of a call, run by the job runner (kind `conversations.transcribe`).

Every upload (and the stop) queues a job for its conversation; a job transcribes every chunk that
is ready, in sequence order, then finishes the transcript if the call has stopped. A chunk is
ready once every chunk before it is settled (its audio continues theirs: see
`conversations.pipeline`) and none is missing before it, or the call has stopped. Chunks are
claimed by conditional update, so two jobs of one call never transcribe the same chunk, and a
chunk whose job died is taken over by the next job.

Segments reach the transcribe socket through the kind's `notify` hook (`transcription_announce`):
each job event pushes the segments not yet announced, in call order.
"""

from __future__ import annotations

import logging
from typing import Any

import numpy as np
from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from analysis import jobs
from analysis.engine_config import whisper_options
from analysis.engines import audio as audio_engine
from analysis.engines import speech
from analysis.engines.transcript import Transcript
from analysis.models import Job
from config import events
from conversations import diarization, pipeline, selectors
from conversations.models import Chunk, Conversation, Segment, VoiceProfile
from conversations.services.analysis import conversation_analysis_start
from conversations.services.nudges import nudges_update

logger = logging.getLogger(__name__)

SAMPLE_RATE = pipeline.SAMPLE_RATE
# Measured on the fixture calls (tests/conversations/test_accuracy.py prints the figures): with the
# missed-turn recovery of `pipeline`, the filler prompt no longer loses turns, and it keeps the
# "um"s coaching looks for.
KEEP_FILLERS = True


def transcribe(audio: audio_engine.Audio) -> Transcript:
    return speech.transcribe(audio, **whisper_options(), keep_fillers=KEEP_FILLERS)


# --------------------------------------------------------------------------------------------
# The job


def transcription_run(ctx: jobs.JobContext) -> dict[str, Any]:
    conversation_id = ctx.inputs["conversation_id"]
    job_id = str(ctx.job.pk)
    done = []
    while True:
        chunk = _claim_next(conversation_id=conversation_id, job_id=job_id)
        if chunk is None:
            break
        _chunk_transcribe(chunk=chunk, job_id=job_id)
        done.append(chunk.sequence)
        ctx.step(f"chunk {chunk.sequence}")  # announces: the socket gets its segments now
        # The call so far, read for live cues as soon as its words are final.
        nudges_update(conversation_id=conversation_id)
    finished = _transcript_finish(conversation_id=conversation_id, job_id=job_id, llm=ctx.inputs.get("llm"))
    return {"chunks": done, "transcript_complete": finished}


def _job_alive(job_id: str) -> bool:
    return bool(job_id) and Job.objects.filter(pk=job_id, status__in=Job.LIVE).exists()


def _claim_next(*, conversation_id: Any, job_id: str) -> Chunk | None:
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None:
        return None
    expected = 1
    for chunk in conversation.chunks.order_by("sequence"):
        if chunk.is_settled:
            expected = chunk.sequence + 1
            continue
        if chunk.sequence != expected and conversation.is_recording:
            return None  # a chunk before it has not arrived yet
        if (
            chunk.state == Chunk.State.TRANSCRIBING
            and chunk.claimed_by != job_id
            and _job_alive(chunk.claimed_by)
        ):
            return None  # in the hands of a live job
        claimed = Chunk.objects.filter(pk=chunk.pk, state=chunk.state, claimed_by=chunk.claimed_by).update(
            state=Chunk.State.TRANSCRIBING, claimed_by=job_id
        )
        return Chunk.objects.select_related("conversation").get(pk=chunk.pk) if claimed else None
    return None


def _decode(chunk: Chunk) -> np.ndarray:
    with chunk.file.open("rb") as handle:
        return audio_engine.decode(handle.file, sample_rate=SAMPLE_RATE).samples  # type: ignore[arg-type]


def _settled_before(conversation: Conversation, sequence: int | None) -> list[Chunk]:
    chunks = conversation.chunks.filter(state__in=[Chunk.State.DONE, Chunk.State.FAILED])
    if sequence is not None:
        chunks = chunks.filter(sequence__lt=sequence)
    return list(chunks.order_by("sequence"))


def _timeline_end(previous: list[Chunk]) -> float:
    if not previous:
        return 0.0
    last = previous[-1]
    return round((last.offset_seconds or 0.0) + (last.decoded_seconds or 0.0), 3)


def _carry(previous: list[Chunk], carry_from: float, until: float) -> np.ndarray:
    """The audio of the call between `carry_from` and `until`, from the chunks before."""
    if carry_from >= until:
        return np.zeros(0, np.float32)
    parts = []
    for chunk in reversed(previous):
        start = chunk.offset_seconds or 0.0
        end = start + (chunk.decoded_seconds or 0.0)
        if end <= carry_from:
            break
        if chunk.state != Chunk.State.DONE or end <= start:
            continue
        samples = _decode(chunk)
        parts.append(samples[max(0, round((carry_from - start) * SAMPLE_RATE)) :])
    return np.concatenate(parts[::-1]) if parts else np.zeros(0, np.float32)


def _history(conversation: Conversation) -> tuple[list[diarization.VoiceRun], list[str]]:
    runs = [diarization.VoiceRun.from_dict(item) for item in conversation.speaker_runs]
    labels = [str(item["label"]) for item in conversation.speaker_runs]
    return runs, labels


def _profile(conversation: Conversation) -> diarization.VoiceModel | None:
    stored = VoiceProfile.objects.filter(user_id=conversation.technician_id).first()
    return diarization.VoiceModel.from_dict(stored.model) if stored is not None else None


def _chunk_transcribe(*, chunk: Chunk, job_id: str) -> None:
    conversation = Conversation.objects.get(pk=chunk.conversation_id)
    previous = _settled_before(conversation, chunk.sequence)
    offset = _timeline_end(previous)
    try:
        samples = _decode(chunk)
    except (audio_engine.MediaError, OSError) as error:
        _chunk_fail(
            chunk=chunk, job_id=job_id, offset=offset, message=f"the audio could not be decoded: {error}"
        )
        return
    carry = _carry(previous, conversation.carry_from, offset)
    audio = audio_engine.Audio(np.concatenate((carry, samples)), SAMPLE_RATE)
    is_last = (
        not conversation.is_recording and not conversation.chunks.filter(sequence__gt=chunk.sequence).exists()
    )
    runs, labels = _history(conversation)
    outcome = pipeline.chunk_process(
        audio=audio,
        audio_start=round(offset - carry.size / SAMPLE_RATE, 3),
        is_last=is_last,
        history=runs,
        history_labels=labels,
        profile=_profile(conversation),
        transcribe=transcribe,
    )
    now = timezone.now()
    with transaction.atomic():
        settled = Chunk.objects.filter(pk=chunk.pk, state=Chunk.State.TRANSCRIBING, claimed_by=job_id).update(
            state=Chunk.State.DONE,
            offset_seconds=offset,
            decoded_seconds=round(samples.size / SAMPLE_RATE, 3),
            processed_at=now,
        )
        if not settled:
            return  # taken over meanwhile: the other run's outcome stands
        _outcome_store(conversation=conversation, outcome=outcome)


def _chunk_fail(*, chunk: Chunk, job_id: str, offset: float, message: str) -> None:
    Chunk.objects.filter(pk=chunk.pk, state=Chunk.State.TRANSCRIBING, claimed_by=job_id).update(
        state=Chunk.State.FAILED,
        offset_seconds=offset,
        decoded_seconds=0.0,
        error=message[:1000],
        processed_at=timezone.now(),
    )


def _merged(drafts: list[pipeline.DraftSegment]) -> pipeline.DraftSegment | None:
    """The tail as one partial segment, spoken by whoever says most of it."""
    if not drafts:
        return None
    words = tuple(w for d in drafts for w in d.words)
    weight: dict[str, int] = {}
    for draft in drafts:
        weight[draft.speaker] = weight.get(draft.speaker, 0) + len(draft.words)
    return pipeline.DraftSegment(
        speaker=max(weight, key=lambda s: weight[s]),
        text=" ".join(d.text for d in drafts),
        start=drafts[0].start,
        end=drafts[-1].end,
        confidence=round(float(np.mean([w.probability for w in words])) if words else 0.0, 4),
        words=words,
    )


def _outcome_store(*, conversation: Conversation, outcome: pipeline.ChunkOutcome) -> None:
    """Store the chunk's segments; the previous partial becomes the first of them (same id), or is
    retracted when nothing came of it. Call inside the transaction that settles the chunk."""
    now = timezone.now()
    tail = _merged(outcome.partial)
    drafts: list[tuple[pipeline.DraftSegment, bool]] = [(d, True) for d in outcome.final]
    if tail is not None:
        drafts.append((tail, False))
    partials = list(
        Segment.objects.filter(conversation=conversation, is_final=False, is_retracted=False).order_by(
            "start_time", "id"
        )
    )
    for index, (draft, final) in enumerate(drafts):
        fields = {
            "speaker_type": draft.speaker,
            "text": draft.text,
            "start_time": round(draft.start, 3),
            "end_time": round(max(draft.end, draft.start), 3),
            "confidence": draft.confidence,
            "words": [
                {"start": w.start, "end": w.end, "text": w.text, "probability": round(w.probability, 4)}
                for w in draft.words
            ],
            "is_final": final,
            "announced_at": None,
            "updated_at": now,
        }
        if index < len(partials):
            Segment.objects.filter(pk=partials[index].pk).update(**fields)
        else:
            Segment.objects.create(conversation=conversation, **fields)
    for stale in partials[len(drafts) :]:
        Segment.objects.filter(pk=stale.pk).update(is_retracted=True, announced_at=None, updated_at=now)
    history = list(conversation.speaker_runs) + [
        {**run.to_dict(), "label": label} for run, label in zip(outcome.runs, outcome.labels, strict=True)
    ]
    Conversation.objects.filter(pk=conversation.pk).update(
        speaker_runs=history, carry_from=outcome.carry_from, updated_at=now
    )


# --------------------------------------------------------------------------------------------
# Finishing the transcript


def _transcript_finish(*, conversation_id: Any, job_id: str, llm: dict[str, Any] | None = None) -> bool:
    """Once the call stopped and every chunk is settled: the carry made final, the technician's
    voice profile updated, the call handed to the analysis. Exactly once; returns whether this
    run did it."""
    conversation = Conversation.objects.filter(pk=conversation_id).first()
    if conversation is None or conversation.is_recording or conversation.transcript_completed_at is not None:
        return False
    if conversation.chunks.exclude(state__in=[Chunk.State.DONE, Chunk.State.FAILED]).exists():
        return False
    free = Q(finalizing_job="") | Q(finalizing_job=job_id)
    if conversation.finalizing_job and not _job_alive(conversation.finalizing_job):
        free |= Q(finalizing_job=conversation.finalizing_job)
    if not Conversation.objects.filter(free, pk=conversation.pk, transcript_completed_at__isnull=True).update(
        finalizing_job=job_id
    ):
        return False
    conversation.refresh_from_db()
    previous = _settled_before(conversation, None)
    end = _timeline_end(previous)
    outcome: pipeline.ChunkOutcome | None = None
    if conversation.carry_from < end - 0.01:
        carry = _carry(previous, conversation.carry_from, end)
        runs, labels = _history(conversation)
        outcome = pipeline.chunk_process(
            audio=audio_engine.Audio(carry, SAMPLE_RATE),
            audio_start=round(end - carry.size / SAMPLE_RATE, 3),
            is_last=True,
            history=runs,
            history_labels=labels,
            profile=_profile(conversation),
            transcribe=transcribe,
        )
    with transaction.atomic():
        if outcome is not None:
            _outcome_store(conversation=conversation, outcome=outcome)
        else:
            # The last chunk was made final when it was transcribed; no partial is left behind.
            Segment.objects.filter(conversation=conversation, is_final=False, is_retracted=False).update(
                is_retracted=True, announced_at=None, updated_at=timezone.now()
            )
        completed = Conversation.objects.filter(
            pk=conversation.pk, finalizing_job=job_id, transcript_completed_at__isnull=True
        ).update(transcript_completed_at=timezone.now())
        if not completed:
            transaction.set_rollback(True)
            return False
        conversation.refresh_from_db()
        _profile_update(conversation)
        transaction.on_commit(lambda: conversation_analysis_start(conversation=conversation, llm=llm))
    return True


def _profile_update(conversation: Conversation) -> None:
    """Blend the technician's voice on this call into their profile (inside the completing
    transaction, so a call counts once)."""
    runs, labels = _history(conversation)
    model = diarization.technician_model(runs, labels)
    if model is None:
        return
    stored = VoiceProfile.objects.select_for_update().filter(user_id=conversation.technician_id).first()
    if stored is None:
        VoiceProfile.objects.create(user_id=conversation.technician_id, model=model.to_dict(), calls=1)
        return
    past = diarization.VoiceModel.from_dict(stored.model)
    blended = past.blend(model) if past is not None else model
    stored.model = blended.to_dict()
    stored.calls = blended.calls
    stored.save(update_fields=["model", "calls", "updated_at"])


# --------------------------------------------------------------------------------------------
# Frames for the transcribe socket


def segment_frame(segment: Segment) -> dict[str, Any]:
    if segment.is_retracted:
        return {"type": "transcription_segment_retracted", "segment_id": segment.pk}
    return {
        "type": "transcription_segment",
        "segment_id": segment.pk,
        "speaker_type": segment.speaker_type,
        "text": segment.text,
        "start_time": segment.start_time,
        "end_time": segment.end_time,
        "is_final": segment.is_final,
        "confidence": round(segment.confidence, 4),
    }


def frames_pending_take(*, conversation_id: Any) -> list[dict[str, Any]]:
    """Frames not yet pushed (segments in call order, chunk errors, completion), each taken by
    conditional update so that two announcers never push the same version twice."""
    now = timezone.now()
    frames: list[dict[str, Any]] = []
    pending = Segment.objects.filter(conversation_id=conversation_id, announced_at__isnull=True)
    for segment in pending.order_by("start_time", "id"):
        taken = Segment.objects.filter(
            pk=segment.pk, announced_at__isnull=True, updated_at=segment.updated_at
        ).update(announced_at=now)
        if taken:
            frames.append(segment_frame(segment))
    failed = Chunk.objects.filter(
        conversation_id=conversation_id, state=Chunk.State.FAILED, error_announced_at__isnull=True
    )
    for chunk in failed.order_by("sequence"):
        if Chunk.objects.filter(pk=chunk.pk, error_announced_at__isnull=True).update(error_announced_at=now):
            frames.append(
                {
                    "type": "chunk_error",
                    "chunk_id": chunk.public_id,
                    "sequence": chunk.sequence,
                    "message": f"Chunk {chunk.sequence} could not be transcribed: {chunk.error}",
                }
            )
    completed = Conversation.objects.filter(
        pk=conversation_id, transcript_completed_at__isnull=False, completion_announced_at__isnull=True
    ).update(completion_announced_at=now)
    if completed:
        conversation = Conversation.objects.get(pk=conversation_id)
        frames.append(
            {
                "type": "transcription_complete",
                "conversation_id": conversation.public_id,
                "total_segments": selectors.transcript_segments(conversation=conversation).count(),
            }
        )
    return frames


def transcription_announce(job: Job, event: str) -> None:
    """The kind's notify hook: push what the job just stored to the sockets on the call."""
    if event not in ("progress", "succeeded", "failed"):
        return
    conversation_id = job.inputs.get("conversation_id")
    frames = frames_pending_take(conversation_id=conversation_id)
    if frames:
        events.broadcast(
            selectors.group_name(conversation_id), {"type": "conversation.frames", "frames": frames}
        )
