"""Every sentence the local engine writes comes from a template with typed slots.

A slot takes one kind of thing: a noun phrase (a metric), a list of them, an amount as the founder
wrote it, a date phrase, a verbatim quote, a count, or a whole sentence already made. Verbs agree
with the slot they name (`{metrics:stays|stay}`), lists are joined with commas and "and", and the
result is capitalised and closed, so nothing is glued from fragments: a value that is not what its
slot takes ("to" as a metric, a trailing comma, an empty quote) is refused with `PhrasingError`
instead of producing a broken sentence. `problems()` is the check the tests run on every output.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Literal

Kind = Literal["sentence", "title", "phrase"]


class PhrasingError(ValueError):
    """A value that does not fit its slot."""


@dataclass(frozen=True)
class Noun:
    """A noun phrase: "active sellers", "MRR", "the number in your goal"."""

    text: str
    plural: bool = False


@dataclass(frozen=True)
class Nouns:
    """Noun phrases named together: "churn and NPS"; plural when more than one."""

    items: tuple[str, ...]


@dataclass(frozen=True)
class Amount:
    """A value as the founder wrote it ("$42k", "below 2% per month") or a relative one."""

    text: str


@dataclass(frozen=True)
class When:
    """A date phrase with its preposition: "by the end of Q2", "this year", "within a year"."""

    text: str


@dataclass(frozen=True)
class Quote:
    """The founder's words, verbatim; rendered in quotation marks."""

    text: str


@dataclass(frozen=True)
class Count:
    n: int


@dataclass(frozen=True)
class Verb:
    """A verb in its base form, opening a key result or objective: "Grow", "Reduce"."""

    text: str


@dataclass(frozen=True)
class Said:
    """A complete sentence or clause already made (a tidied quote, a rendered template)."""

    text: str


@dataclass(frozen=True)
class Words:
    """A short phrase that is neither a noun nor a sentence: "a number", "how you will get there"."""

    text: str


SlotValue = Noun | Nouns | Amount | When | Quote | Count | Verb | Said | Words

_DANGLING = re.compile(r"\b(?:to|of|from|by|at|in|on|for|with|the|a|an|and|or|but|as)$", re.I)


def _check_value(name: str, value: SlotValue) -> None:
    if isinstance(value, Count):
        if value.n < 0:
            raise PhrasingError(f"{name}: a count cannot be negative")
        return
    if isinstance(value, Nouns):
        if not value.items:
            raise PhrasingError(f"{name}: an empty list")
        for item in value.items:
            _check_value(name, Noun(item))
        return
    body = value.text.strip()
    if not body:
        raise PhrasingError(f"{name}: empty")
    if isinstance(value, Quote | Said):
        return  # the founder's words, or a sentence checked when it was made
    if body[-1] in ",;:-" or body[0] in ",;:.":
        raise PhrasingError(f"{name}: dangling punctuation in {body!r}")
    if isinstance(value, Noun | Verb | Words | When | Amount) and _DANGLING.search(body):
        raise PhrasingError(f"{name}: {body!r} ends in a word that needs a continuation")
    if isinstance(value, Amount) and not (re.search(r"\d|today's level", body) or _has_quantity(body)):
        raise PhrasingError(f"{name}: {body!r} is not an amount")
    if isinstance(value, Verb) and not re.fullmatch(r"[A-Za-z]+(?: [a-z]+)?", body):
        raise PhrasingError(f"{name}: {body!r} is not a verb")


def _has_quantity(body: str) -> bool:
    from review.ai.numbers import quantities

    return bool(quantities(body))


def join(items: tuple[str, ...] | list[str]) -> str:
    unique = list(dict.fromkeys(items))
    if len(unique) == 1:
        return unique[0]
    return f"{', '.join(unique[:-1])} and {unique[-1]}"


def _is_plural(value: SlotValue) -> bool:
    if isinstance(value, Nouns):
        return len(set(value.items)) > 1
    if isinstance(value, Noun):
        return value.plural
    if isinstance(value, Count):
        return value.n != 1
    raise PhrasingError("agreement needs a noun, a list or a count")


def _text(value: SlotValue) -> str:
    if isinstance(value, Nouns):
        return join(value.items)
    if isinstance(value, Count):
        return str(value.n)
    if isinstance(value, Quote):
        return f"“{value.text.strip()}”"
    return value.text.strip()


_SLOT = re.compile(r"\{(?P<name>\w+)(?::(?P<one>[^|}]*)\|(?P<many>[^}]*))?\}")


@dataclass(frozen=True)
class Template:
    name: str
    pattern: str
    slots: dict[str, type]
    kind: Kind = "sentence"
    optional: frozenset[str] = frozenset()

    def render(self, **values: SlotValue | None) -> str:
        unknown = set(values) - set(self.slots)
        if unknown:
            raise PhrasingError(f"{self.name}: unknown slots {sorted(unknown)}")
        for name, expected in self.slots.items():
            value = values.get(name)
            if value is None:
                if name not in self.optional:
                    raise PhrasingError(f"{self.name}: {name} is required")
                continue
            if not isinstance(value, expected):
                raise PhrasingError(
                    f"{self.name}: {name} takes {expected.__name__}, not {type(value).__name__}"
                )
            _check_value(f"{self.name}.{name}", value)

        out = self._fill(values, masked=False)
        # The founder's own words are quoted as they are (a typo there is theirs); what is
        # checked is everything the template put around them.
        issues = problems(self._fill(values, masked=True), self.kind)
        if issues:
            raise PhrasingError(f"{self.name}: {out!r}: {', '.join(issues)}")
        if _recorder is not None:
            _recorder.append((self.name, out))
        return out

    def _fill(self, values: dict[str, SlotValue | None], *, masked: bool) -> str:
        def fill(match: re.Match[str]) -> str:
            value = values.get(match.group("name"))
            if match.group("one") is not None:
                assert value is not None
                return match.group("many") if _is_plural(value) else match.group("one")
            if value is None:
                return ""
            if masked and isinstance(value, Quote):
                return "“Quoted words.”"
            if masked and isinstance(value, Said):
                return "Said words." if value.text.strip()[-1:] in ".!?" else "Said words"
            return _text(value)

        out = _SLOT.sub(fill, self.pattern)
        out = re.sub(r"\s{2,}", " ", out).strip()
        out = re.sub(r"\s+([,.;:)])", r"\1", out)
        out = out[0].upper() + out[1:]
        if self.kind == "sentence" and out.rstrip("”)")[-1] not in ".!?":
            out += "."
        if self.kind != "sentence":
            out = out.rstrip(".")
        return out


def problems(sentence: str, kind: Kind = "sentence") -> list[str]:
    """What makes a generated text unfit to show: the checks every template output passes."""
    found = []
    if not sentence:
        return ["empty"]
    if not (sentence[0].isupper() or sentence[0].isdigit() or sentence[0] in "“$€£"):
        found.append("does not start with a capital")
    if kind == "sentence" and sentence.rstrip("”)")[-1] not in ".!?":
        found.append("does not end with a full stop")
    if kind != "sentence" and sentence[-1] in ",;:":
        found.append("ends in punctuation")
    for bad, why in (
        (r",\s*[,.;]", "doubled punctuation"),
        (r"\s[,.;:]", "space before punctuation"),
        (r"\.\.(?!\.)", "double full stop"),
        (r"“\s*”", "empty quote"),
        (r"\{|\}", "unfilled slot"),
        (r"\s{2,}", "double space"),
        (r",\s*$", "dangling comma"),
        (r"\b(\w+) \1(?![\w-])", "repeated word"),
    ):
        if re.search(bad, sentence):
            found.append(why)
    return found


_recorder: list[tuple[str, str]] | None = None


@contextlib.contextmanager
def recording() -> Iterator[list[tuple[str, str]]]:
    """(template, text) of every render inside the block: what the template checks read."""
    global _recorder
    previous, _recorder = _recorder, []
    try:
        yield _recorder
    finally:
        _recorder = previous


TEMPLATES: dict[str, Template] = {}


def template(
    name: str, pattern: str, kind: Kind = "sentence", optional: tuple[str, ...] = (), **slots: type
) -> Template:
    made = Template(name, pattern, slots, kind, frozenset(optional))
    TEMPLATES[name] = made
    return made


def render(name: str, **values: SlotValue | None) -> str:
    return TEMPLATES[name].render(**values)


def tidy_quote(fragment: str) -> str:
    """A founder's clause shown as a sentence: fillers out, first letter up, one full stop."""
    from analysis.engines import text

    cleaned = text.remove_fillers(fragment).strip().strip(",;:-— ")
    cleaned = re.sub(r"\s+([,.;:])", r"\1", re.sub(r"\s{2,}", " ", cleaned))
    if not cleaned:
        cleaned = fragment.strip()
    cleaned = cleaned[0].upper() + cleaned[1:]
    cleaned = re.sub(r"\bi\b", "I", cleaned)
    cleaned = re.sub(r"\bi'(m|ve|ll|d)\b", r"I'\1", cleaned)
    return cleaned if cleaned[-1] in ".!?" else f"{cleaned}."
