"""Quantities a founder stated: counts, money, percentages, durations and multipliers.

Digits are read here ("$42k", "1,200", "4% per month", "3×"); number words ("twelve hundred",
"a hundred thousand", "forty-two") are valued by `number_parser`, one run of number words at a
time, so every quantity keeps its span and the founder's words. Years, quarters and dates are
not quantities: `dates` reads those, and the callers drop quantities inside a date phrase.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from number_parser import parse_number

CURRENCY_SYMBOLS = {"$": "USD", "€": "EUR", "£": "GBP", "¥": "JPY", "₹": "INR"}
CURRENCY_WORDS = {
    "usd": "USD", "dollar": "USD", "dollars": "USD", "bucks": "USD", "eur": "EUR", "euro": "EUR",
    "euros": "EUR", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "quid": "GBP", "toman": "IRR",
    "tomans": "IRR", "rial": "IRR", "rials": "IRR",
}  # fmt: skip
SCALES = {
    "k": 1e3, "thousand": 1e3, "grand": 1e3, "m": 1e6, "mm": 1e6, "mn": 1e6, "million": 1e6,
    "millions": 1e6, "b": 1e9, "bn": 1e9, "billion": 1e9,
}  # fmt: skip
TIME_UNITS = {
    "min": "minute", "mins": "minute", "minute": "minute", "minutes": "minute", "hr": "hour",
    "hrs": "hour", "hour": "hour", "hours": "hour", "day": "day", "days": "day", "week": "week",
    "weeks": "week", "month": "month", "months": "month", "quarter": "quarter", "quarters": "quarter",
    "year": "year", "years": "year", "yr": "year", "yrs": "year",
}  # fmt: skip
MULTIPLIERS = {
    "double": 2.0, "doubling": 2.0, "twice": 2.0, "triple": 3.0, "tripling": 3.0, "treble": 3.0,
    "quadruple": 4.0, "halve": 0.5, "halving": 0.5,
}  # fmt: skip

# The words number_parser values; "a"/"and" only join a run ("a hundred", "two hundred and five").
_NUMBER_WORDS = frozenset(
    """zero one two three four five six seven eight nine ten eleven twelve thirteen fourteen fifteen
    sixteen seventeen eighteen nineteen twenty thirty forty fifty sixty seventy eighty ninety hundred
    thousand million billion""".split()
)
_SMALL_WORDS = frozenset({"one", "a"})
_NUMBER_WORD_RUN = re.compile(
    r"\b(?:(?:a|an)\s+(?=(?:hundred|thousand|million|billion|dozen)\b))?"
    r"(?:zero|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|thirteen|fourteen|fifteen"
    r"|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty|seventy|eighty|ninety"
    r"|hundred|thousand|million|billion|dozen)"
    r"(?:(?:\s+and\s+|[\s-]+)(?:one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve"
    r"|thirteen|fourteen|fifteen|sixteen|seventeen|eighteen|nineteen|twenty|thirty|forty|fifty|sixty"
    r"|seventy|eighty|ninety|hundred|thousand|million|billion)\b)*\b",
    re.I,
)
_DIGITS = r"\d{1,3}(?:,\d{3})+(?:\.\d+)?|\d+(?:\.\d+)?"
_SCALE_ALT = "|".join(sorted(SCALES, key=len, reverse=True))
_CURRENCY_ALT = "|".join(sorted(CURRENCY_WORDS, key=len, reverse=True))
_TIME_ALT = "|".join(sorted(TIME_UNITS, key=len, reverse=True))
_NUMBER_RE = re.compile(
    rf"(?:(?P<cur>[$€£¥₹])\s?)?(?<![\w.,/])(?P<num>{_DIGITS})(?=(?:{_SCALE_ALT})\b|[x×%]|[^\w/]|$)",
    re.I,
)
_AFTER_RE = re.compile(
    rf"^(?:\s?(?P<scale>{_SCALE_ALT})\b)?"
    rf"(?:\s?(?P<percent>%|percent\b|per cent\b)|\s?(?P<times>[x×])(?!\w)|\s(?P<curword>{_CURRENCY_ALT})\b"
    rf"|[\s-](?P<time>{_TIME_ALT})\b)?",
    re.I,
)
_APPROX_RE = re.compile(
    r"(?:\b(?:about|around|roughly|approximately|nearly|almost|close to|some|more like|circa)|~)\s*$", re.I
)
_COMPARATOR_RE = re.compile(
    r"\b(below|under|less than|at most|no more than|above|over|more than|at least|beyond)\s+"
    r"(?:about\s+|around\s+)?$",
    re.I,
)
_PER_RE = re.compile(
    r"^\s*(?:(?:per|a|an|each|every|/)\s*(?P<per>day|week|month|quarter|year)\b"
    r"|(?P<adverb>monthly|weekly|daily|yearly|annually)\b)",
    re.I,
)
_RATING_RE = re.compile(r"^\s*(?:out of|/)\s*(?:5|10|five|ten)\b", re.I)
_YEAR_CONTEXT = re.compile(
    r"(?:\b(?:in|by|since|of|until|till|before|after|end|during|from|for|year|fy)\s+(?:the\s+)?$"
    r"|\b(?:january|february|march|april|may|june|july|august|september|october|november|december"
    r"|jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec|q[1-4]|h[12])\s*,?\s*$)",
    re.I,
)


@dataclass(frozen=True)
class Quantity:
    """A number as stated. `value` is scaled ("$42k" is 42000); `unit` is a currency code, "%",
    "x" (a multiplier), a time unit, or None for a count; `per` is a rate's period ("4% per
    month" is per "month"); `text` is the founder's words for it, `span` where they are."""

    value: float
    unit: str | None
    text: str
    span: tuple[int, int]
    per: str | None = None
    approximate: bool = False
    comparator: str | None = None

    @property
    def is_money(self) -> bool:
        return self.unit is not None and self.unit.isupper()

    @property
    def is_duration(self) -> bool:
        return self.unit in TIME_UNITS.values()

    @property
    def is_count(self) -> bool:
        return self.unit is None

    @property
    def comparable(self) -> float:
        """The value in one scale per kind, so "3 weeks" and "5 days" can be compared."""
        days = {
            "minute": 1 / 1440,
            "hour": 1 / 24,
            "day": 1,
            "week": 7,
            "month": 30.4,
            "quarter": 91.3,
            "year": 365.25,
        }
        return self.value * days.get(self.unit or "", 1.0)

    def same_amount(self, other: Quantity) -> bool:
        return abs(self.value - other.value) <= 1e-9 * max(1.0, abs(self.value)) and self.unit == other.unit


@functools.lru_cache(maxsize=4096)
def _word_value(words: str) -> float | None:
    lowered = re.sub(r"\s+", " ", words.lower().replace("-", " ")).strip()
    if lowered in {"a dozen", "dozen"}:
        return 12.0
    lowered = re.sub(r"^an? (?=hundred|thousand|million|billion)", "one ", lowered)
    value = parse_number(lowered, language="en")
    if value is None:
        # "twelve hundred": number_parser reads hundreds only after a unit word below ten.
        parts = lowered.split()
        if len(parts) == 2 and parts[1] == "hundred":
            head = parse_number(parts[0], language="en")
            value = head * 100 if head is not None else None
    return float(value) if value is not None else None


def _candidates(sentence: str) -> list[tuple[int, int, float, str | None]]:
    """(start, end, value, currency symbol) for each number written in digits or words."""
    found: list[tuple[int, int, float, str | None]] = []
    for match in _NUMBER_RE.finditer(sentence):
        symbol = match.group("cur")
        start = match.start("cur") if symbol else match.start("num")
        found.append((start, match.end("num"), float(match.group("num").replace(",", "")), symbol))
    for match in _NUMBER_WORD_RUN.finditer(sentence):
        if any(s < match.end() and match.start() < e for s, e, _, _ in found):
            continue
        value = _word_value(match.group(0))
        if value is None:
            continue
        found.append((match.start(), match.end(), value, None))
    found.sort()
    return found


def quantities(sentence: str) -> list[Quantity]:
    """Every quantity stated in one sentence, in reading order."""
    return list(_quantities(sentence))


@functools.lru_cache(maxsize=4096)
def _quantities(sentence: str) -> tuple[Quantity, ...]:
    # Sentences are read many times over (goal, draft, scores): the reading is cached per string.
    out: list[Quantity] = []
    for start, end, value, symbol in _candidates(sentence):
        if out and start < out[-1].span[1]:
            continue  # "4.7 out of 5": the 5 belongs to the rating
        raw = sentence[start:end]
        is_words = not any(c.isdigit() for c in raw)
        after = _AFTER_RE.match(sentence[end:])
        unit: str | None = CURRENCY_SYMBOLS[symbol] if symbol else None
        scale = after.group("scale") if after else None
        if (
            scale
            and scale.lower() in {"m", "b", "mm"}
            and not symbol
            and not (after and after.group("curword"))
        ):
            # "5m" without a currency is as often minutes or metres as millions.
            if not re.match(
                r"^\s?(?:m|mm|b)\b\s*(?:in\s+)?(?:revenue|sales|arr|gmv|users|downloads)",
                sentence[end:],
                re.I,
            ):
                scale = None
        stop = end
        if after:
            if scale:
                value *= SCALES[scale.lower()]
                stop = end + after.end("scale")
            for group, kind in (("percent", "%"), ("times", "x"), ("curword", None), ("time", None)):
                if after.group(group):
                    if group == "curword":
                        unit = CURRENCY_WORDS[after.group(group).lower()]
                    elif group == "time":
                        unit = TIME_UNITS[after.group(group).lower()]
                    else:
                        unit = kind
                    stop = end + after.end(group)
                    break
        before = sentence[:start]
        if unit is None and not scale and _is_year(raw, value, before, sentence[stop:]):
            continue
        if is_words and raw.lower() in _SMALL_WORDS and not (scale or unit):
            continue  # "one of them", "a few": a pronoun or an article, not a count
        if re.match(r"^(?:st|nd|rd|th)\b", sentence[end:]) or re.match(
            r"^\s*(?:am|pm|a\.m\.|p\.m\.)\b", sentence[stop:], re.I
        ):
            continue
        if _RATING_RE.match(sentence[stop:]):
            rating = _RATING_RE.match(sentence[stop:])
            assert rating is not None
            stop += rating.end()
        per_match = _PER_RE.match(sentence[stop:])
        per = None
        if per_match and unit not in TIME_UNITS.values():
            per = (per_match.group("per") or _ADVERB_PERIOD[per_match.group("adverb").lower()]).lower()
            stop += per_match.end()
        comparator = _COMPARATOR_RE.search(before)
        out.append(
            Quantity(
                value=value,
                unit=unit,
                text=sentence[start:stop].strip(),
                span=(start, stop),
                per=per,
                approximate=bool(_APPROX_RE.search(before)),
                comparator=comparator.group(1).lower() if comparator else None,
            )
        )
    return tuple(out)


_ADVERB_PERIOD = {"monthly": "month", "weekly": "week", "daily": "day", "yearly": "year", "annually": "year"}


def _is_year(raw: str, value: float, before: str, after: str) -> bool:
    if not (raw.isdigit() and len(raw) == 4 and 1990 <= value <= 2100):
        return False
    # "400 to 2026 customers" is rare; "by 2026", "December 2026", "in 2027" are dates.
    return bool(_YEAR_CONTEXT.search(before)) or not re.match(r"^\s+[a-z]", after, re.I)


@dataclass(frozen=True)
class Multiplier:
    factor: float
    text: str
    span: tuple[int, int]


_MULTIPLIER_RE = re.compile(
    r"\b(?:double|doubling|twice|triple|tripling|treble|quadruple|halve|halving)\b|\bcut\s+in\s+half\b"
    r"|(?<![\w.])(?P<n>\d+(?:\.\d+)?)\s?[x×](?!\w)",
    re.I,
)


def multipliers(sentence: str) -> list[Multiplier]:
    """ "double", "triple", "halve", "cut in half", "3×" as factors."""
    found = []
    for match in _MULTIPLIER_RE.finditer(sentence):
        word = match.group(0).lower()
        if match.group("n"):
            factor = float(match.group("n"))
        elif word.startswith("cut"):
            factor = 0.5
        else:
            factor = MULTIPLIERS[word]
        found.append(Multiplier(factor, match.group(0), match.span()))
    return found


def format_value(value: float) -> str:
    """A computed number written as a founder would: 800, 3, 1.5, 12,000."""
    if abs(value - round(value)) < 1e-9:
        return f"{round(value):,}"
    return f"{value:,.2f}".rstrip("0").rstrip(".")
