"""Small text matching used by the local engines: key points with cue terms, sentence lookup.

A key point may list cue terms in parentheses: "Measurable outcome (#number, grew, reduced, saved)".
It is covered by a sentence that says one of the cues (words compared by a light stem, phrases
word by word; `#number` means any stated quantity) or that shares enough content words with the
point's name (cosine similarity of stemmed content words, `text.similarity`). `#metric` means
a result sentence that states a number.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from analysis.engines import text

KEY_POINT_SIMILARITY = 0.3
_CUES_RE = re.compile(r"^(?P<name>.*?)\s*\((?P<cues>[^()]*)\)\s*$")
_WORD_RE = re.compile(r"[a-z0-9%$#]+(?:[-'][a-z0-9]+)*")


def root(word: str) -> str:
    """A light stem, so that "migrated"/"migration"/"migrate" and "retries"/"retry" meet."""
    word = word.lower().removesuffix("'s")
    for suffix, replacement in (("ations", "at"), ("ation", "at"), ("ies", "y"), ("ing", ""), ("ed", ""),
                                ("es", ""), ("s", ""), ("ly", "")):  # fmt: skip
        if len(word) > len(suffix) + 3 and word.endswith(suffix) and not word.endswith("ss"):
            word = word[: -len(suffix)] + replacement
            if suffix in ("ing", "ed") and len(word) > 3 and word[-1] == word[-2] and word[-1] not in "lsz":
                word = word[:-1]  # "shipped", "planning"
            break
    return word[:-1] if len(word) > 4 and word.endswith("e") else word


def roots(sentence: str) -> list[str]:
    return [root(w) for w in _WORD_RE.findall(sentence.lower().replace("’", "'"))]


@dataclass(frozen=True)
class KeyPoint:
    name: str
    cues: tuple[str, ...]

    @classmethod
    def parse(cls, raw: str) -> KeyPoint:
        match = _CUES_RE.match(raw.strip())
        if not match:
            return cls(raw.strip(), ())
        cues = tuple(c.strip().lower() for c in match.group("cues").split(",") if c.strip())
        return cls(match.group("name").strip() or raw.strip(), cues)


def says_cue(sentence: str, cue: str) -> bool:
    if cue == "#number":
        return any(q.unit != "calendar_year" for q in text.numbers(sentence))
    if cue == "#metric":  # an outcome with a number: "sales grew by 10%", not "we had three months"
        return text.star_structure(sentence).has_metrics
    words, wanted = roots(sentence), roots(cue)
    if not wanted:
        return False
    span = len(wanted)
    return any(words[i : i + span] == wanted for i in range(len(words) - span + 1))


def covering_sentence(point: KeyPoint, sentences: list[str]) -> str | None:
    """The sentence that best covers `point`, or None: most cue hits first, then the most similar."""
    hits = [
        (sum(says_cue(s, cue) for cue in point.cues), text.similarity(point.name, s), -i, s)
        for i, s in enumerate(sentences)
    ]
    if hits and max(hits)[0] > 0:
        return max(hits)[3]
    best, best_score = None, 0.0
    for sentence in sentences:
        score = text.similarity(point.name, sentence)
        if score > best_score:
            best, best_score = sentence, score
    return best if best_score >= KEY_POINT_SIMILARITY else None


def closest_sentence(reference: str, sentences: list[str]) -> str:
    """The sentence most similar to `reference` (the first one when none shares a word)."""
    if not sentences:
        return ""
    scored = [(text.similarity(reference, s), -i, s) for i, s in enumerate(sentences)]
    best = max(scored)
    return best[2] if best[0] > 0 else sentences[0]


def quote(sentence: str, limit: int = 160) -> str:
    """A sentence as quoted in feedback, without its closing full stop (the quote sits inside a
    sentence of its own); long ones are cut at a word boundary."""
    sentence = " ".join(sentence.split()).rstrip(".;:, ")
    if len(sentence) <= limit:
        return sentence
    return sentence[:limit].rsplit(" ", 1)[0] + "…"


def normalized(value: str) -> str:
    return " ".join(_WORD_RE.findall(value.lower().replace("’", "'")))


def appears_in(fragment: str, transcript: str) -> bool:
    """Whether `fragment` is quoted from `transcript` (case, spacing and punctuation ignored)."""
    wanted = normalized(fragment.rstrip("…"))
    return bool(wanted) and wanted in normalized(transcript)
