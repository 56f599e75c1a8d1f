"""Sentences cut into clauses that each say one thing, and never into fragments.

A clause is a verbatim piece of a sentence with a verb of its own: "Churn is the big one, small
teams cancel after the first month" is two, "Sellers wait too long to get paid, and our search is
poor" is two, while "Our biggest problem is payments: sellers wait up to 10 days" stays one (the
colon explains it) and so does "Do more webinars, maybe two per month" (the tail has no verb). A
sentence without any verb ("Hiring bottlenecks.") is one clause as it stands.

Verbs are recognised from a lexicon with their inflections and from their position (after a
subject, a modal or "to", or opening an imperative), which is what a part-of-speech tagger would
decide for the short, plain sentences founders write.
"""

from __future__ import annotations

import functools
import re
from dataclasses import dataclass

from analysis.engines import text

_AUXILIARIES = frozenset(
    """is are was were be been being am 's 're 'm have has had 've 'd do does did don't doesn't didn't
    isn't aren't wasn't weren't haven't hasn't hadn't can can't cannot could couldn't will won't would
    wouldn't should shouldn't must may might shall 'll need needs ain't""".split()
)
_MODALS = frozenset(
    "can could will would should must may might shall 'll 'd to don't doesn't didn't won't".split()
)
_IRREGULAR = {
    "grew": "grow", "grown": "grow", "led": "lead", "went": "go", "gone": "go", "took": "take",
    "taken": "take", "left": "leave", "lost": "lose", "made": "make", "got": "get", "gotten": "get",
    "rose": "rise", "risen": "rise", "fell": "fall", "fallen": "fall", "came": "come", "sold": "sell",
    "built": "build", "ran": "run", "brought": "bring", "bought": "buy", "kept": "keep", "spent": "spend",
    "found": "find", "gave": "give", "given": "give", "began": "begin", "begun": "begin", "paid": "pay",
    "sent": "send", "held": "hold", "wrote": "write", "written": "write", "met": "meet", "said": "say",
    "told": "tell", "thought": "think", "knew": "know", "known": "know", "saw": "see", "seen": "see",
    "felt": "feel", "became": "become", "won": "win", "hit": "hit", "cut": "cut", "quit": "quit",
    "set": "set", "put": "put", "shut": "shut", "hired": "hire", "did": "do", "done": "do", "ate": "eat",
    "eaten": "eat", "broke": "break", "broken": "break", "chose": "choose", "stood": "stand",
    "understood": "understand", "drove": "drive", "shipped": "ship", "stopped": "stop", "planned": "plan",
    "dropped": "drop", "doubled": "double", "tripled": "triple",
}  # fmt: skip
# Base forms of the verbs founders use; inflections (-s, -ed, -ing) are derived.
_BASE_VERBS = frozenset(
    """accept achieve acquire add advertise afford aim allow answer apply approve arrive ask attend
    attract automate become begin believe bleed book bounce break bring build burn buy call cancel care
    change charge check choose churn close collect come complete confuse connect contact continue
    convert cost count create cut deal decide decline deliver depend deploy design develop die do
    donate double drive drop eat email employ end enroll enrol enter expand expect explain face fail fall
    feel fill find finish fix focus follow frustrate fund generate get give go grow happen hate have
    help hire hit hold host hover improve increase introduce invest join keep know land launch lead
    learn leave let like limit list live look lose love make manage market match measure meet miss
    move need notice offer onboard open order organise organize outsource overbook own pay pile plan
    post prefer prepare present price produce publish push put quit raise rank reach read receive
    recommend record recruit redesign reduce refer reject release rely remain renew reply report
    require retain return review rise rotate run save say scale see sell send serve set ship shrink
    sign sit slow solve speak spend stall stand start stay stop struggle subscribe survive switch take
    talk teach tell test think track train treat triple try turn tutor understand undercharge upgrade
    use visit wait want waste win work write""".split()
)
# Words that can be nouns: counted as verbs only where a verb stands (after a subject or modal).
_AMBIGUOUS = frozenset(
    """answer book call care change charge check close cost count cut deal design drop email end face
    fall fill focus fund help hit hold increase land launch lead list look love market match measure
    order pay plan post present price push raise rank reach record release reply report return review
    rise run sell set ship sign slow spend stall start stay stop switch talk test track train treat
    turn use visit wait waste win work""".split()
)
_SUBJECTS = frozenset(
    "i we you they he she it who that which there people customers clients users everyone nobody someone".split()
)
_DETERMINERS = frozenset(
    """the a an our my your their his her its this that these those every each some any no more most
    less fewer many much few several all both other another same such what which whose of in on at
    for from with by about into over under per than as""".split()
)
_ADVERBS = frozenset(
    "also just only really still never always often already usually mostly mainly actually even "
    "probably maybe then now currently finally".split()
)
_WORD_RE = re.compile(r"[A-Za-z][A-Za-z'’-]*|\d[\d,.]*%?")


def _base(word: str) -> str | None:
    """The lexicon verb a word is a form of, if any."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word in _BASE_VERBS:
        return word
    for suffix, repl in (
        ("ies", "y"),
        ("ied", "y"),
        ("es", ""),
        ("s", ""),
        ("ed", ""),
        ("ed", "e"),
        ("d", ""),
        ("ing", ""),
        ("ing", "e"),
    ):
        if word.endswith(suffix):
            stem = word[: -len(suffix)] + repl
            if stem in _BASE_VERBS:
                return stem
            if (
                suffix in {"ed", "ing"}
                and len(stem) > 2
                and stem[-1] == stem[-2]
                and stem[:-1] in _BASE_VERBS
            ):
                return stem[:-1]  # "shipped", "planning"
    return None


@dataclass(frozen=True)
class Token:
    text: str  # lower case, curly apostrophes straightened
    start: int
    end: int


def tokens(sentence: str) -> list[Token]:
    return [
        Token(m.group(0).lower().replace("’", "'"), m.start(), m.end()) for m in _WORD_RE.finditer(sentence)
    ]


def is_verb(words: list[Token], index: int) -> bool:
    """Whether the word at `index` is a verb where it stands."""
    word = words[index].text
    previous = words[index - 1].text if index > 0 else None
    if word in _AUXILIARIES or word.endswith(("n't", "'re", "'m", "'ve", "'ll")):
        return True
    if word.endswith("'s") and word[:-2] in _SUBJECTS | {"it", "there", "that", "what", "here"}:
        return True
    base = _base(word)
    if base is None:
        return False
    if previous in {"many", "few", "several"} and not word.endswith("s"):
        return True  # "how many visit each week": a plural noun would follow "many"
    if previous in _DETERMINERS and not (previous == "that" and index > 1):
        return False  # "the plan", "our focus", "more webinars"
    if word.endswith("ing") and previous not in _AUXILIARIES:
        return False  # a gerund or participle: "building the product", "cutting time"
    if previous is None:
        # An imperative opens the clause ("Do more webinars", "Launch a vegetarian box"); a word
        # that is also a noun is a verb there only before what a verb takes ("Call every landlord").
        following = words[index + 1].text if index + 1 < len(words) else None
        if base in _AMBIGUOUS or word != base:
            return following is not None and (
                following in _DETERMINERS
                or following in _SUBJECTS
                or following[0].isdigit()
                or following in {"us", "them", "him", "her", "me", "up", "out", "down", "more"}
            )
        return True
    if previous in _SUBJECTS or previous in _MODALS or previous in _ADVERBS or previous.endswith("n't"):
        return True
    if word in _IRREGULAR or word.endswith("ed"):
        return True
    if base in _AMBIGUOUS and not (word == base and previous.endswith("s")):
        return False  # "repeat orders", "the sales plan": a noun after a noun or an adjective
    # After a noun: "Landlords answer slowly", "Payment fees eat our margin", "Churn has".
    return previous not in _BASE_VERBS or previous.endswith("s")


def has_verb(words: list[Token]) -> bool:
    return any(is_verb(words, i) for i in range(len(words)))


@dataclass(frozen=True)
class Clause:
    text: str  # verbatim
    span: tuple[int, int]  # within its sentence


_BREAKS = re.compile(
    r"""(?P<hard>\s*;\s*)
      | (?P<soft>,?\s+(?:but|yet|whereas)\s+|,\s+(?:and|so|while|then|plus)\s+(?:also\s+)?|\s+and\s+(?:also\s+|then\s+|uh\s+|um\s+)?
          |\s+so\s+|,\s+|\s+(?=(?:the|our)\s+(?:real\s+|main\s+|biggest\s+|other\s+)?(?:problem|issue|challenge|blocker)\s+is\b)
          |\s+(?=(?:right\s+now|currently|today)\s+(?:it's|it\s+is|we're|we\s+are|we)\b))
    """,
    re.I | re.X,
)
_NEW_SUBJECT = re.compile(r"\s+(?=(?:i|we|they|he|she|it|there)(?:'s|'re|'m|'ve|'ll|'d)?\s+(?!to\b))", re.I)
_OPENS_RELATIVE = frozenset(
    "what how where when why who whom whose which that if whether as because since while until before after "
    "than so time way thing things reason one place day".split()
)
_LEADING = re.compile(r"^(?:(?:and|but|so|also|then|plus|uh|um|well|ok|okay|honestly)\b[\s,]*)+", re.I)


def _starts_clause(piece: str) -> bool:
    """The words after a break can stand alone: a subject and a verb, or an imperative."""
    words = tokens(piece)
    if not words:
        return False
    first_verb = next((i for i in range(len(words)) if is_verb(words, i)), None)
    if first_verb is None:
        return False
    head = [w.text for w in words[:first_verb]]
    if words[0].text in {"which", "who", "that", "where", "when"}:
        return False  # a relative clause belongs to the noun before it
    # A preposition before the verb means the piece continues a phrase ("in the first month").
    # A preposition or a conjunction before the verb means the piece continues a phrase ("in the
    # first month", "a designer and we have").
    if head and head[0] in {"in", "on", "at", "for", "from", "with", "by", "to", "of", "after", "before"}:
        return False
    return len(head) <= 5 and not any(w in {"to", "and", "or"} for w in head)


def clauses(sentence: str) -> list[Clause]:
    """The clauses of one sentence, each a verbatim piece with a verb of its own."""
    return list(_clauses(sentence))


@functools.lru_cache(maxsize=4096)
def _clauses(sentence: str) -> tuple[Clause, ...]:
    cuts: list[tuple[int, int, bool]] = []  # (start, end, always)
    for match in _BREAKS.finditer(sentence):
        cuts.append((match.start(), match.end(), bool(match.group("hard"))))
    for match in _NEW_SUBJECT.finditer(sentence):
        before = tokens(sentence[: match.start()])
        after = tokens(sentence[match.end() :])
        # A pronoun starts a new clause only after a finished one and before its own verb: not
        # in "what we do", "the time it takes", "know it when".
        if (
            len(before) >= 3
            and before[-1].text not in _OPENS_RELATIVE
            and not is_verb(before, len(before) - 1)  # "that means it's working": a complement
            and len(after) >= 2
            and (is_verb(after, 0) or is_verb(after, 1))
        ):
            cuts.append((match.start(), match.end(), False))
    cuts.sort()
    pieces: list[tuple[int, int]] = []
    start = 0
    for cut_start, cut_end, always in cuts:
        if cut_start < start:
            continue
        left, right = sentence[start:cut_start], sentence[cut_end:]
        if always or (has_verb(tokens(left)) and _starts_clause(right) and not _continues(left)):
            pieces.append((start, cut_start))
            start = cut_end
    pieces.append((start, len(sentence)))
    merged: list[tuple[int, int]] = []
    for piece in pieces:
        if merged and not has_verb(tokens(sentence[piece[0] : piece[1]])):
            merged[-1] = (merged[-1][0], piece[1])  # a tail without a verb belongs to its clause
        else:
            merged.append(piece)
    if len(merged) > 1 and not has_verb(tokens(sentence[merged[0][0] : merged[0][1]])):
        merged[1] = (merged[0][0], merged[1][1])
        merged.pop(0)
    out = []
    for begin, finish in merged:
        raw = sentence[begin:finish]
        lead = _LEADING.match(raw.strip())
        offset = len(raw) - len(raw.lstrip()) + (lead.end() if lead else 0)
        words = sentence[begin + offset : finish].rstrip(" ,;:")
        if text.word_count(words):
            out.append(Clause(words, (begin + offset, begin + offset + len(words))))
    return tuple(out) or (Clause(sentence.strip(), (0, len(sentence.strip()))),)


def _continues(left: str) -> bool:
    # "... know if", "... because", "... that": the break is inside a clause, not between two.
    last = tokens(left)[-1].text if tokens(left) else ""
    return last in {
        "if",
        "because",
        "that",
        "when",
        "which",
        "who",
        "whether",
        "than",
        "to",
        "and",
        "or",
        "the",
        "a",
        "of",
        "is",
        "are",
        "was",
    }


def sentences(answer: str) -> list[str]:
    return text.sentences(answer)
