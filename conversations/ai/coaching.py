"""Coaching moments: where the technician could have done better, each at its time in the call,
quoting what was said, with what should happen and an example of a better response.

Categories and the rule that raises each (the local engine):

- upsell_missed: an opportunity the customer voiced (upsells.py) that the technician never raised
  afterwards (no catalog topic term of it in any later technician sentence, none just before it
  either) and that was not a price request the technician answered in some way.
- no_quote_commitment: a price request left `deferred` or `unanswered` (commitments.py).
- jargon: a technician turn with trade terms the customer then says they did not follow, or three
  or more distinct terms with no plain-words explanation in the turn.
- interrupting: the technician began speaking over the customer twice or more (metrics.py).
- no_recap: a call of two minutes or more whose last three technician turns contain no recap
  phrase and no turn stating two of: the work done, the outcome, the next step.
- rapport: a complaint answered within a minute with no acknowledgement, by a technician who had
  shown none before.
- safety: the customer reported a hazard (gas smell, CO alarm, burning, water on electrics) and
  the technician's next two turns gave no safety step (shut off, ventilate, get out, test, ...).
- listening: the technician held 85% or more of the talk with a minute or more of it, or spoke
  for 90 s without a break.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

from analysis.engines import text
from conversations.ai import lexicon
from conversations.ai.call import Call, Sentence, Turn, clock
from conversations.ai.catalog import CompiledEntry
from conversations.ai.commitments import PriceRequest, commitments, price_requests
from conversations.ai.metrics import call_metrics, interruptions
from conversations.ai.render import evidence_of, suggested_response
from conversations.ai.schema import CallMetrics, CoachingMoment, ConversationCoaching
from conversations.ai.upsells import Detection

__all__ = ["JARGON_PLAIN", "build_coaching", "coaching_moments"]

MIN_RECAP_CALL_SECONDS = 120.0
RAPPORT_WINDOW_SECONDS = 60.0
SAFETY_WINDOW_SECONDS = 120.0
MONOLOGUE_LIMIT_SECONDS = 90.0
DOMINANT_SHARE = 0.85
DOMINANT_SECONDS = 60.0
_STOPWORDS = frozenset(
    """that this these those there their them they then than what when where which while with would could
    should have been were will your yours just really about from into over some very also even like well
    okay yeah know think said says want need going thing things time here""".split()
)

# Plain words for the trade terms the jargon rule knows, for the example better response.
JARGON_PLAIN: tuple[tuple[str, str], ...] = (
    (r"superheat|subcool", "the refrigerant readings are off"),
    (
        r"txv|expansion valve|metering device|restriction",
        "the valve that feeds refrigerant into the coil is sticking",
    ),
    (r"cap(?:acitor)?|microfarad|mfd", "the part that helps the motors start is getting weak"),
    (r"contactor", "the switch that turns the outdoor unit on has worn out"),
    (r"inducer", "the small fan that pushes exhaust out of the furnace is wearing out"),
    (r"merv", "a higher-grade filter that catches finer dust"),
    (r"static pressure|return", "the ducts may be too small for the blower to push enough air through"),
    (r"psc motor|ecm motor", "your fan motor is an older, less efficient type"),
    (r"seer|afue|hspf|eer", "the efficiency rating shows how much energy it uses"),
    (r"btu|tonnage", "the size of the unit for the space"),
    (r"flame (?:sensor|rod)", "the safety sensor that confirms the burners lit"),
    (r"limit switch|pressure switch|rollout|lockout", "a safety switch shut the furnace down"),
    (r"r-?22|r-?410", "the refrigerant type"),
    (r"short[- ]cycling", "it is turning on and off too often"),
    (r"reversing valve|defrost board", "the part that switches the heat pump between heating and cooling"),
    (r"plenum", "the box where the ducts connect to the unit"),
    (r"delta[- ]t", "the difference between the air going in and coming out"),
)


def _moment(
    category: str,
    title: str,
    at: float,
    what_happened: str,
    should: str,
    example: str,
    severity: str,
    evidence: Sequence[Sentence],
) -> CoachingMoment:
    return CoachingMoment.model_validate(
        {
            "category": category,
            "title": title,
            "timestamp_in_call": round(at, 2),
            "what_happened": what_happened,
            "what_should_happen": should,
            "example_better_response": example,
            "severity": severity,
            "evidence": [evidence_of(s) for s in evidence],
        }
    )


def _content_stems(words: str) -> set[str]:
    return {text.stem(w) for w in text.tokenize_words(words) if len(w) >= 4 and w.lower() not in _STOPWORDS}


def _tech_raised(call: Call, detection: Detection) -> bool:
    """The technician named the product (a catalog topic term) after the customer first voiced it,
    or just before; or took up the customer's own subject (two content words in common, e.g.
    "check the north wall ones" after "three others on the north wall are dead")."""
    first = min(h.sentence.index for h in detection.hits)
    first_turn = call.sentences[first].turn
    before = {t.segment_id for t in call.turns_before(first_turn, speaker="technician", limit=1)}
    said = set().union(*(_content_stems(h.sentence.text) for h in detection.hits))
    for sentence in call.sentences:
        if sentence.speaker != "technician":
            continue
        if sentence.index > first or sentence.turn.segment_id in before:
            if detection.entry.topic.search(sentence.text):
                return True
        if sentence.index > first and len(said & _content_stems(sentence.text)) >= 2:
            return True
    return False


def _missed_upsells(
    call: Call, detections: Sequence[Detection], requests: Sequence[PriceRequest]
) -> list[CoachingMoment]:
    answered = {r.sentence.index for r in requests if r.status != "unanswered"}
    out = []
    for detection in detections:
        if _tech_raised(call, detection) or any(h.sentence.index in answered for h in detection.hits):
            continue
        trigger = detection.trigger.sentence
        spec = detection.entry.entry
        out.append(
            _moment(
                "upsell_missed",
                f"Missed Opportunity: {spec.title.format_map(detection.slots())}",
                trigger.turn.start,
                f'Customer said "{trigger.text}" ({clock(trigger.turn.start)}); '
                f"the technician did not bring up {spec.offer}.",
                spec.what_should_happen,
                suggested_response(detection),
                "important" if detection.priority in ("high", "medium") else "minor",
                [trigger],
            )
        )
    return out


def _topic_of_request(request: PriceRequest, detections: Sequence[Detection]) -> str:
    for detection in detections:
        if any(h.sentence is request.sentence for h in detection.hits):
            return detection.entry.entry.offer
    named = re.search(r"\bnew (\w+(?: \w+)?)", request.sentence.text, re.I)
    return f"the new {named.group(1)}" if named else "this"


def _quote_moments(requests: Sequence[PriceRequest], detections: Sequence[Detection]) -> list[CoachingMoment]:
    out = []
    for request in requests:
        if request.handled:
            continue
        asked = request.sentence
        topic = _topic_of_request(request, detections)
        if request.answer is not None:
            happened = (
                f'Customer asked "{asked.text}". The technician said "{request.answer.text}" '
                "but gave no price and no date for a quote."
            )
            at = request.answer.turn.start
            evidence = [asked, request.answer]
        else:
            happened = f'Customer asked "{asked.text}" and got no price and no quote.'
            at = asked.turn.start
            evidence = [asked]
        out.append(
            _moment(
                "no_quote_commitment",
                "Missed Quote Follow-up",
                at,
                happened,
                "Give a price range if you can, and set a clear expectation for when the written quote will arrive.",
                f"I'll have a detailed quote for {topic} to you by tomorrow afternoon. "
                "Would email or a phone call work better for you?",
                "important",
                evidence,
            )
        )
    return out[:2]


def _jargon_group(term: str) -> str:
    return next((pattern for pattern, _ in JARGON_PLAIN if re.search(pattern, term, re.I)), term)


def _plain_words(terms: Sequence[str]) -> list[str]:
    out: list[str] = []
    for term in terms:
        for pattern, plain in JARGON_PLAIN:
            if re.search(pattern, term, re.I) and plain not in out:
                out.append(plain)
                break
    return out


def _jargon_moments(call: Call) -> list[CoachingMoment]:
    for turn in call.turns:
        if turn.speaker != "technician":
            continue
        terms = list(dict.fromkeys(m.group().lower() for m in lexicon.JARGON_RE.finditer(turn.text)))
        if not terms:
            continue
        # "inducer" and "inducer motor" are one idea to explain, not two.
        distinct = {_jargon_group(term) for term in terms}
        reply = next(iter(call.turns_after(turn, limit=1)), None)
        confused = (
            reply is not None
            and reply.speaker == "customer"
            and bool(lexicon.CONFUSION_RE.search(reply.text))
        )
        explained = bool(lexicon.EXPLANATION_RE.search(turn.text))
        if not confused and (len(distinct) < 3 or explained):
            continue
        sentences = [s for s in call.sentences if s.turn is turn]
        worst = max(sentences, key=lambda s: len(lexicon.JARGON_RE.findall(s.text)))
        happened = f'Technician said "{worst.text}" ({", ".join(terms)})'
        evidence = [worst]
        if confused and reply is not None:
            confusion = next(s for s in call.sentences if s.turn is reply)
            happened += f' and the customer answered "{confusion.text}"'
            evidence.append(confusion)
        plain = _plain_words(terms) or ["what the problem is and what it means for them"]
        example = "In plain terms: " + "; ".join(plain) + ". Does that make sense, or should I show you?"
        return [
            _moment(
                "jargon",
                "Jargon Without Explanation",
                turn.start,
                happened + ".",
                "Explain the finding in everyday words, what it means for the customer, and check they followed.",
                example[:1].upper() + example[1:],
                "important" if confused else "minor",
                evidence,
            )
        ]
    return []


def _interrupting_moments(call: Call) -> list[CoachingMoment]:
    cut_ins = [(before, turn) for before, turn in interruptions(call) if turn.speaker == "technician"]
    if len(cut_ins) < 2:
        return []
    cut, tech = cut_ins[0]
    cut_sentence = [s for s in call.sentences if s.turn is cut][-1]
    tech_sentence = next(s for s in call.sentences if s.turn is tech)
    return [
        _moment(
            "interrupting",
            "Talking Over the Customer",
            tech.start,
            f"The technician started speaking over the customer {len(cut_ins)} times. At {clock(tech.start)} "
            f'the customer was saying "{cut_sentence.text}" when the technician said "{tech_sentence.text}".',
            "Let the customer finish, pause a moment, then answer; repeat back what they said before moving on.",
            "Sorry, go ahead, I want to hear the whole thing. So the noise is different from the defrost sound? Tell me what you hear.",
            "important",
            [cut_sentence, tech_sentence],
        )
    ]


def _turn_kinds(call: Call, turn: Turn) -> int:
    words = turn.text
    kinds = 0
    kinds += bool(lexicon.WORK_DONE_RE.search(words))
    kinds += bool(lexicon.OUTCOME_RE.search(words))
    kinds += any(c.sentence.turn is turn for c in commitments(call))
    return kinds


def _recap_moments(call: Call) -> list[CoachingMoment]:
    tech_turns = [t for t in call.turns if t.speaker == "technician"]
    if call.duration < MIN_RECAP_CALL_SECONDS or len(tech_turns) < 3:
        return []
    closing = tech_turns[-3:]
    if any(lexicon.RECAP_RE.search(t.text) or _turn_kinds(call, t) >= 2 for t in closing):
        return []
    last = tech_turns[-1]
    last_sentence = [s for s in call.sentences if s.turn is last][-1]
    return [
        _moment(
            "no_recap",
            "No Recap Before Leaving",
            last.start,
            f'The call ended with "{last_sentence.text}" and no summary of the work done or the next steps.',
            "Before leaving, sum up what was found, what was done, and what happens next.",
            "Before I head out, a quick recap: I found the problem, fixed it, and tested it, and it's running normally. "
            "Here's what to watch for, and here's when you'll hear from us next.",
            "minor",
            [last_sentence],
        )
    ]


def _rapport_moments(call: Call) -> list[CoachingMoment]:
    empathy_shown = False
    for sentence in call.sentences:
        if sentence.speaker == "technician" and lexicon.EMPATHY_RE.search(sentence.text):
            empathy_shown = True
        if sentence.speaker != "customer" or not lexicon.COMPLAINT_RE.search(sentence.text) or empathy_shown:
            continue
        reply = next(iter(call.turns_after(sentence.turn, speaker="technician", limit=1)), None)
        if reply is None or reply.start - sentence.turn.end > RAPPORT_WINDOW_SECONDS:
            continue
        if lexicon.EMPATHY_RE.search(reply.text):
            empathy_shown = True
            continue
        answer = next(s for s in call.sentences if s.turn is reply)
        return [
            _moment(
                "rapport",
                "Complaint Not Acknowledged",
                reply.start,
                f'Customer said "{sentence.text}"; the technician answered "{answer.text}" without acknowledging it.',
                "Acknowledge the frustration first and own the problem, then explain what you will do differently.",
                "I'm sorry, that's really frustrating, especially with the house this cold. "
                "I've read the notes from the last visits and I'm going to find the real cause today.",
                "important",
                [sentence, answer],
            )
        ]
    return []


def hazards(sentence: Sentence) -> list[str]:
    return [name for name, pattern in lexicon.SAFETY_HAZARDS.items() if pattern.search(sentence.text)]


SAFETY_EXAMPLES = {
    "gas": "Let's be safe first: please don't flip any switches. I'm shutting off the gas and opening a door "
    "to air it out while I find the leak.",
    "carbon_monoxide": "Let's take that alarm seriously. I'm going to check the CO level in the house with my meter "
    "and test the detector before I do anything else.",
    "fire": "I'm going to shut the power to the unit off right now and find what's overheating before we run it again.",
    "water_electrical": "Let's keep away from that panel; I'm shutting off the breaker before we look at the water.",
}


def _safety_moments(call: Call) -> list[CoachingMoment]:
    for sentence in call.sentences:
        if sentence.speaker != "customer":
            continue
        found = hazards(sentence)
        if not found:
            continue
        replies = [
            t
            for t in call.turns_after(sentence.turn, speaker="technician", limit=2)
            if t.start - sentence.turn.end <= SAFETY_WINDOW_SECONDS
        ]
        if any(lexicon.SAFETY_ACTION_RE.search(t.text) for t in replies):
            continue
        evidence = [sentence]
        happened = f'Customer reported "{sentence.text}"'
        if replies:
            answer = next(s for s in call.sentences if s.turn is replies[0])
            happened += f' and the technician answered "{answer.text}" without any safety step.'
            evidence.append(answer)
        else:
            happened += " and the technician gave no safety step."
        return [
            _moment(
                "safety",
                "Safety Concern Not Addressed",
                sentence.turn.start,
                happened,
                "Treat any gas, carbon monoxide or burning report as urgent: make the space safe, test, and explain.",
                SAFETY_EXAMPLES[found[0]],
                "critical",
                evidence,
            )
        ]
    return []


def _listening_moments(call: Call, metrics: CallMetrics) -> list[CoachingMoment]:
    monologue = metrics.longest_monologue
    dominant = (
        metrics.technician_talk_share >= DOMINANT_SHARE
        and metrics.technician_talk_seconds >= DOMINANT_SECONDS
    )
    long_run = (
        monologue is not None
        and monologue.speaker_type == "technician"
        and monologue.seconds >= MONOLOGUE_LIMIT_SECONDS
    )
    if not (dominant or long_run):
        return []
    start = monologue.start_time if (long_run and monologue) else call.turns[0].start
    first = next((s for s in call.sentences if s.speaker == "technician" and s.turn.start >= start), None)
    return [
        _moment(
            "listening",
            "Long Monologue",
            start,
            f"The technician held {metrics.technician_talk_share:.0%} of the talk time"
            + (f', e.g. "{first.text}"' if first else "")
            + ".",
            "Talk less and ask more: check what the customer cares about before explaining options.",
            "Before I go on, what matters most to you here: cost, comfort, or how long it lasts?",
            "minor",
            [first] if first else [],
        )
    ]


def coaching_moments(
    call: Call, detections: Sequence[Detection], metrics: CallMetrics | None = None
) -> list[CoachingMoment]:
    metrics = metrics or call_metrics(call)
    requests = price_requests(call)
    moments = [
        *_safety_moments(call),
        *_missed_upsells(call, detections, requests),
        *_quote_moments(requests, detections),
        *_jargon_moments(call),
        *_interrupting_moments(call),
        *_rapport_moments(call),
        *_recap_moments(call),
        *_listening_moments(call, metrics),
    ]
    return sorted(moments, key=lambda m: m.timestamp_in_call)


def build_coaching(
    call: Call, entries: Sequence[CompiledEntry], detections: Sequence[Detection]
) -> ConversationCoaching:
    metrics = call_metrics(call)
    return ConversationCoaching(coaching_moments=coaching_moments(call, detections, metrics), metrics=metrics)
