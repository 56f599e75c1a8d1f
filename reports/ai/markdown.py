"""Just enough Markdown for sections: building tables and lists, and splitting a section into
blocks (headings, paragraphs, lists, tables, quotes, code) so refinements can rewrite one kind
of block and leave the others alone."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Literal

BlockKind = Literal["heading", "paragraph", "list", "table", "quote", "code", "rule"]


def cell(value: object) -> str:
    # A pipe inside a cell would split the column; a newline would end the row.
    return str(value).replace("|", "\\|").replace("\n", " ").strip()


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    lines = ["| " + " | ".join(cell(h) for h in headers) + " |", "|" + "|".join("---" for _ in headers) + "|"]
    lines += ["| " + " | ".join(cell(v) for v in row) + " |" for row in rows]
    return "\n".join(lines)


def bullets(items: list[str], *, ordered: bool = False) -> str:
    if ordered:
        return "\n".join(f"{index}. {item}" for index, item in enumerate(items, 1))
    return "\n".join(f"- {item}" for item in items)


def money(amount: float | None, currency: str) -> str:
    if amount is None:
        return "not stated"
    rounded = round(amount)
    text = f"{rounded:,}" if abs(amount - rounded) < 0.005 else f"{amount:,.2f}"
    symbol = {"USD": "$", "EUR": "€", "GBP": "£", "INR": "₹", "JPY": "¥"}.get(currency.upper())
    return f"{symbol}{text}" if symbol else f"{text} {currency.upper()}"


def percent(value: float) -> str:
    return f"{value:.0f}%" if abs(value) >= 10 else f"{value:.1f}%"


def join_words(items: list[str], conjunction: str = "and") -> str:
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {conjunction} {items[-1]}"


@dataclass
class Block:
    kind: BlockKind
    lines: list[str] = field(default_factory=list)
    level: int = 0  # heading level

    @property
    def text(self) -> str:
        return "\n".join(self.lines)

    def render(self) -> str:
        return self.text


_HEADING_RE = re.compile(r"^(#{1,6})\s+(.*)$")
_LIST_RE = re.compile(r"^\s*(?:[-*+]|\d+[.)])\s+")
_RULE_RE = re.compile(r"^\s*(?:-{3,}|\*{3,}|_{3,})\s*$")


def parse_blocks(markdown: str) -> list[Block]:
    blocks: list[Block] = []
    current: Block | None = None
    in_code = False
    for line in markdown.replace("\r\n", "\n").split("\n"):
        stripped = line.strip()
        if in_code:
            assert current is not None
            current.lines.append(line)
            if stripped.startswith("```"):
                in_code, current = False, None
            continue
        if stripped.startswith("```"):
            current = Block("code", [line])
            blocks.append(current)
            in_code = True
            continue
        if not stripped:
            current = None
            continue
        heading = _HEADING_RE.match(stripped)
        if heading:
            blocks.append(Block("heading", [stripped], level=len(heading.group(1))))
            current = None
            continue
        if _RULE_RE.match(stripped):
            blocks.append(Block("rule", ["---"]))
            current = None
            continue
        kind: BlockKind
        if stripped.startswith("|"):
            kind = "table"
        elif stripped.startswith(">"):
            kind = "quote"
        elif _LIST_RE.match(line):
            kind = "list"
        elif current is not None and current.kind == "list" and line.startswith((" ", "\t")):
            kind = "list"  # a wrapped list item continues the list
        else:
            kind = "paragraph"
        if current is not None and current.kind == kind:
            current.lines.append(line if kind == "list" else stripped)
        else:
            current = Block(kind, [line if kind == "list" else stripped])
            blocks.append(current)
    return blocks


def render_blocks(blocks: list[Block]) -> str:
    return "\n\n".join(block.render() for block in blocks if block.lines).strip() + "\n"


def heading_text(block: Block) -> str:
    return block.lines[0].lstrip("#").strip()


def list_items(block: Block) -> list[str]:
    """The items of a list block, wrapped continuation lines joined to their item."""
    items: list[str] = []
    for line in block.lines:
        if _LIST_RE.match(line):
            items.append(_LIST_RE.sub("", line, count=1).strip())
        elif items:
            items[-1] = f"{items[-1]} {line.strip()}"
    return items


def is_ordered(block: Block) -> bool:
    return bool(block.lines) and bool(re.match(r"^\s*\d+[.)]\s", block.lines[0]))


def table_rows(block: Block) -> tuple[list[str], list[str]]:
    """(header and separator lines, data lines) of a table block."""
    head = (
        block.lines[:2]
        if len(block.lines) >= 2 and set(block.lines[1].replace("|", "").strip()) <= set("-: ")
        else block.lines[:1]
    )
    return head, block.lines[len(head) :]
