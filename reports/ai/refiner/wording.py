"""Instructions that change words, not structure: replace X with Y, more formal, less formal or
plain English, more confident (no hedging) and proofreading, with the phrase tables they use."""

from __future__ import annotations

import re

from reports.ai.refiner.refinement import Refinement, map_text

_CONTRACTIONS = {
    "can't": "cannot", "won't": "will not", "don't": "do not", "doesn't": "does not", "didn't": "did not",
    "isn't": "is not", "aren't": "are not", "wasn't": "was not", "weren't": "were not", "shouldn't": "should not",
    "wouldn't": "would not", "couldn't": "could not", "haven't": "have not", "hasn't": "has not",
    "hadn't": "had not", "it's": "it is", "that's": "that is", "there's": "there is", "we're": "we are",
    "they're": "they are", "you're": "you are", "we'll": "we will", "they'll": "they will", "it'll": "it will",
    "we've": "we have", "they've": "they have", "i'm": "I am", "let's": "let us", "what's": "what is",
}  # fmt: skip
_INFORMAL_TO_FORMAL = {
    "gonna": "going to", "wanna": "want to", "kinda": "somewhat", "sort of": "somewhat", "a lot of": "significant",
    "lots of": "significant", "tons of": "numerous", "okay": "acceptable", "ok": "acceptable", "big": "significant",
    "huge": "substantial", "guys": "everyone", "folks": "colleagues", "check out": "review", "find out": "determine",
    "figure out": "determine", "get rid of": "eliminate", "come up with": "develop", "look into": "investigate",
    "deal with": "address", "pretty much": "largely", "right now": "at present", "asap": "as soon as possible",
    "buy": "purchase", "stuff": "material", "i think": "we consider", "we think": "we consider", "e.g.": "for example",
    "so far": "to date", "anyway": "in any case", "plus": "in addition",
}  # fmt: skip
_OFFICIAL_TO_PLAIN = {
    "utilise": "use", "utilize": "use", "utilised": "used", "utilized": "used", "utilisation": "use",
    "utilization": "use", "in order to": "to", "commence": "start", "commences": "starts", "endeavour": "try",
    "endeavor": "try", "facilitate": "help", "approximately": "about", "subsequently": "later",
    "prior to": "before", "in the event that": "if", "with regard to": "about", "with respect to": "about",
    "numerous": "many", "obtain": "get", "purchase": "buy", "assist": "help", "demonstrate": "show",
    "sufficient": "enough", "additional": "extra", "terminate": "end", "ascertain": "find out",
    "in addition": "also", "at present": "now", "a significant number of": "many", "is able to": "can",
    "are able to": "can", "it is important to note that": "", "due to the fact that": "because",
}  # fmt: skip
_CASUAL_CONTRACTIONS = {v: k for k, v in _CONTRACTIONS.items() if k not in ("i'm", "let's")}
_INTENSIFIERS_RE = re.compile(r"\b(really|super|totally|basically|literally|extremely|very)\s+", re.I)
_HEDGES_RE = re.compile(
    r"\b(?:perhaps|possibly|maybe|probably|somewhat|arguably|hopefully|it seems that|it appears that|"
    r"(?:we|i) (?:think|believe|feel)(?: that)?|in our opinion,?|more or less|kind of|sort of)\s+",
    re.I,
)


def _match_case(original: str, replacement: str) -> str:
    if not replacement:
        return replacement
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _phrase_re(phrases: dict[str, str]) -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(r"(?<![\w'])(" + "|".join(re.escape(p) for p in ordered) + r")(?![\w'])", re.I)


def rewrite_words(value: str, phrases: dict[str, str]) -> tuple[str, int]:
    pattern = _phrase_re(phrases)
    count = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal count
        count += 1
        return _match_case(match.group(0), phrases[match.group(0).lower().replace("’", "'")])

    rewritten = pattern.sub(swap, value.replace("’", "'"))
    return re.sub(r"  +", " ", rewritten), count


def replace_words(r: Refinement, clause: str, old: str, new: str) -> None:
    old, new = old.strip(" \"'"), new.strip(" \"'")
    pattern = re.compile(r"(?<!\w)" + re.escape(old) + r"(?!\w)", re.I)
    count = 0

    def swap(line: str) -> tuple[str, int]:
        changed, n = pattern.subn(lambda m: _match_case(m.group(0), new), line)
        return changed, n

    count = map_text(r, swap, headings=True)
    if count:
        r.ok(f'replaced "{old}" with "{new}" {count} time(s)')
    else:
        r.refuse(clause, f'"{old}" does not occur in the section')


def formal(r: Refinement, clause: str) -> None:
    def rewrite(line: str) -> tuple[str, int]:
        line, a = rewrite_words(line, _CONTRACTIONS)
        line, b = rewrite_words(line, _INFORMAL_TO_FORMAL)
        line, c = _INTENSIFIERS_RE.subn("", line)
        line, d = re.subn(r"!+", ".", line)
        return line, a + b + c + d

    changes = map_text(r, rewrite)
    if changes:
        r.ok(f"made the tone more formal ({changes} change(s))")
    else:
        r.refuse(
            clause,
            "the text has no contractions, informal words or exclamations to change; it already reads formally",
        )


def plain(r: Refinement, clause: str, *, casual: bool) -> None:
    def rewrite(line: str) -> tuple[str, int]:
        line, a = rewrite_words(line, _OFFICIAL_TO_PLAIN)
        b = 0
        if casual:
            line, b = rewrite_words(line, _CASUAL_CONTRACTIONS)
        return line, a + b

    changes = map_text(r, rewrite)
    if changes:
        r.ok(f"used {'a more casual' if casual else 'plainer'} wording ({changes} change(s))")
    else:
        r.refuse(clause, "found no formal words or phrases with a plainer equivalent")


_SENTENCE_START_RE = re.compile(r"(^(?:\s*(?:[-*+]|\d+[.)]|>)\s+)?|[.!?]\s+)([a-z])")


def _recapitalise(line: str) -> str:
    """A sentence whose first words were removed starts with a capital again."""
    return _SENTENCE_START_RE.sub(lambda m: m.group(1) + m.group(2).upper(), line)


def confident(r: Refinement, clause: str) -> None:
    def rewrite(line: str) -> tuple[str, int]:
        changed, count = _HEDGES_RE.subn("", line)
        return (_recapitalise(changed) if count else changed), count

    changes = map_text(r, rewrite)
    if changes:
        r.ok(f"removed {changes} hedging word(s)")
    else:
        r.refuse(clause, "the text has no hedging words to remove")


def proofread(r: Refinement, clause: str) -> None:
    def rewrite(line: str) -> tuple[str, int]:
        total = 0
        line, n = re.subn(r"\b(\w+)(\s+\1\b)+", r"\1", line, flags=re.I)
        total += n
        line, n = re.subn(r"(?<=\S) {2,}(?=\S)", " ", line)
        total += n
        line, n = re.subn(r"\s+([,.;:!?])(?=\s|$)", r"\1", line)
        total += n
        line, n = re.subn(r"(?<=\s)i(?=\s|')", "I", line)
        total += n
        capitalised = _recapitalise(line)
        total += sum(1 for a, b in zip(line, capitalised, strict=True) if a != b)
        line = capitalised
        return line, total

    changes = map_text(r, rewrite)
    r.ok(f"made {changes} mechanical correction(s)")
    r.refuse(
        clause,
        "spelling and grammar are not checked by the local engine; only doubled words, spacing and capitals were fixed",
    )
