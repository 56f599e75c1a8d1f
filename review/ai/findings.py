"""Blockers, strengths and activities, each quoting the answer it comes from (verbatim)."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.engines import text
from review.ai.reading import Answer, by_role, metric_mentions, stated_numbers

# --------------------------------------------------------------------------------------------
# Clauses: "Our website is slow on mobile, and we don't have enough money" is two blockers.

_SPLIT_RE = re.compile(r"(?:;|,?\s+but\s+|,\s+and\s+(?:also\s+)?|\.\s+|\s+and\s+also\s+)", re.I)


def clauses(sentence: str) -> list[str]:
    """Verbatim pieces of a sentence, split where a second thought starts."""
    pieces, start = [], 0
    for match in _SPLIT_RE.finditer(sentence):
        piece = sentence[start : match.start()].strip()
        if piece:
            pieces.append(piece)
        start = match.end()
    tail = sentence[start:].strip()
    if tail:
        pieces.append(tail)
    return [p for p in pieces if text.word_count(p) >= 3] or [sentence]


def tidy(fragment: str) -> str:
    """A quote made presentable: fillers out, first letter up, one closing full stop."""
    cleaned = text.remove_fillers(fragment).strip().strip(",;:-— ")
    if not cleaned:
        return fragment.strip()
    cleaned = cleaned[0].upper() + cleaned[1:]
    return cleaned if cleaned[-1] in ".!?" else f"{cleaned}."


# --------------------------------------------------------------------------------------------
# Blockers

_CATEGORY_CUES: dict[str, re.Pattern[str]] = {
    "finance": re.compile(
        r"\b(?:cash|fund\w*|budget|money|runway|investors?|burn|costs?|expensive|afford|capital|loans?|"
        r"payments?|paid|pay|prices?|pricing|margins?|revenue|profit\w*|financ\w*)\b",
        re.I,
    ),
    "people": re.compile(
        r"\b(?:hir\w*|team|talent|engineers?|developers?|staff|employees?|co-?founders?|skills?|burn(?:ed|t)? ?out|"
        r"turnover|managers?|salespeople|people|recruit\w*|only me|myself|alone|one person|part-time|bandwidth)\b",
        re.I,
    ),
    "technology": re.compile(
        r"\b(?:tech\w*|bugs?|platform|infrastructure|legacy|code|systems?|integrations?|scal\w*|downtime|"
        r"tooling|tools?|software|app|website|site|servers?|slow on|crash\w*|data|automation|api)\b",
        re.I,
    ),
    "market": re.compile(
        r"\b(?:competi\w*|market\w*|demand|awareness|customers? (?:don't|do not|won't|aren't)|sales cycle|leads?|"
        r"churn\w*|regulat\w*|sanctions?|econom\w*|inflation|buyers?|sellers? leave|visibility|brand|trust|"
        r"deals?|prospects?)\b",
        re.I,
    ),
    "process": re.compile(
        r"\b(?:process\w*|prioriti\w*|priorities|focus|meetings?|handoffs?|workflows?|planning|communicat\w*|"
        r"decisions?|approvals?|documentation|manual\w*|onboarding|operations?|time|busy|chaos|organi[sz]\w*|"
        r"wait\w*|delays?|pile up|backlog|going on)\b",
        re.I,
    ),
}
# Checked in this order on a tie: the more specific categories first.
_CATEGORY_ORDER = ("finance", "people", "technology", "market", "process")
_BLOCKER_CUE = re.compile(
    r"\b(?:can't|cannot|can not|don't have|do not have|lack\w*|not enough|never enough|too (?:slow|long|few|little|"
    r"expensive|much|many)|slow|struggl\w*|problems?|issues?|hard|difficult|bottlenecks?|blocked|blocking|behind|"
    r"late|delays?|losing|lose|leave|leaving|churn\w*|only|wait\w*|pile up|burn\w* out|crept up|no time|"
    r"nobody|no one|fragile|broken|expensive|risk\w*)\b",
    re.I,
)
_SEVERE = re.compile(
    r"\b(?:biggest|main|major|critical|serious|can't|cannot|impossible|blocked|losing|leave|leaving|run out|"
    r"never|killing|desperate|huge|too (?:long|slow|few|little|expensive|much|many)|only (?:one|a single|me)|"
    r"pile up|piling up)\b",
    re.I,
)
# Problems worth reporting when they come up in another answer than the blockers one.
_STRONG_BLOCKER_CUE = re.compile(
    r"\b(?:can't|cannot|can not|don't have|do not have|lack\w*|not enough|never enough|too (?:slow|long|few|"
    r"little|expensive|much|many)|struggl\w*|problems?|hard to|difficult|bottlenecks?|blocked|behind|delays?|"
    r"losing|run(?:ning)? out|only \w+ (?:left|months?|weeks?)|\w+ left\b|no time|nobody|no one)\b",
    re.I,
)
_WANTING = re.compile(r"\b(?:want|wants|success means|goal|target|aim|plan to|will)\b", re.I)
_SCARCE_PEOPLE = re.compile(r"\b(?:only (?:one|a single|me|two)\b[^,.;]*|just me|one person|part-time)", re.I)


@dataclass(frozen=True)
class BlockerFinding:
    category: str
    description: str
    severity: str
    order: int
    quote: str
    reasons: tuple[str, ...]  # why this severity: the cues found


def _category(fragment: str) -> str:
    counts = {name: len(cue.findall(fragment)) for name, cue in _CATEGORY_CUES.items()}
    if _SCARCE_PEOPLE.search(fragment) and _CATEGORY_CUES["people"].search(fragment):
        counts["people"] += 2  # "only one backend engineer, so ... pile up": the root is capacity
    best = max(_CATEGORY_ORDER, key=lambda name: (counts[name], -_CATEGORY_ORDER.index(name)))
    return best if counts[best] else "other"


def _severity(fragment: str, *, first_in_answer: bool) -> tuple[str, tuple[str, ...]]:
    reasons: list[str] = []
    severe = [m.group(0).lower() for m in _SEVERE.finditer(fragment)]
    if severe:
        reasons.append(f"strong words: {', '.join(dict.fromkeys(severe))}")
    if stated_numbers(fragment):
        reasons.append("the cost is quantified")
    mood = text.sentiment(fragment)
    if mood.compound <= -0.4:
        reasons.append(f"clearly negative tone ({mood.compound:+.2f})")
    if first_in_answer:
        reasons.append("named first")
    if _BLOCKER_CUE.search(fragment):
        reasons.append("stated as a problem")
    weight = 2 * min(2, len(set(severe))) + (len(reasons) - (1 if severe else 0))
    level = "high" if weight >= 3 else "medium" if weight >= 1 else "low"
    return level, tuple(reasons)


def blockers(answers: Sequence[Answer], *, limit: int = 5) -> list[BlockerFinding]:
    """Everything the blockers answer names, plus problems stated in the other answers (not the
    strengths): one finding per clause, most severe first."""
    found: list[BlockerFinding] = []
    seen: set[str] = set()
    for answer in answers:
        if answer.role == "strengths":
            continue
        in_blockers_answer = answer.role == "blockers"
        first = True
        for sentence in answer.sentences:
            for fragment in clauses(sentence):
                if in_blockers_answer:
                    if not _BLOCKER_CUE.search(fragment) and text.sentiment(fragment).compound > 0.3:
                        continue
                elif not _STRONG_BLOCKER_CUE.search(fragment) or _WANTING.search(fragment):
                    continue
                key = fragment.lower()
                if key in seen:
                    continue
                seen.add(key)
                severity, reasons = _severity(fragment, first_in_answer=first and in_blockers_answer)
                if not in_blockers_answer and severity == "high":
                    severity = "medium"  # mentioned in passing, not named as a blocker
                found.append(
                    BlockerFinding(
                        _category(fragment), tidy(fragment), severity, answer.order, fragment, reasons
                    )
                )
                first = False
    rank = {"high": 0, "medium": 1, "low": 2}
    found.sort(key=lambda b: (rank[b.severity], b.order))
    return found[:limit]


# --------------------------------------------------------------------------------------------
# Strengths

_STRENGTH_CUE = re.compile(
    r"\b(?:works?|working|love[sd]?|loyal|strong|grow\w*|grew|profitable|proud|great|good|repeat|referr\w*|"
    r"retention|recommend\w*|fast|quick\w*|happy|best|award\w*|free|come back|returning|trust\w*|experienced|"
    r"expert\w*|organic|word of mouth|followers|community|reputation|unique|cheaper|better than)\b",
    re.I,
)


@dataclass(frozen=True)
class StrengthFinding:
    text: str
    order: int
    quote: str
    has_numbers: bool


def strengths(answers: Sequence[Answer], *, limit: int = 5) -> list[StrengthFinding]:
    """What the strengths answer names (unless it is a complaint), then clearly positive
    statements in the other answers."""
    found: list[StrengthFinding] = []
    for answer in by_role(answers, "strengths"):
        for sentence in answer.sentences:
            for fragment in clauses(sentence):
                if (
                    text.sentiment(fragment).compound < -0.05
                    or _BLOCKER_CUE.search(fragment)
                    and not _STRENGTH_CUE.search(fragment)
                ):
                    continue
                found.append(
                    StrengthFinding(tidy(fragment), answer.order, fragment, bool(stated_numbers(fragment)))
                )
    for answer in answers:
        if answer.role in ("strengths", "blockers"):
            continue
        for sentence in answer.sentences:
            if _WANTING.search(sentence) or _BLOCKER_CUE.search(sentence):
                continue  # a wish is not yet a strength
            if _STRENGTH_CUE.search(sentence) and text.sentiment(sentence).compound >= 0.5:
                found.append(
                    StrengthFinding(tidy(sentence), answer.order, sentence, bool(stated_numbers(sentence)))
                )
    return found[:limit]


# --------------------------------------------------------------------------------------------
# Activities: work the founder will do, offered where a result should be

_ACTIVITY_VERBS = (
    r"post|publish|run|hold|host|attend|make|send|call|launch|build|create|write|ship|release|hire|"
    r"organi[sz]e|open|redesign|implement|set up|introduce|add|develop|start|visit|email|record|do|go to|"
    r"spend|invest|advertise|partner with|reach out to|contact|meet"
)
_ACTIVITY_RE = re.compile(
    rf"\b(?:{_ACTIVITY_VERBS})\b(?:(?!\b(?:and|but|so|because|if|then)\b)[^,;.])*",
    re.I,
)
_FREQUENCY_RE = re.compile(
    r"\b(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a few|several)\s+(?:times|posts?|videos?|"
    r"workshops?|events?|calls?|meetings?|emails?|campaigns?|features?|articles?|webinars?|demos?|ads?|"
    r"newsletters?|releases?|visits?|conferences?|interviews?|engineers?|developers?|people|hires?|salespeople)\b"
    r"|\b(?:every|each|per|a)\s+(?:day|week|month|quarter)\b|\b(?:daily|weekly|monthly)\b",
    re.I,
)


@dataclass(frozen=True)
class ActivityFinding:
    text: str  # verbatim
    order: int
    quote: str


def activities(answers: Sequence[Answer]) -> list[ActivityFinding]:
    """In the goal and measures answers: counted or scheduled work with no result attached
    ("post on Instagram 5 times a week"). Hiring plans in the resources answer are plans, not
    success measures, and are left alone."""
    found: list[ActivityFinding] = []
    for answer in by_role(answers, "goal", "measures"):
        for sentence in answer.sentences:
            for match in _ACTIVITY_RE.finditer(sentence):
                phrase = match.group(0).strip()
                if not _FREQUENCY_RE.search(phrase) or metric_mentions(phrase):
                    continue
                found.append(ActivityFinding(phrase, answer.order, sentence))
    return found
