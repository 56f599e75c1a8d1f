"""Call insights: a summary built from what was said, key topics, the customer's sentiment, a
satisfaction score with the signals behind it, keywords and action items.

The summary is a few templated sentences whose slots are filled from the call, each quoting its
source verbatim: the visit (job and customer), the customer's first stated problem, the equipment
facts, the work the technician reported, the opportunities, how a price request was handled, a
safety report, and the commitments made.

customer_satisfaction_score (0-100) starts at 50 and adds, each recorded as a signal:
- customer sentiment: 30 x the mean VADER compound of the customer's sentences, the last third of
  the call counted twice (how a call ends weighs more than how it starts);
- thanks: +5 per customer sentence of thanks or appreciation, at most 3;
- praise: +5 per distinct praise (professional, thorough, explained well, ...), at most 2;
- complaints (a repeat visit, a missed appointment, "ridiculous"): +4 when the technician
  acknowledged it and the customer's later sentences are not negative, otherwise -10;
- anger: -8 when the customer was angry and it was not resolved;
- commitments: +4 per follow-up promised with a time, at most 2;
- price requests left without a price or a dated quote: -8 each, at most 2.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Sequence

from analysis.engines import text
from conversations.ai import lexicon
from conversations.ai.call import Call, Sentence
from conversations.ai.catalog import CompiledEntry
from conversations.ai.coaching import coaching_moments, hazards
from conversations.ai.commitments import Commitment, PriceRequest, commitments, price_requests
from conversations.ai.facts import CallFacts, call_facts
from conversations.ai.metrics import call_metrics
from conversations.ai.render import evidence_of, title
from conversations.ai.schema import (
    ActionItem,
    CoachingMoment,
    ConversationInsights,
    Evidence,
    SatisfactionSignal,
)
from conversations.ai.upsells import Detection, lower_name

__all__ = ["TOPICS", "build_insights", "customer_sentiment"]

# Topics people discuss on service calls, named as a dashboard shows them.
TOPICS: tuple[tuple[str, str], ...] = (
    (
        "Equipment Age",
        r"\byears? old\b|\byear-old\b|\boriginal\b|\bsince (?:19|20)\d\d\b|\bback in (?:19|20)\d\d\b",
    ),
    (
        "Frequent Repairs",
        r"\b(?:times|third time|second time|keeps breaking|constantly|repairs|lost count)\b",
    ),
    ("Replacement Options", r"\breplac\w*\b|\bnew (?:system|unit|furnace|boiler|pump|one|ac|heat pump)\b"),
    (
        "Pricing",
        r"\bhow much\b|\bcost\b|\bprice\b|\bquote\b|\bdollars\b|\bthousand\b|\bestimate\b|\bbudget\b",
    ),
    (
        "Maintenance Plan",
        r"\bmaintenance (?:plan|agreement)\b|\bservice (?:agreement|contract)\b|\bmembership\b|\bcomfort club\b",
    ),
    (
        "Air Quality",
        r"\bdust\w*\b|\ballerg\w*\b|\basthma\b|\bpurifier\b|\bair quality\b|\bodou?r\b|\bsmells? like\b|\bfiltration\b",
    ),
    ("Humidity", r"\bhumid\w*\b|\bdry\b|\bmuggy\b|\bsticky\b|\bdamp\b|\bstatic\b"),
    ("Energy Costs", r"\bbills?\b|\befficien\w*\b|\brebates?\b|\btax credits?\b|\bseer\b"),
    ("Thermostat", r"\bthermostats?\b"),
    (
        "Comfort",
        r"\bhotter\b|\bcolder\b|\bfreezing\b|\bunbearable\b|\bupstairs\b|\bbedroom\b|\bzon\w+\b|\bmini split\b",
    ),
    (
        "Safety",
        r"\bgas (?:smell|leak|line)\b|\bsmell\w* gas\b|\brotten egg\b|\bcarbon monoxide\b|\bco (?:alarm|detector|meter)\b|\bred tag\b",
    ),
    ("Warranty", r"\bwarrant\w*\b"),
    ("Ductwork", r"\bducts?\b|\bductwork\b|\bvents?\b|\bdamper\b"),
    ("Refrigerant", r"\brefrigerant\b|\bfreon\b|\bcharge\b"),
    ("Leaks", r"\bleak\w*\b|\bdrip\w*\b|\bwater (?:pooling|on the floor|under)\b"),
    ("Airflow", r"\bairflow\b|\bblower\b|\bfilter\b"),
    ("Noise", r"\bnoise\b|\bnoisy\b|\bsqueal\w*\b|\brattl\w*\b|\bwhoosh\w*\b|\bloud\b"),
    ("Scheduling", r"\bschedul\w*\b|\bappointment\b|\bnext week\b|\bbook\b"),
)
_TOPIC_RES = tuple((name, re.compile(pattern, re.IGNORECASE)) for name, pattern in TOPICS)
_REPEAT_VISIT_RE = re.compile(
    rf"\b{lexicon.ORDINAL_RE} time\b|\bagain\b|\bexact same\b|\bsame (?:problem|thing)\b", re.IGNORECASE
)
_MISSED_APPOINTMENT_RE = re.compile(
    r"\bsupposed to (?:be here|come|call)\b|\b(?:no one|nobody) (?:called|showed|came)\b", re.I
)
MAX_TOPICS = 5
MAX_UNRESOLVED_COMPLAINTS = 2  # an angry call is scored low, not below zero several times over
_SMALL_TALK_PHRASES = frozenset({"good morning", "good afternoon", "good evening", "thank you", "thanks"})
IMPROVEMENT_WORDS = {
    "upsell_missed": "missed opportunity",
    "jargon": "too much jargon",
    "interrupting": "interrupting",
    "no_recap": "no recap",
    "rapport": "complaint not acknowledged",
    "safety": "safety concern not addressed",
    "listening": "talked too much",
}


def _weight(sentence: Sentence, call: Call) -> float:
    return 2.0 if call.duration and sentence.turn.start >= call.duration * 2 / 3 else 1.0


def customer_sentiment(call: Call) -> float:
    """Mean VADER compound of the customer's sentences, the last third of the call counted twice."""
    scored = [(text.sentiment(s.text).compound, _weight(s, call)) for s in call.sentences_of("customer")]
    total = sum(w for _, w in scored)
    return round(sum(c * w for c, w in scored) / total, 4) if total else 0.0


def _label(score: float) -> str:
    return "positive" if score >= 0.05 else "negative" if score <= -0.05 else "neutral"


def _thanks(call: Call) -> list[Sentence]:
    return [
        s
        for s in call.sentences_of("customer")
        if lexicon.THANKS_RE.search(s.text) and not lexicon.DECLINE_RE.search(s.text)
    ]


def _praise(call: Call) -> list[tuple[str, Sentence]]:
    found: dict[str, Sentence] = {}
    for sentence in call.sentences_of("customer"):
        for name, pattern in lexicon.PRAISE.items():
            if name not in found and pattern.search(sentence.text):
                found[name] = sentence
    return sorted(found.items(), key=lambda item: item[1].index)


def _complaints(call: Call) -> list[tuple[Sentence, bool]]:
    """(complaint, resolved) pairs, one per customer turn: resolved when a technician turn within
    the next two answers it with an acknowledgement or a fix and the customer's later sentences are
    not negative."""
    out = []
    seen_turns: set[int] = set()
    for sentence in call.sentences_of("customer"):
        if sentence.turn.segment_id in seen_turns or not lexicon.COMPLAINT_RE.search(sentence.text):
            continue
        seen_turns.add(sentence.turn.segment_id)
        replies = call.turns_after(sentence.turn, speaker="technician", limit=2)
        acknowledged = any(
            lexicon.EMPATHY_RE.search(t.text) or lexicon.WORK_DONE_RE.search(t.text) for t in replies
        )
        later = [
            text.sentiment(s.text).compound for s in call.sentences_of("customer") if s.index > sentence.index
        ]
        calm_after = not later or statistics.fmean(later[-3:]) >= 0.0
        out.append((sentence, acknowledged and calm_after))
    return out


def _signals(
    call: Call, promised: Sequence[Commitment], requests: Sequence[PriceRequest], sentiment: float
) -> list[SatisfactionSignal]:
    signals = [
        SatisfactionSignal(
            signal="customer_sentiment",
            points=round(30 * sentiment, 1),
            detail=f"customer sentiment {sentiment:+.2f} (VADER, -1..1, the end of the call weighted double)",
            evidence=None,
        )
    ]
    for sentence in _thanks(call)[:3]:
        signals.append(
            SatisfactionSignal(
                signal="thanks",
                points=5,
                detail="the customer thanked the technician",
                evidence=evidence_of(sentence),
            )
        )
    for name, sentence in _praise(call)[:2]:
        signals.append(
            SatisfactionSignal(
                signal="praise", points=5, detail=f"praise: {name}", evidence=evidence_of(sentence)
            )
        )
    complaints = _complaints(call)
    unresolved = [c for c in complaints if not c[1]][:MAX_UNRESOLVED_COMPLAINTS]
    for sentence, resolved in [c for c in complaints if c[1]] + unresolved:
        signals.append(
            SatisfactionSignal(
                signal="complaint_resolved" if resolved else "complaint_unresolved",
                points=4 if resolved else -10,
                detail="complaint acknowledged and settled" if resolved else "complaint left standing",
                evidence=evidence_of(sentence),
            )
        )
    angry = [s for s, resolved in complaints if not resolved and lexicon.ANGER_RE.search(s.text)]
    if angry:
        signals.append(
            SatisfactionSignal(
                signal="anger", points=-8, detail="the customer was angry", evidence=evidence_of(angry[0])
            )
        )
    for commitment in [c for c in promised if c.due][:2]:
        signals.append(
            SatisfactionSignal(
                signal="commitment",
                points=4,
                detail=f"follow-up promised {commitment.due}",
                evidence=evidence_of(commitment.sentence),
            )
        )
    for request in [r for r in requests if not r.handled][:2]:
        signals.append(
            SatisfactionSignal(
                signal="quote_unanswered",
                points=-8,
                detail="a price request got no price and no dated quote",
                evidence=evidence_of(request.sentence),
            )
        )
    return signals


def _topics(call: Call, detections: Sequence[Detection]) -> list[str]:
    counts: Counter[str] = Counter()
    first_seen: dict[str, int] = {}
    for sentence in call.sentences:
        for name, pattern in _TOPIC_RES:
            if pattern.search(sentence.text):
                counts[name] += 2 if sentence.speaker == "customer" else 1
                first_seen.setdefault(name, sentence.index)
    for detection in detections:  # what the customer could buy is what a manager scans for
        counts[title(detection)] += 3
        first_seen.setdefault(title(detection), detection.trigger.sentence.index)
    ranked = sorted((n for n, c in counts.items() if c >= 2), key=lambda n: (-counts[n], first_seen[n]))
    topics = ranked[:MAX_TOPICS]
    if len(topics) < 2:
        whole = " ".join(s.text for s in call.sentences)
        lower_words = {w for w in text.tokenize_words(whole) if w.islower()}
        for phrase in text.keywords(whole, top=8):
            # Names ("Ethan", "ClaraHVAC") are never written in lower case; greetings are no topic.
            if phrase in _SMALL_TALK_PHRASES or not all(w in lower_words for w in phrase.split()):
                continue
            name = phrase.title()
            if name not in topics:
                topics.append(name)
            if len(topics) >= 3:
                break
    return topics


def _problem(call: Call) -> Sentence | None:
    return next(
        (
            s
            for s in call.sentences_of("customer")
            if lexicon.PROBLEM_RE.search(s.text) and text.word_count(s.text) >= 4
        ),
        None,
    )


def _work_report(call: Call) -> Sentence | None:
    tech = call.sentences_of("technician")
    recap = [s for s in tech if lexicon.RECAP_RE.search(s.text)]
    if recap:
        return recap[-1]
    worked = [s for s in tech if lexicon.WORK_DONE_RE.search(s.text)]
    return worked[-1] if worked else None


def _facts_sentence(facts: CallFacts, detections: Sequence[Detection]) -> str | None:
    equipment = (
        next((d.equipment for d in detections if d.equipment), None) or facts.most_mentioned_equipment()
    )
    parts = []
    if facts.age_years is not None:
        parts.append(f"{facts.age_years} years old")
    if facts.repair_count is not None:
        parts.append(f"{facts.repair_count} repairs or visits mentioned")
    elif facts.repeated_repairs:
        parts.append("repeated repairs mentioned")
    if facts.unit_count is not None:
        parts.append(f"{facts.unit_count} units")
    if not parts:
        return None
    subject = lower_name(equipment.name) if equipment else "equipment"
    return f"Equipment facts ({subject}): {', '.join(parts)}."


def _summary(
    call: Call,
    facts: CallFacts,
    detections: Sequence[Detection],
    promised: Sequence[Commitment],
    requests: Sequence[PriceRequest],
) -> tuple[str, list[Sentence]]:
    quoted: list[Sentence] = []
    job = call.context.job_title or "Service call"
    customer = f" for {call.context.customer_name}" if call.context.customer_name else ""
    lines = [f"{job}{customer}."]
    problem = _problem(call)
    if problem is not None:
        lines.append(f'Customer reported: "{problem.text}"')
        quoted.append(problem)
    facts_line = _facts_sentence(facts, detections)
    if facts_line:
        lines.append(facts_line)
    safety = next((s for s in call.sentences_of("customer") if hazards(s)), None)
    if safety is not None:
        lines.append(f'Safety: the customer reported "{safety.text}"')
        quoted.append(safety)
    work = _work_report(call)
    if work is not None:
        lines.append(f'Technician: "{work.text}"')
        quoted.append(work)
    if detections:
        named = ", ".join(f"{title(d)} ({d.priority})" for d in detections)
        lines.append(f"Opportunities: {named}.")
    for request in requests[:1]:
        outcome = {
            "priced": "the technician gave a price",
            "committed": "the technician committed to a quote with a date",
            "deferred": "the technician did not commit to a price or a timeline",
            "unanswered": "it was not answered",
        }[request.status]
        lines.append(f'The customer asked "{request.sentence.text}" and {outcome}.')
        quoted.append(request.sentence)
    dated = [c for c in promised if c.due]
    if dated:
        lines.append("Follow-up: " + "; ".join(f"{c.text[:1].lower()}{c.text[1:]}" for c in dated[:2]) + ".")
    elif not requests and not detections:
        lines.append("No follow-up was needed or promised.")
    return " ".join(lines), quoted


def build_insights(
    call: Call,
    entries: Sequence[CompiledEntry],
    detections: Sequence[Detection],
    *,
    facts: CallFacts | None = None,
) -> ConversationInsights:
    facts = facts or call_facts(call)
    promised = commitments(call)
    requests = price_requests(call)
    sentiment = customer_sentiment(call)
    signals = _signals(call, promised, requests, sentiment)
    score = int(round(min(100.0, max(0.0, 50.0 + sum(s.points for s in signals)))))
    moments: list[CoachingMoment] = coaching_moments(call, detections, call_metrics(call))
    improvements: list[str] = []
    for request in requests:
        if request.status in ("deferred", "unanswered"):
            improvements += ["pricing unclear", "no written quote"]
    complaints = [s for s, _ in _complaints(call)]
    if any(_REPEAT_VISIT_RE.search(s.text) for s in complaints):
        improvements.append("repeat visit")
    if any(_MISSED_APPOINTMENT_RE.search(s.text) for s in complaints):
        improvements.append("missed appointment")
    improvements += [IMPROVEMENT_WORDS[m.category] for m in moments if m.category in IMPROVEMENT_WORDS]
    summary, quoted = _summary(call, facts, detections, promised, requests)
    items = [
        ActionItem(
            text=c.text,
            owner=c.owner,
            action=c.action,
            due=c.due,
            timestamp_in_call=c.sentence.turn.start,
            evidence=evidence_of(c.sentence),
        )
        for c in promised
    ]
    evidence: list[Evidence] = []
    for sentence in [*quoted, *(c.sentence for c in promised)]:
        item = evidence_of(sentence)
        if item not in evidence:
            evidence.append(item)
    return ConversationInsights(
        summary=summary,
        key_topics=_topics(call, detections),
        overall_sentiment=_label(sentiment),  # type: ignore[arg-type]
        sentiment_score=max(-1.0, min(1.0, sentiment)),
        customer_satisfaction_score=score,
        satisfaction_signals=signals,
        positive_keywords=[name for name, _ in _praise(call)],
        improvement_keywords=list(dict.fromkeys(improvements)),
        action_items=[item.text for item in items],
        action_item_details=items,
        evidence=evidence,
    )
