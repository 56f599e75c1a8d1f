"""Whole-flow tests borrow the products' own casts."""

from __future__ import annotations

from tests.reports.conftest import acme  # noqa: F401  (fixture)
