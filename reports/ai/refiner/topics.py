"""Instructions about a topic: add one (a table built from the record for known topics, the
record's own sentences for any other) or remove every passage that mentions it."""

from __future__ import annotations

import re

from analysis.engines import text
from reports.ai import facts
from reports.ai.markdown import (
    Block,
    bullets,
    heading_text,
    is_ordered,
    list_items,
    parse_blocks,
    table,
    table_rows,
)
from reports.ai.refiner.refinement import Refinement, drop_empty_sections, is_new, present_sentences
from reports.ai.writer import Draft

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
    present = present_sentences(r)
    found: list[tuple[str, str]] = []
    for label, value in r.ctx.all_text():
        for sentence in text.sentences(value) or [value]:
            if (facts.mentions(sentence, topic) or facts.containment(topic, sentence) >= 0.5) and is_new(
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
        drop_empty_sections(r)
    if removed:
        r.ok(f"removed {removed} passage(s) about {topic}")
    else:
        r.refuse(clause, f"found no mention of {topic} in the section")
