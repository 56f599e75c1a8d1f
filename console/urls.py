"""The console's pages under /console/ (issue 14). Included at the root so that /console without
its slash can redirect (APPEND_SLASH is off for the product APIs)."""

from __future__ import annotations

from django.urls import URLPattern, path, re_path
from django.views.generic import RedirectView

from console import views

app_name = "console"

urlpatterns: list[URLPattern] = [
    path("console", RedirectView.as_view(pattern_name="console:home", permanent=False)),
    path("console/", views.home, name="home"),
    re_path(r"^console/login/?$", views.ConsoleLoginView.as_view(), name="login"),
    re_path(r"^console/logout/?$", views.ConsoleLogoutView.as_view(), name="logout"),
    re_path(r"^console/token/?$", views.token, name="token"),
    *(re_path(rf"^console/{page.slug}/?$", views.page_view(page), name=page.slug) for page in views.PAGES),
]
