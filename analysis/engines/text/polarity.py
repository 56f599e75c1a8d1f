"""Sentiment of a text, whole or sentence by sentence, as VADER's compound score in -1..1 with a
positive / neutral / negative label.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass
from typing import Literal

from vaderSentiment.vaderSentiment import SentimentIntensityAnalyzer

from analysis.engines.text.tokens import sentences

__all__ = ["Sentiment", "sentence_sentiments", "sentiment"]


@dataclass(frozen=True)
class Sentiment:
    """VADER compound score in -1..1; label by VADER's conventional +-0.05 thresholds."""

    compound: float
    label: Literal["positive", "neutral", "negative"]


@functools.lru_cache(maxsize=1)
def _vader() -> SentimentIntensityAnalyzer:
    # Loading the lexicon takes ~0.1 s; scoring is read-only and safe to share between threads.
    return SentimentIntensityAnalyzer()


def _sentiment_of(compound: float) -> Sentiment:
    label: Literal["positive", "neutral", "negative"]
    if compound >= 0.05:
        label = "positive"
    elif compound <= -0.05:
        label = "negative"
    else:
        label = "neutral"
    return Sentiment(round(compound, 4), label)


def sentiment(text: str) -> Sentiment:
    """Whole-text sentiment. For long texts VADER's compound saturates toward +-1, so callers
    wanting a per-passage view should use `sentence_sentiments`."""
    if not text.strip():
        return Sentiment(0.0, "neutral")
    return _sentiment_of(_vader().polarity_scores(text)["compound"])


def sentence_sentiments(text: str) -> list[tuple[str, Sentiment]]:
    """(sentence, sentiment) for each sentence, in order."""
    analyzer = _vader()
    return [(s, _sentiment_of(analyzer.polarity_scores(s)["compound"])) for s in sentences(text)]
