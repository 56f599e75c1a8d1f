"""REST routes of conversation-intelligence.md §7 (coach platform) and §8 (analytics).

Same edge as the conversation routes (`ConversationsApi`): bearer token, `{"error": {...}}`
bodies, validation 422, X-RateLimit headers on the shared 100-a-minute budget. Access: `/coach/*`
and the team overview are for supervisors (403 for anyone else); a call, opportunity or
technician outside the supervisor's team is 404, as if it did not exist. A technician reads
their own daily metrics and trends and their team's leaderboard.
"""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from coaching import selectors, serializers, services
from coaching.selectors.periods import PERIOD_KINDS, user_time_zone
from conversations.api import ConversationsApi
from conversations.exceptions import Invalid

COACH = ["coach platform"]
ANALYTICS = ["analytics"]
ERRORS = {
    401: OpenApiResponse(description="missing or invalid token"),
    403: OpenApiResponse(description="not a supervisor"),
    404: OpenApiResponse(description="unknown id, or another team's"),
    422: OpenApiResponse(description="invalid input"),
    429: OpenApiResponse(description="rate limited"),
}


class CoachTechniciansApi(ConversationsApi):
    @extend_schema(responses={200: serializers.CoachTechniciansOutput, **ERRORS}, tags=COACH)
    def get(self, request: Request) -> Response:
        supervisor = selectors.supervisor_required(request.user)
        technicians = selectors.coach_technicians(supervisor=supervisor)
        return Response({"technicians": technicians})


class CoachRecentCallsApi(ConversationsApi):
    @extend_schema(
        parameters=[serializers.RecentCallsQuery],
        responses={200: serializers.RecentCallsOutput, **ERRORS},
        tags=COACH,
        description="The team's ended calls started in the last `days` × 24 h, newest first. `min_rating` "
        "keeps calls whose customer satisfaction on the 1-5 scale (score / 20) is at least that.",
    )
    def get(self, request: Request) -> Response:
        supervisor = selectors.supervisor_required(request.user)
        query = serializers.RecentCallsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        members = selectors.team_members(supervisor=supervisor)
        calls = selectors.recent_calls(
            technician_ids=[member.pk for member in members],
            limit=query.validated_data["limit"],
            days=query.validated_data["days"],
            min_rating=query.validated_data.get("min_rating"),
        )
        return Response(serializers.RecentCallsOutput({"calls": calls}).data)


class CoachFeedbackApi(ConversationsApi):
    @extend_schema(
        request=serializers.FeedbackInput,
        responses={
            201: serializers.FeedbackOutput,
            409: OpenApiResponse(description="the call is still being recorded"),
            **ERRORS,
        },
        tags=COACH,
    )
    def post(self, request: Request, conversation_id: str) -> Response:
        supervisor = selectors.supervisor_required(request.user)
        conversation = selectors.coached_conversation_get(
            supervisor=supervisor, conversation_id=conversation_id
        )
        data = serializers.FeedbackInput(data=request.data)
        data.is_valid(raise_exception=True)
        feedback = services.feedback_submit(
            conversation=conversation, supervisor=supervisor, **data.validated_data
        )
        return Response(serializers.FeedbackOutput(feedback).data, status=201)


class CoachUpsellStatusApi(ConversationsApi):
    @extend_schema(
        request=serializers.UpsellStatusInput,
        responses={
            200: serializers.UpsellStatusOutput,
            409: OpenApiResponse(description="an earlier analysis run's copy (details name the current one)"),
            **ERRORS,
        },
        tags=COACH,
        description="identified → presented → quoted → closed_won | closed_lost: forward only, steps may "
        "be skipped, a closed opportunity does not reopen. `actual_value` comes with closed_won and only "
        "with it. The same status again is a no-op (notes may change). Every move is kept in `history`.",
    )
    def put(self, request: Request, opportunity_id: str) -> Response:
        supervisor = selectors.supervisor_required(request.user)
        opportunity = selectors.coached_opportunity_get(supervisor=supervisor, opportunity_id=opportunity_id)
        data = serializers.UpsellStatusInput(data=request.data)
        data.is_valid(raise_exception=True)
        opportunity = services.upsell_status_change(
            opportunity=opportunity,
            user=supervisor,
            status=data.validated_data["status"],
            actual_value=data.validated_data.get("actual_value"),
            notes=data.validated_data.get("notes"),
        )
        opportunity.allowed_next = services.allowed_next(opportunity.status)  # type: ignore[attr-defined]
        opportunity.history = selectors.opportunity_history(opportunity=opportunity)  # type: ignore[attr-defined]
        return Response(serializers.UpsellStatusOutput(opportunity).data)


# --- analytics -------------------------------------------------------------------------------


class TechnicianDailyApi(ConversationsApi):
    @extend_schema(
        parameters=[serializers.DailyQuery],
        responses={200: serializers.DailyOutput, **ERRORS},
        tags=ANALYTICS,
        description="One entry per local day (the technician's team time zone), days without calls "
        "included. Default: the last 7 days. At most 366 days at once.",
    )
    def get(self, request: Request, technician_id: str) -> Response:
        technician = selectors.analytics_technician_get(viewer=request.user, technician_id=technician_id)
        query = serializers.DailyQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        period = selectors.date_range(
            start=query.validated_data.get("start_date"),
            end=query.validated_data.get("end_date"),
            time_zone=user_time_zone(technician),
        )
        metrics = selectors.daily_metrics(technician=technician, period=period)
        return Response(
            {
                "technician_id": technician.public_id,
                "time_zone": period.time_zone,
                "start_date": period.start.isoformat(),
                "end_date": period.end.isoformat(),
                "metrics": metrics,
            }
        )


class TechnicianTrendsApi(ConversationsApi):
    @extend_schema(
        parameters=[serializers.TrendsQuery],
        responses={200: serializers.TrendsOutput, **ERRORS},
        tags=ANALYTICS,
        description="up / down / stable from a least-squares line over the last `weeks` complete weeks, "
        "with a dead band of 3% of the metric's mean per week (README: the trend rule).",
    )
    def get(self, request: Request, technician_id: str) -> Response:
        technician = selectors.analytics_technician_get(viewer=request.user, technician_id=technician_id)
        query = serializers.TrendsQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        return Response(
            {"trends": selectors.trends(technician=technician, weeks=query.validated_data["weeks"])}
        )


class TeamOverviewApi(ConversationsApi):
    @extend_schema(responses={200: serializers.TeamOverviewOutput, **ERRORS}, tags=ANALYTICS)
    def get(self, request: Request) -> Response:
        supervisor = selectors.supervisor_required(request.user)
        return Response(selectors.team_overview_for(supervisor=supervisor))


class LeaderboardApi(ConversationsApi):
    @extend_schema(
        parameters=[
            OpenApiParameter("period", str, OpenApiParameter.PATH, enum=list(PERIOD_KINDS)),
            serializers.LeaderboardQuery,
        ],
        responses={200: serializers.LeaderboardOutput, **ERRORS},
        tags=ANALYTICS,
        description="The team's technicians ranked over the current day, week (Monday-Sunday) or month "
        "of the team's time zone, or an earlier one with `offset`. Score and tie-breaks: README.",
    )
    def get(self, request: Request, period: str) -> Response:
        if period not in PERIOD_KINDS:
            raise Invalid(
                f"period: {period!r} is not one of {', '.join(PERIOD_KINDS)}.",
                details={"field": "period", "allowed": list(PERIOD_KINDS)},
            )
        query = serializers.LeaderboardQuery(data=request.query_params)
        query.is_valid(raise_exception=True)
        board = selectors.leaderboard_for(
            viewer=request.user,  # type: ignore[arg-type]
            kind=period,
            offset=query.validated_data["offset"],
        )
        return Response(board)
