"""Filler words and phrases in running text (um, "like", "you know", "I mean", "kind of", ...):
finding them with character offsets, their share of the words, and removing them (with the commas
that set them off) before summaries and keyword extraction. Whether a word such as "like" is a
filler is decided from its neighbours, punctuation included; hesitation sounds come from the
lexicon shared with the speech and audio engines (`hesitations`).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.engines.text.hesitations import is_hesitation
from analysis.engines.text.quantities import _NUMBER_WORDS
from analysis.engines.text.tokens import _CLAUSE_PUNCT, _Token, _tokens, word_count

__all__ = ["Filler", "filler_ratio", "find_fillers", "remove_fillers"]


@dataclass(frozen=True)
class Filler:
    """One filler occurrence; `word` is the lower-cased text of the span `text[start_char:end_char]`."""

    word: str
    start_char: int
    end_char: int


_SUBJECT_PRONOUNS = frozenset("i you we they people who".split())
_MODALS_AND_AUX = frozenset(
    "would i'd you'd we'd they'd he'd she'd 'd do does did don't doesn't didn't to will won't "
    "wouldn't might may could should can cannot can't must really also always never still "
    "genuinely truly not".split()
)
_SIMILARITY_BEFORE = frozenset(
    "look looks looked looking sound sounds sounded seem seems seemed feel feels felt feeling "
    "taste tastes smell smells act acts acted behave behaves something anything nothing "
    "everything things stuff more much just exactly lot most alike".split()
)
_LITERAL_BEFORE_LIKE = _SUBJECT_PRONOUNS | _MODALS_AND_AUX | _SIMILARITY_BEFORE
_BE_FORMS = frozenset(
    "am is are was were be been being i'm he's she's it's that's they're we're you're there's".split()
)
_DETERMINERS = frozenset(
    "a an the this that these those my your his her our their its any some each every".split()
)
# What starts the thing compared in a literal "like" ("like one of those", "like when you ...").
_COMPARISON_STARTS = _DETERMINERS | frozenset(
    "one someone somebody something anything nothing everything everyone when if".split()
)
# What follows a filler "like": a degree word, a number (approximation), another hesitation.
_AFTER_FILLER_LIKE = frozenset(
    "really so very totally super literally just kind sort kinda sorta basically actually "
    "honestly seriously completely absolutely pretty way oh wow yeah no okay ok maybe "
    "probably almost".split()
) | (frozenset(_NUMBER_WORDS) - {"one"})
_KNOW_OBJECTS = frozenset(
    "what that how why where who when whether if about the a an him her them it this these those "
    "me us everything nothing something anything more better much".split()
)
_BEFORE_LITERAL_KNOW = frozenset(
    "do did don't didn't does doesn't if as would will can could should may might let to that "
    "because want what".split()
)
_BEFORE_LITERAL_MEAN = frozenset("what which do did don't didn't does doesn't if".split())
_SORT_OF_DETERMINERS = _DETERMINERS | frozenset(
    "what which one same different other another no all whatever right wrong new".split()
)


def _is_boundary(token: _Token | None) -> bool:
    return token is None or token.text in _CLAUSE_PUNCT


def _is_digits(token: _Token | None) -> bool:
    return token is not None and token.text[0].isdigit()


def _like_is_filler(prev: _Token | None, nxt: _Token | None) -> bool:
    """Rules for "like", first match wins.

    1. Set off on both sides ("was, like, really"; "Like, whatever") -> filler, unless the word
       before makes it a verb or comparison ("I like, ...", "looks like, um").
    2. After a comma, before a degree word / number / hesitation ("hard, like really") -> filler.
    3. After a form of "be": quotative or approximator ("I was like", "that's like 20 min") ->
       filler, except a comparison with a noun phrase ("it was like a dream", "it's like Python",
       "it's like having ...").
    4. After a subject, modal/auxiliary or similarity word ("I like", "would like", "looks like",
       "something like") -> the verb or preposition, not a filler.
    5. Before a degree word, number or hesitation ("took like two weeks") -> filler.
    6. Otherwise a preposition ("works like a queue", "like I said") -> not a filler.
    """
    prev_text = prev.text if prev is not None else None
    next_is_boundary = nxt is None or nxt.text in _CLAUSE_PUNCT
    if _is_boundary(prev) and next_is_boundary and prev_text not in _LITERAL_BEFORE_LIKE:
        return True
    if prev_text == "," and nxt is not None and (nxt.text in _AFTER_FILLER_LIKE or _is_digits(nxt)):
        return True
    if prev_text in _BE_FORMS:
        if nxt is None or next_is_boundary:
            return True
        is_proper_noun = nxt.raw[0].isupper() and nxt.text != "i"
        return not (nxt.text in _COMPARISON_STARTS or is_proper_noun or nxt.text.endswith("ing"))
    if prev_text in _LITERAL_BEFORE_LIKE:
        return False
    return nxt is not None and (nxt.text in _AFTER_FILLER_LIKE or _is_digits(nxt) or is_hesitation(nxt.text))


def find_fillers(text: str) -> list[Filler]:
    """Filler words and phrases in `text`, in order, with character offsets into `text`.

    Rules (context from the neighbouring tokens, punctuation included):
    - hesitations um/uh/er/ah/hmm and stretched variants (umm, uhh, uhm, erm, ahh, hmmm): always.
    - "basically": always (a discourse marker in speech).
    - "actually": only as a discourse marker, i.e. clause-initial or set off by commas
      ("Actually, ...", "it was, actually, fine"), not "what actually happened".
    - "you know": not after do/if/as/let/to ... ("do you know", "let you know") and not before an
      object ("you know the answer", "you know what"); otherwise a filler.
    - "I mean": not after what/do/if ("what I mean is") and not before to/that/what or a final
      "it" ("I mean to", "I mean that we ...", "I mean it."); otherwise a filler.
    - "kind of"/"sort of"/"kinda"/"sorta": a hedge unless a determiner precedes it ("a kind of",
      "what sort of", "the same kind of").
    - "like": see `_like_is_filler` (filler in "it was, like, really hard", "I was like"; not in
      "I like Python", "looks like", "like a queue", "would like", "something like X").
    """
    tokens = _tokens(text)
    found: list[Filler] = []

    def add(first: int, last: int) -> None:
        start, end = tokens[first].start, tokens[last].end
        found.append(Filler(text[start:end].lower(), start, end))

    def at(index: int) -> _Token | None:
        return tokens[index] if 0 <= index < len(tokens) else None

    i = 0
    while i < len(tokens):
        token = tokens[i]
        if not token.is_word:
            i += 1
            continue
        word = token.text
        prev, nxt = at(i - 1), at(i + 1)
        prev_text = prev.text if prev is not None else None
        next_text = nxt.text if nxt is not None else None
        if is_hesitation(word) or word == "basically":
            add(i, i)
        elif word == "actually":
            if _is_boundary(prev) or next_text in {",", ".", "!", "?", None}:
                add(i, i)
        elif word == "you" and next_text == "know":
            after = at(i + 2)
            literal = prev_text in _BEFORE_LITERAL_KNOW or (after is not None and after.text in _KNOW_OBJECTS)
            if not literal:
                add(i, i + 1)
            i += 2
            continue
        elif word == "i" and next_text == "mean":
            after, after2 = at(i + 2), at(i + 3)
            after_text = after.text if after is not None else None
            final_it = after_text == "it" and _is_boundary(after2)
            literal = prev_text in _BEFORE_LITERAL_MEAN or after_text in {"to", "that", "what"} or final_it
            if not literal:
                add(i, i + 1)
            i += 2
            continue
        elif word in {"kind", "sort"} and next_text == "of":
            if prev_text not in _SORT_OF_DETERMINERS:
                add(i, i + 1)
            i += 2
            continue
        elif word in {"kinda", "sorta"}:
            if prev_text not in _SORT_OF_DETERMINERS:
                add(i, i)
        elif word == "like":
            if _like_is_filler(prev, nxt):
                add(i, i)
        i += 1
    return found


def filler_ratio(text: str) -> float:
    """Fillers / words (a two-word filler such as "you know" counts once); 0.0 for empty text."""
    words = word_count(text)
    return len(find_fillers(text)) / words if words else 0.0


_COMMA_AFTER_RE = re.compile(r"\s*,")
_COMMA_BEFORE_RE = re.compile(r",\s*$")
_SENTENCE_END_AFTER_RE = re.compile(r"\s*(?:[.!?…]|$)")
_SPACE_BEFORE_PUNCT_RE = re.compile(r"\s+([.,!?;:…])")


def remove_fillers(text: str) -> str:
    """`text` without its fillers (see `find_fillers`), whitespace collapsed: for summaries and
    keyword extraction, where "um" and a filler "like" are noise. The commas that set a filler
    off go with it ("it was, like, hard" -> "it was hard"; "Um, I think" -> "I think") unless
    the first closes a clause ("When I was at Acme, um, we" -> "When I was at Acme, we")."""
    spans: list[tuple[int, int]] = []
    for filler in find_fillers(text):
        start, end = filler.start_char, filler.end_char
        comma_after = _COMMA_AFTER_RE.match(text, end)
        comma_before = _COMMA_BEFORE_RE.search(text, 0, start)
        if comma_after:
            end = comma_after.end()
            if comma_before:
                # "When I was at Acme, um, our ..." keeps the clause's comma; "It was, like, hard"
                # had commas only for the filler.
                clause = re.split(r"[,.;:!?\n]", text[: comma_before.start()])[-1]
                start = comma_before.start() + 1 if len(clause.split()) >= 3 else comma_before.start()
        elif comma_before and _SENTENCE_END_AFTER_RE.match(text, end):
            start = comma_before.start()
        if spans and start <= spans[-1][1]:
            spans[-1] = (spans[-1][0], max(spans[-1][1], end))
        else:
            spans.append((start, end))
    pieces: list[str] = []
    cursor = 0
    for start, end in spans:
        pieces.append(text[cursor:start])
        cursor = end
    pieces.append(text[cursor:])
    return _SPACE_BEFORE_PUNCT_RE.sub(r"\1", " ".join(" ".join(pieces).split()))
