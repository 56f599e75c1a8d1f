"""report-sections.md: POST /generate, POST /refine, GET /status/{job_id}.

Every answer, errors included, is the spec's envelope (`errors.ENVELOPE`). Headers are checked
in the spec's order of importance: the API key (401), then Session-Id on the POST routes (400),
then the body (422).
"""

from __future__ import annotations

import logging
from typing import Any, cast

from django.conf import settings
from django.db import DatabaseError
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import exceptions as drf_exceptions
from rest_framework.parsers import JSONParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.serializers import Serializer
from rest_framework.views import APIView

from accounts.ratelimit import CountFirstMixin, FailedAuthThrottle, KeyedThrottle
from config import errors
from reports import selectors, services
from reports.api_clients import ApiClient
from reports.authentication import ApiKeyAuthentication
from reports.models import SectionRecord
from reports.serializers import (
    MAX_SESSION_ID_CHARS,
    ReportJobAcceptedOutput,
    ReportJobStatusOutput,
    SectionGenerateInput,
    SectionRefineInput,
    accepted_body,
    busy_body,
    status_body,
)

logger = logging.getLogger(__name__)

SESSION_HEADER = OpenApiParameter(
    "Session-Id", str, OpenApiParameter.HEADER, required=True, description="the frontend's report workflow id"
)
# Bodies are the envelope (config/schema.py adds them, and the statuses every route can answer).
ERRORS = {
    401: OpenApiResponse(description="X-API-Key missing, unknown or revoked"),
    400: OpenApiResponse(description="Session-Id missing or malformed"),
    422: OpenApiResponse(description="validation error, or a body that is not JSON, with data.details"),
    503: OpenApiResponse(description="the job store is unreachable"),
}


class ApiKeyThrottle(KeyedThrottle):
    """Jobs started per API key: report-sections.md sets no limit; this keeps one frontend's loop
    from filling the queue for everyone."""

    scope = "report-jobs"
    rate = "120/min"

    def key(self, request: Request) -> str | None:
        client = getattr(request, "user", None)
        return f"key:{client.name}" if isinstance(client, ApiClient) else None


class ReportApi(CountFirstMixin, APIView):
    error_dialect = errors.ENVELOPE
    authentication_classes = [ApiKeyAuthentication]
    permission_classes = [IsAuthenticated]
    parser_classes = [JSONParser]
    # A missing or wrong key is counted by address before its 401 (CountFirstMixin).
    throttle_classes: list[type] = [FailedAuthThrottle]

    def client(self, request: Request) -> ApiClient:
        # ApiKeyAuthentication either sets an ApiClient or raises 401 before any handler runs.
        return cast(ApiClient, request.user)

    def session_id(self, request: Request) -> str:
        value = request.headers.get("Session-Id", "").strip()
        if not value:
            raise errors.ApiError("Session-Id is required", status=400, code="BAD_REQUEST")
        if len(value) > MAX_SESSION_ID_CHARS or not value.isprintable():
            raise errors.ApiError(
                f"Session-Id must be printable text of at most {MAX_SESSION_ID_CHARS} characters",
                status=400,
                code="BAD_REQUEST",
            )
        return value

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, DatabaseError):
            # The database down is an outage to wait out, not a bug: 503, details in the log only.
            logger.error("report jobs unreachable: %s", exc)
            exc = errors.ApiError(
                "The job store is unavailable; try again shortly.", status=503, code="SERVICE_UNAVAILABLE"
            )
        return super().handle_exception(exc)

    def body(self, request: Request) -> Any:
        try:
            declared = int(request.META.get("CONTENT_LENGTH") or 0)
        except ValueError:
            declared = 0
        # The JSON parser reads the stream whole; refuse an oversized body before it does.
        if declared > settings.DATA_UPLOAD_MAX_MEMORY_SIZE:
            raise errors.ApiError("Request body is too large.", status=413, code="PAYLOAD_TOO_LARGE")
        try:
            return request.data
        except drf_exceptions.ParseError as error:
            # FastAPI, which the spec's clients were written against, answers a broken body with 422.
            raise errors.ApiError(
                "Request body is not valid JSON",
                status=422,
                code="VALIDATION_ERROR",
                details=[{"loc": ["body"], "msg": str(error.detail), "type": "json_invalid"}],
            ) from None

    def start(self, request: Request, *, kind: str, serializer_class: type[Serializer]) -> Response:
        client = self.client(request)
        session_id = self.session_id(request)
        data = serializer_class(data=self.body(request))
        data.is_valid(raise_exception=True)
        started = services.section_job_start(
            client=client, session_id=session_id, kind=kind, request=dict(data.validated_data)
        )
        body = busy_body(started.job) if started.is_busy else accepted_body(started.job)
        return Response(body, status=202)


class GenerateApi(ReportApi):
    throttle_classes = [FailedAuthThrottle, ApiKeyThrottle]

    @extend_schema(
        operation_id="report_section_generate",
        request=SectionGenerateInput,
        parameters=[SESSION_HEADER],
        responses={202: ReportJobAcceptedOutput, **ERRORS},
        tags=["reports"],
        description="Queue the generation of one report section; poll GET /status/{job_id}. An identical "
        "request (same Session-Id and body) while the first is pending or running answers `busy` with "
        "the first job's id.",
    )
    def post(self, request: Request) -> Response:
        return self.start(request, kind=SectionRecord.Kind.GENERATE, serializer_class=SectionGenerateInput)


class RefineApi(ReportApi):
    throttle_classes = [FailedAuthThrottle, ApiKeyThrottle]

    @extend_schema(
        operation_id="report_section_refine",
        request=SectionRefineInput,
        parameters=[SESSION_HEADER],
        responses={202: ReportJobAcceptedOutput, **ERRORS},
        tags=["reports"],
        description="Queue the refinement of a section (original_text is base64); poll GET /status/{job_id}.",
    )
    def post(self, request: Request) -> Response:
        return self.start(request, kind=SectionRecord.Kind.REFINE, serializer_class=SectionRefineInput)


class JobStatusApi(ReportApi):
    @extend_schema(
        operation_id="report_job_status",
        parameters=[OpenApiParameter("job_id", str, OpenApiParameter.PATH)],
        responses={
            200: ReportJobStatusOutput,
            401: ERRORS[401],
            404: OpenApiResponse(description="JOB_NOT_FOUND: unknown, expired or lost"),
        },
        tags=["reports"],
    )
    def get(self, request: Request, job_id: str) -> Response:
        job = selectors.job_for_client(job_id=job_id, client=self.client(request))
        if job is None:
            shown = job_id if len(job_id) <= 64 else f"{job_id[:64]}…"
            raise errors.ApiError(f"Job {shown} not found", status=404, code="JOB_NOT_FOUND")
        return Response(status_body(job))
