"""Sentences that ask something, found by their ending ("?") or, in transcripts without
punctuation, by how they open ("what would you ...", "can you ...", "is there ...").
"""

from __future__ import annotations

from analysis.engines.text.fillers import _SUBJECT_PRONOUNS
from analysis.engines.text.tokens import _normalize, sentences, tokenize_words

__all__ = ["questions"]

_LEADING_DISCOURSE = frozenset("so and but okay ok well now then also alright right um uh oh hey".split())
_WH_WORDS = frozenset("what why how when where who which whose whom".split())
_WH_CONTRACTIONS = frozenset("what's how's where's who's when's why's what're who're".split())
_QUESTION_AUX = frozenset(
    "is are was were do does did can could would will should shall have has had may might must "
    "isn't aren't wasn't weren't doesn't didn't won't wouldn't can't couldn't shouldn't haven't "
    "hasn't am".split()
)
_QUESTION_SUBJECTS = frozenset(
    "i you we they he she it there this that the a an your my our their his her its anyone anybody "
    "someone somebody everyone everybody any these those people".split()
)
# "Do it now" and "Do the dishes" are orders, not questions.
_DO_QUESTION_SUBJECTS = frozenset("i you we they he she your our their my his her people anyone".split())


def _is_question(sentence: str) -> bool:
    if sentence.rstrip().rstrip("\"')\u201d").endswith("?"):
        return True
    words = [w.lower() for w in tokenize_words(_normalize(sentence))]
    while words and words[0] in _LEADING_DISCOURSE:
        words = words[1:]
    if not words:
        return False
    first = words[0]
    second = words[1] if len(words) > 1 else ""
    if first in _WH_CONTRACTIONS:
        return True
    if first in _WH_WORDS:
        if second in _QUESTION_AUX or second == "about":
            return True
        if first == "how" and second in {"many", "much", "long", "often", "far", "come", "soon"}:
            return True
        if first == "why" and second in {"not", "don't", "didn't"}:
            return True
        # "Who led it" asks; "What I did was ..." tells.
        return first in {"who", "which", "whose"} and second not in _SUBJECT_PRONOUNS and bool(second)
    if first in {"do", "don't"}:
        return second in _DO_QUESTION_SUBJECTS
    return first in _QUESTION_AUX and second in _QUESTION_SUBJECTS


def questions(text: str) -> list[str]:
    """Sentences that ask something: ending in '?', or opening like a question when the
    transcript has no punctuation ("what would you do differently", "can you walk me ...").

    Openers: a wh-word followed by an auxiliary ("what did", "how would", "what's"), "how
    many/much/long", or an auxiliary followed by a subject ("can you", "is there", "do we").
    "What I did was ..." and "Do it now" are not questions.
    """
    return [s for s in sentences(text) if _is_question(s)]
