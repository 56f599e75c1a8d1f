"""Domain errors of field conversations. Services raise them; the API edge renders them in the
spec's `{"error": {"code", "message", "details"}}` dialect with `status` and `code`."""

from __future__ import annotations

from typing import Any


class ConversationError(Exception):
    status = 422
    code = "VALIDATION_ERROR"

    def __init__(self, message: str, *, details: dict[str, Any] | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.details = details or {}


class NotFound(ConversationError):
    """Unknown id, or one the caller may not see (never told apart, so ids do not leak)."""

    status = 404
    code = "NOT_FOUND"


class Forbidden(ConversationError):
    """The caller may see the resource but not do this to it (a supervisor uploading audio)."""

    status = 403
    code = "FORBIDDEN"


class Invalid(ConversationError):
    """Bad input: an unusable chunk, a sequence below 1, a field out of range."""

    status = 422
    code = "VALIDATION_ERROR"


class Conflict(ConversationError):
    """The conversation is not in a state that allows this (audio after stop)."""

    status = 409
    code = "CONFLICT"


class RateLimited(ConversationError):
    status = 429
    code = "RATE_LIMITED"

    def __init__(
        self, message: str, *, retry_after_seconds: int, details: dict[str, Any] | None = None
    ) -> None:
        super().__init__(message, details={"retry_after_seconds": retry_after_seconds, **(details or {})})
        self.retry_after_seconds = retry_after_seconds


class StorageProblem(ConversationError):
    """The chunk could not be kept: the disk is full (507) or failing (503)."""

    def __init__(self, message: str, *, status: int) -> None:
        super().__init__(message)
        self.status = status
        self.code = "INSUFFICIENT_STORAGE" if status == 507 else "SERVICE_UNAVAILABLE"
