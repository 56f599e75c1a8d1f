"""Instructions that change words, not structure: replace X with Y, a more formal register, a
friendlier one, plain English, more confident (no hedging) and proofreading, with the rules they
use. Each rewrite says how many changes it made and shows a few of them.

A formal register is more than expanded contractions: colloquial words and phrasal verbs give
way to their formal equivalents ("wants to" → "intends to", "check" → "verify", "about 16" →
"approximately 16"), and sentences that open on "So", "But" or "And" open on a connective
instead. A friendlier one goes the other way, with contractions."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field

from reports.ai import prose
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
    "gonna": "going to", "wanna": "want to", "kinda": "somewhat", "sort of": "somewhat", "kind of": "somewhat",
    "a lot of": "significant", "lots of": "significant", "tons of": "numerous", "okay": "acceptable",
    "ok": "acceptable", "big": "substantial", "huge": "substantial", "guys": "everyone", "folks": "colleagues",
    "check out": "review", "find out": "determine", "figure out": "determine", "get rid of": "eliminate",
    "come up with": "develop", "look into": "investigate", "look at": "examine", "deal with": "address",
    "pretty much": "largely", "right now": "at present", "asap": "as soon as possible", "buy": "purchase",
    "bought": "purchased", "stuff": "material",
    "e.g.": "for example", "i.e.": "that is", "etc.": "and so on", "vs.": "versus", "vs": "versus",
    "info": "information", "so far": "to date", "anyway": "in any case", "set up": "establish",
    "sets up": "establishes", "carry out": "conduct", "carries out": "conducts", "make sure": "ensure",
    "makes sure": "ensures", "talk about": "discuss", "go up": "increase", "goes up": "increases",
    "go down": "decrease", "goes down": "decreases", "cut down on": "reduce", "kick off": "commence",
    "kicks off": "commences", "kickoff": "project initiation", "thanks": "thank you", "wants to": "intends to",
    "want to": "wish to", "wanted to": "intended to", "try to": "endeavour to", "tries to": "endeavours to",
    "ask for": "request", "asks for": "requests", "asked for": "requested", "tell": "inform", "tells": "informs",
    "told": "informed", "show up": "appear", "shows up": "appears", "a bit": "somewhat", "right away": "immediately",
}  # fmt: skip
# Verbs that are nouns after an article ("a check", "the fix"): rewritten only as verbs.
_FORMAL_VERBS = {
    "check": "verify", "checks": "verifies", "checking": "verifying", "fix": "resolve", "fixes": "resolves",
    "fixing": "resolving", "need to": "must", "needs to": "must",
}  # fmt: skip
_NOT_A_VERB = r"(?<!\ba )(?<!\ban )(?<!\bthe )(?<!\bno )(?<!\bany )(?<!\bthis )(?<!\bthat )"
_OFFICIAL_TO_PLAIN = {
    "utilise": "use", "utilize": "use", "utilised": "used", "utilized": "used", "utilisation": "use",
    "utilization": "use", "in order to": "to", "commence": "start", "commences": "starts", "endeavour": "try",
    "endeavor": "try", "facilitate": "help", "approximately": "about", "subsequently": "later",
    "prior to": "before", "in the event that": "if", "with regard to": "about", "with respect to": "about",
    "numerous": "many", "obtain": "get", "purchase": "buy", "assist": "help", "demonstrate": "show",
    "sufficient": "enough", "additional": "extra", "terminate": "end", "ascertain": "find out",
    "in addition": "also", "at present": "now", "a significant number of": "many", "is able to": "can",
    "are able to": "can", "it is important to note that": "", "due to the fact that": "because",
    "regarding": "about",
}  # fmt: skip
_FRIENDLY = {
    "is required to": "needs to", "are required to": "need to", "ensure": "make sure", "ensures": "makes sure",
    "require": "need", "requires": "needs", "inform": "tell", "informs": "tells", "request": "ask for",
    "requests": "asks for", "intends to": "wants to", "intend to": "want to", "exceeds": "goes over",
    "exceed": "go over", "delivery is estimated at": "we estimate delivery at",
    "the record puts the expected benefit at": "we expect a benefit of",
    "this feasibility report covers": "in this feasibility report we look at",
    "this technical scope covers": "in this technical scope we look at",
    "this commercial proposal covers": "in this commercial proposal we look at",
}  # fmt: skip
_CASUAL_CONTRACTIONS = {v: k for k, v in _CONTRACTIONS.items() if k not in ("i'm", "let's")}
_INTENSIFIERS_RE = re.compile(r"\b(really|super|totally|basically|literally|extremely|very)\s+", re.I)
_HEDGES_RE = re.compile(
    r"\b(?:perhaps|possibly|maybe|probably|somewhat|arguably|hopefully|potentially|it seems that|it appears that|"
    r"(?:we|i) (?:think|believe|feel)(?: that)?|in our opinion,?|more or less|kind of|sort of)\s+",
    re.I,
)
_CONFIDENT = {
    "could potentially": "can", "could possibly": "can", "may be able to": "can", "might be able to": "can",
    "should be able to": "can", "we hope to": "we will", "we aim to": "we will", "we would like to": "we will",
}  # fmt: skip
_APPROXIMATE_RE = re.compile(
    r"\b(about|around|roughly)(?=\s+(?:[$€£₹¥]?\d|(?:one|two|three|four|five|six|seven|eight|nine|ten)\b))",
    re.I,
)
_SENTENCE_OPENING = r"(^(?:\s*(?:[-*+]|\d+[.)]|>)\s+)?(?:\*\*[^*]+\*\*\s+)?|[.!?]\s+)"


def _match_case(original: str, replacement: str) -> str:
    if not replacement:
        return replacement
    if original[:1].isupper():
        return replacement[:1].upper() + replacement[1:]
    return replacement


def _phrase_re(phrases: dict[str, str], *, before: str = "") -> re.Pattern[str]:
    ordered = sorted(phrases, key=len, reverse=True)
    return re.compile(before + r"(?<![\w'])(" + "|".join(re.escape(p) for p in ordered) + r")(?![\w'])", re.I)


@dataclass
class Rewriter:
    """An ordered set of word rules applied line by line, remembering what it changed."""

    rules: list[tuple[re.Pattern[str], Callable[[re.Match[str]], str]]] = field(default_factory=list)
    examples: dict[str, str] = field(default_factory=dict)
    changes: int = 0

    def phrases(self, table: dict[str, str], *, before: str = "") -> Rewriter:
        def swap(match: re.Match[str]) -> str:
            return _match_case(match.group(0), table[match.group(0).lower().replace("’", "'")])

        self.rules.append((_phrase_re(table, before=before), swap))
        return self

    def rule(self, pattern: str | re.Pattern[str], replacement: Callable[[re.Match[str]], str]) -> Rewriter:
        self.rules.append((re.compile(pattern) if isinstance(pattern, str) else pattern, replacement))
        return self

    def __call__(self, line: str) -> tuple[str, int]:
        line = line.replace("’", "'")
        total = 0
        for pattern, replacement in self.rules:

            def counted(
                match: re.Match[str], replacement: Callable[[re.Match[str]], str] = replacement
            ) -> str:
                nonlocal total
                new = replacement(match)
                if new != match.group(0):
                    total += 1
                    before, after = match.group(0).strip(), new.strip()
                    if before[:1].isupper():  # a sentence's first word: shown as the phrase itself
                        after = after[:1].lower() + after[1:]
                    self.examples.setdefault(before.lower(), after)
                return new

            line = pattern.sub(counted, line)
        self.changes += total
        return re.sub(r"(?<=\S)  +", " ", line), total

    def summary(self) -> str:
        shown = [
            f'"{old}" → "{new}"' if new else f'"{old}" dropped'
            for old, new in list(self.examples.items())[:3]
        ]
        if self.changes <= len(shown):
            return f"{prose.count(self.changes, 'change')}: {prose.join_words(shown)}"
        return f"{prose.count(self.changes, 'change')}, such as {prose.join_words(shown)}"


def _opening(replacement: str) -> Callable[[re.Match[str]], str]:
    """Replaces a sentence's opening word, keeping what precedes it (a list marker, a bold label)."""
    return lambda m: m.group(1) + replacement


def _formal_rewriter() -> Rewriter:
    return (
        Rewriter()
        .phrases(_CONTRACTIONS)
        .phrases(_INFORMAL_TO_FORMAL)
        .rule(
            re.compile(r"\b(?:we|i) think(?: that)?\b", re.I),
            lambda m: _match_case(m.group(0), "we consider that"),
        )
        .phrases(_FORMAL_VERBS, before=_NOT_A_VERB)
        .rule(_APPROXIMATE_RE, lambda m: _match_case(m.group(0), "approximately"))
        .rule(re.compile(_SENTENCE_OPENING + r"So,?\s+"), _opening("Therefore, "))
        .rule(re.compile(_SENTENCE_OPENING + r"But,?\s+"), _opening("However, "))
        .rule(re.compile(_SENTENCE_OPENING + r"(?:And|Also|Plus),?\s+"), _opening("In addition, "))
        .rule(re.compile(r",\s+so\s+(?!that\b)"), lambda m: "; therefore, ")
        .rule(re.compile(r"\s+&\s+"), lambda m: " and ")
        .rule(_INTENSIFIERS_RE, lambda m: "")
        .rule(re.compile(r"!+"), lambda m: ".")
    )


def _friendly_rewriter(*, contractions: bool) -> Rewriter:
    rewriter = (
        Rewriter()
        .phrases(_OFFICIAL_TO_PLAIN)
        .rule(re.compile(_SENTENCE_OPENING + r"Therefore,\s+"), _opening("So "))
        .rule(re.compile(_SENTENCE_OPENING + r"However,\s+"), _opening("But "))
        .rule(re.compile(_SENTENCE_OPENING + r"In addition,\s+"), _opening("Also, "))
    )
    if contractions:
        rewriter.phrases(_FRIENDLY).phrases(_CASUAL_CONTRACTIONS)
    return rewriter


def replace_words(r: Refinement, clause: str, old: str, new: str) -> None:
    old, new = old.strip(" \"'"), new.strip(" \"'")
    pattern = re.compile(r"(?<!\w)" + re.escape(old) + r"(?!\w)", re.I)

    def swap(line: str) -> tuple[str, int]:
        changed, n = pattern.subn(lambda m: _match_case(m.group(0), new), line)
        return changed, n

    count = map_text(r, swap, headings=True)
    if count:
        times = "once" if count == 1 else "twice" if count == 2 else f"{prose.number_word(count)} times"
        r.ok(f'replaced "{old}" with "{new}" {times}')
    else:
        r.refuse(clause, f'"{old}" does not occur in the section')


def formal(r: Refinement, clause: str) -> None:
    rewriter = _formal_rewriter()
    map_text(r, lambda line: _recapitalised(rewriter(line)))
    if rewriter.changes:
        r.ok(f"made the wording more formal ({rewriter.summary()})")
    else:
        r.refuse(
            clause,
            "the section already reads formally: it has no contractions, colloquial words, phrasal verbs "
            "or exclamation marks for a formal register to change",
        )


def plain(r: Refinement, clause: str, *, casual: bool, quiet: bool = False) -> None:
    """Plain English; with `casual`, also friendlier (contractions, everyday verbs). `quiet`: say
    nothing when there is nothing to change (the caller reports on its own)."""
    rewriter = _friendly_rewriter(contractions=casual)
    map_text(r, rewriter)
    if rewriter.changes:
        r.ok(f"made the wording {'friendlier' if casual else 'plainer'} ({rewriter.summary()})")
    elif not quiet:
        r.refuse(
            clause,
            "the section has no formal words, connectives or uncontracted phrases for a friendlier tone to change"
            if casual
            else "the section has no official words or phrases with a plainer equivalent",
        )


_SENTENCE_START_RE = re.compile(r"(^(?:\s*(?:[-*+]|\d+[.)]|>)\s+)?(?:\*\*[^*]+\*\*\s+)?|[.!?]\s+)([a-z])")


def _recapitalise(line: str) -> str:
    """A sentence whose first words were removed starts with a capital again."""
    return _SENTENCE_START_RE.sub(lambda m: m.group(1) + m.group(2).upper(), line)


def _recapitalised(result: tuple[str, int]) -> tuple[str, int]:
    line, count = result
    return (_recapitalise(line) if count else line), count


def confident(r: Refinement, clause: str, *, quiet: bool = False) -> None:
    rewriter = Rewriter().phrases(_CONFIDENT).rule(_HEDGES_RE, lambda m: "")
    map_text(r, lambda line: _recapitalised(rewriter(line)))
    if rewriter.changes:
        hedges = ", ".join(f'"{old}"' for old in list(rewriter.examples)[:3])
        r.ok(f"removed {prose.count(rewriter.changes, 'hedge')} ({hedges})")
    elif not quiet:
        r.refuse(clause, "the section has no hedging words to remove; it already states its points directly")


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
    r.ok(f"made {prose.count(changes, 'mechanical correction')}")
    r.refuse(
        clause,
        "spelling and grammar are not checked by the local engine; only doubled words, spacing and capitals were fixed",
    )
