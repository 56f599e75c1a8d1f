"""The record's own words: content terms and how much one text covers another, "Label: detail"
lines split into their parts, and the sentences that describe a problem. Every other reading in
this package is built on these."""

from __future__ import annotations

import re

from analysis.engines import text

# --------------------------------------------------------------------------------------------
# Terms and overlap
# --------------------------------------------------------------------------------------------

_STOP = frozenset(
    """a an the and or but if of to in on at by for with from into onto over under as is are was were be
    been being it its this that these those there their our we you your they them he she his her i me my
    must shall should could would will can may might need needs needed able have has had do does did not
    no so than then also all any each every some such via per within across about up out more most less
    new using use used""".split()
)


def terms(value: str) -> set[str]:
    """Content words of `value`, lower-cased and crudely stemmed."""
    return {text.stem(w) for w in text.tokenize_words(value) if w.lower() not in _STOP and len(w) > 1}


def containment(needle: str, haystack: str | set[str]) -> float:
    """Share (0..1) of the needle's content words that the haystack contains."""
    wanted = terms(needle)
    if not wanted:
        return 0.0
    have = haystack if isinstance(haystack, set) else terms(haystack)
    return len(wanted & have) / len(wanted)


def best_match(needle: str, candidates: list[str]) -> tuple[str | None, float]:
    best, score = None, 0.0
    for candidate in candidates:
        value = containment(needle, candidate)
        if value > score:
            best, score = candidate, value
    return best, score


def mentions(value: str, topic: str) -> bool:
    """Whether `value` mentions every content word of `topic` (stemmed)."""
    wanted = terms(topic)
    return bool(wanted) and wanted <= terms(value)


# --------------------------------------------------------------------------------------------
# "Label: detail" lines
# --------------------------------------------------------------------------------------------

_SPLIT_RE = re.compile(r"\s*(?::|\s[-–—]\s|\|)\s*")


def split_label(line: str) -> tuple[str, str]:
    """'Salesforce: sync tickets' → ('Salesforce', 'sync tickets'); 'Jane Doe (CFO)' → ('Jane Doe', 'CFO')."""
    paren = re.match(r"^(.*?)\s*\(([^)]+)\)\s*$", line)
    if paren and ":" not in line:
        return paren.group(1).strip(), paren.group(2).strip()
    parts = _SPLIT_RE.split(line.strip(), maxsplit=1)
    if len(parts) == 2 and parts[0]:
        return parts[0].strip(), parts[1].strip()
    return line.strip(), ""


# --------------------------------------------------------------------------------------------
# Pain points
# --------------------------------------------------------------------------------------------

_PAIN_RE = re.compile(
    r"\b(manual\w*|slow\w*|error\w*|spreadsheets?|legacy|outages?|duplicat\w*|delay\w*|complain\w*|"
    r"lost|missing|re-?key\w*|paper|backlog|inconsisten\w*|silo\w*|workaround\w*|frustrat\w*|cost\w* too|"
    r"fail\w*|churn)\b",
    re.I,
)


def pain_points(value: str) -> list[str]:
    """Sentences that describe a problem: negative in tone or naming a known pain."""
    return [s for s in text.sentences(value) if _PAIN_RE.search(s) or text.sentiment(s).compound <= -0.3]
