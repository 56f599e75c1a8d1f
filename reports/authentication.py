"""`X-API-Key` for the report routes: keys made by `manage.py create_api_key` (stored hashed,
revocable in admin) or listed in REPORTS_API_KEYS. A missing or unknown key is 401 UNAUTHORIZED
in the envelope (DESIGN.md §6)."""

from __future__ import annotations

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework.authentication import BaseAuthentication
from rest_framework.request import Request

from config import errors
from reports import selectors
from reports.api_clients import ApiClient

HEADER = "X-API-Key"


class ApiKeyAuthentication(BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[ApiClient, None]:
        raw_key = request.headers.get(HEADER, "").strip()
        if not raw_key:
            raise errors.ApiError(f"{HEADER} header is required", status=401, code="UNAUTHORIZED")
        client = selectors.api_client_for_key(raw_key=raw_key)
        if client is None:
            raise errors.ApiError("Invalid or revoked API key", status=401, code="UNAUTHORIZED")
        return client, None

    def authenticate_header(self, request: Request) -> str:
        return HEADER


class ApiKeyScheme(OpenApiAuthenticationExtension):  # type: ignore[no-untyped-call]
    target_class = "reports.authentication.ApiKeyAuthentication"
    name = "ApiKeyAuth"

    def get_security_definition(self, auto_schema: object) -> dict[str, str]:
        return {"type": "apiKey", "in": "header", "name": HEADER}
