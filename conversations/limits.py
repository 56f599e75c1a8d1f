"""The upload budget of conversation-intelligence.md: 10 MB of uploads per minute per user.

Counted in the cache like the request limits (`accounts.ratelimit`), in fixed one-minute windows
with an atomic `incr`, so every server process shares one budget. A request that would overdraw
the budget is refused before its body is read, and gives its bytes back.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass

from django.core.cache import cache

UPLOAD_BYTES_PER_MINUTE = 10 * 1024 * 1024
WINDOW_SECONDS = 60
KEY_PREFIX = "ci-upload-bytes"


@dataclass(frozen=True)
class UploadBudget:
    allowed: bool
    used_bytes: int
    retry_after_seconds: int


def upload_budget_spend(*, user_id: int, size_bytes: int, now: float | None = None) -> UploadBudget:
    """Take `size_bytes` from the user's budget for this minute, or refuse and take nothing."""
    now = time.time() if now is None else now
    window = int(now // WINDOW_SECONDS)
    key = f"{KEY_PREFIX}:{user_id}:{window}"
    cache.add(key, 0, timeout=WINDOW_SECONDS + 5)
    try:
        used = int(cache.incr(key, size_bytes))
    except ValueError:  # the window's key expired between add and incr
        cache.set(key, size_bytes, timeout=WINDOW_SECONDS + 5)
        used = size_bytes
    retry_after = max(1, math.ceil((window + 1) * WINDOW_SECONDS - now))
    if used > UPLOAD_BYTES_PER_MINUTE:
        try:
            cache.decr(key, size_bytes)
        except ValueError:
            pass
        return UploadBudget(False, used - size_bytes, retry_after)
    return UploadBudget(True, used, retry_after)
