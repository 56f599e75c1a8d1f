"""Talk time from (speaker, seconds) turns: each speaker's share of the conversation, and one
speaker's talk-to-listen ratio.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

__all__ = ["talk_listen_ratio", "talk_to_listen"]


def _talk_seconds(turns: Iterable[tuple[str, float]]) -> dict[str, float]:
    totals: dict[str, float] = {}
    for speaker, seconds in turns:
        if seconds < 0 or math.isnan(seconds):
            raise ValueError(f"turn duration must be a non-negative number of seconds, got {seconds!r}")
        totals[speaker] = totals.get(speaker, 0.0) + float(seconds)
    return totals


def talk_listen_ratio(turns: Sequence[tuple[str, float]]) -> dict[str, float]:
    """Each speaker's share (0..1) of total talk time from (speaker, seconds) turns.

    Shares sum to 1 (a call normally has two speakers, but any number works); every speaker gets
    0.0 when nobody spoke for any time.
    """
    totals = _talk_seconds(turns)
    grand_total = sum(totals.values())
    if grand_total == 0:
        return {speaker: 0.0 for speaker in totals}
    return {speaker: seconds / grand_total for speaker, seconds in totals.items()}


def talk_to_listen(turns: Sequence[tuple[str, float]], speaker: str) -> float:
    """`speaker`'s talk time divided by everyone else's (their listening time).

    1.0 means equal time; 0.0 when the speaker never spoke; `math.inf` when only the speaker
    spoke (callers that serialise to JSON should clamp or use `talk_listen_ratio` shares).
    """
    totals = _talk_seconds(turns)
    talk = totals.get(speaker, 0.0)
    listen = sum(seconds for name, seconds in totals.items() if name != speaker)
    if listen == 0:
        return math.inf if talk > 0 else 0.0
    return talk / listen
