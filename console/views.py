"""The web console (issue 14): session-signed pages that drive every product through its public
REST and socket routes, exactly as a frontend does.

The pages are templates plus plain ES modules under static/console/. Django only signs people in
and hands the page a JWT for the session's user (`token`): the browser then calls the product
routes itself, so what the console shows is what those routes answer.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import render
from django.urls import reverse_lazy
from django.utils.decorators import method_decorator
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.ratelimit import client_ip, hit
from accounts.services import tokens_issue

LOGIN_ATTEMPTS_PER_MINUTE = 10
TOKENS_PER_MINUTE = 30


@dataclass(frozen=True)
class Page:
    slug: str
    title: str
    blurb: str
    spec: str
    nav: str


PAGES: tuple[Page, ...] = (
    Page(
        "okr",
        "OKR coach",
        "Answer the five questions in text or by voice, leave contact details, then watch the analysis "
        "build the OKR dashboard.",
        "okr-review.md",
        "OKR coach",
    ),
    Page(
        "practice",
        "Interview practice",
        "Record an answer with live volume and nudges, then read the transcript and the report.",
        "interview-practice.md",
        "Practice",
    ),
    Page(
        "live",
        "Live mock interview",
        "Upload a resume and job description, then interview by text or voice against the clock.",
        "live-interview.md",
        "Live interview",
    ),
    Page(
        "reports",
        "Report sections",
        "Generate a section, watch the job, read the Markdown, refine it and see what changed.",
        "report-sections.md",
        "Reports",
    ),
    Page(
        "conversations",
        "Field conversations",
        "Record a call in chunks with a live transcript and nudges; then insights, upsells and coaching.",
        "conversation-intelligence.md",
        "Conversations",
    ),
    Page(
        "team",
        "Team view",
        "Supervisors: the team's week, technicians, leaderboard, recent calls and daily charts.",
        "conversation-intelligence.md",
        "Team",
    ),
)


def content_security_policy(request: HttpRequest) -> str:
    """Scripts, styles and sockets only from this server: the pages load nothing from elsewhere,
    so anything injected into a rendered answer cannot run or phone out."""
    host = request.get_host()
    return "; ".join(
        [
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self' data: blob:",
            "media-src 'self' blob:",
            f"connect-src 'self' ws://{host} wss://{host}",
            "worker-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        ]
    )


def _with_policy(request: HttpRequest, response: HttpResponse) -> HttpResponse:
    response["Content-Security-Policy"] = content_security_policy(request)
    return response


def _context(request: HttpRequest, active: str) -> dict[str, Any]:
    return {"pages": PAGES, "active": active}


@login_required(login_url=reverse_lazy("console:login"))
@never_cache
def home(request: HttpRequest) -> HttpResponse:
    return _with_policy(request, render(request, "console/home.html", _context(request, "home")))


def page_view(page: Page) -> Callable[[HttpRequest], HttpResponse]:
    @login_required(login_url=reverse_lazy("console:login"))
    @never_cache
    def view(request: HttpRequest) -> HttpResponse:
        context = {**_context(request, page.slug), "page": page}
        return _with_policy(request, render(request, f"console/{page.slug}.html", context))

    view.__name__ = f"{page.slug}_page"
    return view


@method_decorator(never_cache, name="dispatch")
class ConsoleLoginView(auth_views.LoginView):
    """Django's login form, counted per address and per account like the admin's: a password
    form with no limit would let anyone guess at every account's password."""

    template_name = "console/login.html"
    redirect_authenticated_user = True
    next_page = "console:home"

    def post(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        username = str(request.POST.get("username", "")).strip().lower()[:254]
        keys = [f"console-login:ip:{client_ip(request)}"] + (
            [f"console-login:user:{username}"] if username else []
        )
        for key in keys:
            allowed, _ = hit(key=key, limit=LOGIN_ATTEMPTS_PER_MINUTE, period_seconds=60)
            if not allowed:
                form = self.get_form()
                context = self.get_context_data(
                    form=form, throttled="Too many sign-in attempts. Wait a minute, then try again."
                )
                response = self.render_to_response(context, status=429)
                response["Retry-After"] = "60"
                return _with_policy(request, response)
        return _with_policy(request, super().post(request, *args, **kwargs))

    def get(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        return _with_policy(request, super().get(request, *args, **kwargs))


class ConsoleLogoutView(auth_views.LogoutView):
    next_page = "console:login"


@require_POST
def token(request: HttpRequest) -> JsonResponse:
    """An access token for the signed-in user, from the one JWT issuer `/auth/token` uses.

    The page asks for one on load and again shortly before it expires, so it never holds the
    password; CSRF protection (the session cookie alone is not enough) keeps other sites from
    minting tokens with a visitor's session. Answered in the {"detail"} dialect of /auth/token.
    """
    if not request.user.is_authenticated:
        return JsonResponse({"detail": "Sign in to the console first."}, status=401)
    allowed, _ = hit(key=f"console-token:user:{request.user.pk}", limit=TOKENS_PER_MINUTE, period_seconds=60)
    if not allowed:
        return JsonResponse({"detail": "Too many token requests; wait a minute."}, status=429)
    tokens = tokens_issue(user=request.user)  # type: ignore[arg-type]  # authenticated above
    response = JsonResponse(
        {"access_token": tokens.access, "token_type": "bearer", "expires_in": tokens.expires_in}
    )
    response["Cache-Control"] = "no-store"
    return response
