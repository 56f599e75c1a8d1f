"""Instructions that change a section's length: shorten (by a ratio or to a word budget, keeping
the best-ranked sentences and list items) and expand (with facts from the record the section
does not state yet)."""

from __future__ import annotations

import math

from analysis.engines import text
from reports.ai.markdown import Block, bullets, is_ordered, list_items
from reports.ai.refiner.refinement import (
    Refinement,
    drop_empty_sections,
    is_new,
    map_text,
    present_sentences,
    sentence_ranker,
)
from reports.ai.refiner.wording import rewrite_words

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
    map_text(r, lambda line: rewrite_words(line, _WORDINESS))
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


def expand(r: Refinement, clause: str) -> None:
    present = present_sentences(r)
    section_text = " ".join([r.title, *present])
    candidates: list[tuple[float, str, str]] = []
    for label, value in r.ctx.all_text():
        for sentence in text.sentences(value) or [value]:
            if text.word_count(sentence) < 3 or not is_new(sentence, present):
                continue
            relevance = text.similarity(sentence, section_text)
            if relevance > 0.05:
                candidates.append((relevance, label, sentence))
    candidates.sort(key=lambda c: (-c[0], c[1], c[2]))
    chosen = candidates[:6]
    if not chosen:
        r.refuse(clause, "the customer and opportunity record holds nothing further relevant to this section")
        return
    r.blocks += [
        Block("heading", ["### Further detail"], level=3),
        Block(
            "list", bullets([f"{s.rstrip('.')}. _(from the {label})_" for _, label, s in chosen]).split("\n")
        ),
    ]
    r.ok(f"expanded with {len(chosen)} fact(s) from the record")
