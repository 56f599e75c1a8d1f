"""REST routes of conversation-intelligence.md §3-4: start, upload-audio, stop, details, history,
transcript.

Every route needs a bearer token, answers errors as {"error": {"code", "message", "details"}} and
sends X-RateLimit-Limit/Remaining/Reset (100 requests a minute per user, shared with /users/*).
Uploads also spend a budget of 10 MB a minute per user (429 with Retry-After). Someone else's
conversation answers 404 as an unknown one; a supervisor may read their team's calls but only
the recording technician uploads and stops (403).
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.request import Request
from rest_framework.response import Response

from accounts.api import UsersApi
from accounts.selectors import UserNotFound, user_get
from config import errors
from conversations import selectors, services
from conversations.exceptions import ConversationError, Invalid, NotFound, RateLimited
from conversations.limits import upload_budget_spend
from conversations.serializers import (
    AnalyzeOutput,
    ChunkUploadInput,
    ChunkUploadOutput,
    CoachingOutput,
    ConversationListOutput,
    ConversationListQuery,
    ConversationOutput,
    ConversationStartInput,
    ConversationStartOutput,
    ConversationStopOutput,
    ConversationTranscriptOutput,
    InsightOutput,
    UpsellsOutput,
)

TAGS = ["field conversations"]
# What a route's handler can answer beyond what config/schema.py derives (401, 429, 503, and for
# bodies 400/413/415/422, for ids 404, for uploads 507).
NOT_FOUND = {404: OpenApiResponse(description="unknown id, or someone else's")}
RECORDER_ONLY = {403: OpenApiResponse(description="not the recording technician")}
# Multipart framing (boundaries, the sequence field) on top of the chunk itself.
UPLOAD_OVERHEAD_BYTES = 64 * 1024


class ConversationsApi(UsersApi):
    """Bearer token, the spec's error dialect, rate-limit headers (see accounts.api.UsersApi)."""

    def handle_exception(self, exc: Exception) -> Response:
        if isinstance(exc, ConversationError):
            response = super().handle_exception(
                errors.ApiError(exc.message, status=exc.status, code=exc.code, details=exc.details)
            )
            if isinstance(exc, RateLimited):
                response["Retry-After"] = str(exc.retry_after_seconds)
            return response
        return super().handle_exception(exc)


class ConversationStartApi(ConversationsApi):
    @extend_schema(
        request=ConversationStartInput,
        responses={
            201: ConversationStartOutput,
            403: OpenApiResponse(description="only technicians and supervisors record calls"),
        },
        tags=TAGS,
    )
    def post(self, request: Request) -> Response:
        data = ConversationStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        conversation = services.conversation_start(technician=request.user, **data.validated_data)  # type: ignore[arg-type]
        return Response(ConversationStartOutput(conversation, context={"request": request}).data, status=201)


class ConversationUploadApi(ConversationsApi):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(
        request={"multipart/form-data": ChunkUploadInput},
        responses={
            200: ChunkUploadOutput,
            **RECORDER_ONLY,
            **NOT_FOUND,
            409: OpenApiResponse(description="the call has stopped"),
            422: OpenApiResponse(description="invalid input, or not a usable recording"),
            429: OpenApiResponse(description="rate limited, or over 10 MB of audio a minute"),
        },
        tags=TAGS,
        description="One chunk of the recording (m4a, wav, mp3, webm or ogg, at most 10 MB), `sequence` from 1. "
        "It is probed before it is stored and transcribed as soon as the chunks before it are. The same "
        "sequence again answers the stored chunk (`duplicate`: true) and is not transcribed twice; "
        "sequences may arrive out of order.",
    )
    def post(self, request: Request, conversation_id: str) -> Response:
        conversation = selectors.conversation_get(user=request.user, conversation_id=conversation_id)  # type: ignore[arg-type]
        length = int(request.META.get("CONTENT_LENGTH") or 0)
        if length > services.MAX_CHUNK_BYTES + UPLOAD_OVERHEAD_BYTES:
            # Refused before the body is read: a huge upload never reaches the disk.
            raise Invalid(
                f"chunk: the upload is over the {services.MAX_CHUNK_BYTES // 2**20} MB a chunk may have.",
                details={"field": "chunk", "max_bytes": services.MAX_CHUNK_BYTES},
            )
        budget = upload_budget_spend(user_id=request.user.pk, size_bytes=length)
        if not budget.allowed:
            raise RateLimited(
                "Upload limit reached: 10 MB of audio a minute.",
                retry_after_seconds=budget.retry_after_seconds,
            )
        form = ChunkUploadInput(data=request.data)
        form.is_valid(raise_exception=True)
        chunk, created = services.chunk_upload(
            conversation=conversation,
            user=request.user,  # type: ignore[arg-type]
            upload=form.validated_data["chunk"],
            sequence=form.validated_data["sequence"],
        )
        payload = {
            "chunk_id": chunk.public_id,
            "received": True,
            "sequence": chunk.sequence,
            "duplicate": not created,
        }
        return Response(ChunkUploadOutput(payload).data)


class ConversationStopApi(ConversationsApi):
    @extend_schema(
        request=None, responses={200: ConversationStopOutput, **RECORDER_ONLY, **NOT_FOUND}, tags=TAGS
    )
    def post(self, request: Request, conversation_id: str) -> Response:
        conversation = selectors.conversation_get(user=request.user, conversation_id=conversation_id)  # type: ignore[arg-type]
        conversation = services.conversation_stop(conversation=conversation, user=request.user)  # type: ignore[arg-type]
        return Response(ConversationStopOutput(conversation, context={"request": request}).data)


class ConversationDetailApi(ConversationsApi):
    @extend_schema(responses={200: ConversationOutput, **NOT_FOUND}, tags=TAGS)
    def get(self, request: Request, conversation_id: str) -> Response:
        conversation = selectors.conversation_get(user=request.user, conversation_id=conversation_id)  # type: ignore[arg-type]
        return Response(ConversationOutput(conversation, context={"request": request}).data)


class TechnicianConversationsApi(ConversationsApi):
    @extend_schema(
        parameters=[ConversationListQuery],
        responses={200: ConversationListOutput, **NOT_FOUND},
        tags=TAGS,
    )
    def get(self, request: Request, technician_id: str) -> Response:
        query = ConversationListQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        try:
            technician = user_get(viewer=request.user, user_id=technician_id)
        except UserNotFound as error:
            raise NotFound("Technician not found.") from error
        calls, total = selectors.conversation_list(
            user=request.user,  # type: ignore[arg-type]
            technician=technician,
            status=query.validated_data.get("status"),
            limit=query.validated_data["limit"],
            offset=query.validated_data["offset"],
        )
        payload: dict[str, Any] = {
            "conversations": calls,
            "total": total,
            "limit": query.validated_data["limit"],
            "offset": query.validated_data["offset"],
        }
        return Response(ConversationListOutput(payload, context={"request": request}).data)


class TranscriptApi(ConversationsApi):
    @extend_schema(responses={200: ConversationTranscriptOutput, **NOT_FOUND}, tags=TAGS)
    def get(self, request: Request, conversation_id: str) -> Response:
        conversation = selectors.conversation_get(user=request.user, conversation_id=conversation_id)  # type: ignore[arg-type]
        segments = list(selectors.transcript_segments(conversation=conversation))
        payload = {
            "conversation_id": conversation.public_id,
            "segments": segments,
            "total_segments": len(segments),
            "is_complete": selectors.transcript_is_complete(conversation=conversation),
        }
        return Response(ConversationTranscriptOutput(payload).data)


# --- analysis (§5) ---------------------------------------------------------------------------

ANALYSIS_ERRORS = {
    404: OpenApiResponse(description="unknown id, someone else's, or not analysed yet (details.status)"),
}


class InsightsApi(ConversationsApi):
    @extend_schema(responses={200: InsightOutput, **ANALYSIS_ERRORS}, tags=TAGS)
    def get(self, request: Request, conversation_id: str) -> Response:
        conversation = selectors.conversation_get(user=request.user, conversation_id=conversation_id)  # type: ignore[arg-type]
        return Response(InsightOutput(selectors.conversation_insight(conversation=conversation)).data)


class UpsellsApi(ConversationsApi):
    @extend_schema(responses={200: UpsellsOutput, **ANALYSIS_ERRORS}, tags=TAGS)
    def get(self, request: Request, conversation_id: str) -> Response:
        conversation = selectors.conversation_get(user=request.user, conversation_id=conversation_id)  # type: ignore[arg-type]
        opportunities = selectors.conversation_opportunities(conversation=conversation)
        return Response(UpsellsOutput({"opportunities": opportunities}).data)


class CoachingApi(ConversationsApi):
    @extend_schema(responses={200: CoachingOutput, **ANALYSIS_ERRORS}, tags=TAGS)
    def get(self, request: Request, conversation_id: str) -> Response:
        conversation = selectors.conversation_get(user=request.user, conversation_id=conversation_id)  # type: ignore[arg-type]
        moments = selectors.conversation_moments(conversation=conversation)
        analysis = selectors.current_analysis(conversation=conversation)
        metrics = analysis.metrics if analysis is not None else {}
        return Response(CoachingOutput({"coaching_moments": moments, "metrics": metrics}).data)


class AnalyzeApi(ConversationsApi):
    @extend_schema(
        request=None,
        responses={
            202: AnalyzeOutput,
            **NOT_FOUND,
            409: OpenApiResponse(description="still recording or transcribing"),
        },
        tags=TAGS,
        description="Analyse a stopped call again (it is analysed once by itself when its transcript is "
        "complete). The new run replaces the current results when it finishes; earlier runs are kept.",
    )
    def post(self, request: Request, conversation_id: str) -> Response:
        conversation = selectors.conversation_get(user=request.user, conversation_id=conversation_id)  # type: ignore[arg-type]
        _job, estimated = services.conversation_analyze(conversation=conversation)
        payload = {
            "conversation_id": conversation.public_id,
            "status": "processing",
            "estimated_completion": estimated,
        }
        return Response(AnalyzeOutput(payload).data, status=202)
