"""From prompt to edits: splitting a prompt into instruction clauses, telling which instruction
each clause asks for, and `refine_section`, which applies them in order and reports what could not
be applied and why."""

from __future__ import annotations

import re
from collections.abc import Callable

from reports.ai.context import SectionContext
from reports.ai.markdown import parse_blocks, render_blocks
from reports.ai.refiner.emphasis import KNOWN_READERS, READERS, emphasise, play_down, reader_of, tailor
from reports.ai.refiner.layout import add_summary, to_bullets, to_paragraphs
from reports.ai.refiner.length import expand, shorten
from reports.ai.refiner.refinement import Refinement, without_refinement_note
from reports.ai.refiner.topics import add_topic, remove_topic
from reports.ai.refiner.wording import confident, formal, plain, proofread, replace_words

SUPPORTED = (
    "tone (more formal, friendlier, plainer, more confident, more persuasive), audience (for "
    f"{KNOWN_READERS}), emphasis (emphasise or play down a subject), length (shorten, a word limit, expand), "
    "layout (bullet points, numbered list, paragraphs, a summary), topics (add, remove, replace) and proofreading"
)


# ============================================================================================
# Splitting the prompt into instructions
# ============================================================================================

_VERBS = (
    r"(?:please\s+)?(?:shorten|condense|trim|tighten|cut|summari[sz]e|expand|elaborate|lengthen|add|include|"
    r"mention|cover|remove|drop|delete|exclude|omit|make|use|convert|turn|rewrite|replace|rename|change|fix|"
    r"proofread|format|translate|limit|reduce|keep|write|put|start|begin|get rid|emphasi[sz]e|highlight|stress|"
    r"focus|lead|open|tailor|adapt|aim|pitch|play|downplay|de-?emphasi[sz]e|sound|target)\b"
    r"|(?:more|less)\s+(?:formal|casual|concise|detail\w*|professional|confident|direct|persuasive)\b"
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
            # "...; then sing it": the connective belongs to the prompt, not to the instruction.
            cleaned = re.sub(r"^(?:and\s+)?(?:then|also)\s+|^and\s+", "", cleaned, flags=re.I)
            if cleaned:
                clauses.append(cleaned)
    return clauses


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
    r"\b(plain (?:english|language|words)|simpler|simplify|easier to read|less jargon|no jargon|clearer|clarity)\b",
    re.I,
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
_PERSUASIVE_RE = re.compile(r"\b(persuasive|compelling|convincing|salesy|positive|optimistic|upbeat)\b", re.I)
_TECHNICAL_RE = re.compile(r"\b(?:more\s+)?technical\b", re.I)
_TONE_RE = re.compile(
    r"\b(engaging|exciting|funny|humorous|emotional|punchy|witty|playful|poetic|dramatic|urgent|angry|sarcastic)\b",
    re.I,
)
_READER_RE = re.compile(
    r"(?:^|\s)(?:so (?:that )?it (?:suits|works for)|for|aimed at|targeted at|tailored (?:to|for)|written for|"
    r"suitable for|suited to|addressed to|to suit)\s+(?P<who>(?:(?:an?|the|our|their)\s+)?[\w&' -]+?)"
    r"(?:\s+(?:audience|readers?|readership))?\s*$",
    re.I,
)
# What is left of a clause once its reader is taken out, when it asks for nothing else.
_TAILOR_RE = re.compile(
    r"^(?:please\s+)?(?:(?:re)?write|adapt|tailor|pitch|aim|target|reword|adjust|angle|gear|frame|make|reframe|"
    r"rework|edit|prepare|optimi[sz]e|turn)?(?:\s+(?:it|this|that|the (?:section|text|summary)|this section))?"
    r"(?:\s+(?:suitable|more suitable|appropriate|relevant|readable|accessible|clearer|better|into something))?$",
    re.I,
)
_PEOPLE_RE = re.compile(
    r"(?i:\b(team|department|group|staff|people|readers?|audience|managers?|officers?|directors?|heads?|users|"
    r"partners|investors|customers|clients|executives|analysts|committee|council)\b)|\b[A-Z]{2,4}\b"
)
_EMPHASIS_RE = re.compile(
    r"^(?:please\s+)?(?:(?:re-?)?emphasi[sz]e|highlight|stress|underline|underscore|foreground|play up|"
    r"focus(?:\s+more)?\s+on|concentrate on|lead with|open with|start with|begin with|"
    r"give (?:more )?(?:weight|prominence) to|make more of|put (?:more )?(?:emphasis|weight|focus) on|bring out)\s+"
    r"(?P<topic>.+)$",
    re.I,
)
_FIRST_RE = re.compile(
    r"^(?:please\s+)?(?:put|move|bring|place)\s+(?P<topic>.+?)\s+(?:first|to the top|up front|at the top|on top)$"
    r"|^(?:please\s+)?make\s+(?P<topic2>.+?)\s+(?:stand out|more prominent|prominent)$",
    re.I,
)
_PLAY_DOWN_RE = re.compile(
    r"^(?:please\s+)?(?:play down|downplay|de-?emphasi[sz]e|tone down|put less (?:weight|emphasis) on|"
    r"say less about)\s+(?P<topic>.+)$",
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
    if _for_a_reader(r, clause):
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
    if match := _EMPHASIS_RE.match(clause):
        emphasise(r, clause, match.group("topic"))
        return
    if match := _FIRST_RE.match(clause):
        emphasise(r, clause, match.group("topic") or match.group("topic2"))
        return
    if match := _PLAY_DOWN_RE.match(clause):
        play_down(r, clause, match.group("topic"))
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
    if _PERSUASIVE_RE.search(clause):
        # Persuasion, as the local engine can do it: lead with what the reader gains, and no hedging.
        confident(r, clause, quiet=True)
        emphasise(r, clause, "benefits")
        return
    if _TECHNICAL_RE.search(clause):
        tailor(r, clause, next(reader for reader in READERS if reader.label == "engineers"))
        return
    if tone := _TONE_RE.search(clause):
        r.refuse(
            clause,
            "not applied: the local engine's tones are more formal, friendlier, plainer, more confident and "
            f"more persuasive, and it cannot make a section {tone.group(1).lower()}",
        )
        return
    r.refuse(
        clause,
        "not applied: the local engine can change a section's tone, audience, emphasis, length, layout and "
        "topics, and this asks for something else",
    )


def _for_a_reader(r: Refinement, clause: str) -> bool:
    """'... for the CFO': tailor the section to that reader, then apply the rest of the clause
    ('Emphasise the ROI'), so that the explicit emphasis comes out on top. False when the clause
    names no reader."""
    match = _READER_RE.search(clause)
    if not match:
        return False
    who = match.group("who").strip()
    rest = clause[: match.start()].strip(" ,")
    reader = reader_of(who)
    if reader is None:
        # "for clarity", "for now": not a reader; "for the marketing team": a reader we do not know.
        if _TAILOR_RE.match(rest) and _PEOPLE_RE.search(who):
            r.refuse(
                clause,
                f"not applied: the local engine knows what {KNOWN_READERS} need first, but not {who}",
            )
            return True
        return False
    tailor(r, clause, reader)
    if rest and not _TAILOR_RE.match(rest):
        apply(r, rest)
    return True


def refine_section(
    *, original: str, prompt: str, ctx: SectionContext, report_type: str, title: str
) -> tuple[str, list[str], list[str]]:
    """(refined Markdown, what was applied, what could not be applied and why)."""
    # A section refined before carries our note at its end; it is not part of the text.
    refinement = Refinement(without_refinement_note(parse_blocks(original)), ctx, report_type, title)
    clauses = split_instructions(prompt)
    if not clauses:
        refinement.refuse(prompt, "the prompt holds no instruction")
    for clause in clauses:
        apply(refinement, clause)
    return render_blocks(refinement.blocks), refinement.applied, refinement.not_applied
