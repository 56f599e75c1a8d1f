"""Error dialects: each product answers errors in the body shape its spec promises.

A view declares `error_dialect = errors.ENVELOPE` (or inherits it from its app's base view); requests
that never reach a view (unknown routes, failures in middleware) pick the dialect by path prefix.
Every error, from validation to an unexpected exception, goes through `render()` so the shapes and
the codes cannot drift between apps.
"""

from __future__ import annotations

import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django import db
from django.core.exceptions import PermissionDenied, RequestDataTooBig, SuspiciousOperation
from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from rest_framework import exceptions as drf_exceptions
from rest_framework import status as http
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

logger = logging.getLogger("config.errors")

STATUS_CODES = {
    400: "BAD_REQUEST",
    401: "UNAUTHORIZED",
    403: "FORBIDDEN",
    404: "NOT_FOUND",
    405: "METHOD_NOT_ALLOWED",
    406: "NOT_ACCEPTABLE",
    409: "CONFLICT",
    413: "PAYLOAD_TOO_LARGE",
    415: "UNSUPPORTED_MEDIA_TYPE",
    422: "VALIDATION_ERROR",
    429: "RATE_LIMITED",
    500: "INTERNAL_ERROR",
    503: "SERVICE_UNAVAILABLE",
    507: "INSUFFICIENT_STORAGE",
}


class ApiError(drf_exceptions.APIException):
    """A domain error with an explicit status and machine code; the edge renders it in its dialect."""

    def __init__(
        self, message: str, *, status: int = 400, code: str | None = None, details: Any = None
    ) -> None:
        super().__init__(detail=message, code=code or STATUS_CODES.get(status, "ERROR"))
        self.status_code = status
        self.error_code = code or STATUS_CODES.get(status, "ERROR")
        self.details = details


@dataclass(frozen=True)
class Problem:
    """What went wrong, independent of how a given spec spells it."""

    status: int
    code: str
    message: str
    details: Any = None
    field_errors: Any = None  # DRF's own structure, for the dialect that shows it as is


@dataclass(frozen=True)
class Dialect:
    name: str
    validation_status: int
    build: Callable[[Problem, HttpRequest], Any]
    code_overrides: dict[int, str]

    def code_for(self, status: int) -> str:
        return self.code_overrides.get(status) or STATUS_CODES.get(status, "ERROR")


def _flatten(errors: Any, prefix: str = "") -> list[str]:
    """DRF's nested error structure as readable 'field: message' strings."""
    if isinstance(errors, dict):
        lines: list[str] = []
        for key, value in errors.items():
            name = f"{prefix}.{key}" if prefix else str(key)
            if key == "non_field_errors":
                name = prefix
            lines.extend(_flatten(value, name))
        return lines
    if isinstance(errors, list):
        lines = []
        for index, item in enumerate(errors):
            nested = isinstance(item, dict | list)
            lines.extend(_flatten(item, f"{prefix}[{index}]" if nested else prefix))
        return lines
    return [f"{prefix}: {errors}" if prefix else str(errors)]


def _details_list(errors: Any) -> list[dict[str, Any]]:
    """Field errors as a Pydantic-style list ({loc, msg, type}), which the reports spec promises."""
    out: list[dict[str, Any]] = []

    def walk(node: Any, loc: list[Any]) -> None:
        if isinstance(node, dict):
            for key, value in node.items():
                walk(value, loc if key == "non_field_errors" else [*loc, key])
        elif isinstance(node, list):
            for index, item in enumerate(node):
                walk(item, [*loc, index] if isinstance(item, dict | list) else loc)
        else:
            code = getattr(node, "code", "invalid")
            out.append({"loc": ["body", *loc], "msg": str(node), "type": str(code)})

    walk(errors, [])
    return out


def _drf_body(problem: Problem, request: HttpRequest) -> Any:
    if problem.field_errors is not None:
        return problem.field_errors
    return {"detail": problem.message}


def _detail_body(problem: Problem, request: HttpRequest) -> Any:
    return {"detail": problem.message}


def _envelope_body(problem: Problem, request: HttpRequest) -> Any:
    data: dict[str, Any] = {"error_code": problem.code, "path": request.path}
    if problem.details is not None:
        data["details"] = problem.details
    return {"status": "error", "message": problem.message, "data": data}


def _ci_body(problem: Problem, request: HttpRequest) -> Any:
    details = problem.details if problem.details is not None else {}
    return {"error": {"code": problem.code, "message": problem.message, "details": details}}


DRF = Dialect("drf", 400, _drf_body, {})
DETAIL = Dialect("detail", 400, _detail_body, {})
ENVELOPE = Dialect("envelope", 422, _envelope_body, {})
CONVERSATIONS = Dialect("conversations", 422, _ci_body, {500: "SERVER_ERROR"})

# Requests that never reach a view are matched by prefix, longest first. Prefixes come from the specs.
_PREFIXES: list[tuple[str, Dialect]] = sorted(
    [
        ("/api/", DRF),
        ("/ws/", DRF),
        ("/generate", ENVELOPE),
        ("/refine", ENVELOPE),
        ("/status/", ENVELOPE),
        ("/auth/google", CONVERSATIONS),
        ("/auth/refresh", CONVERSATIONS),
        ("/auth/me", CONVERSATIONS),
        ("/users/", CONVERSATIONS),
        ("/conversations/", CONVERSATIONS),
        ("/coach/", CONVERSATIONS),
        ("/analytics/", CONVERSATIONS),
        ("/auth/token", DETAIL),
        ("/interview/", DETAIL),
        ("/session/", DETAIL),
        ("/upload/", DETAIL),
    ],
    key=lambda pair: len(pair[0]),
    reverse=True,
)


def dialect_for_path(path: str) -> Dialect:
    for prefix, dialect in _PREFIXES:
        if path.startswith(prefix):
            return dialect
    return DETAIL


def request_id(request: HttpRequest) -> str:
    return getattr(request, "request_id", "") or "-"


def render(problem: Problem, request: HttpRequest, dialect: Dialect | None = None) -> Any:
    return (dialect or dialect_for_path(request.path)).build(problem, request)


def _problem_from_drf(exc: drf_exceptions.APIException, dialect: Dialect) -> Problem:
    status = exc.status_code
    if isinstance(exc, ApiError):
        return Problem(status, exc.error_code, str(exc.detail), exc.details)
    if isinstance(exc, drf_exceptions.ValidationError):
        lines = _flatten(exc.detail)
        message = "; ".join(lines) if lines else "Invalid input."
        status = dialect.validation_status
        return Problem(status, dialect.code_for(status), message, _details_list(exc.detail), exc.detail)
    if isinstance(exc, drf_exceptions.Throttled):
        return Problem(status, dialect.code_for(status), str(exc.detail), {"retry_after_seconds": exc.wait})
    detail = exc.detail
    if isinstance(detail, dict) and "detail" in detail:  # simplejwt nests its reason
        detail = detail["detail"]
    message = str(detail) if not isinstance(detail, dict | list) else "; ".join(_flatten(detail))
    return Problem(status, dialect.code_for(status), message)


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response:
    """DRF's EXCEPTION_HANDLER: every exception raised in an API view ends here."""
    request = context["request"]
    view = context.get("view")
    dialect: Dialect = getattr(view, "error_dialect", None) or dialect_for_path(request.path)

    if isinstance(exc, RequestDataTooBig):
        exc = ApiError("Request body is too large.", status=413)
    elif isinstance(exc, SuspiciousOperation):
        exc = drf_exceptions.ParseError(str(exc) or "Malformed request.")
    elif isinstance(exc, Http404):
        exc = drf_exceptions.NotFound()
    elif isinstance(exc, PermissionDenied):
        exc = drf_exceptions.PermissionDenied()

    if isinstance(exc, db.InterfaceError | db.OperationalError):
        # The database is restarting or out of reach: an outage to wait out, not a bug.
        logger.error("database unavailable request_id=%s path=%s: %s", request_id(request), request.path, exc)
        exc = ApiError("The service is briefly unavailable; try again in a few seconds.", status=503)

    response = drf_exception_handler(exc, context)
    if response is not None and response.status_code == 503:
        response["Retry-After"] = "5"
    if response is None:
        logger.exception("unhandled error request_id=%s path=%s", request_id(request), request.path)
        status = 500
        problem = Problem(
            status, dialect.code_for(status), f"Internal server error (request {request_id(request)})."
        )
        return Response(render(problem, request, dialect), status=status)

    problem = _problem_from_drf(exc, dialect)  # type: ignore[arg-type]
    response.status_code = problem.status
    response.data = render(problem, request, dialect)
    return response


def json_error(request: HttpRequest, status: int, message: str, *, code: str | None = None) -> JsonResponse:
    dialect = dialect_for_path(request.path)
    problem = Problem(status, code or dialect.code_for(status), message)
    return JsonResponse(render(problem, request, dialect), status=status, safe=False)


def not_found_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return json_error(request, 404, "Not found.")


def server_error_view(request: HttpRequest) -> HttpResponse:
    return json_error(request, 500, f"Internal server error (request {request_id(request)}).")


def bad_request_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    if isinstance(exception, RequestDataTooBig):
        return json_error(request, 413, "Request body is too large.")
    return json_error(request, 400, "Bad request.")


def permission_denied_view(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    return json_error(request, 403, "Forbidden.")


class RequestIdMiddleware:
    """Tags each request with an id (kept from X-Request-Id when sane) so a 500 can be traced in logs."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        incoming = request.headers.get("X-Request-Id", "")
        sane = 0 < len(incoming) <= 64 and incoming.isprintable()
        request_id = incoming if sane else uuid.uuid4().hex
        request.request_id = request_id  # type: ignore[attr-defined]
        response = self.get_response(request)
        response["X-Request-Id"] = request_id
        return response

    def process_exception(self, request: HttpRequest, exception: Exception) -> HttpResponse | None:
        if isinstance(exception, Http404):
            return json_error(request, http.HTTP_404_NOT_FOUND, "Not found.")
        if isinstance(exception, PermissionDenied | SuspiciousOperation):
            return None  # Django's own handlers (handler403/400 above) render these
        if isinstance(exception, db.InterfaceError | db.OperationalError):
            logger.error(
                "database unavailable request_id=%s path=%s: %s", request_id(request), request.path, exception
            )
            response = json_error(
                request, 503, "The service is briefly unavailable; try again in a few seconds."
            )
            response["Retry-After"] = "5"
            return response
        logger.exception("unhandled error request_id=%s path=%s", request_id(request), request.path)
        return json_error(request, 500, f"Internal server error (request {request_id(request)}).")
