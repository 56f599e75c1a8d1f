"""Text analytics for transcripts and written answers: plain strings in, frozen dataclasses out.

Everything here is deterministic and local (regex rules, YAKE, VADER, phonenumbers): the `local`
LLM provider is built from these functions, and `redact_pii` runs before any text leaves for an
external LLM.
"""

from __future__ import annotations

import functools
import math
import re
import threading
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Literal

import phonenumbers
import yake
from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

__all__ = [
    "Filler",
    "Quantity",
    "Sentiment",
    "StarAnalysis",
    "filler_ratio",
    "find_fillers",
    "keywords",
    "numbers",
    "questions",
    "redact_pii",
    "remove_fillers",
    "sentence_sentiments",
    "sentences",
    "sentiment",
    "similarity",
    "star_structure",
    "talk_listen_ratio",
    "talk_to_listen",
    "tokenize_words",
    "word_count",
]


# --------------------------------------------------------------------------------------------
# Tokens and sentences
# --------------------------------------------------------------------------------------------

# A word keeps inner apostrophes, hyphens and digit separators together ("don't", "well-known",
# "20,000", "2.5") so word counts match what a reader would count.
_WORD = r"[^\W_]+(?:[.,'\-][^\W_]+)*"
_WORD_RE = re.compile(_WORD)
# Fillers are decided by their neighbours, punctuation included ("was, like, really").
_TOKEN_RE = re.compile(rf"{_WORD}|[^\w\s]")
_CLAUSE_PUNCT = frozenset(".,!?;:…—–-")
_SENTENCE_END_PUNCT = frozenset(".!?…")


def _normalize(text: str) -> str:
    # Transcribers and word processors emit curly apostrophes; the lexicons below use ASCII.
    return text.replace("\u2019", "'").replace("\u2018", "'")


def tokenize_words(text: str) -> list[str]:
    """Words in reading order, original case, punctuation dropped."""
    return _WORD_RE.findall(_normalize(text))


def word_count(text: str) -> int:
    return len(tokenize_words(text))


@dataclass(frozen=True)
class _Token:
    text: str  # lower-cased
    raw: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()


def _tokens(text: str) -> list[_Token]:
    normalized = _normalize(text)
    return [_Token(m.group().lower(), m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(normalized)]


_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st vs etc e.g i.e eg ie inc ltd co corp approx dept fig no est "
    "u.s u.k a.m p.m jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_SENTENCE_BREAK_RE = re.compile(r"[.!?…]+[\"')\]\u201d]*(?=\s|$)|\n+")


def sentences(text: str) -> list[str]:
    """Split on terminal punctuation and line breaks, not after common abbreviations.

    Transcripts often come one segment per line and without punctuation, so a line break always
    ends a sentence.
    """
    out: list[str] = []
    start = 0
    for match in _SENTENCE_BREAK_RE.finditer(text):
        if match.group()[0] == ".":
            preceding = text[start : match.start()].split()
            last = preceding[-1].lower().lstrip("(\"'") if preceding else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
        piece = text[start : match.end()].strip()
        if piece:
            out.append(piece)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


# --------------------------------------------------------------------------------------------
# Fillers
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Filler:
    """One filler occurrence; `word` is the lower-cased text of the span `text[start_char:end_char]`."""

    word: str
    start_char: int
    end_char: int


# Hesitation sounds with their stretched spellings (umm, uhh, erm, hmmm); "uh-huh" and "mm-hmm"
# are single hyphenated tokens, so these backchannels never match.
_HESITATION_RE = re.compile(r"u+h*m+|u+h+|e+r+m*|e+h+|a+h+|h+m+")

_SUBJECT_PRONOUNS = frozenset("i you we they people who".split())
_MODALS_AND_AUX = frozenset(
    "would i'd you'd we'd they'd he'd she'd 'd do does did don't doesn't didn't to will won't "
    "wouldn't might may could should can cannot can't must really also always never still "
    "genuinely truly not".split()
)
_SIMILARITY_BEFORE = frozenset(
    "look looks looked looking sound sounds sounded seem seems seemed feel feels felt feeling "
    "taste tastes smell smells act acts acted behave behaves something anything nothing "
    "everything things stuff more much just exactly lot most alike".split()
)
_LITERAL_BEFORE_LIKE = _SUBJECT_PRONOUNS | _MODALS_AND_AUX | _SIMILARITY_BEFORE
_BE_FORMS = frozenset(
    "am is are was were be been being i'm he's she's it's that's they're we're you're there's".split()
)
_DETERMINERS = frozenset(
    "a an the this that these those my your his her our their its any some each every".split()
)
# What starts the thing compared in a literal "like" ("like one of those", "like when you ...").
_COMPARISON_STARTS = _DETERMINERS | frozenset(
    "one someone somebody something anything nothing everything everyone when if".split()
)
_NUMBER_WORDS = {
    "zero": 0, "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7,
    "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12, "thirteen": 13, "fourteen": 14,
    "fifteen": 15, "sixteen": 16, "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70, "eighty": 80, "ninety": 90,
    "hundred": 100, "dozen": 12, "half": 0.5,
}  # fmt: skip
# What follows a filler "like": a degree word, a number (approximation), another hesitation.
_AFTER_FILLER_LIKE = frozenset(
    "really so very totally super literally just kind sort kinda sorta basically actually "
    "honestly seriously completely absolutely pretty way oh wow yeah no okay ok maybe "
    "probably almost".split()
) | (frozenset(_NUMBER_WORDS) - {"one"})
_KNOW_OBJECTS = frozenset(
    "what that how why where who when whether if about the a an him her them it this these those "
    "me us everything nothing something anything more better much".split()
)
_BEFORE_LITERAL_KNOW = frozenset(
    "do did don't didn't does doesn't if as would will can could should may might let to that "
    "because want what".split()
)
_BEFORE_LITERAL_MEAN = frozenset("what which do did don't didn't does doesn't if".split())
_SORT_OF_DETERMINERS = _DETERMINERS | frozenset(
    "what which one same different other another no all whatever right wrong new".split()
)


def _is_boundary(token: _Token | None) -> bool:
    return token is None or token.text in _CLAUSE_PUNCT


def _is_digits(token: _Token | None) -> bool:
    return token is not None and token.text[0].isdigit()


def _like_is_filler(prev: _Token | None, nxt: _Token | None) -> bool:
    """Rules for "like", first match wins.

    1. Set off on both sides ("was, like, really"; "Like, whatever") -> filler, unless the word
       before makes it a verb or comparison ("I like, ...", "looks like, um").
    2. After a comma, before a degree word / number / hesitation ("hard, like really") -> filler.
    3. After a form of "be": quotative or approximator ("I was like", "that's like 20 min") ->
       filler, except a comparison with a noun phrase ("it was like a dream", "it's like Python",
       "it's like having ...").
    4. After a subject, modal/auxiliary or similarity word ("I like", "would like", "looks like",
       "something like") -> the verb or preposition, not a filler.
    5. Before a degree word, number or hesitation ("took like two weeks") -> filler.
    6. Otherwise a preposition ("works like a queue", "like I said") -> not a filler.
    """
    prev_text = prev.text if prev is not None else None
    next_is_boundary = nxt is None or nxt.text in _CLAUSE_PUNCT
    if _is_boundary(prev) and next_is_boundary and prev_text not in _LITERAL_BEFORE_LIKE:
        return True
    if prev_text == "," and nxt is not None and (nxt.text in _AFTER_FILLER_LIKE or _is_digits(nxt)):
        return True
    if prev_text in _BE_FORMS:
        if nxt is None or next_is_boundary:
            return True
        is_proper_noun = nxt.raw[0].isupper() and nxt.text != "i"
        return not (nxt.text in _COMPARISON_STARTS or is_proper_noun or nxt.text.endswith("ing"))
    if prev_text in _LITERAL_BEFORE_LIKE:
        return False
    return nxt is not None and (
        nxt.text in _AFTER_FILLER_LIKE or _is_digits(nxt) or bool(_HESITATION_RE.fullmatch(nxt.text))
    )


def find_fillers(text: str) -> list[Filler]:
    """Filler words and phrases in `text`, in order, with character offsets into `text`.

    Rules (context from the neighbouring tokens, punctuation included):
    - hesitations um/uh/er/ah/hmm and stretched variants (umm, uhh, uhm, erm, ahh, hmmm): always.
    - "basically": always (a discourse marker in speech).
    - "actually": only as a discourse marker, i.e. clause-initial or set off by commas
      ("Actually, ...", "it was, actually, fine"), not "what actually happened".
    - "you know": not after do/if/as/let/to ... ("do you know", "let you know") and not before an
      object ("you know the answer", "you know what"); otherwise a filler.
    - "I mean": not after what/do/if ("what I mean is") and not before to/that/what or a final
      "it" ("I mean to", "I mean that we ...", "I mean it."); otherwise a filler.
    - "kind of"/"sort of"/"kinda"/"sorta": a hedge unless a determiner precedes it ("a kind of",
      "what sort of", "the same kind of").
    - "like": see `_like_is_filler` (filler in "it was, like, really hard", "I was like"; not in
      "I like Python", "looks like", "like a queue", "would like", "something like X").
    """
    tokens = _tokens(text)
    found: list[Filler] = []

    def add(first: int, last: int) -> None:
        start, end = tokens[first].start, tokens[last].end
        found.append(Filler(text[start:end].lower(), start, end))

    def at(index: int) -> _Token | None:
        return tokens[index] if 0 <= index < len(tokens) else None

    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not token.is_word:
            i += 1
            continue
        word = token.text
        prev, nxt = at(i - 1), at(i + 1)
        prev_text = prev.text if prev is not None else None
        next_text = nxt.text if nxt is not None else None
        if _HESITATION_RE.fullmatch(word) or word == "basically":
            add(i, i)
        elif word == "actually":
            if _is_boundary(prev) or next_text in {",", ".", "!", "?", None}:
                add(i, i)
        elif word == "you" and next_text == "know":
            after = at(i + 2)
            literal = prev_text in _BEFORE_LITERAL_KNOW or (after is not None and after.text in _KNOW_OBJECTS)
            if not literal:
                add(i, i + 1)
            i += 2
            continue
        elif word == "i" and next_text == "mean":
            after, after2 = at(i + 2), at(i + 3)
            after_text = after.text if after is not None else None
            final_it = after_text == "it" and _is_boundary(after2)
            literal = prev_text in _BEFORE_LITERAL_MEAN or after_text in {"to", "that", "what"} or final_it
            if not literal:
                add(i, i + 1)
            i += 2
            continue
        elif word in {"kind", "sort"} and next_text == "of":
            if prev_text not in _SORT_OF_DETERMINERS:
                add(i, i + 1)
            i += 2
            continue
        elif word in {"kinda", "sorta"}:
            if prev_text not in _SORT_OF_DETERMINERS:
                add(i, i)
        elif word == "like":
            if _like_is_filler(prev, nxt):
                add(i, i)
        i += 1
    return found


def filler_ratio(text: str) -> float:
    """Fillers / words (a two-word filler such as "you know" counts once); 0.0 for empty text."""
    words = word_count(text)
    return len(find_fillers(text)) / words if words else 0.0


_COMMA_AFTER_RE = re.compile(r"\s*,")
_COMMA_BEFORE_RE = re.compile(r",\s*$")
_SENTENCE_END_AFTER_RE = re.compile(r"\s*(?:[.!?…]|$)")
_SPACE_BEFORE_PUNCT_RE = re.compile(r"\s+([.,!?;:…])")


def remove_fillers(text: str) -> str:
    """`text` without its fillers (see `find_fillers`), whitespace collapsed: for summaries and
    keyword extraction, where "um" and a filler "like" are noise. The commas that set a filler
    off go with it ("it was, like, hard" -> "it was hard"; "Um, I think" -> "I think") unless
    the first closes a clause ("When I was at Acme, um, we" -> "When I was at Acme, we")."""
    spans: list[tuple[int, int]] = []
    for filler in find_fillers(text):
        start, end = filler.start_char, filler.end_char
        comma_after = _COMMA_AFTER_RE.match(text, end)
        comma_before = _COMMA_BEFORE_RE.search(text, 0, start)
        if comma_after:
            end = comma_after.end()
            if comma_before:
                # "When I was at Acme, um, our ..." keeps the clause's comma; "It was, like, hard"
                # had commas only for the filler.
                clause = re.split(r"[,.;:!?\n]", text[: comma_before.start()])[-1]
                start = comma_before.start() + 1 if len(clause.split()) >= 3 else comma_before.start()
        elif comma_before and _SENTENCE_END_AFTER_RE.match(text, end):
            start = comma_before.start()
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    pieces: list[str] = []
    cursor = 0
    for start, end in spans:
        pieces.append(text[cursor:start])
        cursor = end
    pieces.append(text[cursor:])
    return _SPACE_BEFORE_PUNCT_RE.sub(r"\1", " ".join(" ".join(pieces).split()))


# --------------------------------------------------------------------------------------------
# Questions
# --------------------------------------------------------------------------------------------

_LEADING_DISCOURSE = frozenset("so and but okay ok well now then also alright right um uh oh hey".split())
_WH_WORDS = frozenset("what why how when where who which whose whom".split())
_WH_CONTRACTIONS = frozenset("what's how's where's who's when's why's what're who're".split())
_QUESTION_AUX = frozenset(
    "is are was were do does did can could would will should shall have has had may might must "
    "isn't aren't wasn't weren't doesn't didn't won't wouldn't can't couldn't shouldn't haven't "
    "hasn't am".split()
)
_QUESTION_SUBJECTS = frozenset(
    "i you we they he she it there this that the a an your my our their his her its anyone anybody "
    "someone somebody everyone everybody any these those people".split()
)
# "Do it now" and "Do the dishes" are orders, not questions.
_DO_QUESTION_SUBJECTS = frozenset("i you we they he she your our their my his her people anyone".split())


def _is_question(sentence: str) -> bool:
    if sentence.rstrip().rstrip("\"')\u201d").endswith("?"):
        return True
    words = [w.lower() for w in tokenize_words(_normalize(sentence))]
    while words and words[0] in _LEADING_DISCOURSE:
        words = words[1:]
    if not words:
        return False
    first = words[0]
    second = words[1] if len(words) > 1 else ""
    if first in _WH_CONTRACTIONS:
        return True
    if first in _WH_WORDS:
        if second in _QUESTION_AUX or second == "about":
            return True
        if first == "how" and second in {"many", "much", "long", "often", "far", "come", "soon"}:
            return True
        if first == "why" and second in {"not", "don't", "didn't"}:
            return True
        # "Who led it" asks; "What I did was ..." tells.
        return first in {"who", "which", "whose"} and second not in _SUBJECT_PRONOUNS and bool(second)
    if first in {"do", "don't"}:
        return second in _DO_QUESTION_SUBJECTS
    return first in _QUESTION_AUX and second in _QUESTION_SUBJECTS


def questions(text: str) -> list[str]:
    """Sentences that ask something: ending in '?', or opening like a question when the
    transcript has no punctuation ("what would you do differently", "can you walk me ...").

    Openers: a wh-word followed by an auxiliary ("what did", "how would", "what's"), "how
    many/much/long", or an auxiliary followed by a subject ("can you", "is there", "do we").
    "What I did was ..." and "Do it now" are not questions.
    """
    return [s for s in sentences(text) if _is_question(s)]


# --------------------------------------------------------------------------------------------
# Numbers the speaker stated
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# STAR structure
# --------------------------------------------------------------------------------------------


@dataclass(frozen=True)
class StarAnalysis:
    """Which parts of Situation-Task-Action-Result an answer covers.

    `evidence` maps each component ("situation", "task", "action", "result") to the sentences
    that matched it; `has_metrics` is true when a result sentence states a number; `score` in 0..1
    weighs situation 0.2, task 0.2, action 0.25, result 0.25, quantified result 0.1.
    """

    situation: bool
    task: bool
    action: bool
    result: bool
    evidence: dict[str, list[str]] = field(default_factory=dict)
    has_metrics: bool = False
    score: float = 0.0


_STAR_WEIGHTS = {"situation": 0.2, "task": 0.2, "action": 0.25, "result": 0.25}
_METRICS_WEIGHT = 0.1

_SITUATION_RE = re.compile(
    r"\b(?:when i was|while i was|while working|at my (?:last|previous|current|old|first) "
    r"(?:job|company|role|team|employer|position)|in my (?:last|previous|current|old|first) "
    r"(?:job|company|role|team|position)|(?:the|our) (?:situation|context|background|problem|issue) "
    r"(?:was|is)|we were (?:facing|dealing|struggling|experiencing|having)|our team was|there was a"
    r"|back in (?:19|20)\d\d|last (?:year|quarter|month|summer)|a few (?:years|months) ago"
    r"|i was working (?:at|on|as)|i worked (?:at|as)|during (?:a|an|the|my)|one time"
    r"|(?:the|a) (?:project|client|customer) (?:was|had)|we had (?:a|an)|the company was)\b",
    re.IGNORECASE,
)
_TASK_RE = re.compile(
    r"\b(?:my (?:task|goal|job|role|responsibility|objective|mission|assignment) (?:was|is)"
    r"|i was (?:responsible|tasked|asked|assigned|expected|supposed|in charge|charged|hired)"
    r"|i (?:needed|had|wanted) to|we (?:needed|had) to|(?:the|our) (?:goal|task|objective|challenge|"
    r"target|aim|requirement) (?:was|is)|i was (?:given|put in charge)|it was (?:my|up to me)"
    r"|in charge of|my role|i owned|i had ownership)\b",
    re.IGNORECASE,
)
_ACTION_VERBS = (
    "analyzed analysed automated built changed coached collaborated communicated convinced "
    "coordinated created debugged decided delegated deployed designed developed documented drove "
    "escalated established facilitated fixed gathered hired identified implemented improved "
    "initiated interviewed introduced investigated launched led mapped mentored met migrated "
    "monitored negotiated optimized optimised organized organised paired persuaded planned "
    "presented prioritized prioritised profiled proposed prototyped rebuilt redesigned refactored "
    "reached replaced researched resolved restructured reviewed rewrote ran scheduled set shipped "
    "simplified spoke started streamlined suggested talked tested trained tracked wrote"
)
_ACTION_RE = re.compile(
    r"\b(?:i|we)\s+(?:\w+ly\s+|then\s+|also\s+|first\s+|immediately\s+)?(?:"
    + "|".join(_ACTION_VERBS.split())
    + r")\b"
    r"|\b(?:i|we) (?:decided|chose|started by|began by|took the (?:initiative|lead))\b"
    r"|\b(?:so|first|then|next|after that|finally),? (?:i|we) (?:\w+ed|built|ran|wrote|led|set|met|spoke|"
    r"drove|took|made|went|got|sent|brought|put|sat|began|chose|found|gave|kept|told|thought through)\b",
    re.IGNORECASE,
)
_RESULT_RE = re.compile(
    r"\b(?:as a result|resulted in|result(?:s)? (?:was|were)|the outcome|in the end|ultimately"
    r"|which (?:led|meant|allowed|helped|saved|reduced|increased|improved|cut)|this (?:led|meant|allowed|"
    r"helped|saved|reduced|increased|improved|cut)|(?:reduced|increased|improved|saved|cut|grew|boosted|"
    r"doubled|tripled|halved|lowered|raised|decreased|dropped|achieved|exceeded|delivered|shipped|won|"
    r"hit|reached|accomplished)\b|went from|was (?:delivered|completed|launched|a success|successful)"
    r"|on time|under budget|ahead of schedule|i learned|we learned|lesson|feedback was|got promoted"
    r"|the impact)",
    re.IGNORECASE,
)


def star_structure(text: str) -> StarAnalysis:
    """Detect STAR components with cue-phrase lexicons per component, first-person action verbs
    ("I built", "we migrated", "so I ...") and quantified outcomes (see `numbers`)."""
    evidence: dict[str, list[str]] = {name: [] for name in _STAR_WEIGHTS}
    has_metrics = False
    for sentence in sentences(text):
        normalized = _normalize(sentence)
        if _SITUATION_RE.search(normalized):
            evidence["situation"].append(sentence)
        if _TASK_RE.search(normalized):
            evidence["task"].append(sentence)
        if _ACTION_RE.search(normalized):
            evidence["action"].append(sentence)
        if _RESULT_RE.search(normalized):
            evidence["result"].append(sentence)
            if any(q.unit != "calendar_year" for q in numbers(sentence)):
                has_metrics = True
    present = {name: bool(found) for name, found in evidence.items()}
    score = sum((weight for name, weight in _STAR_WEIGHTS.items() if present[name]), 0.0)
    if has_metrics:
        score += _METRICS_WEIGHT
    return StarAnalysis(
        situation=present["situation"],
        task=present["task"],
        action=present["action"],
        result=present["result"],
        evidence=evidence,
        has_metrics=has_metrics,
        score=round(min(score, 1.0), 4),
    )


# --------------------------------------------------------------------------------------------
# Keywords, sentiment, similarity
# --------------------------------------------------------------------------------------------

_STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
    don't down during each few for from further had hadn't has hasn't have haven't having he he'd
    he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into
    is isn't it it's its itself let's me more most mustn't my myself no nor not of off on once only
    or other ought our ours ourselves out over own same shan't she she'd she'll she's should
    shouldn't so some such than that that's the their theirs them themselves then there there's
    these they they'd they'll they're they've this those through to too under until up very was
    wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while
    who who's whom why why's will with won't would wouldn't you you'd you'll you're you've your
    yours yourself yourselves also just really like get got go going went one would could thing
    things lot um uh yeah okay ok well""".split()
)


# Single words YAKE ranks high for position or frequency that say nothing about the topic.
_GENERIC_WORDS = (
    frozenset(_DURATION_UNITS)
    | frozenset(_NUMBER_WORDS)
    | frozenset(
        """result results task situation action time times way people today yesterday tomorrow bit
        make made get got put take took give gave reach say said tell told think thought want wanted
        need needed know knew see saw come came start started end ended call called""".split()
    )
)
_EMAIL_RE = re.compile(r"(?<![\w.+-])[\w.+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,}\b")
_URL_RE = re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)


@functools.lru_cache(maxsize=4)
def _keyword_extractor(candidates: int) -> tuple[yake.KeywordExtractor, threading.Lock]:
    # The extractor reads its stopword file on construction and memoises similarities between
    # calls, so one per size is kept and calls on it are serialised.
    return yake.KeywordExtractor(lan="en", n=3, dedup_lim=0.9, top=candidates), threading.Lock()


def stem(word: str) -> str:
    """A light suffix stripper so "migration"/"migrations" and "tested"/"testing" meet."""
    word = word.lower().removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word


def keywords(text: str, *, top: int = 10) -> list[str]:
    """Key phrases (1-3 words) by YAKE, fillers removed first, lower-cased and de-duplicated:
    phrases with an inner stopword ("percent and saved") and phrases whose stemmed words all
    appear in a better-ranked phrase are dropped."""
    if top <= 0:
        return []
    # Addresses would come back as "gmail.com"-style key phrases.
    cleaned = _URL_RE.sub(" ", _EMAIL_RE.sub(" ", remove_fillers(text)))
    if not cleaned.strip():
        return []
    extractor, lock = _keyword_extractor(top * 3 + 5)
    with lock:
        ranked = extractor.extract_keywords(cleaned)
    kept: list[str] = []
    kept_stems: list[frozenset[str]] = []
    for phrase, _score in ranked:
        words = phrase.lower().split()
        if any(w in _STOPWORDS for w in words) or all(not any(c.isalpha() for c in w) for w in words):
            continue
        if len(words) == 1 and words[0] in _GENERIC_WORDS:
            continue
        stems = frozenset(stem(w) for w in words)
        if any(stems <= other for other in kept_stems):
            continue
        kept.append(" ".join(words))
        kept_stems.append(stems)
        if len(kept) == top:
            break
    return kept


@dataclass(frozen=True)
class Sentiment:
    """VADER compound score in -1..1; label by VADER's conventional +-0.05 thresholds."""

    compound: float
    label: Literal["positive", "neutral", "negative"]


@functools.lru_cache(maxsize=1)
def _vader() -> SentimentIntensityAnalyzer:
    # Loading the lexicon takes ~0.1 s; scoring is read-only and safe to share between threads.
    return SentimentIntensityAnalyzer()


def _sentiment_of(compound: float) -> Sentiment:
    label: Literal["positive", "neutral", "negative"]
    if compound >= 0.05:
        label = "positive"
    elif compound <= -0.05:
        label = "negative"
    else:
        label = "neutral"
    return Sentiment(round(compound, 4), label)


def sentiment(text: str) -> Sentiment:
    """Whole-text sentiment. For long texts VADER's compound saturates toward +-1, so callers
    wanting a per-passage view should use `sentence_sentiments`."""
    if not text.strip():
        return Sentiment(0.0, "neutral")
    return _sentiment_of(_vader().polarity_scores(text)["compound"])


def sentence_sentiments(text: str) -> list[tuple[str, Sentiment]]:
    """(sentence, sentiment) for each sentence, in order."""
    analyzer = _vader()
    return [(s, _sentiment_of(analyzer.polarity_scores(s)["compound"])) for s in sentences(text)]


def _term_vector(text: str) -> Counter[str]:
    return Counter(
        stem(w) for w in tokenize_words(text) if w.lower() not in _STOPWORDS and any(c.isalnum() for c in w)
    )


def similarity(a: str, b: str) -> float:
    """Cosine similarity 0..1 of stemmed content-word counts (stopwords dropped), e.g. an answer
    against a question's key point. 0.0 when either side has no content words."""
    va, vb = _term_vector(a), _term_vector(b)
    if not va or not vb:
        return 0.0
    dot = sum(count * vb[term] for term, count in va.items() if term in vb)
    norm = math.sqrt(sum(c * c for c in va.values())) * math.sqrt(sum(c * c for c in vb.values()))
    return min(dot / norm, 1.0)


# --------------------------------------------------------------------------------------------
# Talk time
# --------------------------------------------------------------------------------------------


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


# --------------------------------------------------------------------------------------------
# PII
# --------------------------------------------------------------------------------------------


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
