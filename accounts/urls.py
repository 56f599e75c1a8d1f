from django.urls import path

from accounts import api

urlpatterns = [
    path("auth/token", api.TokenApi.as_view(), name="auth-token"),
    path("auth/google/login", api.GoogleLoginApi.as_view(), name="auth-google-login"),
    path("auth/refresh", api.RefreshApi.as_view(), name="auth-refresh"),
    path("auth/me", api.MeApi.as_view(), name="auth-me"),
    path("auth/logout", api.LogoutApi.as_view(), name="auth-logout"),
    path("users/technicians", api.UserTechniciansApi.as_view(), name="users-technicians"),
    path("users/<str:user_id>", api.UserDetailApi.as_view(), name="users-detail"),
    path("media/signed/<str:token>", api.media_signed_view, name="media-signed"),
]
