"""Instructions about what comes first: emphasis on a subject ("emphasise the ROI", "focus on
risks", "play down the risks") and a reader ("for the CFO", "for engineers", "for the board").

A section is cut into units a reader would move as a whole (a paragraph, a list with its lead-in,
a table with its notes, a subsection); emphasis moves the units about a subject to the top, and
when the section says nothing on it, writes a paragraph on it from the record (with every figure
derived in the open). A reader profile is an order of subjects, what that reader needs first,
plus the paragraphs to add when the section lacks them."""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.engines import text
from reports.ai import facts, prose
from reports.ai.markdown import Block, parse_blocks
from reports.ai.refiner.length import fact_sentence
from reports.ai.refiner.refinement import Refinement, present_sentences
from reports.ai.refiner.wording import plain
from reports.ai.writer import Draft, paragraphs

# ============================================================================================
# Subjects
# ============================================================================================


@dataclass(frozen=True)
class Subject:
    key: str
    label: str  # as a reader names it: "the return on investment"
    marks: re.Pattern[str]  # what makes a passage about it
    paragraph: paragraphs.Paragraph | None  # how to write it from the record


_DATE_WORDS = (
    r"\d{1,2} (?:January|February|March|April|May|June|July|August|September|October|November|December)"
)
SUBJECTS: dict[str, Subject] = {
    s.key: s
    for s in (
        Subject("return", "the return on investment", re.compile(r"\b(return on investment|roi|net benefit)\b", re.I), paragraphs.return_on_investment),
        Subject("payback", "the payback", re.compile(r"\b(payback|pays? back)\b", re.I), paragraphs.benefits),
        Subject("cost", "the cost and budget", re.compile(r"\b(costs?|budget|pric(?:e|es|ing)|investment|spend)\b", re.I), paragraphs.cost),
        Subject("benefits", "the benefits", re.compile(r"\b(benefits?|sav(?:e|es|ing|ings))\b", re.I), paragraphs.benefits),
        Subject("risk", "the risks", re.compile(r"\brisks?\b", re.I), paragraphs.risks),
        Subject("timeline", "the timeline", re.compile(rf"\b(timeline|schedule|go-live|deadline|slack|phases?|weeks?|{_DATE_WORDS}|\d{{4}}-\d{{2}}-\d{{2}})\b", re.I), paragraphs.timeline),
        Subject("goals", "the goals", re.compile(r"\b(goals?|objectives?|aims?|sets out to)\b", re.I), paragraphs.goals),
        Subject("verdict", "the verdict", re.compile(r"\b(verdict|feasib\w*|recommend\w*)\b", re.I), paragraphs.verdict),
        Subject("solution", "the proposed solution", re.compile(r"\b(proposal|proposed solution|solution|platform|architecture)\b", re.I), paragraphs.proposal),
        Subject("stack", "the stack and integrations", re.compile(r"\b(integrat\w*|api|webhooks?|interfaces?|stack|built with|technolog\w*)\b", re.I), paragraphs.stack_and_integrations),
        Subject("need", "the customer's need", re.compile(r"\b(needs?|wants?|problems?|pain|manual|today)\b", re.I), paragraphs.need),
        Subject("requirements", "the requirements", re.compile(r"\brequirements?\b", re.I), paragraphs.scope),
        Subject("compliance", "security and compliance", re.compile(r"\b(secur\w*|complian\w*|gdpr|privacy|hipaa|soc 2|iso 27001|regulat\w*)\b", re.I), paragraphs.compliance),
        Subject("scope", "the scope and deliverables", re.compile(r"\b(scope|deliverables?)\b", re.I), paragraphs.deliverables),
        Subject("payment", "the payment terms", re.compile(r"\b(payment|instalments?|invoic\w*)\b", re.I), paragraphs.payment),
    )
}  # fmt: skip

# How readers name subjects in an instruction, tried in this order.
_SUBJECT_WORDS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"\b(roi|return|returns|net benefit)\b", re.I), "return"),
    (re.compile(r"\b(payback|pay back|break[- ]even)\b", re.I), "payback"),
    (
        re.compile(r"\b(costs?|budget|pric\w*|investment|spend\w*|money|financ\w*|numbers|figures)\b", re.I),
        "cost",
    ),
    (re.compile(r"\b(benefits?|savings?|value|upside|gains?)\b", re.I), "benefits"),
    (re.compile(r"\b(risks?|threats?|concerns?|downsides?|dangers?)\b", re.I), "risk"),
    (
        re.compile(r"\b(timeline|schedule|dates?|deadlines?|go-live|timing|delivery date|plan)\b", re.I),
        "timeline",
    ),
    (re.compile(r"\b(goals?|objectives?|aims?|outcomes?|purpose)\b", re.I), "goals"),
    (re.compile(r"\b(verdict|recommendations?|decision|conclusion|feasibility)\b", re.I), "verdict"),
    (re.compile(r"\b(integrations?|stack|technolog\w*|tech|apis?|architecture|technical)\b", re.I), "stack"),
    (re.compile(r"\b(solution|proposal|platform|product)\b", re.I), "solution"),
    (re.compile(r"\b(need|needs|problems?|pain points?|challenges?)\b", re.I), "need"),
    (re.compile(r"\brequirements?\b", re.I), "requirements"),
    (re.compile(r"\b(security|compliance|gdpr|privacy|regulat\w*)\b", re.I), "compliance"),
    (re.compile(r"\b(scope|deliverables?)\b", re.I), "scope"),
    (re.compile(r"\b(payments?|payment terms|instalments?)\b", re.I), "payment"),
]


def subject_of(topic: str) -> Subject | None:
    for pattern, key in _SUBJECT_WORDS:
        if pattern.search(topic):
            return SUBJECTS[key]
    return None


# ============================================================================================
# Units a reader moves whole
# ============================================================================================


@dataclass
class Unit:
    blocks: list[Block]

    @property
    def text(self) -> str:
        return "\n".join(b.text for b in self.blocks)

    @property
    def label(self) -> str:
        """A subsection's heading or a paragraph's bold run-in label: what the unit says it is about."""
        first = self.blocks[0]
        if first.kind == "heading":
            return first.text
        match = re.match(r"^\*\*(.+?)\*\*", first.text)
        return match.group(1) if match else ""


_CLOSING_NOTE_RE = re.compile(r"^_How the figures were worked out")


def _is_note(block: Block) -> bool:
    value = block.text.strip()
    return block.kind == "paragraph" and value.startswith("_") and value.endswith("_")


def split_units(blocks: list[Block]) -> tuple[list[Block], list[Unit], list[Block]]:
    """(the title and the gap notes under it, the movable units, closing notes)."""
    head: list[Block] = []
    index = 0
    if blocks and blocks[0].kind == "heading" and blocks[0].level <= 2:
        head.append(blocks[0])
        index = 1
    while index < len(blocks) and blocks[index].kind == "quote":
        head.append(blocks[index])
        index += 1
    tail: list[Block] = []
    end = len(blocks)
    while end > index and (_CLOSING_NOTE_RE.match(blocks[end - 1].text) or blocks[end - 1].kind == "rule"):
        end -= 1
    tail = blocks[end:]
    units: list[Unit] = []
    level = 0
    for block in blocks[index:end]:
        current = units[-1] if units else None
        if block.kind == "heading":
            units.append(Unit([block]))
            level = block.level
            continue
        joins = current is not None and (
            level  # inside a subsection
            or _is_note(block)  # a note qualifies what precedes it
            or block.kind == "quote"
            or (block.kind in ("list", "table") and current.blocks[-1].text.rstrip().endswith(":"))
        )
        if joins and current is not None:
            current.blocks.append(block)
        else:
            units.append(Unit([block]))
    return head, units, tail


def _join(head: list[Block], units: list[Unit], tail: list[Block]) -> list[Block]:
    return head + [block for unit in units for block in unit.blocks] + tail


def _strength(unit: Unit, subject: Subject) -> int:
    """2 when the unit is labelled as being about the subject, 1 when it mentions it, else 0."""
    if subject.marks.search(unit.label):
        return 2
    return 1 if subject.marks.search(unit.text) else 0


def _record_paragraph(r: Refinement, subject: Subject) -> str | None:
    if subject.paragraph is None:
        return None
    draft = Draft(r.report_type, r.title, r.ctx)
    written = subject.paragraph(draft)
    if not written:
        return None
    # What the section already says is not said twice.
    label, _, body = written.partition("** ")
    present = present_sentences(r)
    fresh = [s for s in text.sentences(body) if all(facts.containment(s, p) < 0.8 for p in present)]
    if not fresh:
        return None
    written = f"{label}** " + " ".join(fresh)
    unstated = [d.how for d in draft.derivations if d.how and d.figure in written and d.how not in written]
    return written + (f" _({'; '.join(dict.fromkeys(unstated))})_" if unstated else "")


def _record_sentences(r: Refinement, topic: str) -> str | None:
    """Sentences from the record that mention a subject no paragraph is written for."""
    present = present_sentences(r)
    names = prose.proper_nouns(value for _, value in r.ctx.all_text())
    found: list[str] = []
    for label, value in r.ctx.all_text():
        for sentence in text.sentences(value) or [value]:
            if facts.mentions(sentence, topic) and all(facts.containment(sentence, p) < 0.8 for p in present):
                found.append(fact_sentence(label, sentence, names))
    found = list(dict.fromkeys(found))[:4]
    return " ".join(found) if found else None


# ============================================================================================
# Emphasis
# ============================================================================================


def lead_with(
    r: Refinement, subjects: list[Subject], *, add: tuple[str, ...] = (), covered_by: int = 1
) -> tuple[list[str], list[str]]:
    """Put units about `subjects` first, in that order (a unit labelled with the subject before
    one that only mentions it); for each subject keyed in `add` that no unit covers (mentions it,
    `covered_by` 1, or is labelled with it, 2), write its paragraph from the record at the very
    top, without what the section already says. Returns (labels moved, labels added)."""
    head, units, tail = split_units(r.blocks)
    added_units: list[Unit] = []
    added: list[str] = []
    for subject in subjects:
        if subject.key in add and not any(_strength(u, subject) >= covered_by for u in units):
            written = _record_paragraph(r, subject)
            if written:
                added_units.append(Unit(parse_blocks(written)))
                added.append(subject.label)

    def rank(item: tuple[int, Unit]) -> tuple[int, int, int]:
        # A unit's own label says what it is about ("**Main risks.**" mentions the integration but
        # is about risks): a labelled unit about none of these subjects keeps its place among the rest.
        position, unit = item
        labelled = [order for order, subject in enumerate(subjects) if _strength(unit, subject) == 2]
        if labelled:
            return (min(labelled), 0, position)
        if unit.label:
            return (len(subjects), 0, position)
        mentioned = [order for order, subject in enumerate(subjects) if _strength(unit, subject)]
        return (min(mentioned), 1, position) if mentioned else (len(subjects), 0, position)

    ordered = [unit for _, unit in sorted(enumerate(units), key=rank)]
    leading = sorted({rank((position, unit))[0] for position, unit in enumerate(units)} - {len(subjects)})
    moved = [subjects[order].label for order in leading] if ordered != units else []
    r.blocks = _join(head, added_units + ordered, tail)
    return moved, added


def _within_paragraph(r: Refinement, subject: Subject) -> bool:
    """One-paragraph sections: its sentences about the subject go first, unless one leans on the
    sentence before it ("This ...", "It ...")."""
    head, units, tail = split_units(r.blocks)
    prose_units = [u for u in units if u.blocks[0].kind == "paragraph"]
    if len(units) != 1 or not prose_units:
        return False
    block = prose_units[0].blocks[0]
    sentences = text.sentences(block.text)
    about = [s for s in sentences if subject.marks.search(s)]
    if not about or about == sentences[: len(about)]:
        return False
    if any(re.match(r"^(this|that|these|those|it|they|such|also|so|however)\b", s, re.I) for s in about):
        return False
    block.lines = [" ".join(about + [s for s in sentences if s not in about])]
    return True


def emphasise(r: Refinement, clause: str, topic: str) -> None:
    subject = subject_of(topic)
    cleaned = re.sub(r"^(?:on\s+)?(?:the|our|their|its)\s+", "", topic.strip(" .\"'"), flags=re.I)
    if subject is None:
        head, units, tail = split_units(r.blocks)
        generic = Subject("topic", cleaned, re.compile(re.escape(cleaned), re.I), None)
        if any(_strength(u, generic) for u in units):
            moved, _ = lead_with(r, [generic])
            where = "put the passages about it first" if moved else "the passages about it already come first"
            r.ok(f"emphasised {cleaned}: {where}")
            return
        found = _record_sentences(r, cleaned)
        if not found:
            r.refuse(
                clause,
                f"neither the section nor the record says anything about {cleaned}, so there is nothing to emphasise",
            )
            return
        head, units, tail = split_units(r.blocks)
        r.blocks = _join(head, [Unit([Block("paragraph", [found])]), *units], tail)
        r.ok(f"emphasised {cleaned}: added what the record says about {cleaned} at the top")
        return
    if _within_paragraph(r, subject):
        r.ok(f"emphasised {subject.label}: moved the sentences about {subject.label} to the start")
        return
    moved, added = lead_with(r, [subject], add=(subject.key,))
    if added:
        r.ok(
            f"emphasised {subject.label}: added a paragraph about {subject.label} from the record at the top"
        )
    elif moved:
        r.ok(f"emphasised {subject.label}: put the passages about {subject.label} first")
    elif any(_strength(u, subject) for u in split_units(r.blocks)[1]):
        r.ok(f"emphasised {subject.label}: the passages about {subject.label} already come first")
    else:
        r.refuse(clause, f"the section does not cover {subject.label} and the record holds nothing on it")


def play_down(r: Refinement, clause: str, topic: str) -> None:
    subject = subject_of(topic)
    if subject is None:
        r.refuse(clause, f"the local engine cannot tell which passages are about {topic}")
        return
    head, units, tail = split_units(r.blocks)
    about = [u for u in units if _strength(u, subject)]
    if not about:
        r.refuse(clause, f"the section says nothing about {subject.label}")
        return
    r.blocks = _join(head, [u for u in units if u not in about] + about, tail)
    r.ok(f"played down {subject.label}: moved the passages about {subject.label} to the end")


# ============================================================================================
# Readers
# ============================================================================================


@dataclass(frozen=True)
class Reader:
    label: str  # "the CFO"
    names: re.Pattern[str]
    lead: tuple[str, ...]  # subjects, what this reader needs first
    add: tuple[str, ...]  # subjects worth a paragraph from the record when the section lacks them
    plain_words: bool = False
    plural: bool = False  # "engineers need", "the CFO needs"


READERS: tuple[Reader, ...] = (
    Reader("the CFO", re.compile(r"\b(cfo|chief financial officer|finance|financial|controller|treasurer|accountants?|investors?)\b", re.I), ("return", "cost", "payback", "benefits", "risk"), ("return", "cost")),
    Reader("the board", re.compile(r"\b(board|ceo|chief executive|executives?|exec team|leadership|senior management|c-suite|management|sponsors?|steering committee|decision[- ]makers?)\b", re.I), ("verdict", "goals", "benefits", "cost", "risk"), ("verdict", "goals", "benefits")),
    Reader("engineers", re.compile(r"\b(engineers?|engineering|developers?|dev team|technical (?:team|audience|readers?|staff|people)|it (?:team|department|staff)|architects?|cto|cio|tech team)\b", re.I), ("stack", "solution", "requirements", "compliance", "timeline", "risk"), ("stack",), plural=True),
    Reader("the customer", re.compile(r"\b(customers?|clients?|buyers?)\b", re.I), ("need", "goals", "benefits", "solution", "timeline"), ("need", "benefits")),
    Reader("procurement", re.compile(r"\b(procurement|purchasing|legal|lawyers?|contracts? team)\b", re.I), ("cost", "payment", "scope", "risk"), ("cost", "payment")),
    Reader("non-technical readers", re.compile(r"\b(non-?technical|lay ?(?:people|persons?|readers?|audience)|general (?:audience|public|readers?)|everyone|all staff|end users?)\b", re.I), ("need", "benefits", "goals"), ("need",), plain_words=True, plural=True),
)  # fmt: skip
KNOWN_READERS = prose.join_words(reader.label for reader in READERS)


def reader_of(who: str) -> Reader | None:
    return next((reader for reader in READERS if reader.names.search(who)), None)


def tailor(r: Refinement, clause: str, reader: Reader) -> None:
    subjects = [SUBJECTS[key] for key in reader.lead]
    needs = "need" if reader.plural else "needs"
    # A reader gets the paragraph they need unless the section has one labelled for it: a passing
    # mention ("may delay the integration") is not what an engineer means by integrations.
    moved, added = lead_with(r, subjects, add=reader.add, covered_by=2)
    changes = []
    if added:
        changes.append(f"added {prose.join_words(added)} from the record at the top")
    if moved:
        changes.append(f"put {prose.join_words(moved)} before the rest")
    if reader.plain_words:
        before = len(r.applied)
        plain(r, clause, casual=False, quiet=True)
        if len(r.applied) > before:
            changes.append(r.applied.pop())
    units = split_units(r.blocks)[1]
    if changes:
        r.ok(f"tailored for {reader.label}: " + "; ".join(changes))
    elif units and any(_strength(units[0], subject) == 2 for subject in subjects):
        r.ok(f"tailored for {reader.label}: what {reader.label} {needs} first already leads")
    else:
        wanted = prose.join_words(subject.label for subject in subjects)
        r.refuse(
            clause,
            f"not applied: neither the section nor the record has a passage on what {reader.label} {needs} "
            f"first ({wanted})",
        )
