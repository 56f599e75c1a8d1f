"""Equipment facts said during a call: which equipment, its age, how often it was repaired, how many
units, and the amounts of money mentioned. Each fact keeps the sentence it was read from, so a
description or an estimate built on it can quote its evidence.

Ages come from "fifteen years old", "a forty-year-old boiler", "installed in 2006" (with the call
date), "put it in twelve years ago". Repairs from "fixed it three times", "the third time someone's
been out", "three repairs this year"; "keeps breaking" or "constantly" mark repeated repairs with no
count. A year needs equipment (or "it") in its sentence: "we've lived here since 2010" is no age.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from analysis.engines import text
from conversations.ai import lexicon
from conversations.ai.call import Call, Sentence
from conversations.ai.lexicon import NUMBER_RE, ORDINAL_RE, Equipment, parse_number, parse_ordinal

__all__ = ["Amount", "CallFacts", "SentenceFacts", "aggregate", "call_facts", "sentence_facts"]

MAX_AGE_YEARS = 80
MAX_UNITS = 500
_AGE_RES = (
    re.compile(rf"\b(?P<n>{NUMBER_RE})[- ](?:years?|yrs?)[- ]old\b", re.I),
    re.compile(rf"\b(?P<n>{NUMBER_RE})[- ]year[- ]old\b", re.I),
    re.compile(
        rf"\b(?:put|installed|got|bought|replaced|had)\b[^.?!]{{0,30}}?\b(?P<n>{NUMBER_RE}) years ago\b", re.I
    ),
)
_YEAR_RE = re.compile(
    r"\b(?:since|from|in|back in|installed in|built in|dates? (?:back )?to|(?:plate|label|sticker) says)\s+"
    r"(?P<y>(?:19|20)\d\d)\b",
    re.I,
)
# "If the units are over ten years old ..." states no age.
_CONDITIONAL_RE = re.compile(r"\b(?:if|whether|unless|once)\b", re.I)
_EQUIPMENT_OR_IT_RE = re.compile(
    r"\b(?:it|this thing|this one|that one|the (?:older|old|first) ones)\b", re.I
)
_REPAIR_COUNT_RES = (
    re.compile(
        rf"\b(?:fix|fixed|repair\w*|patch\w*|servic\w*|out|called|came out|been out|recharg\w*)\b[^.?!]{{0,40}}?"
        rf"\b(?P<n>{NUMBER_RE}) times\b",
        re.I,
    ),
    re.compile(
        rf"\b(?P<o>{ORDINAL_RE}) (?:time|visit|repair|call)\b[^.?!]{{0,40}}?\b(?:out|here|fix|repair|visit|month|year|"
        rf"summer|winter|week|since|came|been|had)\b",
        re.I,
    ),
    re.compile(
        rf"\b(?P<n>{NUMBER_RE}) (?:repairs|service calls|visits|breakdowns)\b[^.?!]{{0,20}}?"
        r"\b(?:this|last|since|in a)\b",
        re.I,
    ),
)
_REPEATED_RE = re.compile(
    r"\b(?:keeps?|kept) (?:breaking|breaking down|failing|dying|going out|acting up)\b|\bconstantly\b|"
    r"\blost count\b|\bevery (?:month|week|few weeks)\b[^.?!]{0,20}\b(?:fix|repair|out|broke)\w*|"
    r"\bfrequent (?:repairs|breakdowns)\b",
    re.I,
)
# Plural nouns only: "a ten SEER unit" is one unit, not ten; space heaters lent for the night are no site.
_COUNTED = (
    r"(?:rooftop units|rtus|units|heaters|furnaces|boilers|systems|houses|homes|rentals|properties|buildings|"
    r"locations|stores|sites|condos|apartments|offices|schools|pumps|chillers|thermostats)"
)
_UNITS_RES = (
    re.compile(
        rf"\b(?P<n>{NUMBER_RE}) (?:of (?:these|those|them|our|the) )?(?!space\b)(?:\w+ )?(?P<noun>{_COUNTED})\b",
        re.I,
    ),
    re.compile(rf"\b(?:one of|all) (?P<n>{NUMBER_RE})\b", re.I),
)
_GRAND_RE = re.compile(rf"\b(?P<n>{NUMBER_RE})\s+grand\b", re.I)
_RANGE_RE = re.compile(
    rf"\b(?P<a>{NUMBER_RE})\s+(?:and|to|or)\s+(?P<b>{NUMBER_RE})\s+(?P<scale>hundred|thousand|grand)\b", re.I
)
_SCALES = {"hundred": 100.0, "thousand": 1000.0, "grand": 1000.0}
_BILL_RE = re.compile(r"\bbills?\b|\ba month\b|\bper month\b|\bmonthly\b|\bevery month\b", re.I)
_MONEY_WORDS_RE = re.compile(
    r"\b(?:cost\w*|price\w*|quot\w+|estimate\w*|budget\w*|runs?|run about|dollars|bucks|pay|paid|spent|spend|"
    r"charge\w*|installed|a year|per year|per unit|bid)\b|\$",
    re.I,
)


@dataclass(frozen=True)
class Amount:
    """Money said in a sentence, in USD; `is_bill` for running costs ("our bill was $400")."""

    usd: float
    sentence: Sentence
    is_bill: bool


@dataclass(frozen=True)
class SentenceFacts:
    sentence: Sentence
    equipment: tuple[Equipment, ...]
    age_years: int | None
    repair_count: int | None
    repeated_repairs: bool
    unit_count: int | None
    amounts: tuple[Amount, ...]

    @property
    def specific_equipment(self) -> tuple[Equipment, ...]:
        return tuple(e for e in self.equipment if e.key not in GENERIC_EQUIPMENT)


GENERIC_EQUIPMENT = frozenset({"system", "unit", "pump"})


def equipment_mentions(words: str) -> list[tuple[int, Equipment]]:
    """(position, kind) of each equipment named, in order; the most specific kind claims the words."""
    found: list[tuple[int, Equipment]] = []
    taken: list[tuple[int, int]] = []
    for kind in lexicon.EQUIPMENT:
        for match in kind.pattern.finditer(words):
            span = match.span()
            # "heat pump" is not also a "pump": the more specific kind claims the words first.
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            taken.append(span)
            found.append((span[0], kind))
    return sorted(found, key=lambda item: item[0])


def _equipment_in(words: str) -> tuple[Equipment, ...]:
    ordered: list[Equipment] = []
    for _, kind in equipment_mentions(words):
        if kind not in ordered:
            ordered.append(kind)
    return tuple(ordered)


def _age(words: str, equipment: Sequence[Equipment], year: int | None) -> int | None:
    for pattern in _AGE_RES:
        match = pattern.search(words)
        if match and not _CONDITIONAL_RE.search(words[: match.start()]):
            value = parse_number(match.group("n"))
            if value is not None and 0 < value <= MAX_AGE_YEARS:
                return int(value)
    if year is not None and (equipment or _EQUIPMENT_OR_IT_RE.search(words)):
        match = _YEAR_RE.search(words)
        if match:
            age = year - int(match.group("y"))
            if 0 < age <= MAX_AGE_YEARS:
                return age
    return None


def _repairs(words: str) -> int | None:
    for pattern in _REPAIR_COUNT_RES:
        match = pattern.search(words)
        if not match:
            continue
        if match.groupdict().get("o"):
            count: float | None = parse_ordinal(match.group("o"))
        else:
            count = parse_number(match.group("n"))
        if count is not None and 2 <= count <= 50:
            return int(count)
    return None


def _units(words: str) -> int | None:
    for pattern in _UNITS_RES:
        for match in pattern.finditer(words):
            value = parse_number(match.group("n"))
            if value is not None and 2 <= value <= MAX_UNITS and value == int(value):
                return int(value)
    return None


def amounts_in(words: str) -> list[float]:
    """USD amounts said in a sentence: "$2,000", "fourteen hundred dollars", "between seven and
    eleven thousand" (both ends). Bare numbers count only with a scale word or in a money context."""
    found: list[float] = []
    money_context = bool(_MONEY_WORDS_RE.search(words))
    for quantity in text.numbers(words):
        if quantity.unit == "USD":
            found.append(quantity.value)
        elif quantity.unit is None and money_context and quantity.value >= 100 and "," not in quantity.text:
            if re.search(r"hundred|thousand|grand|\d{3,}", quantity.text, re.I) and not re.fullmatch(
                r"(?:19|20)\d\d", quantity.text
            ):
                found.append(quantity.value)
    for match in _GRAND_RE.finditer(words):
        value = parse_number(match.group("n"))
        if value is not None:
            found.append(value * 1000.0)
    for match in _RANGE_RE.finditer(words):
        low = parse_number(match.group("a"))
        if low is not None:
            found.append(low * _SCALES[match.group("scale").lower()])
    return sorted(set(found))


def sentence_facts(sentence: Sentence, *, year: int | None) -> SentenceFacts:
    words = sentence.text
    equipment = _equipment_in(words)
    amounts = tuple(Amount(usd, sentence, bool(_BILL_RE.search(words))) for usd in amounts_in(words))
    return SentenceFacts(
        sentence=sentence,
        equipment=equipment,
        age_years=_age(words, equipment, year),
        repair_count=_repairs(words),
        repeated_repairs=bool(_REPEATED_RE.search(words)),
        unit_count=_units(words),
        amounts=amounts,
    )


@dataclass(frozen=True)
class CallFacts:
    """Facts of the whole call. Conflicting ages keep the largest (a unit "at least fifteen years
    old" and "from 2008" are the same unit; the older figure is the one people correct towards)."""

    by_sentence: tuple[SentenceFacts, ...]
    age_years: int | None
    repair_count: int | None
    repeated_repairs: bool
    unit_count: int | None
    job_equipment: tuple[Equipment, ...]

    def of(self, sentence: Sentence) -> SentenceFacts:
        return self.by_sentence[sentence.index]

    def evidence(self, *, age: bool = False, repairs: bool = False, units: bool = False) -> list[Sentence]:
        out = []
        for facts in self.by_sentence:
            if (
                (age and facts.age_years is not None and facts.age_years == self.age_years)
                or (repairs and (facts.repair_count is not None or facts.repeated_repairs))
                or (units and facts.unit_count is not None and facts.unit_count == self.unit_count)
            ):
                out.append(facts.sentence)
        return out

    def most_mentioned_equipment(self, *, exclude: Iterable[str] = ()) -> Equipment | None:
        excluded = set(exclude) | GENERIC_EQUIPMENT
        counts = Counter(e for f in self.by_sentence for e in f.equipment if e.key not in excluded)
        for kind in self.job_equipment:
            if kind.key not in excluded:
                counts[kind] += 2  # the job title names what the visit is about
        if not counts:
            return None
        return max(counts.items(), key=lambda item: (item[1], -lexicon.EQUIPMENT.index(item[0])))[0]


def call_facts(call: Call) -> CallFacts:
    year = call.context.call_date.year if call.context.call_date else None
    return aggregate(
        tuple(sentence_facts(s, year=year) for s in call.sentences), job_title=call.context.job_title
    )


def aggregate(by_sentence: tuple[SentenceFacts, ...], *, job_title: str) -> CallFacts:
    """The call's facts from its sentences' (a live call adds sentences as they arrive)."""
    ages = [f.age_years for f in by_sentence if f.age_years is not None and f.age_years >= 1]
    repairs = [f.repair_count for f in by_sentence if f.repair_count is not None]
    units = [f.unit_count for f in by_sentence if f.unit_count is not None]
    return CallFacts(
        by_sentence=by_sentence,
        age_years=max(ages) if ages else None,
        repair_count=max(repairs) if repairs else None,
        repeated_repairs=bool(repairs) or any(f.repeated_repairs for f in by_sentence),
        unit_count=int(statistics.median_high(units)) if units else None,
        job_equipment=_equipment_in(job_title),
    )
