"""Numbers a speaker or writer stated, with their units: percents, money, multipliers, durations,
quarters and calendar years, each as a `Quantity` with its value scaled and the span as written.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from analysis.engines.text.tokens import _normalize

__all__ = ["Quantity", "numbers"]


@dataclass(frozen=True)
class Quantity:
    """A stated number. `value` is scaled ("$50k" -> 50000.0); `unit` is one of "%", a currency
    code (USD, EUR, GBP, INR, JPY), "x", a duration unit (second, minute, hour, day, week, month,
    quarter, year), "calendar_year" ("by 2025"), "quarter" for "Q3" (value 3), "half" for "H2",
    or None for a plain count; `text` is the span as written, with a leading time preposition
    ("in 3 months", "by Q3")."""

    value: float
    unit: str | None
    text: str


_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12, "half": 0.5,
}  # fmt: skip
_CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "₹": "INR", "¥": "JPY"}
_CURRENCY_WORDS = {
    "usd": "USD", "dollar": "USD", "dollars": "USD", "bucks": "USD", "eur": "EUR", "euro": "EUR",
    "euros": "EUR", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "inr": "INR", "rupees": "INR",
    "rupee": "INR",
}  # fmt: skip
_SCALES = {
    "k": 1e3, "thousand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "million": 1e6, "millions": 1e6,
    "b": 1e9, "bn": 1e9, "billion": 1e9, "billions": 1e9, "hundred": 1e2,
}  # fmt: skip
_DURATION_UNITS = {
    "sec": "second", "secs": "second", "second": "second", "seconds": "second",
    "min": "minute", "mins": "minute", "minute": "minute", "minutes": "minute",
    "hr": "hour", "hrs": "hour", "hour": "hour", "hours": "hour",
    "day": "day", "days": "day", "week": "week", "weeks": "week", "month": "month",
    "months": "month", "quarter": "quarter", "quarters": "quarter", "year": "year", "years": "year",
    "yr": "year", "yrs": "year", "ms": "millisecond", "millisecond": "millisecond",
    "milliseconds": "millisecond",
}  # fmt: skip


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so "seventy" wins over "seven" and "million" over "m".
    return "|".join(re.escape(w) for w in sorted(words, key=len, reverse=True))


_NUMBER = r"\d+(?:,\d{3})*(?:\.\d+)?|\.\d+"
_TENS = ("twenty", "thirty", "forty", "fifty", "sixty", "seventy", "eighty", "ninety")
_UNITS = ("one", "two", "three", "four", "five", "six", "seven", "eight", "nine")
_WORD_NUMBER = (
    rf"(?:{_alternation(_TENS)})[-\s](?:{_alternation(_UNITS)})\b|(?:{_alternation(_NUMBER_WORDS)})"
)
_PERCENT_WORDS = ("%", "percent", "per cent")
_QUANTITY_RE = re.compile(
    r"(?:\b(?P<prep>in|within|by|over|after|for|before|until)\s+)?"
    r"(?:"
    r"(?P<quarter>\bQ(?P<qn>[1-4])(?:\s*(?:'|20)?\d{2})?\b)"
    r"|(?P<half>\bH(?P<hn>[12])\b)"
    rf"|(?P<cur>[$€£₹¥])\s?(?P<cnum>{_NUMBER})(?:\s?(?P<cscale>{_alternation(_SCALES)})\b)?"
    rf"|(?<![\w.])(?P<num>{_NUMBER}|{_WORD_NUMBER})"
    rf"(?:\s?(?P<scale>{_alternation(_SCALES)})\b)?"
    rf"(?:\s?(?P<unit>{_alternation((*_DURATION_UNITS, *_CURRENCY_WORDS, *_PERCENT_WORDS, 'x'))})(?!\w))?"
    r")",
    re.IGNORECASE,
)
_TIME_UNITS = frozenset(_DURATION_UNITS.values()) | {"calendar_year", "quarter", "half"}


def _parse_number(raw: str) -> float:
    if raw[0].isdigit() or raw[0] == ".":
        return float(raw.replace(",", ""))
    return float(sum(_NUMBER_WORDS[part] for part in re.split(r"[-\s]", raw.lower())))


def _unit_of(unit_raw: str) -> str:
    key = unit_raw.lower()
    if key in _PERCENT_WORDS:
        return "%"
    if key == "x":
        return "x"
    return _CURRENCY_WORDS.get(key) or _DURATION_UNITS[key]


def numbers(text: str) -> list[Quantity]:
    """Numbers the text states, with units: percents, money ("$50k", "2 million dollars"),
    multipliers ("3x"), durations ("in 3 months", "two weeks"), quarters ("by Q3") and calendar
    years ("by 2025").

    Number words ("two", "twenty-five") count only with a unit or scale after them, because on
    their own they are usually pronouns ("one of the ...").
    """
    normalized = _normalize(text)
    out: list[Quantity] = []
    for match in _QUANTITY_RE.finditer(normalized):
        value: float
        unit: str | None
        if match.group("quarter"):
            value, unit, body_start = float(match.group("qn")), "quarter", match.start("quarter")
        elif match.group("half"):
            value, unit, body_start = float(match.group("hn")), "half", match.start("half")
        elif match.group("cur"):
            value, unit, body_start = (
                _parse_number(match.group("cnum")),
                _CURRENCY_SYMBOLS[match.group("cur")],
                match.start("cur"),
            )
            if match.group("cscale"):
                value *= _SCALES[match.group("cscale").lower()]
        else:
            raw, scale, unit_raw = match.group("num"), match.group("scale"), match.group("unit")
            if scale and scale.lower() in {"m", "mm", "b"} and not unit_raw:
                # "5m" without a currency is as often minutes or metres as millions.
                scale = None
            is_word_number = not (raw[0].isdigit() or raw[0] == ".")
            if is_word_number and not (scale or unit_raw):
                continue
            value, body_start = _parse_number(raw), match.start("num")
            if scale:
                value *= _SCALES[scale.lower()]
            unit = _unit_of(unit_raw) if unit_raw else None
            if unit is None and not scale and raw.isdigit() and len(raw) == 4 and 1900 <= int(raw) <= 2100:
                unit = "calendar_year"
            if not unit_raw and not scale:
                out.append(_quantity(text, match, value, unit, body_start, match.end("num")))
                continue
        out.append(_quantity(text, match, value, unit, body_start, match.end()))
    return out


def _quantity(
    text: str, match: re.Match[str], value: float, unit: str | None, body_start: int, end: int
) -> Quantity:
    # Keep "in"/"by" with a time ("in 3 months", "by Q3"): that is what makes it a deadline.
    start = match.start() if match.group("prep") and unit in _TIME_UNITS else body_start
    return Quantity(value, unit, text[start:end].strip())
