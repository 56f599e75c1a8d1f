"""The section being refined: `Refinement` holds its Markdown blocks, the record it may draw on and
what was and was not applied, and the block-level moves several instructions share (rewriting
every line, ranking sentences, finding what the section already says, dropping emptied
subsections)."""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field

from analysis.engines import text
from reports.ai import facts
from reports.ai.context import SectionContext
from reports.ai.markdown import Block


@dataclass
class Refinement:
    blocks: list[Block]
    ctx: SectionContext
    report_type: str
    title: str
    applied: list[str] = field(default_factory=list)
    not_applied: list[str] = field(default_factory=list)

    def ok(self, what: str) -> None:
        self.applied.append(what)

    def refuse(self, clause: str, reason: str) -> None:
        self.not_applied.append(f'"{clause}": {reason}')

    @property
    def prose_blocks(self) -> list[Block]:
        return [b for b in self.blocks if b.kind in ("paragraph", "list")]

    def prose_words(self) -> int:
        return sum(text.word_count(b.text) for b in self.prose_blocks)

    def total_words(self) -> int:
        return sum(text.word_count(b.text) for b in self.blocks if b.kind != "heading")


def map_text(r: Refinement, rewrite: Callable[[str], tuple[str, int]], *, headings: bool = False) -> int:
    total = 0
    for block in r.blocks:
        if block.kind in ("code", "rule") or (block.kind == "heading" and not headings):
            continue
        new_lines = []
        for line in block.lines:
            if block.kind == "quote" and line.lstrip("> ").startswith("**Gap:**"):
                new_lines.append(line)  # gap notes are the engine's own wording; leave them readable as is
                continue
            changed, count = rewrite(line)
            total += count
            new_lines.append(changed)
        block.lines = new_lines
    return total


def sentence_ranker(r: Refinement) -> Callable[[str], float]:
    whole = " ".join(b.text for b in r.prose_blocks)
    ranked = [facts.terms(k) for k in text.keywords(whole, top=10)] if whole.strip() else []

    def score(sentence: str) -> float:
        have = facts.terms(sentence)
        hits = sum(10 - rank for rank, wanted in enumerate(ranked) if wanted and wanted <= have)
        # Numbers carry a section's facts: a sentence stating one is worth keeping; so is one that
        # opens a paragraph under a bold label ("**Verdict: ...**"), which states its point.
        bonus = (3 if text.numbers(sentence) else 0) + (3 if sentence.startswith("**") else 0)
        return (hits + bonus) / math.sqrt(max(1, len(have)))

    return score


def drop_empty_sections(r: Refinement) -> None:
    """A subheading whose blocks were all removed goes too."""
    out: list[Block] = []
    for index, block in enumerate(r.blocks):
        if not block.lines:
            continue
        if block.kind == "heading" and block.level >= 3:
            following = next((b for b in r.blocks[index + 1 :] if b.lines), None)
            if following is None or (following.kind == "heading" and following.level <= block.level):
                continue
        out.append(block)
    r.blocks = out


def without_refinement_note(blocks: list[Block]) -> list[Block]:
    """The blocks without the note `final_text` appends (a rule, then quotes that open with
    "**Refinement note:**"), so that refining a refined section does not refine the note."""
    for index, block in enumerate(blocks):
        if (
            block.kind == "rule"
            and index + 1 < len(blocks)
            and all(b.kind == "quote" for b in blocks[index + 1 :])
            and blocks[index + 1].text.lstrip("> ").startswith("**Refinement note:**")
        ):
            return blocks[:index]
    return blocks


def present_sentences(r: Refinement) -> list[str]:
    out = []
    for block in r.blocks:
        if block.kind == "paragraph":
            out += text.sentences(block.text)
        elif block.kind in ("list", "table", "quote"):
            out += [line.strip("|>-* ") for line in block.lines]
    return out


def is_new(candidate: str, present: list[str]) -> bool:
    return all(facts.containment(candidate, sentence) < 0.8 for sentence in present)
