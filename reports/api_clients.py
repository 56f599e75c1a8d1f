"""Who calls the report routes: an API key's holder, standing in for request.user."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ApiClient:
    """Who is calling: the key's name. Stands in for request.user on the report routes."""

    name: str
    api_key_id: int | None = None
    is_authenticated: bool = True
    is_active: bool = True

    def __str__(self) -> str:
        return self.name
