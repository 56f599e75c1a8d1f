"""The local refinement engine: applies a plain-English instruction to a Markdown section.

It understands this set of instructions (several may be combined: "shorten it and make it more
formal; remove the pricing"):

| instruction (examples)                                   | effect |
| --- | --- |
| shorten, make it shorter, condense, more concise, by half | keeps the highest-ranked sentences and list items (about 60%, 50% "by half", 80% "slightly"); tables and gap notes stay whole |
| limit to 150 words, under 100 words                       | the same, to a word budget |
| expand, elaborate, more detail                            | adds facts from the customer/opportunity record that the section does not state yet |
| add / include / mention / cover <topic>                   | adds a subsection on the topic from the record (risk table, timeline, costs, stakeholders, requirements, integrations, technologies, compliance, or any matching facts) |
| remove / drop / delete / omit / without <topic>           | removes sentences, list items, table rows and subsections that mention the topic ("remove the gaps" removes gap notes) |
| replace <X> with <Y>, rename <X> to <Y>                   | whole-word replacement |
| more formal, professional                                 | expands contractions, replaces informal words, drops exclamation marks and intensifiers |
| less formal, casual, friendlier                           | plain words and contractions |
| plain English, simpler, simplify                          | plain words for officialese ("utilise" → "use", "in order to" → "to") |
| more confident, more direct, assertive                    | removes hedging words (perhaps, possibly, we think that) |
| bullet points, as a list                                  | paragraphs become bullet lists, one sentence per bullet |
| numbered list                                             | lists (or paragraphs) become numbered lists |
| paragraphs, prose                                         | bullet lists become paragraphs |
| add a summary, add a TL;DR                                | an extractive one- or two-sentence summary under the heading |
| proofread, fix typos                                      | mechanical fixes only: doubled words, spacing, capitals at sentence start |

Anything else (translation, tone other than formal/plain/confident, facts the record does not
hold) is not applied, and the result says so with the reason.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from analysis.engines import text
from reports.ai import facts
from reports.ai.context import SectionContext
from reports.ai.markdown import (
    Block,
    bullets,
    heading_text,
    is_ordered,
    list_items,
    parse_blocks,
    render_blocks,
    table,
    table_rows,
)
from reports.ai.writer import Draft

SUPPORTED = (
    "shorten, limit to N words, expand, add/remove a topic, replace X with Y, more formal, less formal, "
    "plain English, more confident, bullet points, numbered list, paragraphs, add a summary, proofread"
)


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


# ============================================================================================
# Splitting the prompt into instructions
# ============================================================================================

_VERBS = (
    r"(?:please\s+)?(?:shorten|condense|trim|tighten|cut|summari[sz]e|expand|elaborate|lengthen|add|include|"
    r"mention|cover|remove|drop|delete|exclude|omit|make|use|convert|turn|rewrite|replace|rename|change|fix|"
    r"proofread|format|translate|limit|reduce|keep|write|put|start|begin|get rid)\b"
    r"|(?:more|less)\s+(?:formal|casual|concise|detail\w*|professional|confident|direct)\b"
)
_CLAUSE_SPLIT_RE = re.compile(
    rf"\s*(?:,\s*(?:and\s+|then\s+)?|\s+and\s+(?:then\s+|also\s+)?|\s+then\s+|\s+also\s+)(?={_VERBS})", re.I
)
_SENTENCE_SPLIT_RE = re.compile(r"(?<!\be\.g)(?<!\bi\.e)[.;!?\n]+\s*")


def split_instructions(prompt: str) -> list[str]:
    clauses: list[str] = []
    prompt = re.sub(r"\btl;\s?dr\b", "TLDR", prompt, flags=re.I)  # its semicolon is not a separator
    for sentence in _SENTENCE_SPLIT_RE.split(prompt):
        for clause in _CLAUSE_SPLIT_RE.split(sentence):
            cleaned = clause.strip(" ,-\t\"'")
            if cleaned:
                clauses.append(cleaned)
    return clauses


# ============================================================================================
# Word-level rewrites
# ============================================================================================

_CONTRACTIONS = {
    "can't": "cannot", "won't": "will not", "don't": "do not", "doesn't": "does not", "didn't": "did not",
    "isn't": "is not", "aren't": "are not", "wasn't": "was not", "weren't": "were not", "shouldn't": "should not",
    "wouldn't": "would not", "couldn't": "could not", "haven't": "have not", "hasn't": "has not",
    "hadn't": "had not", "it's": "it is", "that's": "that is", "there's": "there is", "we're": "we are",
    "they're": "they are", "you're": "you are", "we'll": "we will", "they'll": "they will", "it'll": "it will",
    "we've": "we have", "they've": "they have", "i'm": "I am", "let's": "let us", "what's": "what is",
}  # fmt: skip
_INFORMAL_TO_FORMAL = {
    "gonna": "going to", "wanna": "want to", "kinda": "somewhat", "sort of": "somewhat", "a lot of": "significant",
    "lots of": "significant", "tons of": "numerous", "okay": "acceptable", "ok": "acceptable", "big": "significant",
    "huge": "substantial", "guys": "everyone", "folks": "colleagues", "check out": "review", "find out": "determine",
    "figure out": "determine", "get rid of": "eliminate", "come up with": "develop", "look into": "investigate",
    "deal with": "address", "pretty much": "largely", "right now": "at present", "asap": "as soon as possible",
    "buy": "purchase", "stuff": "material", "i think": "we consider", "we think": "we consider", "e.g.": "for example",
    "so far": "to date", "anyway": "in any case", "plus": "in addition",
}  # fmt: skip
_OFFICIAL_TO_PLAIN = {
    "utilise": "use", "utilize": "use", "utilised": "used", "utilized": "used", "utilisation": "use",
    "utilization": "use", "in order to": "to", "commence": "start", "commences": "starts", "endeavour": "try",
    "endeavor": "try", "facilitate": "help", "approximately": "about", "subsequently": "later",
    "prior to": "before", "in the event that": "if", "with regard to": "about", "with respect to": "about",
    "numerous": "many", "obtain": "get", "purchase": "buy", "assist": "help", "demonstrate": "show",
    "sufficient": "enough", "additional": "extra", "terminate": "end", "ascertain": "find out",
    "in addition": "also", "at present": "now", "a significant number of": "many", "is able to": "can",
    "are able to": "can", "it is important to note that": "", "due to the fact that": "because",
}  # fmt: skip
_CASUAL_CONTRACTIONS = {v: k for k, v in _CONTRACTIONS.items() if k not in ("i'm", "let's")}
_INTENSIFIERS_RE = re.compile(r"\b(really|super|totally|basically|literally|extremely|very)\s+", re.I)
_HEDGES_RE = re.compile(
    r"\b(?:perhaps|possibly|maybe|probably|somewhat|arguably|hopefully|it seems that|it appears that|"
    r"(?:we|i) (?:think|believe|feel)(?: that)?|in our opinion,?|more or less|kind of|sort of)\s+",
    re.I,
)
_WORDINESS = {
    "in order to": "to", "due to the fact that": "because", "at this point in time": "now",
    "it is important to note that": "", "for the purpose of": "for", "in the event that": "if",
    "a large number of": "many", "has the ability to": "can", "with regard to": "about",
}  # fmt: skip


def _match_case(original: str, replacement: str) -> str:
    if not replacement:
        return replacement
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _phrase_re(phrases: dict[str, str]) -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"(?<![\w'])(" + "|".join(re.escape(p) for p in ordered) + r")(?![\w'])", re.I)


def _rewrite_words(value: str, phrases: dict[str, str]) -> tuple[str, int]:
    pattern = _phrase_re(phrases)
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return _match_case(match.group(0), phrases[match.group(0).lower().replace("’", "'")])

    rewritten = pattern.sub(swap, value.replace("’", "'"))
    return re.sub(r"  +", " ", rewritten), count


def _map_text(r: Refinement, rewrite: Callable[[str], tuple[str, int]], *, headings: bool = False) -> int:
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


# ============================================================================================
# Instructions
# ============================================================================================


def _sentence_ranker(r: Refinement) -> Callable[[str], float]:
    whole = " ".join(b.text for b in r.prose_blocks)
    ranked = [facts.terms(k) for k in text.keywords(whole, top=10)] if whole.strip() else []

    def score(sentence: str) -> float:
        have = facts.terms(sentence)
        hits = sum(10 - rank for rank, wanted in enumerate(ranked) if wanted and wanted <= have)
        # Numbers carry a section's facts: a sentence stating one is worth keeping.
        bonus = 3 if text.numbers(sentence) else 0
        return (hits + bonus) / math.sqrt(max(1, len(have)))

    return score


def shorten(r: Refinement, clause: str, *, ratio: float | None = None, words: int | None = None) -> None:
    before_total = r.total_words()
    prose = r.prose_words()
    if prose == 0:
        r.refuse(clause, "the section has no prose or lists to shorten (tables and gap notes are kept whole)")
        return
    # Wordy phrases go first: the cheapest words to lose.
    _map_text(r, lambda line: _rewrite_words(line, _WORDINESS))
    fixed = before_total - prose
    budget = max(1, (words - fixed) if words is not None else math.ceil(prose * (ratio or 0.6)))
    score = _sentence_ranker(r)
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
    _drop_empty_sections(r)
    after = r.total_words()
    target = f"{words} words" if words is not None else f"about {round((ratio or 0.6) * 100)}% of the prose"
    r.ok(f"shortened from {before_total} to {after} words (target {target})")
    if words is not None and after > words:
        r.refuse(clause, f"reached {after} words, not {words}: tables, headings and gap notes are kept whole")


def _drop_empty_sections(r: Refinement) -> None:
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


def _present_sentences(r: Refinement) -> list[str]:
    out = []
    for block in r.blocks:
        if block.kind == "paragraph":
            out += text.sentences(block.text)
        elif block.kind in ("list", "table", "quote"):
            out += [line.strip("|>-* ") for line in block.lines]
    return out


def _is_new(candidate: str, present: list[str]) -> bool:
    return all(facts.containment(candidate, sentence) < 0.8 for sentence in present)


def expand(r: Refinement, clause: str) -> None:
    present = _present_sentences(r)
    section_text = " ".join([r.title, *present])
    candidates: list[tuple[float, str, str]] = []
    for label, value in r.ctx.all_text():
        for sentence in text.sentences(value) or [value]:
            if text.word_count(sentence) < 3 or not _is_new(sentence, present):
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


_TOPIC_TABLES: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\brisk", re.I), "risks"),
    (re.compile(r"\b(timeline|schedule|plan|phases?|milestones?)\b", re.I), "timeline"),
    (re.compile(r"\b(costs?|budget|pric\w*|roi|return|financials?|money)\b", re.I), "money"),
    (re.compile(r"\bstakeholders?\b", re.I), "stakeholders"),
    (re.compile(r"\brequirements?\b", re.I), "requirements"),
    (re.compile(r"\bintegrations?\b", re.I), "integrations"),
    (re.compile(r"\b(technolog\w*|tech stack|stack)\b", re.I), "technologies"),
    (
        re.compile(r"\b(complian\w*|regulat\w*|secur\w*|privacy|gdpr|hipaa|soc 2|iso 27001|pci)\b", re.I),
        "compliance",
    ),
]


def _topic_block(r: Refinement, kind: str) -> str | None:
    """A table for a known topic, from the record; None when the record has nothing on it."""
    draft = Draft(r.report_type, r.title, r.ctx)
    o = r.ctx.opportunity
    if kind == "risks":
        return draft.risk_table() if facts.risks(r.ctx) else None
    if kind == "timeline":
        return draft.phase_table() if (o.duration_weeks or (o.start_on and o.target_on)) else None
    if kind == "money":
        m = facts.money_facts(r.ctx)
        rows = [
            [label, draft.money(value)]
            for label, value in (
                ("Budget", m.budget),
                ("Estimated cost", m.cost),
                ("Expected annual benefit", m.annual_benefit),
            )
            if value is not None
        ]
        if m.payback_months:
            rows.append(["Payback", f"{m.payback_months:.0f} months"])
        return table(["Measure", "Value"], rows) if rows else None
    if kind == "stakeholders":
        found = facts.stakeholders(r.ctx)
        return (
            table(["Stakeholder", "Role", "Engagement"], [[s.name, s.role, s.engagement] for s in found])
            if found
            else None
        )
    if kind == "requirements":
        return draft.requirement_table() if o.requirements else None
    if kind == "integrations":
        found_i = facts.integrations(r.ctx)
        return (
            table(["System", "Purpose", "Direction"], [[i.system, i.purpose, i.direction] for i in found_i])
            if found_i
            else None
        )
    if kind == "technologies":
        return (
            table(["Technology", "Layer"], [[t, facts.layer_of(t)] for t in o.technologies])
            if o.technologies
            else None
        )
    if kind == "compliance":
        rows2 = [[c, facts.obligations_for(c) or "to confirm"] for c in o.compliance]
        return table(["Standard", "Obligations"], rows2) if rows2 else None
    return None


def add_topic(r: Refinement, clause: str, topic: str) -> None:
    topic = re.sub(r"^(?:a|an|the|some|more|our|their)\s+", "", topic.strip(" .\"'"), flags=re.I)
    topic = _GENERIC_TAIL_RE.sub("", topic)
    if not topic:
        r.refuse(clause, "no topic named")
        return
    heading = topic[:1].upper() + topic[1:]
    for pattern, kind in _TOPIC_TABLES:
        if pattern.search(topic):
            block = _topic_block(r, kind)
            if block:
                r.blocks += [Block("heading", [f"### {heading}"], level=3), *parse_blocks(block)]
                r.ok(f"added a {kind} table from the record")
                return
    present = _present_sentences(r)
    found: list[tuple[str, str]] = []
    for label, value in r.ctx.all_text():
        for sentence in text.sentences(value) or [value]:
            if (facts.mentions(sentence, topic) or facts.containment(topic, sentence) >= 0.5) and _is_new(
                sentence, present
            ):
                if all(sentence != s for _, s in found):
                    found.append((label, sentence))
    if not found:
        r.refuse(clause, f"the customer and opportunity record says nothing about {topic}")
        return
    r.blocks += [
        Block("heading", [f"### {heading}"], level=3),
        Block(
            "list", bullets([f"{s.rstrip('.')}. _(from the {label})_" for label, s in found[:8]]).split("\n")
        ),
    ]
    r.ok(f"added {min(len(found), 8)} fact(s) on {topic}")


# "the SAP items", "the pricing section": the trailing word names the kind of passage, not the topic.
_GENERIC_TAIL_RE = re.compile(
    r"\s+(?:sections?|paragraphs?|parts?|tables?|rows?|lists?|details?|items?|entries|entry|things?|bits?|"
    r"lines?|points?|stuff|references?|mentions?|sentences?)$",
    re.I,
)
_GAP_TOPIC_RE = re.compile(
    r"^(?:the\s+)?(?:gaps?|gap notes?|gap markers?|missing[- ]information notes?)$", re.I
)


def remove_topic(r: Refinement, clause: str, topic: str) -> None:
    topic = re.sub(r"^(?:any|all|the)\s+", "", topic.strip(" .\"'"), flags=re.I)
    topic = re.sub(r"^(?:mentions?|references?)\s+(?:of|to)\s+(?:the\s+)?", "", topic, flags=re.I)
    topic = _GENERIC_TAIL_RE.sub("", topic)
    if not topic:
        r.refuse(clause, "no topic named")
        return
    removed = 0
    if _GAP_TOPIC_RE.match(topic):
        kept = [b for b in r.blocks if not (b.kind == "quote" and "**Gap:**" in b.text)]
        removed = len(r.blocks) - len(kept)
        r.blocks = kept
    else:
        hit = lambda value: facts.mentions(value, topic) or topic.lower() in value.lower()  # noqa: E731
        out: list[Block] = []
        skip_level = 0
        for block in r.blocks:
            if skip_level:
                if block.kind == "heading" and block.level <= skip_level:
                    skip_level = 0
                else:
                    continue
            if (
                block.kind == "heading"
                and block.level >= 2
                and hit(heading_text(block))
                and block is not r.blocks[0]
            ):
                skip_level = block.level
                removed += 1
                continue
            if block.kind == "paragraph":
                sentences = text.sentences(block.text)
                kept_s = [s for s in sentences if not hit(s)]
                removed += len(sentences) - len(kept_s)
                block.lines = [" ".join(kept_s)] if kept_s else []
            elif block.kind == "list":
                items = list_items(block)
                kept_i = [i for i in items if not hit(i)]
                removed += len(items) - len(kept_i)
                block.lines = bullets(kept_i, ordered=is_ordered(block)).split("\n") if kept_i else []
            elif block.kind == "table":
                head, rows = table_rows(block)
                kept_r = [row for row in rows if not hit(row)]
                removed += len(rows) - len(kept_r)
                block.lines = head + kept_r if kept_r else []
            elif block.kind == "quote" and hit(block.text):
                removed += 1
                block.lines = []
            out.append(block)
        r.blocks = out
        _drop_empty_sections(r)
    if removed:
        r.ok(f"removed {removed} passage(s) about {topic}")
    else:
        r.refuse(clause, f"found no mention of {topic} in the section")


def replace_words(r: Refinement, clause: str, old: str, new: str) -> None:
    old, new = old.strip(" \"'"), new.strip(" \"'")
    pattern = re.compile(r"(?<!\w)" + re.escape(old) + r"(?!\w)", re.I)
    count = 0

    def swap(line: str) -> tuple[str, int]:
        changed, n = pattern.subn(lambda m: _match_case(m.group(0), new), line)
        return changed, n

    count = _map_text(r, swap, headings=True)
    if count:
        r.ok(f'replaced "{old}" with "{new}" {count} time(s)')
    else:
        r.refuse(clause, f'"{old}" does not occur in the section')


def formal(r: Refinement, clause: str) -> None:
    def rewrite(line: str) -> tuple[str, int]:
        line, a = _rewrite_words(line, _CONTRACTIONS)
        line, b = _rewrite_words(line, _INFORMAL_TO_FORMAL)
        line, c = _INTENSIFIERS_RE.subn("", line)
        line, d = re.subn(r"!+", ".", line)
        return line, a + b + c + d

    changes = _map_text(r, rewrite)
    if changes:
        r.ok(f"made the tone more formal ({changes} change(s))")
    else:
        r.refuse(
            clause,
            "the text has no contractions, informal words or exclamations to change; it already reads formally",
        )


def plain(r: Refinement, clause: str, *, casual: bool) -> None:
    def rewrite(line: str) -> tuple[str, int]:
        line, a = _rewrite_words(line, _OFFICIAL_TO_PLAIN)
        b = 0
        if casual:
            line, b = _rewrite_words(line, _CASUAL_CONTRACTIONS)
        return line, a + b

    changes = _map_text(r, rewrite)
    if changes:
        r.ok(f"used {'a more casual' if casual else 'plainer'} wording ({changes} change(s))")
    else:
        r.refuse(clause, "found no formal words or phrases with a plainer equivalent")


_SENTENCE_START_RE = re.compile(r"(^(?:\s*(?:[-*+]|\d+[.)]|>)\s+)?|[.!?]\s+)([a-z])")


def _recapitalise(line: str) -> str:
    """A sentence whose first words were removed starts with a capital again."""
    return _SENTENCE_START_RE.sub(lambda m: m.group(1) + m.group(2).upper(), line)


def confident(r: Refinement, clause: str) -> None:
    def rewrite(line: str) -> tuple[str, int]:
        changed, count = _HEDGES_RE.subn("", line)
        return (_recapitalise(changed) if count else changed), count

    changes = _map_text(r, rewrite)
    if changes:
        r.ok(f"removed {changes} hedging word(s)")
    else:
        r.refuse(clause, "the text has no hedging words to remove")


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
    score = _sentence_ranker(r)
    candidates = [s for s in text.sentences(prose) if text.word_count(s) >= 4]
    best = sorted(sorted(range(len(candidates)), key=lambda i: (-score(candidates[i]), i))[:2])
    summary = " ".join(candidates[i] for i in best)
    position = 1 if r.blocks and r.blocks[0].kind == "heading" else 0
    r.blocks.insert(position, Block("paragraph", [f"**Summary:** {summary}"]))
    r.ok("added a two-sentence summary")


def proofread(r: Refinement, clause: str) -> None:
    def rewrite(line: str) -> tuple[str, int]:
        total = 0
        line, n = re.subn(r"\b(\w+)(\s+\1\b)+", r"\1", line, flags=re.I)
        total += n
        line, n = re.subn(r"(?<=\S) {2,}(?=\S)", " ", line)
        total += n
        line, n = re.subn(r"\s+([,.;:!?])(?=\s|$)", r"\1", line)
        total += n
        line, n = re.subn(r"(?<=\s)i(?=\s|')", "I", line)
        total += n
        capitalised = _recapitalise(line)
        total += sum(1 for a, b in zip(line, capitalised, strict=True) if a != b)
        line = capitalised
        return line, total

    changes = _map_text(r, rewrite)
    r.ok(f"made {changes} mechanical correction(s)")
    r.refuse(
        clause,
        "spelling and grammar are not checked by the local engine; only doubled words, spacing and capitals were fixed",
    )


# ============================================================================================
# Dispatch
# ============================================================================================

_TRANSLATE_RE = re.compile(
    r"\btranslat\w*\b|\b(?:in|into)\s+(?:french|spanish|german|italian|portuguese|dutch|chinese|japanese|arabic|hindi|russian)\b",
    re.I,
)
_REPLACE_RE = re.compile(
    r"^(?:please\s+)?(?:replace|change|swap)\s+(?P<old>.+?)\s+(?:with|by|to|for)\s+(?P<new>.+)$", re.I
)
_RENAME_RE = re.compile(r"^(?:please\s+)?rename\s+(?P<old>.+?)\s+(?:to|as)\s+(?P<new>.+)$", re.I)
_WORD_LIMIT_RE = re.compile(
    r"\b(?:to|under|below|within|at most|max(?:imum)?|no more than|less than|fewer than)?\s*(?P<n>\d{1,5})\s+words?\b",
    re.I,
)
_SUMMARY_RE = re.compile(
    r"\b(?:add|include|start with|begin with|put|write)\b.*\b(?:summary|tl;?dr|key takeaways?|overview)\b",
    re.I,
)
_ADD_RE = re.compile(
    r"^(?:please\s+)?(?:add|include|mention|cover|discuss|talk about|say something about|elaborate on|expand on|"
    r"more (?:on|about)|(?:also\s+)?write about)\s+(?:(?:a|an|the|some|more)\s+)?"
    r"(?:(?:short\s+|brief\s+)?(?:section|paragraph|note|bit|details?|line|points?|sentences?|subsection|information|info|content|table)\s+)?"
    r"(?:(?:on|about|regarding|covering|for|of)\s+)?(?P<topic>.+)$",
    re.I,
)
_REMOVE_RE = re.compile(
    r"^(?:please\s+)?(?:remove|drop|delete|exclude|omit|cut|take out|leave out|get rid of|don't mention|do not mention|"
    r"no mention of|no|without|strip)\s+(?P<topic>.+)$",
    re.I,
)
_SHORTEN_RE = re.compile(
    r"\b(shorten\w*|shorter|condense\w*|concise|trim|tighten|cut (?:it )?down|summari[sz]e|briefer|brief|reduce|less wordy|too long)\b",
    re.I,
)
_EXPAND_RE = re.compile(
    r"\b(expand|elaborate|lengthen|longer|more detail\w*|flesh (?:it )?out|more depth|extend|richer)\b", re.I
)
_LESS_FORMAL_RE = re.compile(
    r"\b(less formal|informal|casual|conversational|friendl\w*|relaxed|warmer)\b", re.I
)
_PLAIN_RE = re.compile(
    r"\b(plain (?:english|language|words)|simpler|simplify|easier to read|less jargon|no jargon)\b", re.I
)
_FORMAL_RE = re.compile(r"\b(formal|professional|business[- ]like)\b", re.I)
_CONFIDENT_RE = re.compile(
    r"\b(confident|assertive|direct|decisive|less hedging|no hedging|stronger)\b", re.I
)
_NUMBERED_RE = re.compile(r"\b(numbered|number the|ordered list)\b", re.I)
_BULLETS_RE = re.compile(r"\b(bullet\w*|as a list|into a list|list form|bulleted|as points)\b", re.I)
_PARAGRAPHS_RE = re.compile(
    r"\b(prose|paragraphs?|no bullets|without bullets|remove (?:the )?bullets)\b", re.I
)
_PROOFREAD_RE = re.compile(r"\b(proofread|typos?|grammar|spelling|clean (?:it )?up|tidy)\b", re.I)
_SELF_RE = re.compile(r"^(?:this|it|that|the (?:section|text|summary)|everything|all of it)$", re.I)
_TONE_RE = re.compile(
    r"\b(persuasive|engaging|exciting|positive|optimistic|technical|funny|humorous|emotional|salesy|punchy)\b",
    re.I,
)


# Instructions told apart by a keyword alone, tried in this order once the ones that need more
# parsing (translate, rename, paragraphs, summary, word limit, add/remove a topic, shorten) did not match.
_KEYWORD_INSTRUCTIONS: list[tuple[re.Pattern[str], Callable[[Refinement, str], None]]] = [
    (_EXPAND_RE, expand),
    (_LESS_FORMAL_RE, lambda r, clause: plain(r, clause, casual=True)),
    (_PLAIN_RE, lambda r, clause: plain(r, clause, casual=False)),
    (_FORMAL_RE, formal),
    (_CONFIDENT_RE, confident),
    (_NUMBERED_RE, lambda r, clause: to_bullets(r, clause, ordered=True)),
    (_BULLETS_RE, to_bullets),
    (_PROOFREAD_RE, proofread),
]


def apply(r: Refinement, clause: str) -> None:
    if _TRANSLATE_RE.search(clause):
        r.refuse(clause, "translation is not supported by the local engine")
        return
    if match := (_RENAME_RE.match(clause) or _REPLACE_RE.match(clause)):
        replace_words(r, clause, match.group("old"), match.group("new"))
        return
    if (
        _PARAGRAPHS_RE.search(clause)
        and re.search(
            r"\b(bullets?|lists?|prose|paragraphs? instead|into paragraphs|as paragraphs|no bullets)\b",
            clause,
            re.I,
        )
        and not _ADD_RE.match(clause)
    ):
        to_paragraphs(r, clause)
        return
    if _SUMMARY_RE.search(clause):
        add_summary(r, clause)
        return
    limit = _WORD_LIMIT_RE.search(clause)
    if limit and (
        _SHORTEN_RE.search(clause)
        or re.search(r"\b(limit|keep|under|below|max|most|no more)\b", clause, re.I)
    ):
        shorten(r, clause, words=int(limit.group("n")))
        return
    if match := _ADD_RE.match(clause):
        topic = re.sub(
            r"\s+(?:with|in)\s+more\s+(?:detail|depth)\w*$", "", match.group("topic").strip(), flags=re.I
        )
        if _SELF_RE.match(topic):  # "expand on this": the section itself, not a topic
            expand(r, clause)
        else:
            add_topic(r, clause, topic)
        return
    if match := _REMOVE_RE.match(clause):
        if not re.match(r"^(?:the\s+)?(?:bullets?|bullet points)$", match.group("topic").strip(), re.I):
            remove_topic(r, clause, match.group("topic"))
            return
        to_paragraphs(r, clause)
        return
    if _SHORTEN_RE.search(clause):
        ratio = (
            0.5
            if re.search(r"\b(half|50\s*%)\b", clause, re.I)
            else 0.8
            if re.search(r"\b(slightly|a bit|a little|somewhat)\b", clause, re.I)
            else 0.6
        )
        shorten(r, clause, ratio=ratio)
        return
    for pattern, instruction in _KEYWORD_INSTRUCTIONS:
        if pattern.search(clause):
            instruction(r, clause)
            return
    if _TONE_RE.search(clause):
        r.refuse(
            clause,
            "tone changes other than more/less formal, plain English and more confident are not supported by the local engine",
        )
        return
    r.refuse(clause, f"not an instruction the local engine understands (it understands: {SUPPORTED})")


def refine_section(
    *, original: str, prompt: str, ctx: SectionContext, report_type: str, title: str
) -> tuple[str, list[str], list[str]]:
    """(refined Markdown, what was applied, what could not be applied and why)."""
    refinement = Refinement(parse_blocks(original), ctx, report_type, title)
    clauses = split_instructions(prompt)
    if not clauses:
        refinement.refuse(prompt, "the prompt holds no instruction")
    for clause in clauses:
        apply(refinement, clause)
    return render_blocks(refinement.blocks), refinement.applied, refinement.not_applied
