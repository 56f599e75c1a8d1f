"""Upsell opportunities in a call: what the customer said that a catalog product answers.

How a cue becomes an opportunity (the local engine):

1. Only the CUSTOMER's sentences are read for cues; the technician's words never trigger one
   (they count as mentions, below, and as facts).
2. A cue (catalog regex) matching a sentence is dropped when its clause declines ("we don't need a
   new unit", "no thanks, we're fine"), reports a purchase or ownership ("we replaced it last
   year", "we already have a humidifier"), is about someone outside the household ("my neighbor
   replaced his whole system"), matches one of the entry's own guards, fails the cue's age
   condition, or names only equipment the type does not apply to; and a type is dropped for the
   whole call by its `call_guards` ("we're selling the house in the spring", "we already have the
   maintenance plan with you").
3. A sentence of interest with nothing named in it ("how much is that per year?", "let's do it",
   "can you put that in writing?") refers to the most recently mentioned catalog type, by either
   speaker, within the last few turns: it supports that type.
4. Cues of one type over the call make one opportunity. Its trigger is the strongest cue's
   sentence, quoted verbatim, at its segment's start time; confidence is calibrated (calibration.py)
   from cue strength, supporting segments, explicit interest, equipment facts, hedging and whether
   it rests only on a reference back.

The estimated value is the catalog's price range for the equipment (or the type's default range),
at a position moved by the facts said (documented in `_estimate`), times the units stated for
per-unit products; an amount actually said for this product (a competitor's quote, the
technician's price) replaces it when it is plausible for the range.
"""

from __future__ import annotations

import string
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field

from conversations.ai import calibration, lexicon
from conversations.ai.call import Call, Sentence
from conversations.ai.catalog import CompiledEntry, PrioritySituation
from conversations.ai.facts import GENERIC_EQUIPMENT, CallFacts, SentenceFacts, call_facts, equipment_mentions
from conversations.ai.lexicon import Equipment

__all__ = ["CueHit", "Detection", "detect", "guarded", "type_mentions"]

ANAPHORA_STRENGTH = 0.45
ANAPHORA_LOOKBACK_TURNS = 4
ANAPHORA_LOOKBACK_SECONDS = 150.0
MAX_UNITS_PRICED = 50


@dataclass(frozen=True)
class CueHit:
    """A customer sentence that supports an opportunity type."""

    entry: CompiledEntry
    label: str
    sentence: Sentence
    strength: float
    interest: bool
    hedged: bool
    anaphoric: bool = False
    position: int = 0  # where in the sentence the cue was said


@dataclass(frozen=True)
class Detection:
    """One opportunity of a call, before it is rendered for the API."""

    entry: CompiledEntry
    trigger: CueHit
    hits: tuple[CueHit, ...]
    confidence: float
    estimated_value: float
    priority: str
    equipment: Equipment | None
    age_years: int | None
    repair_count: int | None
    repeated_repairs: bool
    unit_count: int | None
    stated_amounts: tuple[float, ...]
    evidence: tuple[Sentence, ...] = field(default=())
    features: calibration.Features = field(default_factory=calibration.Features)

    @property
    def key(self) -> str:
        return self.entry.key

    @property
    def supporting_turns(self) -> list[int]:
        return sorted({h.sentence.turn.segment_id for h in self.hits})

    def slots(self) -> dict[str, str]:
        """Template slots with known values only (a template needing another is skipped)."""
        equipment = self.equipment.name if self.equipment else self.entry.entry.default_equipment
        slots = {
            "Equipment": equipment,
            "equipment": lower_name(equipment),
            "offer": self.entry.entry.offer,
            "cue": self.trigger.label,
            "quote": self.trigger.sentence.text,
        }
        if self.age_years is not None:
            slots["age_years"] = str(self.age_years)
        if self.repair_count is not None:
            slots["repair_count"] = str(self.repair_count)
        if self.unit_count is not None:
            slots["unit_count"] = str(self.unit_count)
        if self.stated_amounts:
            low, high = min(self.stated_amounts), max(self.stated_amounts)
            slots["cost"] = f"${low:,.0f}" if low == high else f"${low:,.0f}-${high:,.0f}"
        return slots


def lower_name(name: str) -> str:
    """A title-cased name for running text, acronyms kept: "HVAC System" -> "HVAC system"."""
    return " ".join(word if word.isupper() and len(word) > 1 else word.lower() for word in name.split())


def fill(template: str, slots: dict[str, str]) -> str | None:
    """The template with its slots filled, or None when one of them is unknown."""
    names = {name for _, name, _, _ in string.Formatter().parse(template) if name}
    if not names <= slots.keys():
        return None
    return template.format_map(slots)


# ------------------------------------------------------------------------------------------------
# Guards


def guarded(entry: CompiledEntry, sentence: Sentence, position: int) -> str | None:
    """Why the cue at `position` of the sentence does not count, or None when it does."""
    clause = sentence.clause_at(position)
    words = clause.text
    if lexicon.DECLINE_RE.search(words):
        return "declined"
    if lexicon.PAST_PURCHASE_RE.search(words) or lexicon.OWNED_REFERENCE_RE.search(sentence.text):
        return "already owned or bought"
    if lexicon.THIRD_PARTY_RE.search(words) or lexicon.THIRD_PARTY_RE.search(sentence.text[: clause.offset]):
        return "about someone else"
    if entry.guard is not None and entry.guard.search(words):
        return "excluded by the catalog"
    return None


def _hedged(sentence: Sentence, position: int) -> bool:
    return bool(
        lexicon.HEDGE_RE.search(sentence.clause_at(position).text) or lexicon.HEDGE_RE.search(sentence.text)
    )


def _applies_to(entry: CompiledEntry, facts: SentenceFacts) -> bool:
    excluded = set(entry.entry.not_for_equipment)
    if not excluded:
        return True
    specific = facts.specific_equipment
    return not (specific and all(e.key in excluded for e in specific))


def suppressed_types(call: Call, entries: Sequence[CompiledEntry], *, upto: int | None = None) -> set[str]:
    """Types the customer ruled out for the whole call (sentences before index `upto` only)."""
    out = set()
    for entry in entries:
        if entry.call_guard is None:
            continue
        for sentence in call.sentences[:upto]:
            if sentence.speaker == "customer" and entry.call_guard.search(sentence.text):
                out.add(entry.key)
                break
    return out


# ------------------------------------------------------------------------------------------------
# Mentions and cues


def type_mentions(sentence: Sentence, entries: Sequence[CompiledEntry]) -> list[tuple[int, CompiledEntry]]:
    """(position, type) for each catalog type the sentence names or cues, guards ignored: what a
    later "how much is that?" can refer to."""
    found: list[tuple[int, CompiledEntry]] = []
    for entry in entries:
        positions = [m.start() for m in entry.topic.finditer(sentence.text)]
        if sentence.speaker == "customer":
            positions += [m.start() for c in entry.cues for m in c.regex.finditer(sentence.text)]
        if positions:
            found.append((max(positions), entry))
    return found


def sentence_hits(
    sentence: Sentence,
    entries: Sequence[CompiledEntry],
    facts: CallFacts,
    *,
    call_age: int | None,
) -> list[CueHit]:
    """Direct cues of a customer sentence that survive the guards, at most one per type."""
    if sentence.speaker != "customer":
        return []
    own = facts.of(sentence)
    hits: list[CueHit] = []
    for entry in entries:
        if not _applies_to(entry, own):
            continue
        best: CueHit | None = None
        for compiled in entry.cues:
            condition = compiled.cue.when
            age = own.age_years if own.age_years is not None else call_age
            if condition is not None and not condition.holds(age):
                continue
            for match in compiled.regex.finditer(sentence.text):
                if guarded(entry, sentence, match.start()) is not None:
                    continue
                hit = CueHit(
                    entry=entry,
                    label=compiled.cue.label,
                    sentence=sentence,
                    strength=compiled.cue.strength,
                    interest=compiled.cue.interest,
                    hedged=_hedged(sentence, match.start()),
                    position=match.start(),
                )
                if best is None or hit.strength > best.strength:
                    best = hit
                break
        if best is not None:
            hits.append(best)
    return hits


def referent(
    call: Call, sentence: Sentence, entries: Sequence[CompiledEntry], *, before: int | None = None
) -> CompiledEntry | None:
    """The catalog type a bare "that"/"it" in a customer's sentence most likely refers to: the
    last one named in the sentence before the reference, or in the turns just before, by either
    speaker. ("A number for that before we finalize the plans": "plans" comes after, so it is not
    what "that" points to.)"""
    own = [m for m in type_mentions(sentence, entries) if before is None or m[0] < before]
    if own:
        return max(own, key=lambda item: item[0])[1]
    turns_back = 0
    current_turn = sentence.turn
    for earlier in reversed(call.sentences[: sentence.index]):
        if earlier.turn is not current_turn:
            current_turn = earlier.turn
            turns_back += 1
        if (
            turns_back > ANAPHORA_LOOKBACK_TURNS
            or sentence.turn.start - earlier.turn.end > ANAPHORA_LOOKBACK_SECONDS
        ):
            return None
        mentions = type_mentions(earlier, entries)
        if mentions:
            return max(mentions, key=lambda item: item[0])[1]
    return None


def anaphoric_hit(
    call: Call, sentence: Sentence, entries: Sequence[CompiledEntry], *, has_direct: bool
) -> CueHit | None:
    if sentence.speaker != "customer" or has_direct:
        return None
    match = lexicon.ANAPHORA_RE.search(sentence.text)
    if match is None:
        return None
    entry = referent(call, sentence, entries, before=match.start())
    if entry is None or guarded(entry, sentence, match.start()) is not None:
        return None
    return CueHit(
        entry=entry,
        label="interest",
        sentence=sentence,
        strength=ANAPHORA_STRENGTH,
        interest=True,
        hedged=_hedged(sentence, match.start()),
        anaphoric=True,
        position=match.start(),
    )


def call_hits(
    call: Call, entries: Sequence[CompiledEntry], facts: CallFacts, *, upto: int | None = None
) -> list[CueHit]:
    """Every surviving cue hit of the call (of its first `upto` sentences), in call order."""
    suppressed = suppressed_types(call, entries, upto=upto)
    active = [e for e in entries if e.key not in suppressed]
    hits: list[CueHit] = []
    for sentence in call.sentences[:upto]:
        direct = sentence_hits(sentence, active, facts, call_age=facts.age_years)
        hits.extend(direct)
        reference = anaphoric_hit(call, sentence, active, has_direct=bool(direct))
        if reference is not None:
            hits.append(reference)
    return hits


# ------------------------------------------------------------------------------------------------
# From hits to opportunities


def _near_cue(hit: CueHit) -> list[Equipment]:
    """Equipment named in the cue's clause first, then before the cue (nearest first), then after:
    in "we replaced the AC last year, but the furnace is 22 years old" the age is the furnace's."""
    sentence = hit.sentence
    clause = sentence.clause_at(hit.position)
    mentions = equipment_mentions(sentence.text)
    inside = [e for at, e in mentions if clause.offset <= at < clause.offset + len(clause.text)]
    before = [e for at, e in reversed(mentions) if at < clause.offset]
    after = [e for at, e in mentions if at >= clause.offset + len(clause.text)]
    return inside + before + after


def _equipment_for(entry: CompiledEntry, hit: CueHit, call: Call, facts: CallFacts) -> Equipment | None:
    """The equipment an opportunity is about: named near the trigger's cue or in its turn, else the
    job's, else the last named in the turns before, else the call's most mentioned; a generic word
    ("unit", "pump") only when nothing more specific was said."""
    excluded = set(entry.entry.not_for_equipment)
    trigger = hit.sentence

    def specific(items: Iterable[Equipment]) -> Equipment | None:
        return next((e for e in items if e.key not in excluded and e.key not in GENERIC_EQUIPMENT), None)

    own_turn = [s for s in call.sentences if s.turn is trigger.turn]
    candidates: list[Equipment | None] = [
        specific(_near_cue(hit)),
        specific(e for s in own_turn for e in facts.of(s).equipment),
        specific(facts.job_equipment),
        specific(e for s in reversed(call.sentences[: trigger.index]) for e in facts.of(s).equipment),
        facts.most_mentioned_equipment(exclude=excluded),
        next((e for e in facts.of(trigger).equipment if e.key not in excluded), None),
    ]
    return next((c for c in candidates if c is not None), None)


def _stated_amounts(
    entry: CompiledEntry, call: Call, facts: CallFacts, hits: Sequence[CueHit]
) -> list[float]:
    """Money said about this product: in the hit sentences or in a sentence naming it."""
    turns = {h.sentence.turn.segment_id for h in hits}
    sentences = {s.index for s in call.sentences if s.turn.segment_id in turns or entry.topic.search(s.text)}
    return sorted({a.usd for index in sentences for a in facts.by_sentence[index].amounts if not a.is_bill})


def _estimate(
    entry: CompiledEntry,
    equipment: Equipment | None,
    *,
    age: int | None,
    repairs: int | None,
    units: int | None,
    hedged: bool,
    stated: Sequence[float],
) -> tuple[float, tuple[float, ...]]:
    """Estimated value in USD and the stated amounts it rests on.

    Range: the catalog's price for this equipment, or the type's default. Position in the range
    starts at the middle and moves with what was said: +0.15 at 20 years or more (+0.10 at 15) since
    old installations need more ancillary work (venting, line sets, code updates); +0.05 with three
    repairs or more; -0.15 when the customer hedged (hesitant buyers take the basic option).
    Per-unit products are multiplied by the units stated (at most 50). An amount said about this
    product that is plausible (half the low end to twice the high end, for the units stated) is the
    estimate instead; several such amounts give their midpoint (a stated range).
    """
    spec = entry.entry
    price = spec.price_by_equipment.get(equipment.key, spec.price) if equipment else spec.price
    count = min(units, MAX_UNITS_PRICED) if (spec.per_unit and units) else 1
    plausible = tuple(a for a in stated if 0.5 * price.low * count <= a <= 2.0 * price.high * count)
    if plausible:
        return round((min(plausible) + max(plausible)) / 2.0, 2), plausible
    position = 0.5
    if age is not None and age >= 20:
        position += 0.15
    elif age is not None and age >= 15:
        position += 0.10
    if repairs is not None and repairs >= 3:
        position += 0.05
    if hedged:
        position -= 0.15
    position = min(1.0, max(0.0, position))
    value = (price.low + (price.high - price.low) * position) * count
    return float(round(value / 50.0) * 50.0), ()


def _priority(entry: CompiledEntry, situation: PrioritySituation) -> str:
    """The first catalog rule the situation satisfies, else the type's default priority."""
    for rule in entry.entry.priority_rules:
        if rule.holds(situation):
            return rule.priority
    return entry.entry.priority_default


def _fact_support(
    entry: CompiledEntry,
    *,
    age: int | None,
    repairs: int | None,
    repeated: bool,
    units: int | None,
    stated: Sequence[float],
) -> int:
    wanted = set(entry.entry.facts)
    support = 0
    if "age_years" in wanted and age is not None and age >= 10:
        support += 1
    if "repair_count" in wanted and ((repairs or 0) >= 2 or repeated):
        support += 1
    if "unit_count" in wanted and (units or 0) >= 2:
        support += 1
    if "cost" in wanted and stated:
        support += 1
    return min(support, 2)


def _trigger(hits: Sequence[CueHit]) -> CueHit:
    # The strongest direct cue, the earliest on a tie: it is the customer's clearest statement.
    return max(hits, key=lambda h: (not h.anaphoric, h.strength, -h.sentence.index))


def detections_from_hits(
    call: Call, entries: Sequence[CompiledEntry], facts: CallFacts, hits: Sequence[CueHit]
) -> list[Detection]:
    by_type: dict[str, list[CueHit]] = {}
    for hit in hits:
        by_type.setdefault(hit.entry.key, []).append(hit)
    out: list[Detection] = []
    for entry in entries:
        own = by_type.get(entry.key)
        if not own:
            continue
        trigger = _trigger(own)
        equipment = _equipment_for(entry, trigger, call, facts)
        age = facts.of(trigger.sentence).age_years or facts.age_years
        stated = _stated_amounts(entry, call, facts, own)
        hedged = trigger.hedged and not any(h.interest and not h.hedged for h in own)
        value, used = _estimate(
            entry,
            equipment,
            age=age,
            repairs=facts.repair_count,
            units=facts.unit_count,
            hedged=hedged,
            stated=stated,
        )
        features = calibration.Features(
            strength=max(h.strength for h in own),
            supporting_segments=len({h.sentence.turn.segment_id for h in own}),
            interest=any(h.interest for h in own),
            facts=_fact_support(
                entry,
                age=age,
                repairs=facts.repair_count,
                repeated=facts.repeated_repairs,
                units=facts.unit_count,
                stated=used,
            ),
            hedged=hedged,
            anaphoric_only=all(h.anaphoric for h in own),
        )
        confidence = calibration.confidence(features)
        priority = _priority(
            entry,
            PrioritySituation(
                age_years=age,
                repairs=facts.repair_count,
                units=facts.unit_count,
                explicit_interest=features.interest,
                hedged=hedged,
                confidence=confidence,
                value=value,
            ),
        )
        wanted = set(entry.entry.facts)
        evidence = facts.evidence(
            age="age_years" in wanted, repairs="repair_count" in wanted, units="unit_count" in wanted
        )
        out.append(
            Detection(
                entry=entry,
                trigger=trigger,
                hits=tuple(own),
                confidence=confidence,
                estimated_value=value,
                priority=priority,
                equipment=equipment,
                age_years=age if "age_years" in wanted else None,
                repair_count=facts.repair_count if "repair_count" in wanted else None,
                repeated_repairs=facts.repeated_repairs and "repair_count" in wanted,
                unit_count=facts.unit_count if (entry.entry.per_unit or "unit_count" in wanted) else None,
                stated_amounts=used,
                evidence=tuple(evidence),
                features=features,
            )
        )
    return sorted(out, key=lambda d: d.trigger.sentence.turn.start)


def detect(call: Call, entries: Sequence[CompiledEntry], facts: CallFacts | None = None) -> list[Detection]:
    """The call's opportunities, one per catalog type, in order of their trigger."""
    facts = facts or call_facts(call)
    return detections_from_hits(call, entries, facts, call_hits(call, entries, facts))
