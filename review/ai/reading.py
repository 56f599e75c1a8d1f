"""Reading a founder's answers: which question each answers, the numbers, dates and metrics stated.

Plain text in, frozen dataclasses out. Every value keeps the words the founder used ("$42k",
"4% per month", "the end of Q2 2026") so the draft can quote them instead of restating them.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from analysis.engines import text

Role = Literal["goal", "blockers", "strengths", "measures", "resources", "other"]
# The default questionnaire's order, used when a prompt names none of the topics ("Q1").
POSITIONAL_ROLES: tuple[Role, ...] = ("goal", "blockers", "strengths", "measures", "resources")

_ROLE_CUES: dict[Role, re.Pattern[str]] = {
    "goal": re.compile(r"\b(?:goals?|objectives?|aims?|ambitions?|vision|achieve|accomplish)\b", re.I),
    "blockers": re.compile(
        r"\b(?:block\w*|obstacles?|challenges?|problems?|prevent\w*|holding (?:you|it) back|in the way"
        r"|difficult\w*|struggl\w*|risks?|stuck|bottlenecks?|barriers?|hinder\w*)\b",
        re.I,
    ),
    "strengths": re.compile(
        r"\b(?:working well|works well|going well|strengths?|advantages?|good at|proud|what works|build on)\b",
        re.I,
    ),
    "measures": re.compile(
        r"\b(?:measure\w*|metrics?|kpis?|success look|numbers?|track\w*|indicators?|how (?:will|would|do) you know)\b",
        re.I,
    ),
    "resources": re.compile(
        r"\b(?:resources?|timeline|time ?frame|budget|runway|deadlines?|milestones?|capacity|who owns|funding"
        r"|schedule)\b",
        re.I,
    ),
}


@dataclass(frozen=True)
class Answer:
    order: int
    prompt: str
    text: str
    role: Role
    sentences: tuple[str, ...]


def _role_of(prompt: str, position: int) -> Role:
    default: Role = POSITIONAL_ROLES[position] if position < len(POSITIONAL_ROLES) else "other"
    scores = {role: len(cue.findall(prompt)) for role, cue in _ROLE_CUES.items()}
    scores[default] = scores.get(default, 0) + 0.5  # type: ignore[assignment]  # ties go to the position
    best = max(scores, key=lambda role: scores[role])
    return best if scores[best] >= 1 else default


def read_answers(raw: Iterable[dict[str, Any]]) -> list[Answer]:
    """Answers in order with the question each one answers, decided from its prompt's wording
    (falling back on the default questionnaire's order)."""
    ordered = sorted(raw, key=lambda item: int(item["order"]))
    answers = []
    for position, item in enumerate(ordered):
        body = str(item.get("answer") or "").strip()
        prompt = str(item.get("prompt") or "")
        answers.append(
            Answer(
                order=int(item["order"]),
                prompt=prompt,
                text=body,
                role=_role_of(prompt, position),
                sentences=tuple(text.sentences(body)),
            )
        )
    if answers and not any(a.role == "goal" for a in answers):
        first = answers[0]
        answers[0] = Answer(first.order, first.prompt, first.text, "goal", first.sentences)
    return answers


def by_role(answers: Sequence[Answer], *roles: Role) -> list[Answer]:
    return [a for a in answers if a.role in roles]


# --------------------------------------------------------------------------------------------
# Dates


_MONTHS = (
    "january|february|march|april|may|june|july|august|september|october|november|december"
    "|jan|feb|mar|apr|jun|jul|aug|sept|sep|oct|nov|dec"
)
_SEASONS = "spring|summer|autumn|fall|winter|nowruz"
_PERIODS = "year|quarter|month|half|semester"
_COUNT = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|eighteen|a couple of|a few)"
)
_SPAN_UNITS = r"(?:days?|weeks?|months?|quarters?|years?)"
_POINT = rf"(?:Q[1-4](?:\s*(?:'|20)?\d{{2}})?|H[12](?:\s*20\d{{2}})?|(?:{_MONTHS})(?:\s+20\d{{2}})?|20\d{{2}}|(?:{_SEASONS})(?:\s+20\d{{2}})?)"
_DEADLINE_RE = re.compile(
    rf"""\b(?:
        (?:by|before|until|till|in|during|at|for|within|around|towards?)\s+(?:the\s+)?
            (?:(?:very\s+)?end\s+of\s+(?:the\s+)?)?(?:(?:this|next|coming)\s+)?(?:{_POINT}|(?:{_PERIODS})\b)
      | (?:in|within|over|for|during)\s+(?:the\s+)?(?:next\s+)?{_COUNT}\s+{_SPAN_UNITS}
      | (?:the\s+)?next\s+{_COUNT}\s+{_SPAN_UNITS}
      | (?:the\s+)?end\s+of\s+(?:the\s+)?(?:(?:this|next)\s+)?(?:{_POINT}|{_PERIODS})
      | (?:this|next)\s+(?:{_PERIODS}|{_SEASONS})
    )\b""",
    re.I | re.X,
)
_STRIP_PREPOSITION = re.compile(
    r"^(?:by|before|until|till|at|in|during|for|around|towards?)\s+(?!\d|a |an |one |two |three |four |five |six |seven |eight |nine |ten |eleven |twelve |the next|next \d)",
    re.I,
)
_HEDGES = re.compile(
    r"\b(?:hopefully|maybe|perhaps|sometime|someday|eventually|ideally|if possible|i guess|i'd like to|"
    r"i would like to|kind of|sort of|somehow|probably|not sure|we'll see)\b",
    re.I,
)


_POINT_RE = re.compile(rf"{_POINT}|\bend\s+of\b|\b(?:this|next)\s+(?:{_PERIODS}|{_SEASONS})\b", re.I)


@dataclass(frozen=True)
class Deadline:
    text: str  # as the founder wrote it, without the leading "by"/"at"
    span: tuple[int, int]
    tentative: bool

    @property
    def is_point(self) -> bool:
        """A date ("end of Q2 2026", "February") rather than a span ("for the next two quarters")."""
        return bool(_POINT_RE.search(self.text))

    @property
    def label(self) -> str:
        return f"{self.text} (tentative)" if self.tentative else self.text


def deadlines(sentence: str) -> list[Deadline]:
    found = []
    hedged = bool(_HEDGES.search(sentence))
    for match in _DEADLINE_RE.finditer(sentence):
        phrase = _STRIP_PREPOSITION.sub("", match.group(0)).strip()
        phrase = re.sub(r"^the\s+(?=end\b)", "", phrase, flags=re.I)
        if re.match(r"(?:this|next|end|within|in|for|over|during|the)\b", phrase, re.I):
            phrase = phrase[0].lower() + phrase[1:]  # "This year I want..." -> "this year"
        found.append(Deadline(phrase, match.span(), hedged))
    return found


def main_deadline(sentence: str) -> Deadline | None:
    found = deadlines(sentence)
    points = [d for d in found if d.is_point]
    chosen = points or found
    return chosen[0] if chosen else None


def is_hedged(sentence: str) -> bool:
    return bool(_HEDGES.search(sentence))


def hedges(sentence: str) -> list[str]:
    return [m.group(0) for m in _HEDGES.finditer(sentence)]


# --------------------------------------------------------------------------------------------
# Metrics


@dataclass(frozen=True)
class MetricTerm:
    pattern: re.Pattern[str]
    key: str | None  # canonical key shared by synonyms; None: the words as written
    decreasing: bool = False  # lower is better (churn, costs, durations)


def _term(pattern: str, key: str | None = None, *, decreasing: bool = False) -> MetricTerm:
    return MetricTerm(re.compile(rf"\b(?:{pattern})\b", re.I), key, decreasing)


# Longer phrases first: the first term that matches a span wins it.
METRIC_TERMS: tuple[MetricTerm, ...] = (
    _term(r"monthly recurring revenue|mrr", "MRR"),
    _term(r"annual recurring revenue|arr", "ARR"),
    _term(r"net revenue retention|nrr", "net revenue retention"),
    _term(r"net promoter score|nps", "NPS"),
    _term(r"customer acquisition cost|acquisition cost|cac", "customer acquisition cost", decreasing=True),
    _term(r"(?:customer )?lifetime value|ltv", "customer lifetime value"),
    _term(r"average order value|aov", "average order value"),
    _term(
        r"time[- ]to[- ]onboard|onboarding time|time to onboarding|onboarding",
        "time to onboard",
        decreasing=True,
    ),
    _term(r"sales cycle", "sales cycle length", decreasing=True),
    _term(r"(?:first )?response times?", "response time", decreasing=True),
    _term(r"churn(?: rate)?", "churn", decreasing=True),
    _term(r"burn(?: rate)?", "burn rate", decreasing=True),
    _term(r"conversion(?: rate)?", "conversion rate"),
    _term(r"activation(?: rate)?", "activation rate"),
    _term(r"retention(?: rate)?", "retention"),
    _term(r"customer satisfaction|csat|satisfaction", "customer satisfaction"),
    _term(r"gross margins?|margins?", "margin"),
    _term(r"market share", "market share"),
    _term(r"(?:annual|yearly) (?:contracts?|plans?)", "annual contracts"),
    _term(r"revenue|turnover|income", "revenue"),
    _term(r"profit(?:ability)?", "profit"),
    _term(r"sales", "sales"),
    _term(r"runway", "runway"),
    _term(r"(?:daily|weekly|monthly) active users|dau|wau|mau", None),
    _term(
        r"(?:(?:paying|active|new|repeat|returning|retained|enterprise|b2b)\s+)?"
        r"(?:customers|clients|users|subscribers|members|students|sellers|buyers|vendors|merchants|partners"
        r"|patients|learners)",
        None,
    ),
    _term(r"sign-?ups|registrations", "sign-ups"),
    _term(r"(?:qualified )?leads", None),
    _term(r"deals", "deals"),
    _term(r"pipeline", "pipeline"),
    _term(r"bookings", "bookings"),
    _term(r"(?:repeat )?(?:orders|purchases|transactions)", None),
    _term(r"downloads|installs", None),
    _term(r"traffic|visitors|site visits", "traffic"),
    _term(r"followers", "followers"),
    _term(r"referrals?", "referrals"),
    _term(r"uptime", "uptime"),
    _term(r"bugs|defects|incidents|outages", None, decreasing=True),
    _term(r"(?:support )?tickets", None, decreasing=True),
    _term(r"(?:customer )?feedback|reviews|ratings?", "customer feedback"),
    _term(r"engagement", "engagement"),
)
_DECREASING_WORDS = re.compile(
    r"\b(?:reduce|cut|cutting|lower|decrease|below|under|less than|fewer|shrink|drop)\b", re.I
)


@dataclass(frozen=True)
class MetricMention:
    label: str  # words as written (lower case), e.g. "customers on annual contracts"
    key: str  # merges synonyms: "MRR" for "monthly recurring revenue" and "mrr"
    span: tuple[int, int]
    decreasing: bool


def metric_mentions(sentence: str) -> list[MetricMention]:
    taken: list[tuple[int, int]] = []
    found: list[MetricMention] = []
    for term in METRIC_TERMS:
        for match in term.pattern.finditer(sentence):
            span = match.span()
            if any(span[0] < end and start < span[1] for start, end in taken):
                continue
            taken.append(span)
            words = match.group(0).lower()
            found.append(
                MetricMention(term.key or words, term.key or _plain_key(words), span, term.decreasing)
            )
    found.sort(key=lambda m: m.span)
    return _joined(sentence, found)


def _plain_key(label: str) -> str:
    return re.sub(r"\s+", " ", label.lower().replace("-", " ")).strip().removesuffix("s")


_CONNECTOR_RE = re.compile(r"^\s+(?:on|with|from|of|in)\s+$", re.I)


def _joined(sentence: str, mentions: list[MetricMention]) -> list[MetricMention]:
    """ "customers" + "on" + "annual contracts" is one metric: customers on annual contracts."""
    out: list[MetricMention] = []
    for mention in mentions:
        if out and _CONNECTOR_RE.match(sentence[out[-1].span[1] : mention.span[0]]):
            previous = out.pop()
            span = (previous.span[0], mention.span[1])
            words = sentence[span[0] : span[1]].lower()
            out.append(
                MetricMention(words, _plain_key(words), span, previous.decreasing or mention.decreasing)
            )
            continue
        out.append(mention)
    return out


# --------------------------------------------------------------------------------------------
# Numbers


_RATE_SUFFIX = re.compile(
    r"^\s*(?:per|a|an|each|every|/)\s*(?:day|week|month|quarter|year)\b|^\s*(?:monthly|weekly|yearly|annually)\b",
    re.I,
)
_TIME_UNITS = frozenset(
    {"second", "minute", "hour", "day", "week", "month", "quarter", "year", "millisecond"}
)


@dataclass(frozen=True)
class Stated:
    """A number the founder stated, with its unit and its words ("4% per month")."""

    value: float
    unit: str | None
    text: str
    span: tuple[int, int]

    @property
    def is_duration(self) -> bool:
        return self.unit in _TIME_UNITS


def stated_numbers(sentence: str) -> list[Stated]:
    """Numbers that are values (money, percents, counts, durations), not dates."""
    dates = [d.span for d in deadlines(sentence)]
    found: list[Stated] = []
    cursor = 0
    for quantity in text.numbers(sentence):
        start = sentence.find(quantity.text, cursor)
        if start < 0:
            start = sentence.find(quantity.text)
            if start < 0:
                continue
        end = start + len(quantity.text)
        cursor = end
        if quantity.unit in {"calendar_year", "quarter", "half"}:
            continue
        if any(start < d_end and d_start < end for d_start, d_end in dates):
            continue
        words = quantity.text
        suffix = _RATE_SUFFIX.match(sentence[end:])
        if suffix:
            words += sentence[end : end + suffix.end()]
            end += suffix.end()
        found.append(Stated(quantity.value, quantity.unit, words.strip(), (start, end)))
    return found


# --------------------------------------------------------------------------------------------
# Measures: a metric with what the founder said about where it is and where it should go


_FROM_TO_RE = re.compile(r"\bfrom\s+(?:about\s+|around\s+|roughly\s+)?$", re.I)
_TO_RE = re.compile(r"^\s+(?:to|up to|down to|into)\s+(?:about\s+|around\s+)?$", re.I)
_UP_FROM_RE = re.compile(r"\b(?:up|down|compared)\s+(?:from|to|with)\s+(?:about\s+|around\s+)?$", re.I)
_STATUS_CUE = re.compile(
    r"\b(?:today|currently|right now|now|at the moment|so far|last (?:month|quarter|year)|is|are|was|were|has|have|"
    r"sits? at|stands? at|hovers? around|crept up to|went up to|brings?|bring in|comes? from|takes?)\b",
    re.I,
)
_TARGET_CUE = re.compile(
    r"\b(?:want|wants|aim|target|goal|reach|hit|get to|grow|increase|double|triple|success means|means|should|"
    r"will|plan|need to|at least|more than|above|over|below|under|less than|cut|cutting|reduce|lower)\b",
    re.I,
)
_RELATIVE_RE = re.compile(r"\b(double|triple|quadruple|halve|2x|3x|twice)\b", re.I)
_RELATIVE_LABEL = {
    "double": "2× today's level",
    "2x": "2× today's level",
    "twice": "2× today's level",
    "triple": "3× today's level",
    "3x": "3× today's level",
    "quadruple": "4× today's level",
    "halve": "half of today's level",
}
_COMPARATOR_RE = re.compile(
    r"\b(below|under|less than|at most|no more than|above|over|more than|at least)\s+$", re.I
)
_CLAUSE_BREAK_RE = re.compile(r"[,;:()]|\s(?:and|but|while|because|so|which)\s", re.I)


@dataclass
class Measure:
    """One metric across the answers. Values keep the founder's words; None means not stated."""

    key: str
    label: str
    decreasing: bool
    baseline: str | None = None
    target: str | None = None
    due: str | None = None
    roles: set[Role] = field(default_factory=set)
    orders: list[int] = field(default_factory=list)
    target_evidence: tuple[int, str] | None = None  # (order, sentence)
    baseline_evidence: tuple[int, str] | None = None
    mention_evidence: tuple[int, str] | None = None

    @property
    def evidence(self) -> tuple[int, str] | None:
        return self.target_evidence or self.baseline_evidence or self.mention_evidence

    @property
    def has_numbers(self) -> bool:
        return self.baseline is not None or self.target is not None


def _clause_bounds(sentence: str, position: int) -> tuple[int, int]:
    start, end = 0, len(sentence)
    for match in _CLAUSE_BREAK_RE.finditer(sentence):
        if match.end() <= position:
            start = match.end()
        elif match.start() >= position:
            end = match.start()
            break
    return start, end


_ADJACENT_GAP = re.compile(r"^\s*(?:of\s+)?(?:the\s+|new\s+|our\s+|all\s+)?$", re.I)
_TIME_METRICS = frozenset({"time to onboard", "sales cycle length", "response time"})


def _nearest_metric(sentence: str, mentions: list[MetricMention], number: Stated) -> MetricMention | None:
    """The metric a number belongs to, within its clause: a duration goes to a time metric
    ("onboarding new customers takes 3 weeks"); otherwise a metric right behind the number names
    it ("15 customers", "38% of orders"), else the subject before it ("churn is up to 4%")."""
    span = number.span
    lo, hi = _clause_bounds(sentence, span[0])
    candidates = [m for m in mentions if m.span[0] >= lo and m.span[1] <= hi]
    if not candidates:
        return None
    if number.is_duration:
        timed = [m for m in candidates if m.key in _TIME_METRICS]
        if timed:
            return min(timed, key=lambda m: abs(m.span[0] - span[0]))
    after = [m for m in candidates if m.span[0] >= span[1]]
    before = [m for m in candidates if m.span[1] <= span[0]]
    adjacent = [m for m in after if _ADJACENT_GAP.match(sentence[span[1] : m.span[0]])]
    if adjacent:
        return adjacent[0]
    if before:
        return max(before, key=lambda m: m.span[1])
    return min(after, key=lambda m: m.span[0]) if after else None


@dataclass(frozen=True)
class _Reading:
    mention: MetricMention
    baseline: str | None
    target: str | None
    due: str | None


def _readings(sentence: str, role: Role) -> list[_Reading]:
    mentions = metric_mentions(sentence)
    if not mentions:
        return []
    numbers = stated_numbers(sentence)
    date = main_deadline(sentence)
    due = date.label if date else None
    wants = role in ("goal", "measures")
    readings: list[_Reading] = []
    used: set[int] = set()
    for index, number in enumerate(numbers):
        if index in used:
            continue
        before = sentence[: number.span[0]]
        if _UP_FROM_RE.search(before) and readings:  # "15 customers, up from 4 today"
            last = readings.pop()
            readings.append(_Reading(last.mention, number.text, last.target, last.due))
            used.add(index)
            continue
        mention = _nearest_metric(sentence, mentions, number)
        if mention is None:
            continue
        following = numbers[index + 1] if index + 1 < len(numbers) else None
        if (
            following
            and _FROM_TO_RE.search(before)
            and _TO_RE.match(sentence[number.span[1] : following.span[0]])
        ):
            readings.append(_Reading(mention, number.text, following.text, due))
            used.update({index, index + 1})
            continue
        comparator = _COMPARATOR_RE.search(before)
        value = f"{comparator.group(1).lower()} {number.text}" if comparator else number.text
        clause = sentence[slice(*_clause_bounds(sentence, number.span[0]))]
        is_target = wants and (
            bool(comparator) or bool(_TARGET_CUE.search(clause)) or not _STATUS_CUE.search(clause)
        )
        readings.append(_Reading(mention, None if is_target else value, value if is_target else None, due))
        used.add(index)
    if readings or not wants:
        # Metrics named beside a number are its context ("customers" in "grow MRR by moving
        # customers to ..."); only in a sentence without numbers do they stand as measures.
        return readings
    relative = _RELATIVE_RE.search(sentence)
    for mention in mentions:
        target = _RELATIVE_LABEL[relative.group(1).lower()] if (relative and wants) else None
        readings.append(_Reading(mention, None, target, due if (wants or target) else None))
    return readings


def measures(answers: Sequence[Answer]) -> list[Measure]:
    """Every metric the founder named, merged across answers (first stated value wins)."""
    merged: dict[str, Measure] = {}
    # The goal speaks first, then the success answer: their values and quotes win over repeats.
    priority = {"goal": 0, "measures": 1}
    for answer in sorted(answers, key=lambda a: (priority.get(a.role, 2), a.order)):
        for sentence in answer.sentences:
            for reading in _readings(sentence, answer.role):
                mention = reading.mention
                measure = merged.get(mention.key)
                if measure is None:
                    measure = merged[mention.key] = Measure(mention.key, mention.label, mention.decreasing)
                measure.roles.add(answer.role)
                if answer.order not in measure.orders:
                    measure.orders.append(answer.order)
                if reading.target and measure.target is None:
                    measure.target = reading.target
                    measure.target_evidence = (answer.order, sentence)
                    if reading.due:
                        measure.due = reading.due
                if reading.baseline and measure.baseline is None:
                    measure.baseline = reading.baseline
                    measure.baseline_evidence = (answer.order, sentence)
                if measure.mention_evidence is None:
                    measure.mention_evidence = (answer.order, sentence)
                if measure.due is None and reading.due and answer.role in ("goal", "measures"):
                    measure.due = reading.due
                if _DECREASING_WORDS.search(sentence) and answer.role in ("goal", "measures"):
                    measure.decreasing = measure.decreasing or _near_decrease(sentence, mention)
    return list(merged.values())


def _near_decrease(sentence: str, mention: MetricMention) -> bool:
    lo, hi = _clause_bounds(sentence, mention.span[0])
    return bool(_DECREASING_WORDS.search(sentence[lo:hi]))


# --------------------------------------------------------------------------------------------
# Plain words for overlap between answers


_STOP = frozenset(
    """a about above after again all also am an and any are as at be because been before being below
    between both but by can could did do does doing down during each few for from further had has have
    having he her here hers him his how i if in into is it its itself just me more most my no nor not of
    off on once only or other our ours out over own same she should so some such than that the their
    them then there these they this those through to too under until up very was we were what when where
    which while who whom why will with would you your yours get got go going want wants like really
    things thing stuff lot lots better good great more much many make made do done well think know
    guess maybe kind sort just now today year month week next able way someone something us people
    business company every each per successful success grow growth see know run make take give
    use come bring try work working""".split()
)


def content_words(source: str) -> set[str]:
    """Lower-case content words, lightly stemmed, without stopwords or vague words."""
    words = set()
    for word in text.tokenize_words(source):
        lowered = word.lower()
        if lowered in _STOP or len(lowered) < 3 or not lowered.isalpha():
            continue
        for suffix in ("ing", "ies", "es", "ed", "s"):
            if lowered.endswith(suffix) and len(lowered) - len(suffix) >= 4:
                lowered = lowered[: -len(suffix)]
                break
        words.add(lowered)
    return words
