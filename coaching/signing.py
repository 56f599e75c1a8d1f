"""Webhook signatures (DESIGN.md §6), plain Python so receivers can copy it as it is.

Each delivery is POSTed with:

    X-Webhook-Id: <delivery id>           the same on every retry and resend: drop repeats by it
    X-Webhook-Timestamp: <unix seconds>   when this attempt was signed
    X-Webhook-Signature: sha256=<hex>     HMAC-SHA256 of "<timestamp>.<raw body>" with the secret

A receiver recomputes the HMAC over the raw body bytes it received (before any JSON parsing),
compares in constant time, and refuses timestamps too far from its clock (replays).
"""

from __future__ import annotations

import hashlib
import hmac
import time

ID_HEADER = "X-Webhook-Id"
TIMESTAMP_HEADER = "X-Webhook-Timestamp"
SIGNATURE_HEADER = "X-Webhook-Signature"
EVENT_HEADER = "X-Webhook-Event"
SCHEME = "sha256="
DEFAULT_TOLERANCE_SECONDS = 300


def signature(*, secret: str, timestamp: str, body: bytes) -> str:
    """The header value: `sha256=` and the hex HMAC-SHA256 of `<timestamp>.<body>`."""
    digest = hmac.new(secret.encode(), timestamp.encode() + b"." + body, hashlib.sha256).hexdigest()
    return SCHEME + digest


def signature_verify(
    *,
    secret: str,
    timestamp: str,
    body: bytes,
    signature_header: str,
    tolerance_seconds: int = DEFAULT_TOLERANCE_SECONDS,
    now: float | None = None,
) -> bool:
    """True when the signature is the secret's for this timestamp and body, and the timestamp is
    within `tolerance_seconds` of `now`."""
    try:
        sent_at = int(timestamp)
    except (TypeError, ValueError):
        return False
    if abs((time.time() if now is None else now) - sent_at) > tolerance_seconds:
        return False
    expected = signature(secret=secret, timestamp=timestamp, body=body)
    return hmac.compare_digest(expected.encode(), (signature_header or "").strip().encode())
