"""Grammar by construction for generated sentences: counts with their nouns and verbs agreeing,
numbers under eleven in words, dates as a reader writes them, record phrases fitted into a
sentence (lower-cased only where that is safe, verb-led phrases told from noun phrases), and
lists joined with commas and "and".

Every sentence the writer and the refiner build goes through these slots, so that no template
plural ("risk(s)") and no broken agreement ("1 requirements are") reaches a reader."""

from __future__ import annotations

import re
from collections.abc import Iterable
from datetime import date

_SMALL = ("zero", "one", "two", "three", "four", "five", "six", "seven", "eight", "nine", "ten")
_IRREGULAR = {"person": "people", "analysis": "analyses", "criterion": "criteria", "child": "children"}
_MONTHS = (
    "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
    "November", "December",
)  # fmt: skip


def number_word(n: int) -> str:
    """'four', '12', '1,200': words up to ten, as house style for prose has it."""
    return _SMALL[n] if 0 <= n <= 10 else f"{n:,}"


def plural(noun: str) -> str:
    """The plural of a noun phrase: its last word inflected ('must-have requirement' → '...s')."""
    head, _, last = noun.rpartition(" ")
    lower = last.lower()
    if lower in _IRREGULAR:
        inflected = _IRREGULAR[lower]
    elif re.search(r"[^aeiou]y$", lower):
        inflected = last[:-1] + "ies"
    elif re.search(r"(s|x|z|ch|sh)$", lower):
        inflected = last + "es"
    else:
        inflected = last + "s"
    return f"{head} {inflected}" if head else inflected


def count(n: int, noun: str) -> str:
    """'one risk', 'four risks', '12 requirements'."""
    return f"{number_word(n)} {noun if n == 1 else plural(noun)}"


def agree(n: int, singular: str, plural_form: str) -> str:
    """The verb form that agrees with a count: agree(2, 'is', 'are') → 'are'."""
    return singular if n == 1 else plural_form


def long_date(value: date) -> str:
    return f"{value.day} {_MONTHS[value.month - 1]} {value.year}"


def join_words(items: Iterable[str], conjunction: str = "and") -> str:
    words = [item for item in items if item]
    if len(words) <= 1:
        return "".join(words)
    return f"{', '.join(words[:-1])} {conjunction} {words[-1]}"


def with_article(noun: str) -> str:
    """'a project manager', 'an integration engineer', 'a QA engineer', 'an SAP consultant'."""
    first = noun.split(" ", 1)[0]
    if first.isupper() and len(first) > 1:  # read letter by letter
        vowel_sound = first[0] in "AEFHILMNORSX"
    else:
        lower = first.lower()
        vowel_sound = lower[:1] in "aeiou" and not lower.startswith(("uni", "use", "usu", "one", "eu"))
    return f"{'an' if vowel_sound else 'a'} {noun}"


def capitalise(value: str) -> str:
    return value[:1].upper() + value[1:]


def sentence(value: str) -> str:
    """A capitalised sentence with exactly one full stop (or its own ! ? : ending)."""
    value = value.strip()
    if not value:
        return ""
    value = capitalise(value)
    return value if value[-1] in ".!?" else f"{value.rstrip(',;:')}."


def clause(value: str) -> str:
    """A record line fitted to stand inside a sentence: trailing full stop dropped."""
    return value.strip().rstrip(".;:").strip()


# After a lower-case word, a comma or an opening bracket: not after "Label:", which starts a line.
_MID_SENTENCE_CAPITAL_RE = re.compile(r"(?<=[a-z,;(] )([A-Z][a-z]+)")


def proper_nouns(texts: Iterable[str]) -> frozenset[str]:
    """Words the record capitalises in mid-sentence: names that must keep their capital."""
    found: set[str] = set()
    for value in texts:
        found.update(_MID_SENTENCE_CAPITAL_RE.findall(value))
    return frozenset(found)


def lower_first(phrase: str, names: frozenset[str] = frozenset()) -> str:
    """'Cut route planning time' → 'cut route planning time', but 'SAP team', 'Acme Logistics'
    and any word the record capitalises in mid-sentence keep their capital."""
    phrase = phrase.strip()
    first, _, rest = phrase.partition(" ")
    if not first[:1].isupper() or (first[1:] and not first[1:].islower()):
        return phrase  # all caps or inner capitals: an acronym or a brand
    if first.rstrip(",.:;") in names:
        return phrase
    following = rest.split(" ", 1)[0] if rest else ""
    if following[:1].isupper() and following[1:2].islower():
        return phrase  # "Dana Ruiz", "Acme Logistics": a multi-word name
    return first[:1].lower() + first[1:] + (f" {rest}" if rest else "")


# Verbs that open objectives and benefits ("Cut ...", "Give customers ...", "Save $300k ..."):
# such a phrase fits after "to"; any other is a noun phrase ("Fewer customer complaints").
_VERBS = frozenset(
    """accelerate achieve add adopt align allow attract automate avoid boost bring build capture centralise
    centralize close comply connect consolidate convert create cut decrease deliver deploy develop digitise
    digitize double drive earn eliminate enable end ensure enter establish expand extend free gain generate
    give grow halve help hire implement improve increase integrate introduce keep launch lift lower maintain
    make meet migrate minimise minimize modernise modernize move offer onboard open optimise optimize prevent
    protect provide raise reach reduce remove replace resolve retain retire roll run save scale secure sell
    serve shift shorten simplify speed standardise standardize start stop streamline strengthen support
    track train transform triple unify upgrade win""".split()
)


def is_verb_led(phrase: str) -> bool:
    first = phrase.strip().split(" ", 1)[0].lower().strip(",.:;")
    return first in _VERBS


def to_phrase(phrase: str, names: frozenset[str] = frozenset()) -> str:
    """A verb-led phrase after 'to' ('to cut route planning time by 50%'); a noun phrase after
    'to bring' ('to bring fewer customer complaints')."""
    fitted = lower_first(clause(phrase), names)
    return f"to {fitted}" if is_verb_led(phrase) else f"to bring {fitted}"
