"""Domain errors of interview practice. Services raise them; the API edge renders them in the
spec's `{"detail": ...}` dialect with `status`, and Celery jobs carry them back as plain data."""

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


class JobStillRunning(PracticeError):
    """The job outlived the request's bounded wait; it goes on, and calling again collects it."""

    status = 503
    retry_after_seconds = 5


def from_outcome(outcome: dict[str, object]) -> PracticeError:
    """The error a job reported, rebuilt on the side that waited for it."""
    status = int(outcome.get("status", 500))  # type: ignore[call-overload]
    kinds: dict[int, type[PracticeError]] = {404: PracticeNotFound, 503: AIServiceUnavailable}
    return kinds.get(status, PracticeInvalid)(str(outcome.get("detail", "The job failed.")))


def as_outcome(error: PracticeError) -> dict[str, object]:
    return {"ok": False, "status": error.status, "detail": error.message}
