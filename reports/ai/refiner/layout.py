"""Instructions that change a section's layout: bullet or numbered lists, paragraphs, and an
extractive summary under the heading."""

from __future__ import annotations

from analysis.engines import text
from reports.ai.markdown import Block, bullets, is_ordered, list_items
from reports.ai.refiner.refinement import Refinement, sentence_ranker


def to_bullets(r: Refinement, clause: str, *, ordered: bool = False) -> None:
    changed = 0
    # "Numbered list" numbers the lists there are; only a section without lists has its paragraphs listed.
    has_lists = any(b.kind == "list" for b in r.blocks)
    for block in r.blocks:
        if block.kind == "paragraph" and not (ordered and has_lists):
            block.kind = "list"
            block.lines = bullets([s for s in text.sentences(block.text)], ordered=ordered).split("\n")
            changed += 1
        elif block.kind == "list" and ordered and not is_ordered(block):
            block.lines = bullets(list_items(block), ordered=True).split("\n")
            changed += 1
    if changed:
        _merge_lists(r)
        r.ok(f"turned {changed} block(s) into {'numbered' if ordered else 'bullet'} lists")
    else:
        r.refuse(clause, "there are no paragraphs to turn into a list")


def _merge_lists(r: Refinement) -> None:
    """Neighbouring lists of the same kind become one list (a loose list renders with gaps)."""
    out: list[Block] = []
    for block in r.blocks:
        previous = out[-1] if out else None
        if (
            previous is not None
            and block.kind == previous.kind == "list"
            and is_ordered(block) == is_ordered(previous)
        ):
            previous.lines = bullets(
                list_items(previous) + list_items(block), ordered=is_ordered(block)
            ).split("\n")
            continue
        out.append(block)
    r.blocks = out


def to_paragraphs(r: Refinement, clause: str) -> None:
    changed = 0
    for block in r.blocks:
        if block.kind == "list":
            items = [i if i.endswith((".", "!", "?", ":")) else f"{i}." for i in list_items(block)]
            block.kind = "paragraph"
            block.lines = [" ".join(items)]
            changed += 1
    if changed:
        r.ok(f"turned {changed} list(s) into paragraphs")
    else:
        r.refuse(clause, "there are no lists to turn into paragraphs")


def add_summary(r: Refinement, clause: str) -> None:
    prose = " ".join(
        " ".join(text.sentences(b.text))
        if b.kind == "paragraph"
        else " ".join(f"{i.rstrip('.')}." for i in list_items(b))
        for b in r.prose_blocks
    )
    if text.word_count(prose) < 12:
        r.refuse(clause, "there is too little prose to summarise")
        return
    # The two best-ranked sentences (key phrases and figures), in reading order.
    score = sentence_ranker(r)
    candidates = [s for s in text.sentences(prose) if text.word_count(s) >= 4]
    best = sorted(sorted(range(len(candidates)), key=lambda i: (-score(candidates[i]), i))[:2])
    summary = " ".join(candidates[i] for i in best)
    position = 1 if r.blocks and r.blocks[0].kind == "heading" else 0
    r.blocks.insert(position, Block("paragraph", [f"**Summary:** {summary}"]))
    r.ok("added a two-sentence summary")
