"""Reading a founder's answers: which question each answers, and the metrics, values and dates
stated, clause by clause.

Plain text in, frozen dataclasses out. Every value keeps the founder's words ("$42k", "4% per
month", "the end of Q2") beside its parsed amount, so the draft quotes them instead of restating
them; dates relative to today are resolved against the reference date the caller passes in.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from typing import Any, Literal

from analysis.engines import text
from review.ai import clauses as grammar
from review.ai.dates import DatePhrase, date_phrases, deadlines, main_deadline
from review.ai.numbers import Multiplier, Quantity, format_value, multipliers, quantities

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
    scores: dict[Role, float] = {role: len(cue.findall(prompt)) for role, cue in _ROLE_CUES.items()}
    scores[default] = scores.get(default, 0) + 0.5  # ties go to the position
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
        answers[0] = replace(answers[0], role="goal")
    return answers


def by_role(answers: Sequence[Answer], *roles: Role) -> list[Answer]:
    return [a for a in answers if a.role in roles]


# --------------------------------------------------------------------------------------------
# Metrics

Kind = Literal["money", "percent", "count", "duration", "score"]


@dataclass(frozen=True)
class MetricTerm:
    pattern: re.Pattern[str]
    key: str | None  # canonical key shared by synonyms; None: the words as written
    kind: Kind
    decreasing: bool = False  # lower is better (churn, costs, durations)


def _term(pattern: str, key: str | None, kind: Kind, *, decreasing: bool = False) -> MetricTerm:
    return MetricTerm(re.compile(rf"\b(?:{pattern})\b", re.I), key, kind, decreasing)


_PEOPLE = (
    r"customers|clients|users|subscribers|members|students|sellers|buyers|vendors|merchants|partners"
    r"|patients|learners|donors|families|tutors|hosts|drivers|agents|shoppers|readers|listeners|viewers"
    r"|players|guests|tenants|landlords|clinics|schools|businesses|brands|teams|accounts|children|kids"
)
# Longer phrases first: the first term that matches a span wins it.
METRIC_TERMS: tuple[MetricTerm, ...] = (
    _term(r"monthly recurring revenue|mrr", "MRR", "money"),
    _term(r"annual recurring revenue|arr", "ARR", "money"),
    _term(r"gross merchandise value|gmv", "GMV", "money"),
    _term(r"net revenue retention|nrr", "net revenue retention", "percent"),
    _term(r"net promoter score|nps", "NPS", "score"),
    _term(
        r"customer acquisition cost|acquisition cost|cac",
        "customer acquisition cost",
        "money",
        decreasing=True,
    ),
    _term(r"(?:customer )?lifetime value|ltv", "customer lifetime value", "money"),
    _term(r"average order value|aov|basket size", "average order value", "money"),
    _term(r"average gift|average donation", "average gift", "money"),
    _term(r"take rate", "take rate", "percent"),
    _term(
        r"time[- ]to[- ]onboard|onboarding time|time to onboarding|onboarding",
        "time to onboard",
        "duration",
        decreasing=True,
    ),
    _term(r"(?:average )?wait(?:ing)? times?", None, "duration", decreasing=True),
    _term(
        r"(?:the )?time (?:it takes )?to (?:match|close|hire|ship|deliver|resolve|respond|onboard|fill)(?: an?| the)?(?: \w+)?",
        None,
        "duration",
        decreasing=True,
    ),
    _term(r"days to (?:match|close|hire|ship|deliver|fill)", None, "duration", decreasing=True),
    _term(r"lead times?", "lead time", "duration", decreasing=True),
    _term(r"sales cycle", "sales cycle length", "duration", decreasing=True),
    _term(r"(?:first )?response times?", "response time", "duration", decreasing=True),
    _term(r"churn(?: rate)?", "churn", "percent", decreasing=True),
    _term(r"burn(?: rate)?", "burn rate", "money", decreasing=True),
    _term(r"(?:return|refund|defect|error|failure|bounce|no-show) rates?", None, "percent", decreasing=True),
    _term(r"no-shows", "no-shows", "percent", decreasing=True),
    _term(r"(?:course )?completion(?: rates?)?", None, "percent"),
    _term(r"conversion(?: rates?)?", "conversion rate", "percent"),
    _term(r"activation(?: rates?)?", "activation rate", "percent"),
    _term(r"(?:exam )?pass rates?", None, "percent"),
    _term(r"open rates?|click(?:-through)? rates?", None, "percent"),
    _term(r"repeat rates?", "repeat rate", "percent"),
    _term(r"on-time (?:delivery|rate|deliveries)", None, "percent"),
    _term(r"(?:billable )?utili[sz]ation", None, "percent"),
    _term(r"retention(?: rate)?", "retention", "percent"),
    _term(r"customer satisfaction|csat|satisfaction", "customer satisfaction", "score"),
    _term(r"(?:food |gross |net |operating )?margins?", None, "percent"),
    _term(r"market share", "market share", "percent"),
    _term(r"(?:annual|yearly) (?:contracts?|plans?)", "annual contracts", "count"),
    _term(r"(?:monthly |retainer |recurring |total |annual )*(?:revenue|turnover|income)", None, "money"),
    _term(r"profit(?:ability)?", "profit", "money"),
    _term(r"(?:total |weekly |monthly |online )?sales", None, "money"),
    _term(r"runway", "runway", "duration"),
    _term(r"(?:daily|weekly|monthly) active users|dau|wau|mau", None, "count"),
    _term(
        rf"(?:(?:paying|active|new|repeat|returning|retained|enterprise|b2b|monthly|weekly|recurring|retainer)\s+)*"
        rf"(?:{_PEOPLE})",
        None,
        "count",
    ),
    _term(r"membership", "members", "count"),
    _term(r"(?:weekly |monthly )?sign-?ups|registrations|enrol?ments", None, "count"),
    _term(r"(?:qualified |inbound )?leads", None, "count"),
    _term(r"(?:cleaning |service |office )*contracts", None, "count"),
    _term(r"deals", "deals", "count"),
    _term(r"pipeline", "pipeline", "money"),
    _term(r"bookings|appointments|appointment slots", None, "count"),
    _term(r"(?:repeat )?(?:orders|purchases|transactions)", None, "count"),
    _term(r"pre-?orders", "preorders", "count"),
    _term(r"downloads|installs", None, "count"),
    _term(r"units(?: shipped| sold)?", None, "count"),
    _term(r"meals(?: served)?", None, "count"),
    _term(r"traffic|visitors|site visits|page views", "traffic", "count"),
    _term(r"followers", "followers", "count"),
    _term(r"referrals?", "referrals", "count"),
    _term(r"uptime", "uptime", "percent"),
    _term(r"bugs|defects|incidents|outages|returns|complaints", None, "count", decreasing=True),
    _term(r"(?:support )?tickets", None, "count", decreasing=True),
    _term(r"(?:customer )?feedback|reviews|ratings?", "customer feedback", "score"),
    _term(r"engagement", "engagement", "score"),
)
_COUNTED_NOUN = re.compile(
    r"^\s+(?:(?:new|more|active|paying|extra|additional|happy|regular|[a-z]+-[a-z]+)\s+)?"
    r"([^\W\d_]{2,}s|children|people|staff)\b(?!\s+(?:of|who|that))",
    re.I,
)
_FUNCTION_WORDS = frozenset(
    "this its his is was has does as us yes plus less across always perhaps thus whereas unless besides "
    "towards afterwards sometimes lots".split()
)
# Nouns that count the founder's inputs, never a result ("two engineers", "5 times").
_NOT_METRICS = frozenset(
    """times engineers developers designers people staff employees founders cofounders co-founders
    hires salespeople freelancers specialists instructors coordinators volunteers tutorials videos posts
    workshops webinars events calls demos emails proposals visits meetings hours days weeks months years
    minutes quarters stores classrooms restaurants cafés cafes teachers nurses reminders sessions levels
    stars views dollars euros pounds percent sizes lessons things others""".split()
)


@dataclass(frozen=True)
class MetricMention:
    label: str  # words as written (lower case, or the canonical key), e.g. "customers on annual contracts"
    key: str  # merges synonyms: "MRR" for "monthly recurring revenue" and "mrr"
    span: tuple[int, int]
    kind: Kind
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
            words = re.sub(r"^the\s+", "", match.group(0).lower())
            if term.key is None and re.match(r"time it takes to ", words):
                words = words.replace("time it takes to", "time to")
            found.append(
                MetricMention(
                    term.key or words, term.key or _plain_key(words), span, term.kind, term.decreasing
                )
            )
    found.sort(key=lambda m: m.span)
    return _joined(sentence, found)


def _plain_key(label: str) -> str:
    words = re.sub(r"\s+", " ", label.lower().replace("-", " ")).strip()
    words = re.sub(r"^(?:new|total|paying|active|monthly|weekly|recurring|retainer)\s+", "", words)
    return words.removesuffix("s")


_CONNECTOR_RE = re.compile(r"^\s+(?:on|with)\s+$", re.I)


def _joined(sentence: str, mentions: list[MetricMention]) -> list[MetricMention]:
    """ "customers" + "on" + "annual contracts" is one metric: customers on annual contracts."""
    out: list[MetricMention] = []
    for mention in mentions:
        if out and _CONNECTOR_RE.match(sentence[out[-1].span[1] : mention.span[0]]):
            previous = out.pop()
            span = (previous.span[0], mention.span[1])
            words = sentence[span[0] : span[1]].lower()
            out.append(
                MetricMention(
                    words, _plain_key(words), span, previous.kind, previous.decreasing or mention.decreasing
                )
            )
            continue
        out.append(mention)
    return out


def _counted_metric(sentence: str, number: Quantity) -> MetricMention | None:
    """The plural noun a count stands before ("2,000 jobs", "300 bikes"), as a metric."""
    match = _COUNTED_NOUN.match(sentence[number.span[1] :])
    if match is None or not number.is_count:
        return None
    noun = match.group(1).lower()
    if noun in _NOT_METRICS or noun in _FUNCTION_WORDS:
        return None
    start = number.span[1] + match.start(0) + (len(match.group(0)) - len(match.group(0).lstrip()))
    words = sentence[start : number.span[1] + match.end(1)].lower()
    return MetricMention(words, _plain_key(words), (start, number.span[1] + match.end(1)), "count", False)


# --------------------------------------------------------------------------------------------
# Values of a metric: what it is today and what it should become


@dataclass(frozen=True)
class Value:
    quantity: Quantity
    order: int
    sentence: str

    @property
    def text(self) -> str:
        q = self.quantity
        return f"{q.comparator} {q.text}" if q.comparator else q.text


@dataclass(frozen=True)
class Relative:
    """A target stated as a multiple of today's value ("double", "3×")."""

    factor: float
    text: str
    order: int
    sentence: str

    @property
    def label(self) -> str:
        if self.factor == 0.5:
            return "half of today's level"
        return f"{format_value(self.factor)}× today's level"


@dataclass
class Measure:
    """One metric across the answers; None means not stated."""

    key: str
    label: str
    kind: Kind
    decreasing: bool
    baseline: Value | None = None
    target: Value | None = None
    relative: Relative | None = None
    due: DatePhrase | None = None
    roles: set[Role] = field(default_factory=set)
    orders: list[int] = field(default_factory=list)
    mention: tuple[int, str] | None = None  # (order, sentence) where it was first named

    @property
    def evidence(self) -> tuple[int, str] | None:
        for value in (self.target, self.relative, self.baseline):
            if value is not None:
                return value.order, value.sentence
        return self.mention

    @property
    def has_numbers(self) -> bool:
        return self.baseline is not None or self.target is not None

    @property
    def target_amount(self) -> tuple[float, str | None] | None:
        """The value to reach as (amount, unit): stated, or today's value times the multiple."""
        if self.target is not None:
            return self.target.quantity.value, self.target.quantity.unit
        if self.relative is not None and self.baseline is not None:
            return self.baseline.quantity.value * self.relative.factor, self.baseline.quantity.unit
        if self.relative is not None:
            return self.relative.factor, "x"
        return None

    @property
    def target_label(self) -> str | None:
        if self.target is not None:
            return self.target.text
        if self.relative is not None and self.baseline is not None:
            base = self.baseline.quantity
            written = _with_unit(format_value(base.value * self.relative.factor), base)
            factor = self.relative.factor
            how = "half of" if factor == 0.5 else "twice" if factor == 2 else f"{format_value(factor)}×"
            return f"{written} ({how} {self.baseline.text})"
        if self.relative is not None:
            return self.relative.label
        return None


def _with_unit(amount: str, like: Quantity) -> str:
    symbol = {"USD": "$", "EUR": "€", "GBP": "£"}.get(like.unit or "")
    if symbol and like.text.lstrip("~ ").startswith(symbol):
        return f"{symbol}{amount}"
    if like.unit == "%":
        return f"{amount}%"
    if like.unit and like.unit.islower() and like.unit != "x":
        return f"{amount} {like.unit}s"
    return amount


_FROM_RE = re.compile(
    r"\b(?:from|up from|down from|compared (?:to|with))\s+(?:about\s+|around\s+|roughly\s+|~)?$", re.I
)
_TO_RE = re.compile(
    r"\b(?:to|up to|down to|into|towards)\s+(?:about\s+|around\s+|roughly\s+|under\s+|below\s+|over\s+|above\s+)?$",
    re.I,
)
_STATUS_CUE = re.compile(
    r"\b(?:today|currently|right now|now|at the moment|so far|to date|last (?:month|quarter|year|week)|"
    r"this year so far|(?:we're|we are|it's|it is|we're currently) (?:at|around|about)|sits? at|stands? at|"
    r"hovers? around|crept up to|went up to|we did|we do|we have|we serve|we had|is|are|was|were|has|have|"
    r"takes?|more like)\b",
    re.I,
)
_TARGET_CUE = re.compile(
    r"\b(?:want|wants|wanted|aim|target|goal|reach|hit|get to|get|grow|increase|raise|improve|double|triple|halve|"
    r"success means|means|should|will|'ll|plan|need to|at least|more than|above|over|below|under|less than|"
    r"cut|cutting|reduce|lower|keep|sign|generate|enrol|enroll|fill|ship|sell|help|'d like|would like)\b",
    re.I,
)


def _compatible(mention: MetricMention, number: Quantity) -> bool:
    if number.unit == "x":
        return False  # a multiplier is read as a relative target, not as a value
    if number.is_money:
        return mention.kind == "money"
    if number.unit == "%":
        return mention.kind in ("percent", "count", "score")  # "85% of appointment slots"
    if number.is_duration:
        return mention.kind == "duration"
    return mention.kind in (
        "count",
        "score",
        "money",
        "duration",
    )  # "from 14 days to 7", "one million in revenue"


def _clause_of(clauses: list[grammar.Clause], position: int) -> grammar.Clause | None:
    return next((c for c in clauses if c.span[0] <= position < c.span[1]), None)


def _metric_for(
    sentence: str,
    number: Quantity,
    mentions: list[MetricMention],
    clauses: list[grammar.Clause],
    previous: MetricMention | None,
) -> MetricMention | None:
    """The metric a number measures: the one it stands before ("$70k MRR", "38% of orders"),
    else the metric its clause is about, else the nearest one in the sentence of a fitting kind,
    else the metric named just before (a transcript runs sentences together), else the plural
    noun it counts ("2,000 jobs")."""
    fitting = [m for m in mentions if _compatible(m, number)]
    after = sentence[number.span[1] :]
    for mention in fitting:
        gap = sentence[number.span[1] : mention.span[0]]
        if mention.span[0] >= number.span[1] and re.fullmatch(
            r"\s*(?:(?:of|in)\s+)?(?:the\s+|our\s+|new\s+|all\s+|monthly\s+)?", gap, re.I
        ):
            return mention
    counted = _counted_metric(sentence, number)
    if counted is not None and not any(m.span[0] <= counted.span[0] < m.span[1] for m in mentions):
        return counted
    if number.is_count and _counts_something_else(after):
        return None  # "we run two cafés", "three stores": the number counts its own noun
    clause = _clause_of(clauses, number.span[0])
    if clause is not None:
        inside = [m for m in fitting if clause.span[0] <= m.span[0] < clause.span[1]]
        if inside:
            return min(inside, key=lambda m: abs(m.span[0] - number.span[0]))
    if fitting:
        return min(fitting, key=lambda m: abs(m.span[0] - number.span[0]))
    if previous is not None and _compatible(previous, number):
        return previous
    return None


def _counts_something_else(after: str) -> bool:
    """The number stands before a noun of its own that is no metric: "two cafés", "a 20-minute
    walk", "three big stores"."""
    words = re.findall(r"[^\W\d_][\w-]*", after[:40])[:2]
    if not words or not re.match(r"^\s+[^\W\d_]", after):
        return False
    if metric_mentions(" ".join(words)):
        return False
    for noun in (w.lower() for w in words):
        if noun in _NOT_METRICS:
            return True
        if noun.endswith("s") and len(noun) > 3 and noun not in _FUNCTION_WORDS:
            return True
    return False


@dataclass(frozen=True)
class _Reading:
    mention: MetricMention
    baseline: Quantity | None = None
    target: Quantity | None = None
    relative: Multiplier | None = None
    due: DatePhrase | None = None


def _is_baseline(sentence: str, number: Quantity, clause: grammar.Clause | None, wants: bool) -> bool:
    if not wants:
        return True  # outside the goal and success answers a value says where things stand
    before = sentence[: number.span[0]]
    if _FROM_RE.search(before):
        return True
    if _TO_RE.search(before):
        return False
    lo, hi = clause.span if clause else (0, len(sentence))
    words = sentence[lo:hi]
    after = sentence[number.span[1] : hi]
    if re.match(
        r"^\s*(?:\S+\s+){0,3}?(?:today|now|currently|right now|at the moment|so far|to date|last (?:year|month|quarter|week))\b",
        after,
        re.I,
    ):
        return True
    if not wants:
        return True
    if _TARGET_CUE.search(words):
        return False
    return bool(_STATUS_CUE.search(words))


def _readings(sentence: str, role: Role, today: dt.date, previous: MetricMention | None) -> list[_Reading]:
    mentions = metric_mentions(sentence)
    dates = date_phrases(sentence, today)
    date_spans = [d.span for d in dates]
    numbers = [
        q
        for q in quantities(sentence)
        if not any(q.span[0] < end and start < q.span[1] for start, end in date_spans)
    ]
    clauses = grammar.clauses(sentence)
    wants = role in ("goal", "measures")
    sentence_due = main_deadline(sentence, today) if wants else None

    def due_at(position: int) -> DatePhrase | None:
        # The date in the value's own clause ("... and sell 300 bikes before the end of the year"),
        # else the sentence's.
        clause = _clause_of(clauses, position)
        inside = main_deadline(clause.text, today) if (clause and wants) else None
        return inside or sentence_due

    readings: list[_Reading] = []
    used: set[int] = set()
    for index, number in enumerate(numbers):
        if index in used or number.unit == "x":
            continue
        mention = _metric_for(sentence, number, mentions, clauses, previous)
        if mention is None:
            continue
        following = numbers[index + 1] if index + 1 < len(numbers) else None
        gap = sentence[number.span[1] : following.span[0]] if following else ""
        if (
            following
            and re.search(r"\bfrom\s+(?:about\s+|around\s+)?$", sentence[: number.span[0]], re.I)
            and re.fullmatch(
                r"\s+(?:to|up to|down to)\s+(?:about\s+|around\s+|under\s+|below\s+)?", gap, re.I
            )
        ):
            target = following
            if target.unit is None and number.unit is not None:
                target = replace(target, unit=number.unit)  # "from 14 days to 7"
            readings.append(_Reading(mention, baseline=number, target=target, due=due_at(number.span[0])))
            used.update({index, index + 1})
            continue
        clause = _clause_of(clauses, number.span[0])
        if _is_baseline(sentence, number, clause, wants):
            readings.append(_Reading(mention, baseline=number, due=None))
        else:
            readings.append(_Reading(mention, target=number, due=due_at(number.span[0])))
        used.add(index)
    if wants:
        for multiple in multipliers(sentence):
            if (
                multiple.text.lower() in {"2x", "2×"}
                and "more" in sentence[multiple.span[1] : multiple.span[1] + 6]
            ):
                continue  # "spend 2x more": a comparison, not a target
            clause = _clause_of(clauses, multiple.span[0])
            lo, hi = clause.span if clause else (0, len(sentence))
            near = [m for m in mentions if lo <= m.span[0] < hi] or mentions
            if near:
                target_metric = min(near, key=lambda m: abs(m.span[0] - multiple.span[0]))
                readings.append(_Reading(target_metric, relative=multiple, due=due_at(multiple.span[0])))
        if not readings:
            # Metrics named without numbers in the goal or success answer still stand as measures.
            readings.extend(_Reading(m, due=due_at(m.span[0])) for m in mentions)
    return readings


def measures(answers: Sequence[Answer], today: dt.date) -> list[Measure]:
    """Every metric the founder named, merged across answers. The goal speaks first, then the
    success answer: their values and quotes win over repeats elsewhere."""
    merged: dict[str, Measure] = {}
    priority = {"goal": 0, "measures": 1}
    for answer in sorted(answers, key=lambda a: (priority.get(a.role, 2), a.order)):
        previous: MetricMention | None = None
        for sentence in answer.sentences:
            found = _readings(sentence, answer.role, today, previous)
            named = metric_mentions(sentence)
            if named:
                previous = named[-1] if len(named) == 1 else previous or named[0]
            for reading in found:
                mention = reading.mention
                measure = merged.get(mention.key)
                if measure is None:
                    measure = merged[mention.key] = Measure(
                        mention.key, mention.label, mention.kind, mention.decreasing
                    )
                measure.roles.add(answer.role)
                if answer.order not in measure.orders:
                    measure.orders.append(answer.order)
                if measure.mention is None:
                    measure.mention = (answer.order, sentence)
                if reading.target is not None and measure.target is None:
                    measure.target = Value(reading.target, answer.order, sentence)
                    measure.due = reading.due or measure.due
                if reading.relative is not None and measure.relative is None:
                    measure.relative = Relative(
                        reading.relative.factor, reading.relative.text, answer.order, sentence
                    )
                    measure.due = measure.due or reading.due
                if reading.baseline is not None and measure.baseline is None:
                    measure.baseline = Value(reading.baseline, answer.order, sentence)
                if measure.due is None and reading.due is not None:
                    measure.due = reading.due
                if answer.role in ("goal", "measures") and _DECREASING_WORDS.search(sentence):
                    measure.decreasing = measure.decreasing or _near_decrease(sentence, mention)
    for measure in merged.values():
        target, baseline = measure.target, measure.baseline
        if target and baseline and target.quantity.comparable != baseline.quantity.comparable:
            # Stated values say which way the metric should move, whatever the wording.
            measure.decreasing = target.quantity.comparable < baseline.quantity.comparable
        if (
            target
            and baseline
            and target.quantity.unit is None
            and baseline.quantity.is_money
            and measure.kind == "money"
        ):
            # "from forty thousand dollars ... to a hundred thousand": the currency is the metric's.
            measure.target = replace(target, quantity=replace(target.quantity, unit=baseline.quantity.unit))
    return list(merged.values())


_DECREASING_WORDS = re.compile(
    r"\b(?:reduce|cut|cutting|lower|decrease|below|under|less than|fewer|shrink|drop|halve)\b", re.I
)


def _near_decrease(sentence: str, mention: MetricMention) -> bool:
    """A word of decrease in the stretch that names this metric ("churn below 2%", "cutting
    time-to-onboard"), not elsewhere in a list ("MRR of $80k, churn below 2%")."""
    stretches = re.split(r"[,;:]|\s+and\s+", sentence)
    position = 0
    for stretch in stretches:
        start = sentence.find(stretch, position)
        end = start + len(stretch)
        position = end
        if start <= mention.span[0] < end:
            return bool(_DECREASING_WORDS.search(stretch))
    return False


def plan_due(answers: Sequence[Answer], today: dt.date) -> tuple[DatePhrase, int] | None:
    """The date the whole plan works toward: the goal's, else the timeline's, else the success
    answer's; never a date in a condition ("if we're still open next year")."""
    for roles in (("goal",), ("resources",), ("measures",)):
        for answer in by_role(answers, *roles):  # type: ignore[arg-type]
            found = [
                d
                for s in answer.sentences
                if not re.match(r"\s*(?:if|unless)\b", s, re.I)
                for d in deadlines(s, today)
            ]
            resolved = [d for d in found if d.resolved is not None]
            points = [d for d in resolved if d.is_point]
            chosen = points or resolved or found
            if chosen:
                return chosen[0], answer.order
    return None


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
# Words that say how hard or how much, not what: sharing them is no alignment.
_VAGUE = frozenset(
    """hard harder real really difference big bigger huge best nice happy lot care notice everything
    always never sure hope hopefully somehow figure going keep community""".split()
)


def content_words(source: str) -> set[str]:
    """Lower-case content words, lightly stemmed, without stopwords or vague words."""
    words = set()
    for word in text.tokenize_words(source):
        lowered = word.lower()
        if lowered in _STOP or lowered in _VAGUE or len(lowered) < 3 or not lowered.isalpha():
            continue
        for suffix in ("ing", "ies", "es", "ed", "s"):
            if lowered.endswith(suffix) and len(lowered) - len(suffix) >= 4:
                lowered = lowered[: -len(suffix)]
                break
        words.add(lowered)
    return words
