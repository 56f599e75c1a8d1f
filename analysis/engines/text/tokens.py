"""Words, tokens, sentences and stems: how the text engine cuts a string up before any analysis,
with words kept whole across apostrophes, hyphens and digit separators, punctuation kept as tokens
where fillers need it, and sentences ended by terminal punctuation or a line break.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

__all__ = ["sentences", "stem", "tokenize_words", "word_count"]

# A word keeps inner apostrophes, hyphens and digit separators together ("don't", "well-known",
# "20,000", "2.5") so word counts match what a reader would count.
_WORD = r"[^\W_]+(?:[.,'\-][^\W_]+)*"
_WORD_RE = re.compile(_WORD)
# Fillers are decided by their neighbours, punctuation included ("was, like, really").
_TOKEN_RE = re.compile(rf"{_WORD}|[^\w\s]")
_CLAUSE_PUNCT = frozenset(".,!?;:…—–-")


def _normalize(text: str) -> str:
    # Transcribers and word processors emit curly apostrophes; the lexicons use ASCII.
    return text.replace("\u2019", "'").replace("\u2018", "'")


def tokenize_words(text: str) -> list[str]:
    """Words in reading order, original case, punctuation dropped."""
    return _WORD_RE.findall(_normalize(text))


def word_count(text: str) -> int:
    return len(tokenize_words(text))


@dataclass(frozen=True)
class _Token:
    text: str  # lower-cased
    raw: str
    start: int
    end: int

    @property
    def is_word(self) -> bool:
        return self.text[0].isalnum()


def _tokens(text: str) -> list[_Token]:
    normalized = _normalize(text)
    return [_Token(m.group().lower(), m.group(), m.start(), m.end()) for m in _TOKEN_RE.finditer(normalized)]


_ABBREVIATIONS = frozenset(
    "mr mrs ms dr prof sr jr st vs etc e.g i.e eg ie inc ltd co corp approx dept fig no est "
    "u.s u.k a.m p.m jan feb mar apr jun jul aug sep sept oct nov dec".split()
)
_SENTENCE_BREAK_RE = re.compile(r"[.!?…]+[\"')\]\u201d]*(?=\s|$)|\n+")


def sentences(text: str) -> list[str]:
    """Split on terminal punctuation and line breaks, not after common abbreviations.

    Transcripts often come one segment per line and without punctuation, so a line break always
    ends a sentence.
    """
    out: list[str] = []
    start = 0
    for match in _SENTENCE_BREAK_RE.finditer(text):
        if match.group()[0] == ".":
            preceding = text[start : match.start()].split()
            last = preceding[-1].lower().lstrip("(\"'") if preceding else ""
            if last in _ABBREVIATIONS or (len(last) == 1 and last.isalpha()):
                continue
        piece = text[start : match.end()].strip()
        if piece:
            out.append(piece)
        start = match.end()
    tail = text[start:].strip()
    if tail:
        out.append(tail)
    return out


def stem(word: str) -> str:
    """A light suffix stripper so "migration"/"migrations" and "tested"/"testing" meet."""
    word = word.lower().removesuffix("'s")
    if len(word) > 4 and word.endswith("ies"):
        return word[:-3] + "y"
    for suffix in ("ing", "ed", "es", "s"):
        if len(word) > len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
            return word[: -len(suffix)]
    return word
