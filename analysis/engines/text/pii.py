"""Personal data taken out of text before it leaves for an external LLM: e-mail addresses and
phone numbers are replaced with "[EMAIL]" and "[PHONE]".
"""

from __future__ import annotations

import re

import phonenumbers

__all__ = ["redact_pii"]

_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")


def redact_pii(text: str, *, region: str = "US") -> str:
    """Replace e-mail addresses with "[EMAIL]" and phone numbers with "[PHONE]".

    Phones are found twice with phonenumbers.PhoneNumberMatcher: numbers valid for `region` in
    national or international format, and any possible international "+<country>" number (e.g.
    +98 912 123 4567, +91 20 2553 4567) whatever the region. Bare 7-digit locals are left alone:
    they are as likely to be order numbers.
    """
    redacted = _EMAIL_RE.sub("[EMAIL]", text)
    spans: list[tuple[int, int]] = []
    for match in phonenumbers.PhoneNumberMatcher(redacted, region, leniency=phonenumbers.Leniency.VALID):
        spans.append((match.start, match.end))
    # Region None only accepts numbers written with a leading "+", so POSSIBLE is safe here.
    for match in phonenumbers.PhoneNumberMatcher(redacted, None, leniency=phonenumbers.Leniency.POSSIBLE):
        spans.append((match.start, match.end))
    if not spans:
        return redacted
    merged: list[list[int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        else:
            merged.append([start, end])
    pieces: list[str] = []
    cursor = 0
    for start, end in merged:
        pieces.append(redacted[cursor:start])
        pieces.append("[PHONE]")
        cursor = end
    pieces.append(redacted[cursor:])
    return "".join(pieces)
