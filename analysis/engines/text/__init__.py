"""Text analytics for transcripts and written answers: plain strings in, frozen dataclasses out.

Everything here is deterministic and local (regex rules, YAKE, VADER, phonenumbers): the `local`
LLM provider is built from these functions, and `redact_pii` runs before any text leaves for an
external LLM. Callers use the names re-exported here (`text.find_fillers(...)`); the modules are:

- `tokens`: words, sentences and stems;
- `hesitations`: the lexicon of hesitation sounds the speech and audio engines share;
- `fillers`: filler words and phrases decided in context;
- `interrogatives`: sentences that ask something;
- `quantities`: numbers stated with their units;
- `star`: Situation-Task-Action-Result cues;
- `key_phrases`: YAKE key phrases and content-word similarity;
- `polarity`: VADER sentiment;
- `talk_time`: talk and listen shares;
- `pii`: e-mail and phone redaction.
"""

from __future__ import annotations

from analysis.engines.text.fillers import Filler, filler_ratio, find_fillers, remove_fillers
from analysis.engines.text.hesitations import is_hesitation
from analysis.engines.text.interrogatives import questions
from analysis.engines.text.key_phrases import keywords, similarity
from analysis.engines.text.pii import redact_pii
from analysis.engines.text.polarity import Sentiment, sentence_sentiments, sentiment
from analysis.engines.text.quantities import Quantity, numbers
from analysis.engines.text.star import StarAnalysis, star_structure
from analysis.engines.text.talk_time import talk_listen_ratio, talk_to_listen
from analysis.engines.text.tokens import sentences, stem, tokenize_words, word_count

__all__ = [
    "Filler",
    "Quantity",
    "Sentiment",
    "StarAnalysis",
    "filler_ratio",
    "find_fillers",
    "is_hesitation",
    "keywords",
    "numbers",
    "questions",
    "redact_pii",
    "remove_fillers",
    "sentence_sentiments",
    "sentences",
    "sentiment",
    "similarity",
    "star_structure",
    "stem",
    "talk_listen_ratio",
    "talk_to_listen",
    "tokenize_words",
    "word_count",
]
