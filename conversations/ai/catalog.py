"""The upsell catalog: the kinds of HVAC opportunity, how customers voice them, what they are worth.

The engine takes the catalog as input (a list of plain dicts or `CatalogEntry` models), so the
product can keep it in its database and staff can edit it in the admin; `load_catalog()` is the
one place that reads the shipped default, `conversations/data/upsell_catalog.json`.

Each entry's `cues` are regular expressions (case-insensitive, Python syntax) matched against
what the CUSTOMER says, with the macros `{num}`, `{ordinal}`, `{equipment}` and `{units}` (lexicon.py). A cue
may require equipment facts (`when`: e.g. repeated repairs point to a maintenance plan only on
equipment younger than ten years). `guards` are patterns that, in the cue's clause, make it no
opportunity (on top of the engine's own guards for declines, past purchases and third parties);
`call_guards` suppress the type for the whole call ("we already have the maintenance plan").
"""

from __future__ import annotations

import functools
import json
import re
import string
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal

from pydantic import BaseModel, Field, ValidationError, field_validator, model_validator

from conversations.ai import lexicon

__all__ = [
    "CatalogEntry",
    "CatalogError",
    "CompiledEntry",
    "compile_catalog",
    "compile_serialized",
    "load_catalog",
    "serialize_catalog",
    "validate_entry",
]

DEFAULT_CATALOG_PATH = Path(__file__).resolve().parent.parent / "data" / "upsell_catalog.json"

Priority = Literal["high", "medium", "low"]
FACT_SLOTS = frozenset({"age_years", "repair_count", "unit_count", "cost"})
TEMPLATE_SLOTS = frozenset(
    {"equipment", "Equipment", "age_years", "repair_count", "unit_count", "cost", "cue", "offer", "quote"}
)


class CatalogError(ValueError):
    """A catalog entry is malformed (bad regex, unknown template slot, price range upside down)."""


class CueCondition(BaseModel):
    """The equipment age a cue needs to count. The age said in the cue's own sentence wins over
    one said elsewhere in the call; when no age was said, `if_unknown` decides."""

    age_at_least: int | None = None
    age_below: int | None = None
    if_unknown: bool = False

    def holds(self, age_years: int | None) -> bool:
        if age_years is None:
            return self.if_unknown
        if self.age_at_least is not None and age_years < self.age_at_least:
            return False
        return not (self.age_below is not None and age_years >= self.age_below)


class Cue(BaseModel):
    label: str = Field(description="what the customer mentioned, for messages: 'frequent repairs'")
    pattern: str = Field(
        description="regular expression on the customer's words; macros {num} {ordinal} {equipment} {units}"
    )
    strength: float = Field(ge=0.0, le=1.0, description="how clearly this alone signals the opportunity")
    interest: bool = Field(
        default=False, description="the customer asks about buying it, its price or options"
    )
    when: CueCondition | None = None


class PriceRange(BaseModel):
    low: float = Field(ge=0)
    high: float = Field(ge=0)

    @model_validator(mode="after")
    def _ordered(self) -> PriceRange:
        if self.high < self.low:
            raise ValueError(f"price high {self.high:g} is below low {self.low:g}")
        return self


@dataclass(frozen=True)
class PrioritySituation:
    """What a priority rule is checked against: the opportunity as the call described it."""

    age_years: int | None
    repairs: int | None
    units: int | None
    explicit_interest: bool
    hedged: bool
    confidence: float
    value: float


class PriorityRule(BaseModel):
    """First matching rule sets the priority; every stated condition must hold (an unknown age,
    repair count or unit count never reaches a minimum)."""

    priority: Priority
    min_age_years: int | None = None
    min_repairs: int | None = None
    min_units: int | None = None
    explicit_interest: bool | None = None
    hedged: bool | None = None
    min_confidence: float | None = None
    min_value: float | None = None

    def holds(self, situation: PrioritySituation) -> bool:
        minimums = (
            (self.min_age_years, situation.age_years),
            (self.min_repairs, situation.repairs),
            (self.min_units, situation.units),
            (self.min_confidence, situation.confidence),
            (self.min_value, situation.value),
        )
        if any(bound is not None and (value is None or value < bound) for bound, value in minimums):
            return False
        if self.explicit_interest is not None and situation.explicit_interest != self.explicit_interest:
            return False
        return self.hedged is None or situation.hedged == self.hedged


class CatalogEntry(BaseModel):
    opportunity_type: str = Field(pattern=r"^[a-z][a-z0-9_]{1,48}$")
    title: str = Field(description="template, e.g. '{Equipment} Replacement'")
    offer: str = Field(description="what the technician would propose, as a noun phrase")
    default_equipment: str = "HVAC System"
    description: list[str] = Field(
        description="template pieces joined in order; a piece whose slots are unknown is left out"
    )
    closing: dict[Priority, str] = Field(default_factory=dict, description="last sentence, by priority")
    cues: list[Cue] = Field(min_length=1)
    guards: list[str] = Field(default_factory=list)
    call_guards: list[str] = Field(default_factory=list)
    not_for_equipment: list[str] = Field(
        default_factory=list,
        description="equipment keys this type does not apply to (a thermostat is not replaced as a system)",
    )
    facts: list[str] = Field(
        default_factory=list,
        description="equipment facts that strengthen this type: age_years, repair_count, unit_count, cost",
    )
    topic_terms: list[str] = Field(
        min_length=1, description="words the technician uses when raising it (follow-up, nudge effect)"
    )
    price: PriceRange
    price_by_equipment: dict[str, PriceRange] = Field(default_factory=dict)
    per_unit: bool = Field(default=False, description="the value scales with the number of units stated")
    priority_default: Priority = "medium"
    priority_rules: list[PriorityRule] = Field(default_factory=list)
    what_should_happen: str
    suggested_responses: list[str] = Field(
        min_length=1, description="templates; the first whose slots are all known is used"
    )
    is_active: bool = True

    @field_validator("facts")
    @classmethod
    def _known_facts(cls, value: list[str]) -> list[str]:
        unknown = sorted(set(value) - FACT_SLOTS)
        if unknown:
            raise ValueError(f"unknown facts {unknown}; known: {sorted(FACT_SLOTS)}")
        return value

    @field_validator("price_by_equipment")
    @classmethod
    def _known_equipment_prices(cls, value: dict[str, PriceRange]) -> dict[str, PriceRange]:
        _check_equipment(value)
        return value

    @field_validator("not_for_equipment")
    @classmethod
    def _known_equipment(cls, value: list[str]) -> list[str]:
        _check_equipment(value)
        return value


def _check_equipment(keys: Iterable[str]) -> None:
    unknown = sorted(set(keys) - set(lexicon.EQUIPMENT_BY_KEY))
    if unknown:
        raise ValueError(f"unknown equipment {unknown}; known: {sorted(lexicon.EQUIPMENT_BY_KEY)}")


@dataclass(frozen=True)
class CompiledCue:
    cue: Cue
    regex: re.Pattern[str]


@dataclass(frozen=True)
class CompiledEntry:
    """A catalog entry with its patterns compiled, ready for matching."""

    entry: CatalogEntry
    cues: tuple[CompiledCue, ...]
    guard: re.Pattern[str] | None
    call_guard: re.Pattern[str] | None
    topic: re.Pattern[str]

    @property
    def key(self) -> str:
        return self.entry.opportunity_type


def _expand(pattern: str) -> str:
    # Macros are the only braces a cue may use outside regex quantifiers like {2}.
    return re.sub(r"\{(num|ordinal|equipment|units)\}", lambda m: lexicon.MACROS[m.group(1)], pattern)


def _regex(pattern: str, *, where: str) -> re.Pattern[str]:
    try:
        return re.compile(_expand(pattern), re.IGNORECASE)
    except re.error as exc:
        raise CatalogError(f"{where}: invalid regular expression {pattern!r}: {exc}") from None


def _any_of(patterns: Sequence[str], *, where: str) -> re.Pattern[str] | None:
    if not patterns:
        return None
    for index, pattern in enumerate(patterns):
        _regex(pattern, where=f"{where}[{index}]")
    return re.compile("|".join(f"(?:{_expand(p)})" for p in patterns), re.IGNORECASE)


def _slots(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def _check_templates(entry: CatalogEntry) -> None:
    where = entry.opportunity_type
    templates = [entry.title, *entry.description, *entry.closing.values(), *entry.suggested_responses]
    for template in templates:
        try:
            unknown = _slots(template) - TEMPLATE_SLOTS
        except ValueError as exc:
            raise CatalogError(f"{where}: malformed template {template!r}: {exc}") from None
        if unknown:
            raise CatalogError(
                f"{where}: template {template!r} uses unknown slots {sorted(unknown)}; "
                f"known: {sorted(TEMPLATE_SLOTS)}"
            )


def _topic_regex(terms: Iterable[str]) -> re.Pattern[str]:
    # A term matches as a phrase with an optional plural, whatever the spacing or hyphenation.
    parts = [r"[\s-]+".join(re.escape(word) for word in term.split()) + r"(?:s|es)?" for term in terms]
    return re.compile(r"\b(?:" + "|".join(parts) + r")\b", re.IGNORECASE)


def compile_entry(entry: CatalogEntry) -> CompiledEntry:
    where = entry.opportunity_type
    _check_templates(entry)
    cues = tuple(
        CompiledCue(cue, _regex(cue.pattern, where=f"{where}.cues[{i}]")) for i, cue in enumerate(entry.cues)
    )
    return CompiledEntry(
        entry=entry,
        cues=cues,
        guard=_any_of(entry.guards, where=f"{where}.guards"),
        call_guard=_any_of(entry.call_guards, where=f"{where}.call_guards"),
        topic=_topic_regex(entry.topic_terms),
    )


def validate_entry(raw: Mapping[str, Any] | CatalogEntry) -> CatalogEntry:
    """Check one entry as an admin form would: schema, regexes and templates. Raises CatalogError."""
    try:
        entry = raw if isinstance(raw, CatalogEntry) else CatalogEntry.model_validate(raw)
    except ValidationError as exc:
        name = raw.get("opportunity_type", "?") if isinstance(raw, Mapping) else "?"
        problems = "; ".join(
            f"{'.'.join(str(p) for p in error['loc']) or 'entry'}: {error['msg']}" for error in exc.errors()
        )
        raise CatalogError(f"catalog entry {name!r}: {problems}") from None
    compile_entry(entry)
    return entry


def _entries(catalog: Iterable[Mapping[str, Any] | CatalogEntry]) -> list[CatalogEntry]:
    if isinstance(catalog, Mapping) or isinstance(catalog, str | bytes):
        raise CatalogError("the catalog must be a list of entries")
    entries = [validate_entry(raw) for raw in catalog]
    seen: set[str] = set()
    for entry in entries:
        if entry.opportunity_type in seen:
            raise CatalogError(f"opportunity type {entry.opportunity_type!r} appears twice in the catalog")
        seen.add(entry.opportunity_type)
    return entries


@functools.lru_cache(maxsize=8)
def compile_serialized(serialized: str) -> tuple[CompiledEntry, ...]:
    """`compile_catalog` for a catalog already serialized by `serialize_catalog` (cached)."""
    entries = _entries(json.loads(serialized))
    return tuple(compile_entry(e) for e in entries if e.is_active)


def serialize_catalog(catalog: Iterable[Mapping[str, Any] | CatalogEntry]) -> str:
    """The catalog as canonical JSON: what its validation and compilation are cached by."""
    if isinstance(catalog, Mapping) or isinstance(catalog, str | bytes):
        raise CatalogError("the catalog must be a list of entries")
    raw = [entry.model_dump(mode="json") if isinstance(entry, CatalogEntry) else entry for entry in catalog]
    try:
        return json.dumps(raw, sort_keys=True)
    except (TypeError, ValueError):
        raise CatalogError(
            "catalog entries must be plain JSON data (objects, lists, strings, numbers)"
        ) from None


def compile_catalog(catalog: Iterable[Mapping[str, Any] | CatalogEntry]) -> tuple[CompiledEntry, ...]:
    """The active entries, validated and compiled. The work is cached by content, so passing the
    same catalog on every call (as rows read from the database) validates and compiles it once."""
    return compile_serialized(serialize_catalog(catalog))


def load_catalog(path: Path | str | None = None) -> list[CatalogEntry]:
    """The catalog shipped with the product (or the file at `path`), validated.

    The file is `{"version": 1, "currency": "USD", "opportunity_types": [entry, ...]}`.
    """
    source = Path(path) if path is not None else DEFAULT_CATALOG_PATH
    try:
        document = json.loads(source.read_text(encoding="utf-8"))
    except (OSError, json.JSONDecodeError) as exc:
        raise CatalogError(f"cannot read the upsell catalog at {source}: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("opportunity_types"), list):
        raise CatalogError(f"{source}: expected an object with an 'opportunity_types' list")
    if document.get("currency", "USD") != "USD":
        raise CatalogError(f"{source}: prices must be in USD")
    return _entries(document["opportunity_types"])
