"""REST routes of interview-practice.md: sessions, media, transcription, reports, next question.

Every route needs a bearer token and answers errors as {"detail": ...}. A session and its media
belong to their creator; anyone else gets 404. Rate limits: 100 requests a minute per user,
10 per address for anonymous callers, counted in the cache across processes.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import IsAuthenticated
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.ratelimit import CacheRateThrottle, CountFirstMixin, RateLimitHeadersMixin
from config import errors
from interviews import selectors, services
from interviews.exceptions import PracticeError, PracticeInvalid
from interviews.serializers import (
    MediaOutput,
    MediaUploadInput,
    MediaUploadQuery,
    QuestionOutput,
    ReportOutput,
    SessionCreateInput,
    SessionOutput,
    TranscriptOutput,
)

TAGS = ["interview practice"]
# What a route's handler can answer beyond what config/schema.py derives (401, 429, 503, and for
# bodies 400/413/415, for ids 404).
NOT_FOUND = {404: OpenApiResponse(description="unknown id, or someone else's")}
INVALID = {400: OpenApiResponse(description="invalid input, or not possible in the session's state")}
AI_ERRORS = {
    **NOT_FOUND,
    **INVALID,
    503: OpenApiResponse(description="AI service down, or the job is still running (Retry-After)"),
}
# Multipart framing (boundaries, headers) on top of the file itself.
UPLOAD_OVERHEAD_BYTES = 64 * 1024


class PracticeRateThrottle(CacheRateThrottle):
    scope = "practice"
    user_rate = "100/min"
    anon_rate = "10/min"


class PracticeApi(CountFirstMixin, RateLimitHeadersMixin, APIView):
    error_dialect = errors.DETAIL
    permission_classes = [IsAuthenticated]
    throttle_classes = [PracticeRateThrottle]

    def check_permissions(self, request: Request) -> None:
        # DRF checks throttles after permissions, which would make anonymous calls (answered 401)
        # free; counting first gives anonymous callers their 10 a minute.
        super().check_throttles(request)
        super().check_permissions(request)

    def check_throttles(self, request: Request) -> None:
        pass  # counted in check_permissions

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, PracticeError):
            response = super().handle_exception(errors.ApiError(exc.message, status=exc.status))
            if exc.retry_after_seconds:
                response["Retry-After"] = str(exc.retry_after_seconds)
            return response
        return super().handle_exception(exc)


class SessionsApi(PracticeApi):
    @extend_schema(responses={200: SessionOutput(many=True)}, tags=TAGS)
    def get(self, request: Request) -> Response:
        sessions = selectors.practice_session_list(user=request.user)
        return Response(SessionOutput(sessions, many=True).data)

    @extend_schema(request=SessionCreateInput, responses={201: SessionOutput, **INVALID}, tags=TAGS)
    def post(self, request: Request) -> Response:
        data = SessionCreateInput(data=request.data)
        data.is_valid(raise_exception=True)
        session = services.practice_session_create(user=request.user, **data.validated_data)
        return Response(SessionOutput(session).data, status=201)


class SessionDetailApi(PracticeApi):
    @extend_schema(responses={200: SessionOutput, **NOT_FOUND}, tags=TAGS)
    def get(self, request: Request, session_id: str) -> Response:
        session = selectors.practice_session_get(user=request.user, session_id=session_id)
        return Response(SessionOutput(session).data)


class SessionStartApi(PracticeApi):
    @extend_schema(request=None, responses={200: SessionOutput, **NOT_FOUND, **INVALID}, tags=TAGS)
    def post(self, request: Request, session_id: str) -> Response:
        session = selectors.practice_session_get(user=request.user, session_id=session_id)
        session = services.practice_session_start(session=session)
        return Response(SessionOutput(session).data)


class SessionMediaApi(PracticeApi):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(responses={200: MediaOutput(many=True), **NOT_FOUND}, tags=TAGS)
    def get(self, request: Request, session_id: str) -> Response:
        session = selectors.practice_session_get(user=request.user, session_id=session_id)
        media = selectors.practice_media_list(session=session)
        return Response(MediaOutput(media, many=True, context={"request": request}).data)

    @extend_schema(
        parameters=[
            OpenApiParameter("media_type", str, enum=["video", "audio"], required=True),
            OpenApiParameter(
                "question_id", str, description="The asked question this answers (default: the latest)."
            ),
        ],
        request={"multipart/form-data": MediaUploadInput},
        responses={
            201: MediaOutput,
            **NOT_FOUND,
            **INVALID,
            503: OpenApiResponse(description="the recording could not be stored; nothing was kept"),
        },
        tags=TAGS,
        description="Upload a recording (webm/opus, mp4, m4a, mov, wav, mp3, ogg, flac) up to MAX_UPLOAD_MB. "
        "It is probed before it is stored: empty, undecodable, not a recording, no audio track, or a video "
        "upload without a video stream is refused with 400 and nothing is kept.",
    )
    def post(self, request: Request, session_id: str) -> Response:
        session = selectors.practice_session_get(user=request.user, session_id=session_id)
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > services.upload_limit_bytes() + UPLOAD_OVERHEAD_BYTES:
            # Refused before the body is read: a huge upload never reaches the disk.
            raise PracticeInvalid(
                f"file: the upload is over the {services.upload_limit_bytes() // 2**20} MB limit."
            )
        form = request.data if hasattr(request.data, "get") else {}  # a JSON array has no fields
        query = MediaUploadQuery(
            data={
                "media_type": request.query_params.get("media_type") or form.get("media_type"),
                "question_id": request.query_params.get("question_id") or form.get("question_id") or "",
            }
        )
        query.is_valid(raise_exception=True)
        body = MediaUploadInput(data=request.data)
        body.is_valid(raise_exception=True)
        media = services.practice_media_upload(
            session=session,
            upload=body.validated_data["file"],
            media_type=query.validated_data["media_type"],
            question_id=query.validated_data.get("question_id") or None,
        )
        return Response(MediaOutput(media, context={"request": request}).data, status=201)


class SessionNextQuestionApi(PracticeApi):
    @extend_schema(request=None, responses={200: QuestionOutput, **AI_ERRORS}, tags=TAGS)
    def post(self, request: Request, session_id: str) -> Response:
        session = selectors.practice_session_get(user=request.user, session_id=session_id)
        turn, reason = services.practice_next_question(session=session)
        return Response(QuestionOutput(turn, context={"reason": reason}).data)


class MediaTranscribeApi(PracticeApi):
    @extend_schema(request=None, responses={200: TranscriptOutput, **AI_ERRORS}, tags=TAGS)
    def post(self, request: Request, media_id: str) -> Response:
        media = selectors.practice_media_get(user=request.user, media_id=media_id)
        media = services.practice_transcript_collect(media=media)
        return Response(TranscriptOutput(media).data)


class MediaReportApi(PracticeApi):
    @extend_schema(request=None, responses={200: ReportOutput, **AI_ERRORS}, tags=TAGS)
    def post(self, request: Request, media_id: str) -> Response:
        media = selectors.practice_media_get(user=request.user, media_id=media_id)
        report = services.practice_report_collect(media=media)
        return Response(ReportOutput(report).data)
