"""REST routes of specs/okr-review.md. Unauthenticated, errors in the DRF dialect."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.permissions import AllowAny
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from accounts.ratelimit import AddressThrottle
from accounts.storage import StorageError
from config import errors
from review import selectors, services
from review.serializers import (
    MeetingRequestInput,
    MeetingRequestOutput,
    ReviewAnswerInput,
    ReviewAnswerSubmitOutput,
    ReviewContactInput,
    ReviewContactOutput,
    ReviewContactStatusOutput,
    ReviewNextOutput,
    ReviewStartInput,
    ReviewStartOutput,
)

# Routes that name their review in the body, not the path, answer an unknown one with 404 too.
UNKNOWN_REVIEW = OpenApiResponse(description="no review session with the review_session_id sent")


class ReviewAddressThrottle(AddressThrottle):
    """The OKR routes are open (no account): 120 requests a minute per address, room for a
    founder clicking through while an automated loop is stopped."""

    scope = "okr-review"
    anon_rate = "120/min"


class ReviewApi(APIView):
    error_dialect = errors.DRF
    # The spec's routes are open; a stale Authorization header from another product must not 401.
    authentication_classes: list[type] = []
    permission_classes = [AllowAny]
    throttle_classes = [ReviewAddressThrottle]

    def handle_exception(self, exc: Exception) -> Response:
        return super().handle_exception(_as_api_error(exc))


def _as_api_error(exc: Exception) -> Exception:
    """Domain errors of the review services in this spec's status codes."""
    if isinstance(exc, services.SessionNotFound | services.QuestionNotFound):
        return errors.ApiError(str(exc), status=404)
    if isinstance(exc, services.AnswerRejected | services.ContactMissing):
        return errors.ApiError(str(exc), status=400)
    if isinstance(exc, StorageError):
        return errors.ApiError(exc.message, status=exc.status)
    if isinstance(exc, services.AudioRejected):
        if exc.too_large:
            return errors.ApiError(str(exc), status=413)
        return serializers.ValidationError({"audio_file": [str(exc)]})
    return exc


class ReviewStartApi(ReviewApi):
    @extend_schema(request=ReviewStartInput, responses={201: ReviewStartOutput}, tags=["okr-review"])
    def post(self, request: Request) -> Response:
        data = ReviewStartInput(data=request.data)
        data.is_valid(raise_exception=True)
        progress = services.review_session_start(**data.validated_data)
        payload = {"session": progress.session, "next_question": progress.next_question}
        return Response(ReviewStartOutput(payload).data, status=201)


class ReviewNextApi(ReviewApi):
    @extend_schema(responses={200: ReviewNextOutput}, tags=["okr-review"])
    def get(self, request: Request, session_id: str) -> Response:
        progress = services.review_session_advance(session_id=session_id)
        payload = {
            "session": progress.session,
            "completed": progress.completed,
            "next_question": progress.next_question,
        }
        return Response(ReviewNextOutput(payload).data)


class AnswerSubmitApi(ReviewApi):
    @extend_schema(request=ReviewAnswerInput, responses={201: ReviewAnswerSubmitOutput}, tags=["okr-review"])
    def post(self, request: Request, session_id: str) -> Response:
        data = ReviewAnswerInput(data=request.data)
        data.is_valid(raise_exception=True)
        answer, progress = services.answer_submit(
            session_id=session_id, **_answer_fields(data.validated_data)
        )
        payload = {
            "session": progress.session,
            "answer": answer,
            "next_question": progress.next_question,
            "completed": progress.completed,
        }
        return Response(ReviewAnswerSubmitOutput(payload, context={"request": request}).data, status=201)


def _answer_fields(validated: dict[str, Any]) -> dict[str, Any]:
    return {
        "question_id": validated["question_id"],
        "answer_text": validated.get("answer_text", "").strip(),
        "audio_file": validated.get("audio_file"),
    }


class ContactSetApi(ReviewApi):
    @extend_schema(
        request=ReviewContactInput,
        responses={200: ReviewContactOutput, 404: UNKNOWN_REVIEW},
        tags=["okr-review"],
    )
    def post(self, request: Request) -> Response:
        data = ReviewContactInput(data=request.data)
        data.is_valid(raise_exception=True)
        session = services.contact_set(
            session_id=data.validated_data["review_session_id"],
            email=data.validated_data["email"],
            phone_number=data.validated_data["phone_number"],
        )
        return Response(ReviewContactOutput(session).data)


class ContactStatusApi(ReviewApi):
    @extend_schema(responses={200: ReviewContactStatusOutput}, tags=["okr-review"])
    def get(self, request: Request, session_id: str) -> Response:
        session = selectors.review_session_get(session_id=session_id)
        return Response(ReviewContactStatusOutput(session).data)


class MeetingRequestCreateApi(ReviewApi):
    @extend_schema(
        request=MeetingRequestInput,
        responses={201: MeetingRequestOutput, 404: UNKNOWN_REVIEW},
        tags=["okr-review"],
    )
    def post(self, request: Request) -> Response:
        data = MeetingRequestInput(data=request.data)
        data.is_valid(raise_exception=True)
        meeting = services.meeting_request_create(session_id=data.validated_data["review_session_id"])
        return Response(MeetingRequestOutput(meeting).data, status=201)


class MeetingRequestListApi(ReviewApi):
    @extend_schema(responses={200: MeetingRequestOutput(many=True)}, tags=["okr-review"])
    def get(self, request: Request, session_id: str) -> Response:
        session = selectors.review_session_get(session_id=session_id)
        meetings = selectors.meeting_requests(session=session)
        return Response(MeetingRequestOutput(meetings, many=True).data)
