"""Domain errors of interview practice. Services raise them; the API edge renders them in the
spec's `{"detail": ...}` dialect with `status`, and jobs record them as an error code."""

from __future__ import annotations


class PracticeError(Exception):
    status = 400
    retry_after_seconds: int | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class PracticeNotFound(PracticeError):
    """Unknown id, or one that belongs to someone else (never told apart, so ids do not leak)."""

    status = 404


class PracticeInvalid(PracticeError):
    """The request cannot be served as asked: bad media, wrong state, nothing left to ask."""

    status = 400


class AIServiceUnavailable(PracticeError):
    """The AI provider (LLM) or the speech model failed after its retries."""

    status = 503
    retry_after_seconds = 30


class PracticeStorageError(PracticeError):
    """The recording could not be kept: the disk is full (507) or failing (503)."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status


class JobStillRunning(PracticeError):
    """The job outlived the request's bounded wait; it goes on, and calling again collects it."""

    status = 503
    retry_after_seconds = 5


# How a practice job's failure is recorded on the job row, and read back by the waiting request.
_CODE_OF = {PracticeNotFound: "not_found", AIServiceUnavailable: "ai_unavailable", PracticeInvalid: "invalid"}
# The runner's own endings (a worker lost too often, a run past its time limit) are outages.
_ERROR_OF_CODE: dict[str, type[PracticeError]] = {
    "not_found": PracticeNotFound,
    "invalid": PracticeInvalid,
    "ai_unavailable": AIServiceUnavailable,
    "worker_lost": AIServiceUnavailable,
    "timeout": AIServiceUnavailable,
    "no_worker": AIServiceUnavailable,
}


def job_failure_code(error: PracticeError) -> str:
    return next((code for kind, code in _CODE_OF.items() if isinstance(error, kind)), "invalid")


def from_job_failure(*, code: str, message: str) -> PracticeError | None:
    """The error a failed job recorded, rebuilt on the side that waited for it; None for an
    unexpected failure (a bug), which the edge answers as a 500 without details."""
    kind = _ERROR_OF_CODE.get(code)
    return kind(message) if kind is not None else None


# --------------------------------------------------------------------------------------------
# Live mock interview (live-interview.md). `status` is the HTTP answer, `code` the one an
# `error` frame on ws/interview/{id} carries (close codes where the socket is refused).


class LiveError(Exception):
    status = 400
    code = 4400
    retry_after_seconds: int | None = None

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class LiveNotFound(LiveError):
    status = 404
    code = 4004


class LiveInvalid(LiveError):
    """Bad input: a file that is no usable resume, an answer too long, a malformed frame."""


class LiveConflict(LiveError):
    """Not possible in the session's current phase (an upload after the start, an answer with no
    question waiting)."""

    code = 4409


class LiveUnavailable(LiveError):
    """The AI provider or the speech model failed after its retries, or its job outlived the wait."""

    status = 503
    code = 4503
    retry_after_seconds = 30


_LIVE_CODE_OF = {LiveNotFound: "not_found", LiveConflict: "conflict", LiveUnavailable: "ai_unavailable"}
_LIVE_ERROR_OF_CODE: dict[str, type[LiveError]] = {
    "not_found": LiveNotFound,
    "invalid": LiveInvalid,
    "conflict": LiveConflict,
    "ai_unavailable": LiveUnavailable,
    "worker_lost": LiveUnavailable,
    "timeout": LiveUnavailable,
    "no_worker": LiveUnavailable,
}


def live_failure_code(error: LiveError) -> str:
    return next((code for kind, code in _LIVE_CODE_OF.items() if isinstance(error, kind)), "invalid")


def live_error_from_job(*, code: str, message: str) -> LiveError | None:
    """The error a failed live job recorded, rebuilt where it was waited on; None for a bug."""
    kind = _LIVE_ERROR_OF_CODE.get(code)
    return kind(message) if kind is not None else None
