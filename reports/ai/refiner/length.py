"""Instructions that change a section's length: shorten (by a ratio or to a word budget, keeping
the best-ranked sentences and list items) and expand (with facts from the record the section
does not state yet)."""

from __future__ import annotations

import math
import re

from analysis.engines import text
from reports.ai import facts, prose
from reports.ai.markdown import Block, bullets, is_ordered, list_items
from reports.ai.refiner.refinement import (
    Refinement,
    drop_empty_sections,
    is_new,
    map_text,
    present_sentences,
    sentence_ranker,
)
from reports.ai.refiner.wording import Rewriter

_WORDINESS = {
    "in order to": "to", "due to the fact that": "because", "at this point in time": "now",
    "it is important to note that": "", "for the purpose of": "for", "in the event that": "if",
    "a large number of": "many", "has the ability to": "can", "with regard to": "about",
}  # fmt: skip


def shorten(r: Refinement, clause: str, *, ratio: float | None = None, words: int | None = None) -> None:
    before_total = r.total_words()
    prose = r.prose_words()
    if prose == 0:
        r.refuse(clause, "the section has no prose or lists to shorten (tables and gap notes are kept whole)")
        return
    # Wordy phrases go first: the cheapest words to lose.
    map_text(r, Rewriter().phrases(_WORDINESS))
    fixed = before_total - prose
    budget = max(1, (words - fixed) if words is not None else math.ceil(prose * (ratio or 0.6)))
    score = sentence_ranker(r)
    units: list[tuple[float, int, int, str]] = []  # (score, block index, position, text)
    for index, block in enumerate(r.blocks):
        if block.kind == "paragraph":
            for position, sentence in enumerate(text.sentences(block.text)):
                units.append((score(sentence), index, position, sentence))
        elif block.kind == "list":
            for position, item in enumerate(list_items(block)):
                units.append((score(item), index, position, item))
    keep: set[tuple[int, int]] = set()
    used = 0
    for _score, index, position, piece in sorted(units, key=lambda u: (-u[0], u[1], u[2])):
        size = text.word_count(piece)
        if used + size > budget and keep:
            continue
        keep.add((index, position))
        used += size
    for index, block in enumerate(r.blocks):
        if block.kind == "paragraph":
            kept = [s for p, s in enumerate(text.sentences(block.text)) if (index, p) in keep]
            block.lines = [" ".join(kept)] if kept else []
        elif block.kind == "list":
            ordered = is_ordered(block)
            kept = [s for p, s in enumerate(list_items(block)) if (index, p) in keep]
            block.lines = bullets(kept, ordered=ordered).split("\n") if kept else []
    drop_empty_sections(r)
    after = r.total_words()
    target = f"{words} words" if words is not None else f"about {round((ratio or 0.6) * 100)}% of the prose"
    r.ok(f"shortened from {before_total} to {after} words (target {target})")
    if words is not None and after > words:
        r.refuse(clause, f"reached {after} words, not {words}: tables, headings and gap notes are kept whole")


_MODAL_RE = re.compile(r"^(must|should|could|shall|will|needs? to|has to|have to)\b", re.I)


def fact_sentence(label: str, value: str, names: frozenset[str]) -> str:
    """One of the record's facts as a sentence that can stand in a paragraph, framed by what kind
    of fact it is ('Sam Lee: Dispatch manager' → 'Sam Lee is the dispatch manager.')."""
    item = prose.clause(value)
    head, detail = facts.split_label(item)
    lower = prose.lower_first
    if label == "objective":
        goal = prose.to_phrase(item, names) if prose.is_verb_led(item) else lower(item, names)
        return f"One goal is {goal}."
    if label == "benefit":
        return f"The project is also expected {prose.to_phrase(item, names)}."
    if label == "requirement":
        if _MODAL_RE.match(item):
            return f"The solution {lower(item, names)}."
        if prose.is_verb_led(item):
            return f"The record requires the solution to {lower(item, names)}."
        return prose.sentence(item)
    if label == "technology":
        return f"The solution uses {item}."
    if label == "integration" and detail:
        linked = f"to {lower(detail, names)}" if prose.is_verb_led(detail) else f"for {lower(detail, names)}"
        return f"The solution connects to {head} {linked}."
    if label == "stakeholder" and detail:
        return f"{head} is the {lower(detail, names)}."
    if label == "resource":
        return f"The delivery team includes {lower(item, names)}."
    if label == "deliverable":
        return f"Deliverables include the {lower(item, names)}."
    if label == "exclusion":
        return prose.sentence(f"{item} is out of scope")
    if label == "dependency":
        return f"Delivery depends on {lower(item, names)}."
    if label == "alternative" and detail:
        return f"One alternative is {lower(head, names)}: {lower(detail, names)}."
    if label == "compliance":
        return f"The solution must comply with {item}."
    return prose.sentence(item)


def expand(r: Refinement, clause: str) -> None:
    """Adds, as one paragraph, the record's facts most relevant to the section that it does not
    state yet, each framed as a sentence."""
    present = present_sentences(r)
    section_text = " ".join([r.title, *present])
    names = prose.proper_nouns(value for _, value in r.ctx.all_text())
    candidates: list[tuple[float, int, str, str]] = []  # (relevance, place in the record, kind, fact)
    for label, value in r.ctx.all_text():
        for sentence in text.sentences(value) or [value]:
            if text.word_count(sentence) < 3 or not is_new(sentence, present):
                continue
            relevance = text.similarity(sentence, section_text)
            if relevance > 0.05:
                candidates.append((relevance, len(candidates), label, sentence))
    chosen = sorted(candidates, key=lambda c: (-c[0], c[1]))[:5]
    if not chosen:
        r.refuse(clause, "the customer and opportunity record holds nothing further relevant to this section")
        return
    # The record's order: facts of one kind together, a text's sentences in sequence.
    chosen.sort(key=lambda c: c[1])
    paragraph = " ".join(dict.fromkeys(fact_sentence(label, s, names) for _, _, label, s in chosen))
    notes = [b for b in r.blocks if b.kind == "paragraph" and b.text.startswith("_How the figures")]
    r.blocks = [b for b in r.blocks if b not in notes] + [Block("paragraph", [paragraph])] + notes
    kinds = prose.join_words(dict.fromkeys(label for _, _, label, _ in chosen))
    r.ok(f"expanded with {prose.count(len(chosen), 'fact')} from the record ({kinds}), written as sentences")
