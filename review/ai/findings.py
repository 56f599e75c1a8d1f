"""Blockers, strengths and activities, each quoting the clause it comes from (verbatim).

A blocker is a negative statement: a problem word, a lack ("we don't have", "no one", "only two
people"), a cost that rose, or a clearly negative tone. A growth figure is a strength wherever it
is said, a neutral fact or the founder's background is neither, and a denied problem ("building
isn't the problem") is no blocker. An activity is work the founder will do: an action verb whose
object is not a result ("Do more webinars", "launch our scheduling product"), or work counted
by its frequency ("two seller workshops every month"); "Ship 5,000 units" is an outcome, because
its object is what is measured.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from analysis.engines import text
from review.ai import clauses as grammar
from review.ai.dates import cadences
from review.ai.numbers import quantities
from review.ai.phrasing import tidy_quote
from review.ai.reading import Answer, by_role, metric_mentions

# --------------------------------------------------------------------------------------------
# Blockers

_CATEGORY_CUES: dict[str, re.Pattern[str]] = {
    "finance": re.compile(
        r"\b(?:cash|fund\w*|budget|money|runway|investors?|burn|costs?|expensive|afford|capital|loans?|"
        r"payments?|paid|pay|prices?|pricing|margins?|revenue|profit\w*|financ\w*|fees?|grants?|rents?|"
        r"undercharge\w*)\b",
        re.I,
    ),
    "people": re.compile(
        r"\b(?:hir\w*|team|talent|engineers?|developers?|staff|employees?|co-?founders?|skills?|burn(?:ed|t)? ?out|"
        r"turnover|managers?|salespeople|sales ?person|people|recruit\w*|only me|myself|alone|one person|"
        r"part-time|bandwidth|volunteers?|nurses?|teachers?|drivers?|cleaners?|salesperson|designers?|bottleneck)\b",
        re.I,
    ),
    "technology": re.compile(
        r"\b(?:tech\w*|bugs?|platform|infrastructure|legacy|code|systems?|integrations?|scal\w*|downtime|"
        r"tooling|tools?|software|app|website|site|servers?|slow on|crash\w*|data|automation|api|docs|"
        r"database|checkout|search|machine|van|update)\b",
        re.I,
    ),
    "market": re.compile(
        r"\b(?:competi\w*|market\w*|demand|awareness|customers? (?:don't|do not|won't|aren't)|sales cycle|leads?|"
        r"churn\w*|regulat\w*|sanctions?|econom\w*|inflation|buyers?|sellers? leave|visibility|brand|trust|"
        r"deals?|prospects?|clients?|landlords|tenants|nobody knows|amazon|gym|pipeline|seo|ranks?|"
        r"certification|apple|suppliers?|clinics)\b",
        re.I,
    ),
    "process": re.compile(
        r"\b(?:process\w*|prioriti\w*|priorities|focus|meetings?|handoffs?|workflows?|planning|communicat\w*|"
        r"decisions?|approvals?|documentation|manual\w*|onboarding|operations?|time|busy|chaos|organi[sz]\w*|"
        r"wait\w*|delays?|pile up|backlog|going on|estimates?|assembly|waste|sessions?|paper|intake|"
        r"reminders?|support|lead time)\b",
        re.I,
    ),
}
# Checked in this order on a tie: the more specific categories first.
_CATEGORY_ORDER = ("finance", "people", "technology", "market", "process")
_PROBLEM = re.compile(
    r"""\b(?:can't|cannot|can\s+not|couldn't|don't\s+have|do\s+not\s+have|doesn't|don't\s+know|lack\w*|not\s+enough
    |never\s+enough|too\s+(?:slow|long|few|little|expensive|much|many|high|low|small|big|hard)|too\s+\w+
    |slow\w*|struggl\w*|problems?|issues?|hard|difficult\w*|bottlenecks?|blocked|blocking|behind|late|delays?
    |losing|lost|lose|leave|leaving|left|churn\w*|cancel\w*|quit|wait\w*|pile\s+up|burn\w*\s+out|crept\s+up
    |no\s+time|nobody|no\s+one|no-shows?|fragile|broken|break\w*|expensive|risk\w*|mess|confus\w*|frustrat\w*
    |outdated|out\s+of\s+date|old|manual|on\s+paper|by\s+hand|stall\w*|reject\w*|undercharge\w*|overbooked|unreliable|badly|poor\w*
    |crazy|killing|forever|thin|low|missing|short\s+of|rely\s+on|depend\s+on|eat|embarrass\w*|wrong|waste
    |small|only|just\s+me|no\s+\w+|there's\s+no|isn't|aren't|won't|can't\s+afford|afraid|worr\w*|tough)\b""",
    re.I | re.X,
)
_DENIED = re.compile(
    r"\b(?:isn't|is\s+not|aren't|are\s+not|wasn't|not)\s+(?:really\s+)?(?:the|a|an|our|my)?\s*(?:main\s+|real\s+|big\s+)?"
    r"(?:problem|issue|blocker|challenge|concern)s?\b|\bno\s+(?:problem|issue)s?\b",
    re.I,
)
_BACKGROUND = re.compile(
    r"\b(?:in\s+my\s+(?:last|previous|old)\s+(?:role|job|company|startup)|before\s+this|i\s+used\s+to|back\s+when"
    r"|years\s+ago)\b",
    re.I,
)
_GROWTH = re.compile(
    r"\b(?:grew|grown|growing|grows|up|rose|risen|rising|rises|increased|increasing|doubled|tripled|improved|"
    r"gained|climbed|climbing|jumped|went\s+up|going\s+up)\b",
    re.I,
)
_COST = re.compile(
    r"\b(?:costs?|prices?|fees?|rents?|churn|expenses?|spend|cac|wait|no-shows?|returns|defects?)\b", re.I
)
_SEVERE = re.compile(
    r"\b(?:biggest|main|major|critical|serious|can't|cannot|impossible|blocked|losing|leave|leaving|run out|"
    r"never|killing|desperate|huge|too (?:long|slow|few|little|expensive|much|many)|only (?:one|a single|me)|"
    r"pile up|piling up|forever|quit)\b",
    re.I,
)
# Problems worth reporting when they come up in another answer than the blockers one.
_STRONG_PROBLEM = re.compile(
    r"\b(?:can't|cannot|can not|don't have|do not have|lack\w*|not enough|never enough|too (?:slow|long|few|"
    r"little|expensive|much|many)|struggl\w*|problems?|hard to|difficult|bottlenecks?|blocked|behind|delays?|"
    r"losing|run(?:ning)? out|only \w+ (?:left|months?|weeks?)|\w+ left\b|no time|nobody|no one|no budget|no money)\b",
    re.I,
)
_NAMING = re.compile(
    r"(?:the\s+|our\s+|my\s+)?[\w\s-]{1,40}?\s+(?:is|are)\s+(?:the|our|my)\s+(?:big|biggest|main|real|major|number one)\s+"
    r"(?:one|thing|problem|issue|blocker|challenge)",
    re.I,
)
_WANTING = re.compile(
    r"\b(?:want|wants|success means|goal|target|aim|plan to|will|'d like|would like)\b", re.I
)
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
    if quantities(fragment):
        reasons.append("the cost is quantified")
    mood = text.sentiment(fragment)
    if mood.compound <= -0.4:
        reasons.append(f"clearly negative tone ({mood.compound:+.2f})")
    if first_in_answer:
        reasons.append("named first")
    if _PROBLEM.search(fragment):
        reasons.append("stated as a problem")
    weight = 2 * min(2, len(set(severe))) + (len(reasons) - (1 if severe else 0))
    level = "high" if weight >= 3 else "medium" if weight >= 1 else "low"
    return level, tuple(reasons)


def is_growth(fragment: str) -> bool:
    """A figure that went up for something that should go up ("Sales grew by 10%")."""
    return (
        bool(_GROWTH.search(fragment))
        and not _COST.search(fragment)
        and not _PROBLEM.search(_GROWTH.sub("", fragment))
    )


def is_problem(fragment: str, *, whole_answer: bool) -> bool:
    """A negative statement: what a blocker needs. `whole_answer` marks a verbless answer to the
    blockers question ("Hiring bottlenecks.", "Amazon."), which names its obstacle."""
    if _DENIED.search(fragment) or _BACKGROUND.search(fragment):
        return False
    if is_growth(fragment):
        return False
    if whole_answer:
        return True
    if quantities(fragment) and any(m.decreasing for m in metric_mentions(fragment)):
        return True  # "a 16-week lead time", "No-shows are around 20%": a cost stated as a number
    cues = [m.group(0).lower() for m in _PROBLEM.finditer(fragment)]
    if _GROWTH.search(fragment) and _COST.search(fragment):
        return True  # "Shipping costs went up 20%", "Chip prices doubled"
    if cues:
        if cues == ["only"] and re.search(r"\bonly\s+(?:through|by|via|from)\b", fragment, re.I) is None:
            # "only" is a problem when it limits a number of something: "we only have four classrooms".
            rest = fragment[re.search(r"\bonly\b", fragment, re.I).end() :]  # type: ignore[union-attr]
            return bool(
                quantities(rest[:40])
                or re.match(r"\s+(?:have\s+|has\s+)?(?:me|us|one|a\s+few)\b", rest, re.I)
            )
        return True
    return text.sentiment(fragment).compound <= -0.3


def blockers(answers: Sequence[Answer], *, limit: int = 5) -> list[BlockerFinding]:
    """Every problem the blockers answer states, plus problems stated in the other answers (not
    the strengths): one finding per clause, most severe first."""
    found: list[BlockerFinding] = []
    seen: set[str] = set()
    for answer in answers:
        if answer.role == "strengths":
            continue
        in_blockers_answer = answer.role == "blockers"
        first = True
        for sentence in answer.sentences:
            words = grammar.tokens(sentence)
            verbless = not grammar.has_verb(words)
            pieces = grammar.clauses(sentence)
            explained = next((i for i, c in enumerate(pieces) if ":" in c.text), None)
            consequence = next(
                (
                    i - 1
                    for i in range(1, len(pieces))
                    if re.search(r"\bso\b", sentence[pieces[i - 1].span[1] : pieces[i].span[0]], re.I)
                    and is_problem(pieces[i - 1].text, whole_answer=False)
                ),
                None,
            )  # "only one engineer, so integrations pile up and ...": the consequence is the problem's
            if explained is None or (consequence is not None and consequence < explained):
                explained = consequence
            if in_blockers_answer and explained is not None and explained + 1 < len(pieces):
                # What follows a colon explains the problem before it: one blocker.
                merged = grammar.Clause(
                    sentence[pieces[explained].span[0] : pieces[-1].span[1]],
                    (pieces[explained].span[0], pieces[-1].span[1]),
                )
                pieces = [*pieces[:explained], merged]
            for index, clause in enumerate(pieces):
                fragment = clause.text
                if index and _NAMING.fullmatch(pieces[index - 1].text.rstrip(".!")) and in_blockers_answer:
                    continue  # explained the problem named just before: one blocker
                if (
                    in_blockers_answer
                    and _NAMING.fullmatch(fragment.rstrip(".!"))
                    and index + 1 < len(pieces)
                    and clause.span[1] <= pieces[index + 1].span[0]
                ):
                    # "Churn is the big one, small teams cancel after the first month": the second
                    # clause explains the first, as a colon would.
                    fragment = sentence[clause.span[0] : pieces[index + 1].span[1]]
                if in_blockers_answer:
                    if not is_problem(fragment, whole_answer=verbless and len(words) <= 6):
                        continue
                elif (
                    not _STRONG_PROBLEM.search(fragment)
                    or _WANTING.search(fragment)
                    or _DENIED.search(fragment)
                ):
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
                        _category(fragment), tidy_quote(fragment), severity, answer.order, fragment, reasons
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
    r"expert\w*|organic|word of mouth|followers|community|reputation|unique|cheaper|better than|excellent|"
    r"full|renew\w*|refer|well|wins?|like)\b",
    re.I,
)


@dataclass(frozen=True)
class StrengthFinding:
    text: str
    order: int
    quote: str
    has_numbers: bool


def strengths(answers: Sequence[Answer], *, limit: int = 5) -> list[StrengthFinding]:
    """What the strengths answer names (unless it is a complaint), growth figures said in the
    blockers answer, then clearly positive statements in the other answers."""
    found: list[StrengthFinding] = []
    for answer in by_role(answers, "strengths"):
        for sentence in answer.sentences:
            for clause in grammar.clauses(sentence):
                fragment = clause.text
                if text.sentiment(fragment).compound < -0.05 or (
                    is_problem(fragment, whole_answer=False) and not _STRENGTH_CUE.search(fragment)
                ):
                    continue
                found.append(
                    StrengthFinding(tidy_quote(fragment), answer.order, fragment, bool(quantities(fragment)))
                )
    for answer in by_role(answers, "blockers"):
        for sentence in answer.sentences:
            for clause in grammar.clauses(sentence):
                if is_growth(clause.text) and quantities(clause.text):
                    found.append(StrengthFinding(tidy_quote(clause.text), answer.order, clause.text, True))
    for answer in answers:
        if answer.role in ("strengths", "blockers"):
            continue
        for sentence in answer.sentences:
            if _WANTING.search(sentence) or _PROBLEM.search(sentence):
                continue  # a wish is not yet a strength
            if _STRENGTH_CUE.search(sentence) and text.sentiment(sentence).compound >= 0.5:
                found.append(
                    StrengthFinding(tidy_quote(sentence), answer.order, sentence, bool(quantities(sentence)))
                )
    return found[:limit]


# --------------------------------------------------------------------------------------------
# Activities: work the founder will do, offered where a result should be

_ACTION_VERBS = frozenset(
    """post publish run hold host attend send call visit launch open build create write ship release
    organise organize redesign implement introduce add develop start record email advertise do make
    spend invest contact meet go""".split()
)
_WORK_ITEMS = re.compile(
    r"\b(?:webinars?|posts?|videos?|workshops?|events?|meetups?|calls?|demos?|emails?|newsletters?|campaigns?"
    r"|ads|adverts?|articles?|blog posts?|tutorials?|case studies|case study|proposals?|visits?|conferences?"
    r"|trade shows?|features?|releases?|interviews?|podcasts?|reels?|stories)\b",
    re.I,
)
_PLANNED = re.compile(
    r"\b(?:want|wants|need|needs|plan|plans|aim|going|hope|intend|try|'d like|would like)\s+(?:us\s+)?to\b"
    r"|\b(?:will|'ll|should|must|let's|shall)\b",
    re.I,
)
_DONE_TO = re.compile(
    r"\bget\s+(?:the|our|a|an|it|them)?\s*[\w\s-]{0,30}?\b(?:certified|approved|done|built|launched|finished|signed off|listed)\b",
    re.I,
)
_TRACKING_VERBS = frozenset("track check count measure review look monitor report see watch follow".split())
_PHRASE_END = re.compile(
    r"\s+(?:and|but|so|because|if|then|which|that|to see|while)\s+|,(?!\d)|[;:()]|\.(?!\d)", re.I
)


@dataclass(frozen=True)
class ActivityFinding:
    text: str  # verbatim
    order: int
    quote: str


def _phrase_from(clause: str, start: int) -> str:
    stop = _PHRASE_END.search(clause, start)
    return clause[start : stop.start() if stop else len(clause)].strip()


def activities(answers: Sequence[Answer]) -> list[ActivityFinding]:
    """In the goal and success answers: planned work whose object is not a result, and work
    counted by its frequency. Hiring plans in the resources answer are plans, not success
    measures, and are left alone."""
    found: list[ActivityFinding] = []
    for answer in by_role(answers, "goal", "measures"):
        for sentence in answer.sentences:
            for clause in grammar.clauses(sentence):
                found.extend(_clause_activities(clause.text, answer.order, sentence))
    unique: dict[str, ActivityFinding] = {}
    for finding in found:
        unique.setdefault(finding.text.lower(), finding)
    return list(unique.values())


def _is_verb_at(words: list[grammar.Token], position: int) -> bool:
    index = next((i for i, w in enumerate(words) if w.start == position), None)
    return index is not None and grammar.is_verb(words, index)


def _clause_activities(clause: str, order: int, sentence: str) -> list[ActivityFinding]:
    words = grammar.tokens(clause)
    planned_from = _PLANNED.search(clause)
    out: list[ActivityFinding] = []
    for match in _DONE_TO.finditer(clause):
        if planned_from and planned_from.end() <= match.start() + 1:
            out.append(ActivityFinding(match.group(0).strip(), order, sentence))
    taken = [(sentence.find(a.text), sentence.find(a.text) + len(a.text)) for a in out]
    for index, word in enumerate(words):
        base = grammar._base(word.text)
        if base is None or base not in _ACTION_VERBS:
            continue
        opens = index == 0 and grammar.is_verb(words, 0)
        previous = words[index - 1].text if index else ""
        planned = (
            planned_from is not None
            and planned_from.end() <= word.start + 1
            and (previous in {"to", "and", "'ll", "will", "should", "must"} or previous.endswith("'ll"))
        )
        if not (opens or planned):
            continue
        phrase = _phrase_from(clause, word.start)
        obj = phrase[len(word.text) :]
        if metric_mentions(obj) or any(s <= word.start < e for s, e in taken):
            continue  # "Ship 5,000 units": the object is what is measured, an outcome
        if base in {"make", "do", "go", "spend", "invest"} and not _WORK_ITEMS.search(obj):
            continue  # "make a real difference": no work named
        out.append(ActivityFinding(phrase, order, sentence))
    first_item = next(
        (m for m in _WORK_ITEMS.finditer(clause) if not _is_verb_at(words, m.start())), None
    )  # "how many visit each week": a verb, not the work item
    if not out and first_item and cadences(clause[first_item.start() :]):
        # "the number of demos we do every week": work counted by how often, offered as a measure.
        start = clause.rfind(" the ", 0, first_item.start())
        phrase = clause[start + 1 if start >= 0 else first_item.start() :].strip()
        if not metric_mentions(_WORK_ITEMS.sub("", phrase)):
            out.append(ActivityFinding(phrase, order, sentence))
    if any(w.text in _TRACKING_VERBS for w in words[:3]) and not any(_WORK_ITEMS.search(a.text) for a in out):
        return []
    return out
