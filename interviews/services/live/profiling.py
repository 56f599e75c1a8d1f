"""Setting up a live interview: the session, its resume and job description, and the profile read
from them.

An upload stores the document as a row of its own, then waits on a profiling job (the provider
may be remote); the job's completion points the session at the new document and its profile in
one write. So a file that cannot be read, or a profile that cannot be made, leaves the session as
it was, and a document that never became current is deleted when its job fails.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from analysis import engine_config
from analysis.engines import llm
from analysis.models import Job
from interviews import selectors
from interviews.ai import live_generation, live_profile
from interviews.ai.language import appears_in
from interviews.exceptions import LiveConflict, LiveInvalid, LiveNotFound, LiveUnavailable
from interviews.models import LiveDocument, LiveSession
from interviews.services.live import documents
from interviews.services.live.jobs import PROFILE, live_job_await

PROFILE_WAIT_SECONDS = 90.0
MAX_JOB_DESCRIPTION_CHARS = 20_000
MAX_ROLE_CHARS = 200


def live_session_create() -> LiveSession:
    return LiveSession.objects.create()


def _require_setup(session: LiveSession) -> None:
    if session.phase != LiveSession.Phase.SETUP:
        raise LiveConflict(
            f"The interview has already started (phase {session.phase}); the resume and the job "
            "description can only change before it starts."
        )


def live_resume_upload(*, session_id: Any, upload: UploadedFile) -> LiveSession:
    """Read the resume, profile it (against the job description, if there is one yet) and make
    both current. Raises LiveInvalid for an unusable file, LiveConflict once the interview has
    started, LiveUnavailable when profiling failed or took too long."""
    session = selectors.live_session_get(session_id=session_id)
    _require_setup(session)
    parsed = documents.resume_parse(upload)
    document = LiveDocument.objects.create(
        session=session,
        kind=LiveDocument.Kind.RESUME,
        filename=parsed.filename,
        format=parsed.format,
        size_bytes=parsed.size_bytes,
        pages=parsed.pages,
        text=parsed.text,
    )
    _profile(session=session, document=document, resume_id=document.pk, jd_id=session.job_description_id)
    return _current(session_id=session.pk, document=document)


def live_job_description_upload(*, session_id: Any, job_description: str, role: str) -> LiveSession:
    """Store the job description and role; with a resume already there, profile again against it."""
    session = selectors.live_session_get(session_id=session_id)
    _require_setup(session)
    body = documents.job_description_clean(job_description)
    if not body:
        raise LiveInvalid("job_description: the job description is empty.")
    document = LiveDocument.objects.create(
        session=session,
        kind=LiveDocument.Kind.JOB_DESCRIPTION,
        format="text",
        size_bytes=len(body.encode()),
        text=body,
        role=" ".join(role.split())[:MAX_ROLE_CHARS],
    )
    if session.resume_id is None:
        # Nothing to profile yet: the resume's upload will read the job description with it.
        with transaction.atomic():
            updated = LiveSession.objects.filter(pk=session.pk, phase=LiveSession.Phase.SETUP).update(
                job_description=document, updated_at=timezone.now()
            )
        if not updated:
            document.delete()
            raise LiveConflict("The interview started meanwhile; the job description was not changed.")
    else:
        _profile(session=session, document=document, resume_id=session.resume_id, jd_id=document.pk)
    return _current(session_id=session.pk, document=document)


def _current(*, session_id: Any, document: LiveDocument) -> LiveSession:
    """The session, once `document` is its current one; the profile is not saved once the
    interview has started, which can happen while it is being made."""
    session = selectors.live_session_get(session_id=session_id)
    if document.pk not in (session.resume_id, session.job_description_id):
        document.delete()
        raise LiveConflict("The interview started while the document was being read; it was not used.")
    return session


def _profile(*, session: LiveSession, document: LiveDocument, resume_id: Any, jd_id: Any) -> None:
    live_job_await(
        kind=PROFILE,
        inputs={
            "session_id": str(session.pk),
            "document_id": str(document.pk),
            "resume_id": str(resume_id),
            "job_description_id": str(jd_id) if jd_id else None,
            "today": date.today().isoformat(),
            "llm": engine_config.llm_options(),
        },
        dedupe_key=f"{session.pk}:{document.pk}",
        session_id=session.pk,
        wait_seconds=PROFILE_WAIT_SECONDS,
        what="Reading the resume",
    )


# --------------------------------------------------------------------------------------------
# Worker side


def _grounded(profile: live_profile.ResumeProfile, resume: str, jd: str) -> live_profile.ResumeProfile:
    """Only what the documents say: evidence a provider did not quote from them is dropped, and an
    item left without evidence with it (the local engine quotes lines, so it loses nothing)."""
    sources = {"resume": resume, "job_description": jd}

    def keep(evidence: list[live_profile.Evidence]) -> list[live_profile.Evidence]:
        return [e for e in evidence if appears_in(e.quote, sources[e.source])]

    return profile.model_copy(
        update={
            "seniority_signals": [s for s in profile.seniority_signals if keep([s.evidence])],
            "strengths": [
                i.model_copy(update={"evidence": keep(i.evidence)})
                for i in profile.strengths
                if keep(i.evidence)
            ],
            "gaps": [
                i.model_copy(update={"evidence": keep(i.evidence)}) for i in profile.gaps if keep(i.evidence)
            ],
            "focus_areas": [
                a.model_copy(update={"evidence": keep(a.evidence)})
                for a in profile.focus_areas
                if keep(a.evidence)
            ],
        }
    )


def live_profile_build(inputs: dict[str, Any]) -> dict[str, Any]:
    """The profile of the resume against the job description, and the questions written for the
    role when both are there. Read only; the job's completion stores it."""
    resume = LiveDocument.objects.filter(pk=inputs["resume_id"], kind=LiveDocument.Kind.RESUME).first()
    if resume is None:
        raise LiveNotFound("The resume is gone.")
    jd = (
        LiveDocument.objects.filter(pk=inputs["job_description_id"]).first()
        if inputs.get("job_description_id")
        else None
    )
    config = engine_config.llm_config(inputs.get("llm"))
    task_inputs = {
        "resume": resume.text,
        "job_description": jd.text if jd else "",
        "role": jd.role if jd else "",
        "today": inputs.get("today") or date.today().isoformat(),
    }
    try:
        profile = llm.run(live_profile.TASK, task_inputs, config=config)
        assert isinstance(profile, live_profile.ResumeProfile)
        profile = _grounded(profile, resume.text, jd.text if jd else "")
        plan: list[dict[str, Any]] = []
        if jd is not None:
            generated = llm.run(
                live_generation.TASK,
                {"role": jd.role, "job_description": jd.text, "profile": profile.model_dump(mode="json")},
                config=config,
            )
            assert isinstance(generated, live_generation.GeneratedQuestions)
            plan = [q.model_dump(mode="json") for q in generated.questions]
    except llm.AIUnavailable as error:
        raise LiveUnavailable(f"The AI service is unavailable: {error}") from error
    return {"profile": profile.model_dump(mode="json"), "plan": plan}


def live_profile_save(job: Job, result: dict[str, Any]) -> None:
    """In the transaction that finishes the job: the new documents and their profile become the
    session's, unless the interview started meanwhile."""
    profile = result["profile"]
    LiveSession.objects.filter(pk=job.inputs["session_id"], phase=LiveSession.Phase.SETUP).update(
        resume_id=job.inputs["resume_id"],
        job_description_id=job.inputs.get("job_description_id"),
        profile=profile,
        detected_seniority=profile["detected_seniority"],
        question_plan=result["plan"],
        updated_at=timezone.now(),
    )


def live_profile_discard(job: Job) -> None:
    """A failed profiling job's document never became current: it goes."""
    session = LiveSession.objects.filter(pk=job.inputs["session_id"]).first()
    current = {session.resume_id, session.job_description_id} if session else set()
    LiveDocument.objects.filter(pk=job.inputs["document_id"]).exclude(
        pk__in=[c for c in current if c]
    ).delete()
