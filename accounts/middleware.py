"""Sign-in attempts on the Django admin (the operators' and supervisors' console), counted per
address and per account before the password is checked: Django's login form has no limit."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.urls import reverse

from accounts.ratelimit import client_ip, hit

ATTEMPTS_PER_MINUTE = 10


class AdminLoginThrottleMiddleware:
    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.method == "POST" and request.path == reverse("admin:login"):
            username = str(request.POST.get("username", "")).strip().lower()[:254]
            keys = [f"admin-login:ip:{client_ip(request)}"] + (
                [f"admin-login:user:{username}"] if username else []
            )
            for key in keys:
                allowed, _ = hit(key=key, limit=ATTEMPTS_PER_MINUTE, period_seconds=60)
                if not allowed:
                    response = HttpResponse(
                        "Too many sign-in attempts. Wait a minute, then try again.",
                        status=429,
                        content_type="text/plain",
                    )
                    response["Retry-After"] = "60"
                    return response
        return self.get_response(request)
