from django.urls import include, path

from config import errors
from tests.platform import views

urlpatterns = [
    path("probe/drf/<str:case>", views.make_view(errors.DRF).as_view()),
    path("probe/detail/<str:case>", views.make_view(errors.DETAIL).as_view()),
    path("probe/envelope/<str:case>", views.make_view(errors.ENVELOPE).as_view()),
    path("probe/conversations/<str:case>", views.make_view(errors.CONVERSATIONS).as_view()),
    path("probe/throttled", views.ThrottledApi.as_view()),
    path("probe/private", views.PrivateApi.as_view()),
    path("", include("config.urls")),
]

handler404 = "config.errors.not_found_view"
handler500 = "config.errors.server_error_view"
