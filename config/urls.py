from django.contrib import admin
from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerView

from config.health import healthz

urlpatterns = [
    path("admin/", admin.site.urls),
    path("healthz", healthz, name="healthz"),
    path("api/schema/", SpectacularAPIView.as_view(), name="schema"),
    path("docs", SpectacularSwaggerView.as_view(url_name="schema"), name="docs"),
    path("", include("accounts.urls")),
    path("", include("review.urls")),
    path("", include("reports.urls")),
    path("", include("interviews.urls")),
    path("", include("conversations.urls")),
    path("", include("coaching.urls")),
    path("", include("console.urls")),
]

handler400 = "config.errors.bad_request_view"
handler403 = "config.errors.permission_denied_view"
handler404 = "config.errors.not_found_view"
handler500 = "config.errors.server_error_view"
