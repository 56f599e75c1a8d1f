"""From the founder's words to a goal statement and an OKR draft as practitioners write them:
objectives without numbers, key results that are outcomes with a metric, a baseline (or
"unknown"), a target and a date, all taken from what the founder stated, never made up."""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Sequence
from dataclasses import dataclass

from review.ai import clauses as grammar
from review.ai import phrasing
from review.ai.dates import DatePhrase, date_phrases, is_hedged, main_deadline
from review.ai.numbers import multipliers, quantities
from review.ai.phrasing import Amount, Noun, Nouns, Verb, When, template
from review.ai.reading import Answer, Measure, by_role, metric_mentions, plan_due
from review.ai.schema import (
    MAX_KEY_RESULTS,
    NOT_STATED,
    UNKNOWN,
    Evidence,
    KeyResult,
    KeyResultQuality,
    Objective,
)

# --------------------------------------------------------------------------------------------
# The goal

_GOAL_CUE = re.compile(
    r"\b(?:goal|objective|aim|want|wants|plan|hope|need|would like|'d like|trying|focus|priority|mission|"
    r"become|reach|grow|increase|launch|double|triple|halve|achieve|expand|get to|hit|improve|raise|cut|"
    r"reduce|fill|sign|enrol|enroll|generate|ship|keep)\b",
    re.I,
)
_LEAD_IN = re.compile(
    r"^(?:(?:so|well|basically|honestly|ok|okay|um|uh|i think|i guess|right now|for now|this year|next year|this quarter)[,\s]+)*"
    r"(?:(?:our|my|the)\s+(?:(?:main|primary|biggest|key|top|one|single|most important|business|overall)\s+)*"
    r"(?:goal|objective|aim|priority|focus|target|plan|thing)(?:\s+(?:for|over|in)\s+[^,]+?)?\s+(?:is|would be|right now is)"
    r"\s+(?:to\s+)?"
    r"|(?:we|i)\s+(?:really\s+|just\s+|mainly\s+)?(?:want|need|plan|hope|aim|intend|would like|'d like)\s+(?:us\s+)?to\s+"
    r"|(?:we|i)(?:'re|\s+are|'m|\s+am)\s+(?:trying|aiming|planning|hoping|looking)\s+to\s+)",
    re.I,
)
_WANT_SOMETHING_TO = re.compile(
    r"^(?:i|we)\s+(?:just\s+|really\s+)?want\s+((?:the|our|my)\s+\w+(?:\s+\w+)?)\s+to\s+(.+)$", re.I
)
_INNER_WANT = re.compile(r"\b(?:want|need|plan|hope|aim|'d like|would like)\s+(?:us\s+)?to\s+(.+)$", re.I)
_STRATEGY = re.compile(r"\b(?:by|through|via)\s+\w+ing\b", re.I)
# Verbs that need their number: without it "Reach paying customers" says nothing.
_VALUE_VERBS = re.compile(r"^(?:reach|hit|get to|get|achieve|keep|fill)\b", re.I)


@dataclass(frozen=True)
class GoalReading:
    statement: str
    objective: str  # the same goal without numbers or dates
    order: int
    quote: str  # the sentence it comes from
    has_goal_words: bool
    has_strategy: bool
    due: DatePhrase | None
    numbers: tuple[str, ...]  # the values the goal states, as written
    relative_target: str | None


def _sentence_score(sentence: str, today: dt.date) -> int:
    return (
        2 * bool(_GOAL_CUE.search(sentence))
        + 2 * bool(quantities(sentence) or multipliers(sentence))
        + bool(date_phrases(sentence, today))
        + bool(metric_mentions(sentence))
        - bool(is_hedged(sentence))
    )


def _target_clause(sentence: str) -> str:
    """The clause of the goal sentence that states what to reach (a status clause beside it,
    "We're at about $42k today", is the baseline, not the goal)."""
    pieces = grammar.clauses(sentence)
    if len(pieces) == 1:
        return sentence
    scored = [
        (bool(_GOAL_CUE.search(c.text)) * 2 + bool(quantities(c.text) or multipliers(c.text)), -i, c)
        for i, c in enumerate(pieces)
    ]
    best = max(scored, key=lambda item: (item[0], item[1]))[2]
    if best.text == pieces[0].text:
        # The first clause leads; later clauses that say when or how much stay with it.
        return sentence
    return best.text


def _rewrite(sentence: str, today: dt.date) -> str:
    """The goal as an imperative: "Our main goal is to grow X" -> "Grow X"."""
    body = _target_clause(sentence).strip().rstrip(".!")
    lead = _LEAD_IN.match(body)
    if lead and lead.end() < len(body):
        removed, body = body[: lead.end()], body[lead.end() :]
        date = main_deadline(removed, today)
        if date and not date_phrases(body, today):
            body = f"{body} {date.text}"
    else:
        wanted = _WANT_SOMETHING_TO.match(body)
        inner = _INNER_WANT.search(body)
        if wanted:
            body = f"get {wanted.group(1)} to {wanted.group(2)}"
        elif inner:
            body = inner.group(1)
    return phrasing.tidy_quote(body)


def _verb_led(statement: str) -> bool:
    words = grammar.tokens(statement)
    return bool(words) and grammar.is_verb(words, 0)


_BEFORE_VALUE = re.compile(
    r"(?:,\s*)?(?:\b(?:up|down)\s+)?(?:\b(?:from|to|of|by|at|about|around|roughly|up to|over|under|below|above|at least|"
    r"than|more like|before|within|in|until)\s+)+$",
    re.I,
)
_STATUS_WORDS = re.compile(
    r"\b(?:today|now|right now|currently|so far|this year so far|at the moment)\b", re.I
)


def _without_numbers(statement: str, today: dt.date) -> str | None:
    """The goal without its numbers and dates, if that still reads as an objective."""
    spans = [d.span for d in date_phrases(statement, today)]
    spans += [q.span for q in quantities(statement)] + [
        m.span for m in multipliers(statement) if m.text[0].isdigit()
    ]
    out = statement
    for start, end in sorted(spans, reverse=True):
        lead = _BEFORE_VALUE.search(out[:start])
        tail = re.match(r"\s+of\b", out[end:])
        if lead and re.match(r"\s+[a-z]", out[end:]) and not tail and re.search(r"\bto\s+$", lead.group(0)):
            return None  # "to 1,500 members": the noun after the number was the value's unit
        out = out[: lead.start() if lead else start] + out[end + (tail.end() if tail else 0) :]
    out = _STATUS_WORDS.sub("", out)
    out = re.sub(r"\s{2,}", " ", out)
    out = re.sub(r"(?:\s*,)+\s*([.;]|$)", r"\1", out)
    out = re.sub(r"\s+([,.;])", r"\1", out).strip(" ,;.")
    if (
        not out
        or not _verb_led(out)
        or _VALUE_VERBS.match(out)
        or re.search(r"\b(?:to|of|from|by|and|the|a)$", out, re.I)
    ):
        return None
    if re.search(r"\d", out):
        return None
    return phrasing.tidy_quote(out).rstrip(".")


_IMPROVE = {"NPS", "customer satisfaction", "customer feedback", "retention", "net revenue retention"}

OBJECTIVE_FROM_METRIC = template("objective_from_metric", "{verb} {metric}", "phrase", verb=Verb, metric=Noun)
OBJECTIVE_COUNT = template("objective_count", "Grow the number of {metric}", "phrase", metric=Noun)
OBJECTIVE_BLOCKERS = template(
    "objective_blockers", "Fix what is holding the goal back: {metrics}", "phrase", metrics=Nouns
)
OBJECTIVE_NONE = template("objective_none", "State the goal you are working toward", "phrase")


def _objective_for(measure: Measure | None) -> str:
    if measure is None:
        return OBJECTIVE_NONE.render()
    if measure.kind == "count" and not measure.decreasing:
        return OBJECTIVE_COUNT.render(metric=Noun(measure.label, plural=True))
    return OBJECTIVE_FROM_METRIC.render(verb=Verb(_verb_of(measure)), metric=Noun(measure.label))


def _verb_of(measure: Measure) -> str:
    if measure.decreasing:
        return "Reduce"
    if measure.label in _IMPROVE or measure.kind in ("score", "percent"):
        return "Improve"
    return "Grow" if measure.kind in ("money", "count") else "Increase"


def goal(answers: Sequence[Answer], today: dt.date, goal_measure: Measure | None = None) -> GoalReading:
    sources = by_role(answers, "goal") or list(answers[:1])
    candidates = [(s, a.order) for a in sources for s in a.sentences]
    if not candidates:
        return GoalReading(
            "No goal was stated.", _objective_for(goal_measure), sources[0].order if sources else 1, "",
            False, False, None, (), None,
        )  # fmt: skip
    ranked = sorted(candidates, key=lambda c: (-_sentence_score(c[0], today), candidates.index(c)))
    primary, order = ranked[0]
    statement = _rewrite(primary, today)
    objective = _without_numbers(statement, today)
    aspiration = None
    for sentence, _ in candidates:
        if (
            sentence == primary
            or not _GOAL_CUE.search(sentence)
            or quantities(sentence)
            or multipliers(sentence)
        ):
            continue
        rewritten = _rewrite(sentence, today)
        if _verb_led(rewritten):  # "Become the go-to place", never a noun phrase like "The Team plan"
            aspiration = rewritten
            break
    if aspiration and (quantities(primary) or metric_mentions(primary)):
        statement = f"{aspiration.rstrip('.')}; {statement[0].lower()}{statement[1:]}"
        objective = aspiration.rstrip(".")
    if objective is None:
        objective = _objective_for(goal_measure)
    relative = multipliers(primary)
    return GoalReading(
        statement=statement,
        objective=objective,
        order=order,
        quote=primary,
        has_goal_words=bool(_GOAL_CUE.search(primary)),
        has_strategy=bool(_STRATEGY.search(primary)),
        due=main_deadline(primary, today),
        numbers=tuple(q.text for q in quantities(primary) if q.unit != "x"),
        relative_target=relative[0].text.lower() if relative else None,
    )


# --------------------------------------------------------------------------------------------
# Key results

KR_RELATIVE = template(
    "kr_relative", "{verb} {metric} {when}", "phrase", optional=("when",), verb=Verb, metric=Noun, when=When
)
KR_FROM_TO = template(
    "kr_from_to",
    "{verb} {metric} from {baseline} to {target} {when}",
    "phrase",
    optional=("when",),
    verb=Verb,
    metric=Noun,
    baseline=Amount,
    target=Amount,
    when=When,
)
KR_BOUND = template(
    "kr_bound",
    "Get {metric} {target} {when}",
    "phrase",
    optional=("when",),
    metric=Noun,
    target=Amount,
    when=When,
)
KR_REACH = template(
    "kr_reach",
    "Reach {target} {metric} {when}",
    "phrase",
    optional=("when",),
    target=Amount,
    metric=Noun,
    when=When,
)
KR_MOVE_TO = template(
    "kr_move_to",
    "{verb} {metric} to {target} {when}",
    "phrase",
    optional=("when",),
    verb=Verb,
    metric=Noun,
    target=Amount,
    when=When,
)
KR_FROM = template(
    "kr_from",
    "{verb} {metric} from {baseline} {when}",
    "phrase",
    optional=("when",),
    verb=Verb,
    metric=Noun,
    baseline=Amount,
    when=When,
)
KR_COUNT = template(
    "kr_count", "Grow the number of {metric} {when}", "phrase", optional=("when",), metric=Noun, when=When
)
KR_PLAIN = template(
    "kr_plain", "{verb} {metric} {when}", "phrase", optional=("when",), verb=Verb, metric=Noun, when=When
)
KR_GAP_RESULT = template(
    "kr_gap_result",
    "The number that shows this objective is reached (metric to be defined) {when}",
    "phrase",
    optional=("when",),
    when=When,
)
KR_GAP_LEADING = template(
    "kr_gap_leading",
    "A leading number you can move every week (metric to be defined) {when}",
    "phrase",
    optional=("when",),
    when=When,
)
_MULTIPLE_VERB = {2.0: "Double", 3.0: "Triple", 4.0: "Quadruple", 0.5: "Halve"}
_COMPARATORS = re.compile(
    r"^(?:below|under|less than|at most|no more than|above|over|more than|at least|beyond)\b"
)


def when_of(due: DatePhrase | None) -> When | None:
    """The date as the founder said it, with the preposition a key result needs."""
    if due is None:
        return None
    words = due.text
    if re.match(r"(?:this|next|within|in|for|over|during|before|until|by)\b", words, re.I):
        return When(words)
    return When(f"by {words}")


def key_result_statement(measure: Measure, due: DatePhrase | None) -> str:
    metric = Noun(measure.label, plural=measure.kind == "count")
    when = when_of(due)
    verb = _verb_of(measure) if measure.label not in _IMPROVE else "Improve"
    verb = "Increase" if verb == "Grow" else verb
    multiple = _MULTIPLE_VERB.get(measure.relative.factor) if measure.relative else None
    target = measure.target.text if measure.target else None
    if measure.relative is not None and measure.target is None and measure.baseline is None:
        if multiple:
            return KR_RELATIVE.render(verb=Verb(multiple), metric=metric, when=when)
        return KR_MOVE_TO.render(
            verb=Verb(verb), metric=metric, target=Amount(measure.relative.label), when=when
        )
    if measure.baseline is not None and measure.target_label is not None:
        shown = target or measure.target_label
        return KR_FROM_TO.render(
            verb=Verb(multiple or verb),
            metric=metric,
            baseline=Amount(measure.baseline.text),
            target=Amount(shown),
            when=when,
        )
    if target and _COMPARATORS.match(target):
        return KR_BOUND.render(metric=metric, target=Amount(target), when=when)
    if target:
        if measure.decreasing:
            return KR_MOVE_TO.render(verb=Verb("Cut"), metric=metric, target=Amount(target), when=when)
        if measure.kind in ("count", "money"):
            return KR_REACH.render(target=Amount(target), metric=metric, when=when)
        return KR_MOVE_TO.render(verb=Verb("Raise"), metric=metric, target=Amount(target), when=when)
    if measure.baseline is not None:
        return KR_FROM.render(
            verb=Verb(verb), metric=metric, baseline=Amount(measure.baseline.text), when=when
        )
    if measure.kind == "count" and not measure.decreasing:
        return KR_COUNT.render(metric=metric, when=when)
    return KR_PLAIN.render(verb=Verb(verb), metric=metric, when=when)


def key_result(measure: Measure, *, default_due: DatePhrase | None) -> KeyResult:
    due = measure.due or default_due
    baseline = measure.baseline.text if measure.baseline else UNKNOWN
    target = measure.target_label or NOT_STATED
    amount = measure.target_amount
    measurable = amount is not None and amount[1] != "x"
    time_bound = due is not None
    has_number = measure.target is not None or measure.relative is not None
    score = 20 + 25 * has_number + 15 * (measure.baseline is not None) + 20 * time_bound + 20
    evidence = measure.evidence
    return KeyResult(
        statement=key_result_statement(measure, due),
        metric=measure.label,
        baseline=baseline,
        target=target,
        due=due.label if due else NOT_STATED,
        quality=KeyResultQuality(
            measurable=measurable, time_bound=time_bound, outcome_oriented=True, score=score
        ),
        evidence=Evidence(order=evidence[0], quote=evidence[1]) if evidence else None,
    )


def gap_key_result(*, which: int, default_due: DatePhrase | None) -> KeyResult:
    """Where the founder named no metric the draft leaves a marked gap instead of inventing one."""
    when = when_of(default_due)
    made = KR_GAP_RESULT if which == 0 else KR_GAP_LEADING
    return KeyResult(
        statement=made.render(when=when),
        metric="not defined",
        baseline=UNKNOWN,
        target=NOT_STATED,
        due=default_due.label if default_due else NOT_STATED,
        quality=KeyResultQuality(
            measurable=False,
            time_bound=default_due is not None,
            outcome_oriented=False,
            score=20 * (default_due is not None),
        ),
        evidence=None,
    )


def _completeness(measure: Measure) -> tuple[int, int, int]:
    first = min(measure.orders) if measure.orders else 99
    stated = 2 * (measure.target is not None or measure.relative is not None) + (measure.baseline is not None)
    return ("goal" not in measure.roles, -(stated + (measure.due is not None)), first)


def goal_measure(measures: Sequence[Measure]) -> Measure | None:
    """The metric the goal's first key result measures."""
    wanted = sorted((m for m in measures if m.roles & {"goal", "measures"}), key=_completeness)
    return wanted[0] if wanted else None


@dataclass(frozen=True)
class Draft:
    objectives: list[Objective]
    measures_used: list[Measure]
    measures_dropped: list[Measure]
    gaps_marked: int
    default_due: DatePhrase | None


def okr_draft(
    answers: Sequence[Answer], measures: Sequence[Measure], goal_reading: GoalReading, today: dt.date
) -> Draft:
    """At most three objectives with two or three key results each: the goal first, then the
    problems the founder quantified (a separate objective only when it can hold two key results)."""
    found = plan_due(answers, today)
    default_due = goal_reading.due or (found[0] if found else None)
    wanted = [m for m in measures if m.roles & {"goal", "measures"}]
    toward_goal = sorted((m for m in wanted if "blockers" not in m.roles), key=_completeness)
    against_blockers = sorted((m for m in wanted if "blockers" in m.roles), key=_completeness)
    if len(against_blockers) < 2:
        toward_goal = sorted([*toward_goal, *against_blockers], key=_completeness)
        against_blockers = []
    main, rest = toward_goal[:MAX_KEY_RESULTS], toward_goal[MAX_KEY_RESULTS:]
    dropped = list(rest)
    key_results = [key_result(m, default_due=default_due) for m in main]
    used = list(main)
    gaps_marked = 0
    while len(key_results) < 2:
        # With a metric drafted, the open slot is for a leading number; without one, for the result.
        key_results.append(gap_key_result(which=len(key_results), default_due=default_due))
        gaps_marked += 1
    objectives = [Objective(objective=goal_reading.objective.rstrip("."), key_results=key_results)]
    if against_blockers:
        chosen = against_blockers[:MAX_KEY_RESULTS]
        dropped.extend(against_blockers[MAX_KEY_RESULTS:])
        used.extend(chosen)
        objectives.append(
            Objective(
                objective=OBJECTIVE_BLOCKERS.render(metrics=Nouns(tuple(m.label for m in chosen))),
                key_results=[key_result(m, default_due=default_due) for m in chosen],
            )
        )
    return Draft(
        objectives=objectives,
        measures_used=used,
        measures_dropped=dropped,
        gaps_marked=gaps_marked,
        default_due=default_due,
    )
