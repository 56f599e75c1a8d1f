"""The one lexicon of hesitation sounds (um, uh, er, erm, eh, ah, hmm and their stretched spellings),
shared by the text engine's fillers, the speech engine's transcript fillers and the audio engine's
filled-pause detector, so that a word counts as a hesitation in all three or in none.

Left out on purpose: backchannels ("uh-huh", "mm-hmm", "mhm"), which say yes rather than hold the
floor; "mm", which in writing is as often millimetres or millions ("$5 mm") as a hum; and "em",
which is what "'em" (them) becomes once a transcript word loses its apostrophe.
"""

from __future__ import annotations

import re

__all__ = ["HESITATION_RE", "is_hesitation"]

# Matched against a whole lower-cased word. "uh-huh" and "mm-hmm" are single hyphenated tokens, so
# these backchannels never match.
HESITATION_RE = re.compile(r"u+h*m+|u+h+|e+r+m*|e+h+|a+h+|h+m+")

# What Whisper and typists put around a word: "Umm,", "uh...", "hmm?", "-uh-", quotes.
_SURROUNDING = ".,!?;:…-\"'"


def is_hesitation(word: str) -> bool:
    """True for a hesitation sound as written ("um", "Uhh,", "erm", "hmm..."), whatever the case and
    the punctuation around it."""
    return HESITATION_RE.fullmatch(word.strip().strip(_SURROUNDING).lower()) is not None
