"""Dates and cadences a founder stated, resolved against the day the analysis was asked for.

A date phrase ("by December 2026", "end of Q2", "this year", "in six months", "by spring") is
found by the grammar below and resolved to the last day it allows: named months, days and spans
("in six months") by `dateparser` with the reference date as its base; quarters, halves,
seasons, holidays and "this/next year" by the calendar rules here, which dateparser does not
know. Every phrase keeps the founder's words; the resolved day is shown beside words that need
it ("end of Q2 (30 June 2026)").
"""

from __future__ import annotations

import calendar
import datetime as dt
import functools
import re
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta

from review.ai.numbers import quantities

_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
_MONTH_NUMBER = {name: index for index, name in enumerate(calendar.month_name) if name} | {
    name.lower(): index for index, name in enumerate(calendar.month_abbr) if name
}
_MONTH_NUMBER = {key.lower(): value for key, value in _MONTH_NUMBER.items()} | {"sept": 9}
_SEASONS = "spring|summer|autumn|fall|winter"
_HOLIDAYS = "nowruz|christmas|new year's eve"
_YEAR = r"(?:20\d{2}|'\d{2})"
_ORDINAL = r"(?:\d{1,2}(?:st|nd|rd|th)?)"
_COUNT = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|twenty-four"
    r"|a couple of|a few)"
)
_SPAN_UNITS = r"(?:days?|weeks?|months?|quarters?|years?)"
_PREP = r"(?:by|before|until|till|in|during|at|for|within|around|towards?|over|on|from|through|into)"
_DATE_BODY = rf"""(?:
    (?:(?:the\s+)?(?:very\s+)?(?:end|middle|beginning|start)\s+of\s+(?:the\s+)?)?
    (?:
        (?:(?:this|next|the\s+coming)\s+)?(?:{_ORDINAL}\s+(?:of\s+)?)?(?:{_MONTHS})\b(?:\s+{_ORDINAL}\b)?(?:,?\s+{_YEAR})?
      | Q[1-4](?:\s*(?:of\s+)?{_YEAR})?(?:\s+(?:next|this)\s+year)?
      | (?:the\s+)?(?:first|second|third|fourth|last)\s+quarter(?:\s+of\s+(?:{_YEAR}|(?:this|next)\s+year|the\s+year))?
      | H[12](?:\s*{_YEAR})?
      | (?:the\s+)?(?:first|second)\s+half(?:\s+of\s+(?:{_YEAR}|(?:this|next)\s+year|the\s+year))?
      | (?:(?:this|next|the\s+coming)\s+)?(?:{_SEASONS})(?:\s+{_YEAR})?
      | (?:{_HOLIDAYS})(?:\s+{_YEAR})?
      | (?:this|next|the|the\s+current|the\s+coming)\s+(?:year|quarter|month|week)\b
      | year[-\s]end | eoy
      | 20\d{{2}}
    )
)"""
_SPAN_BODY = rf"(?:(?:the\s+)?next\s+{_COUNT}\s+{_SPAN_UNITS}|{_COUNT}\s+{_SPAN_UNITS}(?:\s+from\s+now)?)"
_DATE_RE = re.compile(
    rf"""(?:\b{_PREP}\s+)?(?P<body>(?<![\w']){_DATE_BODY}(?!\w))
       | (?P<spanprep>\b(?:in|within|over|during|inside)\s+(?:the\s+)?)(?P<span>{_SPAN_BODY})\b
       | (?P<span2>\b(?:the\s+)?next\s+{_COUNT}\s+{_SPAN_UNITS}|\b{_COUNT}\s+{_SPAN_UNITS}\s+from\s+now)\b""",
    re.I | re.X,
)
_HEDGES = re.compile(
    r"\b(?:hopefully|maybe|perhaps|sometime|someday|eventually|ideally|if possible|i guess|i'd like to|"
    r"i would like to|kind of|sort of|somehow|probably|not sure|we'll see)\b",
    re.I,
)
_PAST_BEFORE = re.compile(r"\b(?:last|previous|past|since|so far|to date)\s+$", re.I)
_PAST_AFTER = re.compile(r"^\s*(?:so far|to date|ago)\b", re.I)
_PAST_VERBS = re.compile(
    r"\b(?:did|was|were|had|lost|raised|closed|grew|rose|fell|went|made|sold|launched|started|"
    r"opened|hired|signed|got|quit|left|dropped|doubled|tripled)\b",
    re.I,
)


@dataclass(frozen=True)
class DatePhrase:
    """A stated date. `text` is the founder's words without the leading "by"/"in"; `span`
    covers the preposition too; `resolved` is the last day the phrase allows (None when it
    names something only the founder knows, such as "launch day")."""

    text: str
    span: tuple[int, int]
    resolved: dt.date | None
    explicit: bool  # carries its own year, so the words alone say the day
    is_point: bool  # a date ("end of Q2") rather than a span ("for the next two quarters")
    tentative: bool
    past: bool  # "last year", "so far this year", "we lost a supplier in March"

    @property
    def label(self) -> str:
        """The words, with the resolved day where the words alone do not say it."""
        notes = []
        if self.resolved is not None and not self.explicit:
            notes.append(
                f"{self.resolved.day} {calendar.month_name[self.resolved.month]} {self.resolved.year}"
            )
        if self.tentative:
            notes.append("tentative")
        return f"{self.text} ({', '.join(notes)})" if notes else self.text


def _end_of_month(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def _end_of_quarter(year: int, quarter: int) -> dt.date:
    return _end_of_month(year, 3 * quarter)


def _year_of(text: str) -> int | None:
    match = re.search(r"\b20\d{2}\b|'(\d{2})\b", text)
    if not match:
        return None
    return int(match.group(0)) if match.group(0)[0] != "'" else 2000 + int(match.group(1))


def _first_ending_after(today: dt.date, ends: list[dt.date]) -> dt.date:
    return min(end for end in ends if end >= today)


_SEASON_END = {"spring": (5, 0), "summer": (8, 0), "autumn": (11, 0), "fall": (11, 0), "winter": (2, 1)}
_SEASON_START = {"spring": (3, 0), "summer": (6, 0), "autumn": (9, 0), "fall": (9, 0), "winter": (12, 0)}
_HOLIDAY_DAY = {"nowruz": (3, 21), "christmas": (12, 25), "new year's eve": (12, 31)}
_ORDINAL_WORD = {"first": 1, "second": 2, "third": 3, "fourth": 4, "last": 4}


@functools.lru_cache(maxsize=1)
def _dateparser() -> object:
    # Imported on first use: loading its language data costs ~0.3 s, paid once per process.
    import dateparser

    return dateparser


def _parse(text: str, today: dt.date, *, last_day: bool) -> dt.date | None:
    dateparser = _dateparser()
    settings = {
        "RELATIVE_BASE": dt.datetime.combine(today, dt.time()),
        "PREFER_DATES_FROM": "future",
        "RETURN_AS_TIMEZONE_AWARE": False,
    }
    if last_day:
        settings["PREFER_DAY_OF_MONTH"] = "last"
    parsed = dateparser.parse(text, languages=["en"], settings=settings)  # type: ignore[attr-defined]
    return parsed.date() if parsed is not None else None


def _resolve(body: str, today: dt.date) -> dt.date | None:
    text = re.sub(r"\s+", " ", body.lower()).strip().rstrip(".")
    text = re.sub(r"^(?:the )?(?:very )?(?:end|middle|beginning|start) of (?:the )?", "", text)
    if text in {"year", "quarter", "month", "week"}:
        text = f"this {text}"  # "the end of the quarter": the current one
    year = _year_of(text)
    nxt = bool(re.search(r"\bnext\b", text))
    this_year, following = today.year, today.year + 1
    if text in {"year end", "year-end", "eoy"} or re.fullmatch(r"(?:this|the|the current) year", text):
        return dt.date(this_year, 12, 31)
    if text in {"next year", "the coming year"}:
        return dt.date(following, 12, 31)
    if re.fullmatch(r"20\d{2}", text):
        return dt.date(int(text), 12, 31)
    period = re.fullmatch(r"(this|next|the|the current|the coming) (quarter|month|week)", text)
    if period:
        ahead = period.group(1) in {"next", "the coming"}
        if period.group(2) == "quarter":
            quarter = (today.month - 1) // 3 + 1 + ahead
            return _end_of_quarter(today.year + (quarter - 1) // 4, (quarter - 1) % 4 + 1)
        if period.group(2) == "month":
            month = today + relativedelta(months=int(ahead))
            return _end_of_month(month.year, month.month)
        return today + dt.timedelta(days=6 - today.weekday() + 7 * ahead)
    quarter_match = re.match(r"q([1-4])\b", text) or re.match(
        r"(first|second|third|fourth|last) quarter", text
    )
    if quarter_match:
        raw = quarter_match.group(1)
        quarter = int(raw) if raw.isdigit() else _ORDINAL_WORD[raw]
        if year:
            return _end_of_quarter(year, quarter)
        if nxt:
            return _end_of_quarter(following, quarter)
        return _first_ending_after(
            today, [_end_of_quarter(this_year, quarter), _end_of_quarter(following, quarter)]
        )
    half_match = re.match(r"h([12])\b", text) or re.match(r"(first|second) half", text)
    if half_match:
        half = 1 if half_match.group(1) in {"1", "first"} else 2
        ends = [_end_of_month(y, 6 * half) for y in (this_year, following)]
        if year:
            return _end_of_month(year, 6 * half)
        return ends[1] if nxt else _first_ending_after(today, ends)
    season = re.search(rf"\b({_SEASONS})\b", text)
    if season:
        name = season.group(1)
        (end_month, end_shift), (start_month, _) = _SEASON_END[name], _SEASON_START[name]
        candidates = [
            (dt.date(y, start_month, 1), _end_of_month(y + end_shift, end_month))
            for y in (this_year - 1, this_year, following)
        ]
        if year:
            return next(end for start, end in candidates if start.year == year)
        if nxt or "coming" in text:
            return min(end for start, end in candidates if start > today)
        return min(end for start, end in candidates if end >= today)
    holiday = re.search(rf"\b({_HOLIDAYS})\b", text)
    if holiday:
        month, day = _HOLIDAY_DAY[holiday.group(1)]
        if year:
            return dt.date(year, month, day)
        return _first_ending_after(today, [dt.date(this_year, month, day), dt.date(following, month, day)])
    month_match = re.search(rf"\b({_MONTHS})\b", text)
    if month_match:
        has_day = bool(re.search(r"\d{1,2}(?:st|nd|rd|th)?\b(?!\d)", re.sub(r"\b20\d{2}\b|'\d{2}", "", text)))
        words = re.sub(r"^(?:this|next|the coming) ", "", text)
        resolved = _parse(words, today, last_day=not has_day)
        if resolved is None:
            return None
        if nxt and not year and resolved.month == today.month and resolved.year == today.year:
            resolved = (
                _end_of_month(following, today.month) if not has_day else resolved.replace(year=following)
            )
        return resolved
    return None


def _resolve_span(body: str, today: dt.date) -> dt.date | None:
    text = re.sub(r"\s+", " ", body.lower()).strip()
    text = re.sub(r"^(?:the )?next ", "", text).removesuffix(" from now")
    counted = quantities(text)
    amount = counted[0].value if counted else 1.0  # "a year", "a few months"
    if re.match(r"a (?:few|couple of) ", text):
        return None  # "a few months" names no day
    unit = re.search(r"(day|week|month|quarter|year)s?\b", text)
    if unit is None or amount != int(amount):
        return None
    months = {"month": 1, "quarter": 3, "year": 12}.get(unit.group(1))
    if months:
        return today + relativedelta(months=int(amount) * months)
    days = {"day": 1, "week": 7}[unit.group(1)]
    return today + dt.timedelta(days=int(amount) * days)


def date_phrases(sentence: str, today: dt.date) -> list[DatePhrase]:
    """Every date or time span stated in one sentence, with the day it resolves to."""
    return list(_date_phrases(sentence, today))


@functools.lru_cache(maxsize=4096)
def _date_phrases(sentence: str, today: dt.date) -> tuple[DatePhrase, ...]:
    found: list[DatePhrase] = []
    tentative = bool(_HEDGES.search(sentence))
    for match in _DATE_RE.finditer(sentence):
        if match.group("body"):
            start, end = match.start("body"), match.end("body")
            body = match.group("body")
            if re.fullmatch(r"(?:may|march)", body, re.I) and not re.search(
                r"\b(?:by|in|until|before|end of|of)\s+$", sentence[: match.start("body")], re.I
            ):
                continue  # "we may", "the march": a verb or a noun, not the month
            resolved, is_point = _resolve(body, today), True
            explicit = _year_of(body) is not None
        else:
            group = "span" if match.group("span") else "span2"
            # A span keeps its preposition: "within a year", "in six months".
            start, end = match.start(), match.end()
            body = match.group(group)
            resolved, is_point, explicit = _resolve_span(body, today), False, False
        words = sentence[start:end].strip()
        words = re.sub(r"^the\s+(?=(?:very\s+)?end\b)", "", words, flags=re.I)
        if re.match(r"(?:this|next|end|the|within|in)\b", words, re.I):
            words = words[0].lower() + words[1:]  # "This year I want..." -> "this year"
        before, after = sentence[: match.start()], sentence[match.end() :]
        past = bool(_PAST_BEFORE.search(before) or _PAST_AFTER.match(after))
        if (
            not past
            and re.search(r"\bin\s+$", sentence[:start])
            and _PAST_VERBS.search(sentence[: match.start()])
        ):
            past = _last_verb_is_past(sentence[: match.start()])
        found.append(DatePhrase(words, match.span(), resolved, explicit, is_point, tentative, past))
    return tuple(found)


def _last_verb_is_past(text: str) -> bool:
    # "we lost our biggest supplier in March": the month is when it happened, not a deadline.
    return bool(re.search(rf"{_PAST_VERBS.pattern}[^,;.]*$", text, re.I)) and not re.search(
        r"\b(?:will|want|wants|plan|aim|need|going to|hope|should|must|'ll|'d like)\b[^,;.]*$", text, re.I
    )


def deadlines(sentence: str, today: dt.date) -> list[DatePhrase]:
    """The date phrases that can be a deadline: not past, not a period a value was measured in."""
    return [d for d in date_phrases(sentence, today) if not d.past]


def main_deadline(sentence: str, today: dt.date) -> DatePhrase | None:
    found = deadlines(sentence, today)
    points = [d for d in found if d.is_point and d.resolved is not None]
    chosen = points or [d for d in found if d.resolved is not None] or found
    return chosen[0] if chosen else None


def is_hedged(sentence: str) -> bool:
    return bool(_HEDGES.search(sentence))


def hedges(sentence: str) -> list[str]:
    return [m.group(0) for m in _HEDGES.finditer(sentence)]


# --------------------------------------------------------------------------------------------
# Cadences: how often something happens ("every Monday", "weekly", "two per month")

_WEEKDAYS = "monday|tuesday|wednesday|thursday|friday|saturday|sunday"
_CADENCE_RE = re.compile(
    rf"""\b(?:
        (?:every|each)\s+(?:other\s+|single\s+|{_COUNT}\s+)?(?:{_WEEKDAYS}|day|week|weekend|month|quarter|year
            |morning|evening|night|term|semester|sprint|batch|order|ticket|session|days|weeks|months)s?
      | (?:daily|weekly|monthly|quarterly|fortnightly|biweekly|annually|yearly|nightly)
      | (?:once|twice|{_COUNT}\s+times?)\s+(?:a|per|each|every)\s+(?:day|week|month|quarter|year)
      | (?:per|a)\s+(?:day|week|month|quarter|batch)
      | on\s+(?:{_WEEKDAYS})s
    )\b""",
    re.I | re.X,
)


@dataclass(frozen=True)
class Cadence:
    text: str
    span: tuple[int, int]


def cadences(sentence: str) -> list[Cadence]:
    return [Cadence(m.group(0), m.span()) for m in _CADENCE_RE.finditer(sentence)]
