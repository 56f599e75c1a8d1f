"""REST routes of live-interview.md: sessions, resume and job-description uploads, memory opt-in,
the final report. No authentication (the spec has none): a session's id is its key.

Errors are `{"detail": "..."}`; validation errors are 422 with FastAPI's list of
`{"loc", "msg", "type"}` (the spec's frontends were written against FastAPI): a missing field,
a malformed session id (in the body, the query or the path). An unusable file (empty, too large,
wrong type, corrupt, a scan without text) is 400, an unknown session 404, an upload after the
interview started 400, and a profile or report the AI service could not make 503.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, inline_serializer
from rest_framework import serializers as drf
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from config import errors
from interviews import selectors
from interviews.exceptions import LiveError, LiveInvalid
from interviews.models import LiveSession
from interviews.serializers import (
    LiveJobDescriptionInput,
    LiveJobDescriptionOutput,
    LiveMemoryOptInInput,
    LiveMemoryOptInOutput,
    LiveResumeOutput,
    LiveResumeUploadInput,
    LiveSessionOutput,
    LiveSessionStartOutput,
)
from interviews.services import live
from interviews.services.live import documents

TAGS = ["live interview"]
# Multipart framing (boundaries, headers) on top of the file itself.
UPLOAD_OVERHEAD_BYTES = 64 * 1024

# FastAPI's error types for what DRF calls by other names.
_FASTAPI_TYPES = {
    "required": ("missing", "Field required"),
    "null": ("missing", "Field required"),
    "blank": ("string_too_short", None),
    "max_length": ("string_too_long", None),
    "invalid": ("value_error", None),
}


def _fastapi_body(problem: errors.Problem, request: Any) -> Any:
    if isinstance(problem.details, list) and all(isinstance(d, dict) and "loc" in d for d in problem.details):
        detail = []
        for item in problem.details:
            kind, message = _FASTAPI_TYPES.get(str(item.get("type")), (str(item.get("type")), None))
            detail.append({"loc": item["loc"], "msg": message or item.get("msg", ""), "type": kind})
        return {"detail": detail}
    return {"detail": problem.message}


LIVE = errors.Dialect("fastapi", 422, _fastapi_body, {})
ERRORS = {
    400: OpenApiResponse(description='{"detail": "..."}: unusable file, or not possible in this phase'),
    404: OpenApiResponse(description='{"detail": "Session not found"}'),
    422: OpenApiResponse(description='{"detail": [{"loc", "msg", "type"}]}: validation error'),
}
AI_ERRORS = {**ERRORS, 503: OpenApiResponse(description="the AI service failed, or took too long; retry")}
LOOKUP_ERRORS = {404: ERRORS[404], 422: ERRORS[422]}  # reading a session by its id
SESSION_PATH = OpenApiParameter("session_id", OpenApiTypes.UUID, OpenApiParameter.PATH)


def _uuid_error(location: str) -> errors.ApiError:
    return errors.ApiError(
        f"{location}: Input should be a valid UUID.",
        status=422,
        details=[
            {"loc": [location, "session_id"], "msg": "Input should be a valid UUID", "type": "uuid_parsing"}
        ],
    )


class LiveApi(APIView):
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    error_dialect = LIVE

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, LiveError):
            response = super().handle_exception(errors.ApiError(exc.message, status=exc.status))
            if exc.retry_after_seconds:
                response["Retry-After"] = str(exc.retry_after_seconds)
            return response
        return super().handle_exception(exc)

    def path_session(self, session_id: str) -> LiveSession:
        if selectors.live_session_id(session_id) is None:
            raise _uuid_error("path")
        return selectors.live_session_get(session_id=session_id)


class SessionStartApi(LiveApi):
    @extend_schema(request=None, responses={200: LiveSessionStartOutput}, tags=TAGS)
    def post(self, request: Request) -> Response:
        session = live.live_session_create()
        return Response(LiveSessionStartOutput(session).data)


class SessionDetailApi(LiveApi):
    @extend_schema(parameters=[SESSION_PATH], responses={200: LiveSessionOutput, **LOOKUP_ERRORS}, tags=TAGS)
    def get(self, request: Request, session_id: str) -> Response:
        return Response(LiveSessionOutput(self.path_session(session_id)).data)


class ResumeUploadApi(LiveApi):
    parser_classes = [MultiPartParser, FormParser]

    @extend_schema(
        request={"multipart/form-data": LiveResumeUploadInput},
        responses={200: LiveResumeOutput, **AI_ERRORS},
        tags=TAGS,
        description="Upload a resume (PDF with a text layer, DOCX or TXT, up to MAX_UPLOAD_MB). It is parsed "
        "and profiled against the job description if one was sent: seniority, strengths, gaps, focus areas, "
        "each with the line it was read from (`profile`). A file that cannot be used is a 400 and changes "
        "nothing; so is an upload after the interview started.",
    )
    def post(self, request: Request) -> Response:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > documents.upload_limit_bytes() + UPLOAD_OVERHEAD_BYTES:
            # Refused before the body is read: a huge upload never reaches the disk.
            raise LiveInvalid(
                f"file: the upload is over the {documents.upload_limit_bytes() // 2**20} MB limit."
            )
        data = LiveResumeUploadInput(data=request.data)
        data.is_valid(raise_exception=True)
        session = live.live_resume_upload(
            session_id=data.validated_data["session_id"], upload=data.validated_data["file"]
        )
        return Response(LiveResumeOutput(session).data)


class JobDescriptionUploadApi(LiveApi):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": LiveJobDescriptionInput, "application/json": LiveJobDescriptionInput},
        responses={200: LiveJobDescriptionOutput, **AI_ERRORS},
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = LiveJobDescriptionInput(data=request.data)
        data.is_valid(raise_exception=True)
        session = live.live_job_description_upload(**data.validated_data)
        return Response(LiveJobDescriptionOutput(session).data)


class MemoryOptInApi(LiveApi):
    parser_classes = [JSONParser, FormParser, MultiPartParser]

    @extend_schema(
        request=LiveMemoryOptInInput,
        parameters=[OpenApiParameter("session_id", str, description="Or in the body.")],
        responses={200: LiveMemoryOptInOutput, **ERRORS},
        tags=TAGS,
        description="true keeps the answer texts after the report; false (the default) erases them once "
        "the report exists (scores and report stay), at once if it already does.",
    )
    def post(self, request: Request) -> Response:
        body = request.data if hasattr(request.data, "get") else {}
        fields = {"session_id": body.get("session_id") or request.query_params.get("session_id")}
        if "opt_in" in body:
            fields["opt_in"] = body.get("opt_in")
        data = LiveMemoryOptInInput(data=fields)
        data.is_valid(raise_exception=True)
        session = live.live_memory_opt_in(**data.validated_data)
        return Response(LiveMemoryOptInOutput(session).data)


class ReportApi(LiveApi):
    @extend_schema(
        parameters=[SESSION_PATH],
        responses={
            200: inline_serializer(
                "LiveReport",
                {
                    "session_id": drf.UUIDField(),
                    "status": drf.CharField(),
                    "detected_seniority": drf.CharField(allow_null=True),
                    "strengths": drf.ListField(child=drf.CharField()),
                    "gaps": drf.ListField(child=drf.CharField()),
                    "scores": drf.DictField(child=drf.FloatField()),
                    "qa_history": drf.ListField(child=drf.DictField()),
                    "final_report": drf.CharField(),
                    "recommendation": drf.CharField(),
                    "skill_roadmap": drf.ListField(child=drf.DictField()),
                    "duration_minutes": drf.FloatField(),
                    "started_at": drf.DateTimeField(),
                    "ended_at": drf.DateTimeField(),
                    "overall": drf.FloatField(),
                    "recommendation_reason": drf.CharField(),
                    "role": drf.CharField(),
                    "memory_opt_in": drf.BooleanField(),
                    "answers_erased": drf.BooleanField(),
                    "engine": drf.CharField(),
                },
            ),
            **ERRORS,
        },
        tags=TAGS,
        description="The final report, once the interview has ended (400 before). Recommendation thresholds "
        "on the overall score: Strong Hire >= 8.0 with every dimension >= 6.5, Hire >= 6.5, Lean Hire >= 5.0, "
        "else No Hire; fewer than 3 scored answers is at most Lean Hire.",
    )
    def get(self, request: Request, session_id: str) -> Response:
        session = self.path_session(session_id)
        if session.report is None:
            raise LiveInvalid(
                f"No report yet: the interview is in phase {session.phase!r}; the report is written when it ends."
            )
        report = dict(session.report)
        return Response(
            {
                "session_id": str(session.pk),
                "status": session.status,
                "detected_seniority": session.seniority_or_none,
                "strengths": report.get("strengths", []),
                "gaps": report.get("gaps", []),
                "scores": report.get("scores", {}),
                "qa_history": report.get("qa_history", []),
                "final_report": report.get("final_report", ""),
                "recommendation": report.get("recommendation", ""),
                "skill_roadmap": report.get("skill_roadmap", []),
                "duration_minutes": report.get("duration_minutes"),
                "started_at": report.get("started_at"),
                "ended_at": report.get("ended_at"),
                "overall": report.get("overall"),
                "recommendation_reason": report.get("recommendation_reason", ""),
                "role": session.role,
                "memory_opt_in": session.memory_opt_in,
                "answers_erased": session.answers_erased_at is not None,
                "engine": report.get("engine", ""),
            }
        )
