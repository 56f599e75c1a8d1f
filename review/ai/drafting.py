"""From the founder's words to a goal statement and an OKR draft as practitioners write them:
objectives without numbers, key results that are outcomes with a metric, a baseline (or
"unknown"), a target and a date, all taken from what the founder stated, never made up."""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

from review.ai.findings import tidy
from review.ai.reading import (
    Answer,
    Deadline,
    Measure,
    by_role,
    deadlines,
    is_hedged,
    main_deadline,
    metric_mentions,
    stated_numbers,
)
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
    r"become|reach|grow|increase|launch|double|triple|achieve|expand|get to|hit)\b",
    re.I,
)
_LEAD_IN = re.compile(
    r"^(?:(?:so|well|basically|honestly|i think|i guess|right now|for now|this year|next year|this quarter)[,\s]+)*"
    r"(?:(?:our|my|the)\s+(?:(?:main|primary|biggest|key|top|one|single|most important|business|overall)\s+)*"
    r"(?:goal|objective|aim|priority|focus|target|plan)(?:\s+(?:for|over|in)\s+[^,]+?)?\s+(?:is|would be|right now is)"
    r"\s+(?:to\s+)?"
    r"|(?:we|i)\s+(?:really\s+|just\s+|mainly\s+)?(?:want|need|plan|hope|aim|intend|would like|'d like)\s+to\s+"
    r"|(?:we|i)(?:'re|\s+are|'m|\s+am)\s+(?:trying|aiming|planning|hoping|looking)\s+to\s+)",
    re.I,
)
_RELATIVE = re.compile(r"\b(?:double|triple|quadruple|halve|2x|3x|twice)\b", re.I)
_WANT_SOMETHING_TO = re.compile(
    r"^(?:i|we)\s+(?:just\s+|really\s+)?want\s+((?:the|our|my)\s+\w+(?:\s+\w+)?)\s+to\s+(.+)$", re.I
)
_INNER_WANT = re.compile(r"\b(?:want|need|plan|hope|aim)\s+to\s+(.+)$", re.I)
_STRATEGY_TAIL = re.compile(r",?\s+(?:mainly|mostly|primarily)?\s*(?:by|through|via)\s+\w+ing\b.*$", re.I)


@dataclass(frozen=True)
class GoalReading:
    statement: str
    relative_target: str | None
    objective: str  # the same goal without numbers or dates
    order: int
    quote: str  # the sentence it comes from
    has_goal_words: bool
    has_strategy: bool
    due: Deadline | None


def _sentence_score(sentence: str) -> int:
    return (
        2 * bool(_GOAL_CUE.search(sentence))
        + 2 * bool(stated_numbers(sentence))
        + bool(deadlines(sentence))
        + bool(metric_mentions(sentence))
        - bool(is_hedged(sentence))
    )


def _rewrite(sentence: str) -> str:
    """The goal as an imperative: "Our main goal is to grow X" -> "Grow X"."""
    body = sentence.strip().rstrip(".!")
    lead = _LEAD_IN.match(body)
    if lead and lead.end() < len(body):
        removed, body = body[: lead.end()], body[lead.end() :]
        date = main_deadline(removed)
        if date and not deadlines(body):
            body = f"{body} {date.text[0].lower()}{date.text[1:]}"
    else:
        wanted = _WANT_SOMETHING_TO.match(body)
        inner = _INNER_WANT.search(body)
        if wanted:
            body = f"get {wanted.group(1)} to {wanted.group(2)}"
        elif inner:
            body = inner.group(1)
    return tidy(body)


def _without_numbers(statement: str) -> str:
    """Objectives carry no numbers or dates: those belong to the key results."""
    spans = [d.span for d in deadlines(statement)] + [n.span for n in stated_numbers(statement)]
    out = statement
    for start, end in sorted(spans, reverse=True):
        lead = re.search(
            r"(?:\b(?:from|to|of|by|at|about|around|up to|over|under|below|above|at least|than)\s+)+$",
            out[:start],
        )
        out = out[: lead.start() if lead else start] + out[end:]
    out = re.sub(r"\s+([,.;])", r"\1", re.sub(r"\s{2,}", " ", out)).strip(" ,;")
    words = out.rstrip(".").split()
    if len(words) > 16:
        out = _STRATEGY_TAIL.sub("", out.rstrip(".")) or out
    return tidy(out)


def goal(answers: Sequence[Answer]) -> GoalReading:
    sources = by_role(answers, "goal") or list(answers[:1])
    candidates = [(s, a.order) for a in sources for s in a.sentences]
    if not candidates:
        return GoalReading(
            "No goal was stated.",
            None,
            "State the goal",
            sources[0].order if sources else 1,
            "",
            False,
            False,
            None,
        )
    ranked = sorted(candidates, key=lambda c: (-_sentence_score(c[0]), candidates.index(c)))
    primary, order = ranked[0]
    aspiration = next(
        (
            s
            for s, _ in candidates
            if s != primary and _GOAL_CUE.search(s) and not stated_numbers(s) and not _RELATIVE.search(s)
        ),
        None,
    )
    statement = _rewrite(primary)
    objective = _without_numbers(statement)
    if (
        aspiration
        and stated_numbers(primary)
        or aspiration
        and _GOAL_CUE.search(primary)
        and metric_mentions(primary)
    ):
        aspired = _rewrite(aspiration)  # type: ignore[arg-type]
        statement = f"{aspired.rstrip('.')}; {statement[0].lower()}{statement[1:]}"
        objective = _without_numbers(aspired)
    due = main_deadline(primary)
    relative = _RELATIVE.search(primary)
    return GoalReading(
        statement=statement,
        relative_target=relative.group(0).lower() if relative else None,
        objective=objective,
        order=order,
        quote=primary,
        has_goal_words=bool(_GOAL_CUE.search(primary)),
        has_strategy=bool(re.search(r"\b(?:by|through|via)\s+\w+ing\b", primary, re.I)),
        due=due,
    )


def main_due(answers: Sequence[Answer]) -> tuple[str, int] | None:
    """The date the whole plan works toward: the goal's, else the timeline's, else any stated."""
    for roles in (("goal",), ("resources",), ("measures",)):
        for answer in by_role(answers, *roles):  # type: ignore[arg-type]
            points = [d for s in answer.sentences for d in deadlines(s) if d.is_point]
            spans = [d for s in answer.sentences for d in deadlines(s)]
            chosen = points or spans
            if chosen:
                return chosen[0].label, answer.order
    return None


# --------------------------------------------------------------------------------------------
# Key results

_COUNT_NOUN = re.compile(r"^[a-z -]+s$")
_IMPROVE = {
    "NPS",
    "customer satisfaction",
    "customer feedback",
    "retention",
    "net revenue retention",
    "margin",
}


def _by(due: str) -> str:
    lowered = due.lower()
    if lowered.startswith(("this ", "next ", "within ", "in ", "for ", "over ", "during ")):
        return f" {due}"
    return f" by {due}"


def _is_relative(target: str) -> bool:
    return "today's level" in target


def key_result_statement(measure: Measure, due: str) -> str:
    metric = measure.label
    target = measure.target
    verb = "Reduce" if measure.decreasing else "Improve" if metric in _IMPROVE else "Increase"
    if target and _is_relative(target):
        multiplier = target.split("×")[0]
        head = {"2": "Double", "3": "Triple", "4": "Quadruple"}.get(
            multiplier, "Halve" if "half" in target else verb
        )
        statement = f"{head} {metric}"
    elif measure.baseline and target:
        statement = f"{verb} {metric} from {measure.baseline} to {target}"
    elif target and re.match(
        r"(?:below|under|less than|at most|no more than|above|over|more than|at least)\b", target
    ):
        statement = f"Get {metric} {target}"
    elif target:
        statement = f"Cut {metric} to {target}" if measure.decreasing else f"Reach {target} {metric}"
    elif measure.baseline:
        statement = f"{verb} {metric} from {measure.baseline}"
    elif verb == "Increase" and measure.key != metric and _COUNT_NOUN.match(metric):
        statement = f"Grow the number of {metric}"
    else:
        statement = f"{verb} {metric}"
    return statement + (_by(due) if due != NOT_STATED else "")


def key_result(measure: Measure, *, default_due: str | None) -> KeyResult:
    due = measure.due or default_due or NOT_STATED
    baseline = measure.baseline or UNKNOWN
    target = measure.target or NOT_STATED
    has_number = any(c.isdigit() for c in target)
    measurable = has_number and (not _is_relative(target) or baseline != UNKNOWN)
    time_bound = due != NOT_STATED
    score = 20 + 25 * has_number + 15 * (baseline != UNKNOWN) + 20 * time_bound + 20
    evidence = measure.evidence
    return KeyResult(
        statement=key_result_statement(measure, due),
        metric=measure.label,
        baseline=baseline,
        target=target,
        due=due,
        quality=KeyResultQuality(
            measurable=measurable, time_bound=time_bound, outcome_oriented=True, score=score
        ),
        evidence=Evidence(order=evidence[0], quote=evidence[1]) if evidence else None,
    )


def gap_key_result(*, which: int, default_due: str | None) -> KeyResult:
    """Where the founder named no metric the draft leaves a marked gap instead of inventing one."""
    due = default_due or NOT_STATED
    statement = (
        "The number that shows this objective is reached (metric to be defined)"
        if which == 0
        else "A leading number you can move every week (metric to be defined)"
    )
    return KeyResult(
        statement=statement + (_by(due) if due != NOT_STATED else ""),
        metric="not defined",
        baseline=UNKNOWN,
        target=NOT_STATED,
        due=due,
        quality=KeyResultQuality(
            measurable=False,
            time_bound=due != NOT_STATED,
            outcome_oriented=False,
            score=20 * (due != NOT_STATED),
        ),
        evidence=None,
    )


def _completeness(measure: Measure) -> tuple[int, int]:
    first = min(measure.orders) if measure.orders else 99
    return (
        -(2 * (measure.target is not None) + (measure.baseline is not None) + (measure.due is not None)),
        first,
    )


@dataclass(frozen=True)
class Draft:
    objectives: list[Objective]
    measures_used: list[Measure]
    measures_dropped: list[Measure]
    gaps_marked: int


def okr_draft(answers: Sequence[Answer], measures: Sequence[Measure], goal_reading: GoalReading) -> Draft:
    """At most three objectives with two or three key results each: the goal first, then the
    problems the founder quantified (a separate objective only when it can hold two key results)."""
    due_found = main_due(answers)
    default_due = due_found[0] if due_found else None
    wanted = [m for m in measures if m.roles & {"goal", "measures"}]
    toward_goal = sorted((m for m in wanted if "blockers" not in m.roles), key=_completeness)
    against_blockers = sorted((m for m in wanted if "blockers" in m.roles), key=_completeness)
    objectives: list[Objective] = []
    used: list[Measure] = []
    dropped: list[Measure] = []
    if len(against_blockers) < 2:
        toward_goal = sorted([*toward_goal, *against_blockers], key=_completeness)
        against_blockers = []
    main, rest = toward_goal[:MAX_KEY_RESULTS], toward_goal[MAX_KEY_RESULTS:]
    dropped.extend(rest)
    key_results = [key_result(m, default_due=default_due) for m in main]
    used.extend(main)
    gaps_marked = 0
    while len(key_results) < 2:
        key_results.append(gap_key_result(which=gaps_marked, default_due=default_due))
        gaps_marked += 1
    objectives.append(Objective(objective=goal_reading.objective.rstrip("."), key_results=key_results))
    if against_blockers:
        chosen = against_blockers[:MAX_KEY_RESULTS]
        dropped.extend(against_blockers[MAX_KEY_RESULTS:])
        used.extend(chosen)
        labels = [m.label for m in chosen]
        named = labels[0] if len(labels) == 1 else f"{', '.join(labels[:-1])} and {labels[-1]}"
        objectives.append(
            Objective(
                objective=f"Fix what is holding the goal back: {named}",
                key_results=[key_result(m, default_due=default_due) for m in chosen],
            )
        )
    return Draft(objectives=objectives, measures_used=used, measures_dropped=dropped, gaps_marked=gaps_marked)
