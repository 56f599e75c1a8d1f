"""The error answers of every operation in the OpenAPI schema, each in its route's own dialect.

Views declare their success bodies (and, where they know better, an error's meaning); this hook,
run last by drf-spectacular, adds the error statuses a route can answer and the body each one
has, derived from what the view is made of, so that the schema cannot drift from
`config.errors`:

| status | when the route can answer it |
| --- | --- |
| 400 | it reads a body (one that does not parse), or its dialect validates with 400 and it reads query parameters |
| 401 | it has authentication classes (a missing, invalid or expired credential) |
| 404 | it has path parameters (unknown ids, and other users' ids, answer as unknown) |
| 413 | it reads a body (over the upload or body limit) |
| 415 | it reads a body (a Content-Type none of its parsers reads) |
| 422 | its dialect validates with 422 and it reads a body, query parameters or headers |
| 429 | it has throttle classes (with Retry-After) |
| 503 | always: the database or job store out of reach answers 503 with Retry-After (`config.errors`) |
| 507 | it takes a file upload (the media disk is full; nothing is kept) |

403 and 409 depend on what a handler decides, so only the views that can answer them declare
them; 405 belongs to methods a path does not document, so no documented operation answers it.
A response a view declared with a description only gets its dialect's body here; one declared
with a body keeps it. A status the rules miss is found by the schema fuzz run
(tests/e2e/test_fuzz.py), which fails on any undocumented status or body.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.drainage import warn

from config import errors

_REF = "#/components/schemas/"

_VALIDATION_ITEM: dict[str, Any] = {
    "type": "object",
    "properties": {
        "loc": {"type": "array", "items": {"anyOf": [{"type": "string"}, {"type": "integer"}]}},
        "msg": {"type": "string"},
        "type": {"type": "string"},
    },
    "required": ["loc", "msg", "type"],
}

COMPONENTS: dict[str, dict[str, Any]] = {
    "ErrorDetail": {
        "type": "object",
        "description": 'The error as one readable sentence: `{"detail": "..."}`.',
        "properties": {"detail": {"type": "string"}},
        "required": ["detail"],
    },
    "DrfValidationError": {
        "description": "DRF's validation answer: messages keyed by field (nested for nested fields), a list "
        'of messages, or `{"detail": "..."}` for a body that does not parse or a refused request.',
        "anyOf": [
            {"$ref": f"{_REF}ErrorDetail"},
            {
                "type": "object",
                "additionalProperties": {"anyOf": [{"type": "array", "items": {}}, {"type": "object"}]},
            },
            {"type": "array", "items": {"type": "string"}},
        ],
    },
    "ValidationItem": {**_VALIDATION_ITEM, "description": "One invalid input, FastAPI style."},
    "FastApiValidationError": {
        "type": "object",
        "description": 'FastAPI\'s validation answer: `{"detail": [{"loc", "msg", "type"}]}`.',
        "properties": {"detail": {"type": "array", "items": {"$ref": f"{_REF}ValidationItem"}}},
        "required": ["detail"],
    },
    "EnvelopeError": {
        "type": "object",
        "description": "report-sections.md's envelope. `data.details` holds the invalid inputs of a 422 "
        "(`[{loc, msg, type}]`) and `retry_after_seconds` of a 429.",
        "properties": {
            "status": {"type": "string", "enum": ["error"]},
            "message": {"type": "string"},
            "data": {
                "type": "object",
                "properties": {
                    "error_code": {"type": "string", "example": "VALIDATION_ERROR"},
                    "path": {"type": "string"},
                    "details": {},
                },
                "required": ["error_code", "path"],
            },
        },
        "required": ["status", "message", "data"],
    },
    "ConversationsError": {
        "type": "object",
        "description": "conversation-intelligence.md's error body. `details` is `{}` unless there is more to "
        "say: the invalid inputs of a 422 (`[{loc, msg, type}]`), `retry_after_seconds` of a 429.",
        "properties": {
            "error": {
                "type": "object",
                "properties": {
                    "code": {"type": "string", "example": "VALIDATION_ERROR"},
                    "message": {"type": "string"},
                    "details": {"anyOf": [{"type": "object"}, {"type": "array", "items": {}}]},
                },
                "required": ["code", "message", "details"],
            }
        },
        "required": ["error"],
    },
}

# Each dialect's body per status (None: every other status). Keyed by `errors.Dialect.name`.
BODIES: dict[str, dict[int | None, str]] = {
    errors.DRF.name: {400: "DrfValidationError", None: "ErrorDetail"},
    errors.DETAIL.name: {None: "ErrorDetail"},
    "fastapi": {422: "FastApiValidationError", None: "ErrorDetail"},  # interviews.live_api.LIVE
    errors.ENVELOPE.name: {None: "EnvelopeError"},
    errors.CONVERSATIONS.name: {None: "ConversationsError"},
}

DESCRIPTIONS = {
    400: "Bad request: a body that does not parse, or invalid input",
    401: "Credentials missing, invalid or expired",
    403: "Not allowed for this account",
    404: "Not found (another user's resource answers the same)",
    409: "Conflicts with the resource's current state",
    413: "Request body over the limit",
    415: "Unsupported Content-Type for the body",
    422: "Validation error",
    429: "Rate limited; retry after Retry-After seconds",
    503: "Briefly unavailable (database, job store or AI service); retry after Retry-After seconds",
    507: "The server's storage is full; nothing was kept",
}

_RETRY_AFTER = {"schema": {"type": "integer"}, "description": "Seconds to wait before trying again."}
_RATE_LIMIT_HEADERS = {
    "X-RateLimit-Limit": {"schema": {"type": "integer"}, "description": "Requests allowed in the window."},
    "X-RateLimit-Remaining": {"schema": {"type": "integer"}, "description": "Requests left in the window."},
    "X-RateLimit-Reset": {"schema": {"type": "integer"}, "description": "When the window ends (Unix time)."},
}


def _view_classes(generator: Any) -> dict[tuple[str, str], type]:
    """(path as in the schema, lower-case method) → view class, from the endpoints drf-spectacular
    walked to build the operations."""
    views: dict[tuple[str, str], type] = {}
    for path, _regex, method, callback in generator.endpoints or []:
        view_class = getattr(callback, "cls", None)
        if view_class is not None:
            views.setdefault(("/" + path.lstrip("/"), method.lower()), view_class)
    return views


def _dialect(view_class: type, path: str) -> errors.Dialect:
    return getattr(view_class, "error_dialect", None) or errors.dialect_for_path(path)


def _has_file_upload(operation: dict[str, Any], components: dict[str, Any]) -> bool:
    content = operation.get("requestBody", {}).get("content", {})
    schema = content.get("multipart/form-data", {}).get("schema", {})
    if "$ref" in schema:
        schema = components.get(schema["$ref"].removeprefix(_REF), {})
    return any(prop.get("format") == "binary" for prop in schema.get("properties", {}).values())


def error_statuses(
    *, view_class: type, dialect: errors.Dialect, operation: dict[str, Any], components: dict[str, Any]
) -> set[int]:
    """The error statuses an operation can answer whatever its handler does (see the module doc)."""
    locations = {parameter.get("in") for parameter in operation.get("parameters", [])}
    has_body = "requestBody" in operation
    statuses = {503}
    if has_body:
        statuses |= {400, 413, 415}
    if dialect.validation_status == 400 and "query" in locations:
        statuses.add(400)
    if dialect.validation_status == 422 and (has_body or locations & {"query", "header"}):
        statuses.add(422)
    if getattr(view_class, "authentication_classes", None):
        statuses.add(401)
    if "path" in locations:
        statuses.add(404)
    if getattr(view_class, "throttle_classes", None):
        statuses.add(429)
    if has_body and _has_file_upload(operation, components):
        statuses.add(507)
    return statuses


def _body_for(dialect: errors.Dialect, status: int) -> dict[str, Any] | None:
    bodies = BODIES.get(dialect.name)
    if bodies is None:
        return None
    name = bodies.get(status) or bodies[None]
    return {"application/json": {"schema": {"$ref": f"{_REF}{name}"}}}


def add_error_responses(result: dict[str, Any], generator: Any, **kwargs: Any) -> dict[str, Any]:
    """drf-spectacular POSTPROCESSING_HOOKS entry: every operation's error answers, in its dialect."""
    from accounts.ratelimit import RateLimitHeadersMixin

    components = result.setdefault("components", {}).setdefault("schemas", {})
    for name, schema in COMPONENTS.items():
        components.setdefault(name, schema)
    views = _view_classes(generator)
    for path, operations in result.get("paths", {}).items():
        for method, operation in operations.items():
            view_class = views.get((path, method))
            if view_class is None:
                warn(
                    f"schema: no view found for {method.upper()} {path}; its error answers are not described"
                )
                continue
            dialect = _dialect(view_class, path)
            if dialect.name not in BODIES:
                warn(f"schema: {view_class.__name__} answers in an unknown error dialect {dialect.name!r}")
                continue
            responses = operation.setdefault("responses", {})
            statuses = error_statuses(
                view_class=view_class, dialect=dialect, operation=operation, components=components
            )
            for status in sorted(statuses):
                responses.setdefault(str(status), {"description": DESCRIPTIONS[status]})
            for code, response in responses.items():
                status = int(code) if code.isdigit() else 0
                if status >= 400 and not response.get("content"):
                    response["content"] = _body_for(dialect, status)
                if status in (429, 503):
                    response.setdefault("headers", {}).setdefault("Retry-After", _RETRY_AFTER)
                if issubclass(view_class, RateLimitHeadersMixin):
                    for header, spec in _RATE_LIMIT_HEADERS.items():
                        response.setdefault("headers", {}).setdefault(header, spec)
            operation["responses"] = dict(sorted(responses.items()))
    return result
