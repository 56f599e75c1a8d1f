"""Content words: key phrases of a text by YAKE, and the cosine similarity of two texts' stemmed
content-word counts. Both leave out stopwords, and keywords also fillers, addresses and words too
generic to say what the text is about.
"""

from __future__ import annotations

import functools
import math
import re
import threading
from collections import Counter
from typing import TYPE_CHECKING

from analysis.engines.text.fillers import remove_fillers
from analysis.engines.text.pii import _EMAIL_RE
from analysis.engines.text.quantities import _DURATION_UNITS, _NUMBER_WORDS
from analysis.engines.text.tokens import stem, tokenize_words

if TYPE_CHECKING:
    import yake

__all__ = ["keywords", "similarity"]

_STOPWORDS = frozenset(
    """a about above after again against all am an and any are aren't as at be because been before
    being below between both but by can can't cannot could couldn't did didn't do does doesn't doing
    don't down during each few for from further had hadn't has hasn't have haven't having he he'd
    he'll he's her here here's hers herself him himself his how how's i i'd i'll i'm i've if in into
    is isn't it it's its itself let's me more most mustn't my myself no nor not of off on once only
    or other ought our ours ourselves out over own same shan't she she'd she'll she's should
    shouldn't so some such than that that's the their theirs them themselves then there there's
    these they they'd they'll they're they've this those through to too under until up very was
    wasn't we we'd we'll we're we've were weren't what what's when when's where where's which while
    who who's whom why why's will with won't would wouldn't you you'd you'll you're you've your
    yours yourself yourselves also just really like get got go going went one would could thing
    things lot um uh yeah okay ok well""".split()
)


# Single words YAKE ranks high for position or frequency that say nothing about the topic.
_GENERIC_WORDS = (
    frozenset(_DURATION_UNITS)
    | frozenset(_NUMBER_WORDS)
    | frozenset(
        """result results task situation action time times way people today yesterday tomorrow bit
        make made get got put take took give gave reach say said tell told think thought want wanted
        need needed know knew see saw come came start started end ended call called""".split()
    )
)
_URL_RE = re.compile(r"\bhttps?://\S+|\bwww\.\S+", re.IGNORECASE)


@functools.lru_cache(maxsize=4)
def _keyword_extractor(candidates: int) -> tuple[yake.KeywordExtractor, threading.Lock]:
    # The extractor reads its stopword file on construction and memoises similarities between
    # calls, so one per size is kept and calls on it are serialised.
    # Imported on first use: yake pulls in networkx (a tenth of a second), and the speech and audio
    # engines import this package for its hesitation lexicon without ever extracting keywords.
    import yake

    return yake.KeywordExtractor(lan="en", n=3, dedup_lim=0.9, top=candidates), threading.Lock()


def keywords(text: str, *, top: int = 10) -> list[str]:
    """Key phrases (1-3 words) by YAKE, fillers removed first, lower-cased and de-duplicated:
    phrases with an inner stopword ("percent and saved") and phrases whose stemmed words all
    appear in a better-ranked phrase are dropped."""
    if top <= 0:
        return []
    # Addresses would come back as "gmail.com"-style key phrases.
    cleaned = _URL_RE.sub(" ", _EMAIL_RE.sub(" ", remove_fillers(text)))
    if not cleaned.strip():
        return []
    extractor, lock = _keyword_extractor(top * 3 + 5)
    with lock:
        ranked = extractor.extract_keywords(cleaned)
    kept: list[str] = []
    kept_stems: list[frozenset[str]] = []
    for phrase, _score in ranked:
        words = phrase.lower().split()
        if any(w in _STOPWORDS for w in words) or all(not any(c.isalpha() for c in w) for w in words):
            continue
        if len(words) == 1 and words[0] in _GENERIC_WORDS:
            continue
        stems = frozenset(stem(w) for w in words)
        if any(stems <= other for other in kept_stems):
            continue
        kept.append(" ".join(words))
        kept_stems.append(stems)
        if len(kept) == top:
            break
    return kept


def _term_vector(text: str) -> Counter[str]:
    return Counter(
        stem(w) for w in tokenize_words(text) if w.lower() not in _STOPWORDS and any(c.isalnum() for c in w)
    )


def similarity(a: str, b: str) -> float:
    """Cosine similarity 0..1 of stemmed content-word counts (stopwords dropped), e.g. an answer
    against a question's key point. 0.0 when either side has no content words."""
    va, vb = _term_vector(a), _term_vector(b)
    if not va or not vb:
        return 0.0
    dot = sum(count * vb[term] for term, count in va.items() if term in vb)
    norm = math.sqrt(sum(c * c for c in va.values())) * math.sqrt(sum(c * c for c in vb.values()))
    return min(dot / norm, 1.0)
