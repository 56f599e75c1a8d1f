"""Live nudges: one detector per call, fed the final transcript segments in call order, that says
when to prompt the technician and with what.

Cues (each a `nudge_type`):
- `safety_alert`: the customer reports a hazard (gas smell, CO alarm, burning, water on electrics);
  raised as soon as it is said.
- `upsell_prompt` ("💡 Upsell Opportunity"): an opportunity from the catalog (the same rules as
  the post-call analysis, on what has been said so far) reaches confidence 0.5 and the technician
  has not raised it yet.
- `quote_request`: the customer asked for a price and the technician's first reply gave neither
  a price nor a dated quote: the moment to commit to one.
- `concern_unanswered`: the customer voiced a worry or asked a question and the technician's next
  turn did not answer it (no shared subject, no answer opener, or a change of subject); raised at
  that turn, or 20 s after the question when no technician turn came (`advance`).

Throttling, on the call timeline (DESIGN.md §6): a cue is never repeated within a call (its
`cue_key`: the nudge type, and the opportunity type for upsells), and at most one nudge is
raised per 20 s. A cue that arrives inside the 20 s is held, the most urgent first (safety, quote,
upsell, concern), and raised when the window reopens unless it is older than 60 s or the technician
has raised its topic meanwhile. `triggered_at` is when the nudge is raised: the end of the segment
whose arrival raised it, or the time given to `advance`.

Effect: for each nudge raised, the detector watches the technician's next minute; if a technician
segment starting in (triggered_at, triggered_at + 60 s] uses one of the nudge's `topic_terms`, the
nudge was acted on (`NudgeEffect.acted`, with the time and the words); once the minute has passed
without that, it was not. Until then `acted` is None.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal

from analysis.engines import text
from conversations.ai.call import Call, CallContext, Sentence, Turn, _sentences_of, parse_context, parse_turns
from conversations.ai.catalog import CatalogEntry, CompiledEntry, compile_catalog
from conversations.ai.coaching import SAFETY_EXAMPLES, hazards
from conversations.ai.commitments import is_price_request, resolve_request
from conversations.ai.facts import SentenceFacts, aggregate, sentence_facts
from conversations.ai.render import suggested_response
from conversations.ai.upsells import (
    CueHit,
    anaphoric_hit,
    detections_from_hits,
    sentence_hits,
)

__all__ = ["NUDGE_TITLES", "NudgeCandidate", "NudgeDetector", "NudgeEffect"]

NudgeType = Literal["safety_alert", "quote_request", "upsell_prompt", "concern_unanswered"]
NUDGE_TITLES: dict[str, str] = {
    "safety_alert": "\u26a0\ufe0f Safety Concern",
    "quote_request": "\U0001f4ac Quote Requested",
    "upsell_prompt": "\U0001f4a1 Upsell Opportunity",
    "concern_unanswered": "\u2753 Unanswered Question",
}
URGENCY: dict[str, int] = {"safety_alert": 0, "quote_request": 1, "upsell_prompt": 2, "concern_unanswered": 3}
UPSELL_MIN_CONFIDENCE = 0.5
SAFETY_TERMS = (
    "shut off", "turn off", "shutting off", "ventilate", "open the door", "open a window", "outside", "get out",
    "leave the house", "evacuate", "red tag", "meter", "detector", "test", "check the",
)  # fmt: skip
QUOTE_TERMS = (
    "quote",
    "price",
    "estimate",
    "dollars",
    "thousand",
    "hundred",
    "cost",
    "by tomorrow",
    "tonight",
)
_CONCERN_RE = re.compile(
    r"\b(?:worried|concerned|nervous|scared|afraid)\b|\bis (?:it|that|this) (?:safe|dangerous|normal|bad|serious)\b|"
    r"\bshould (?:i|we) be worried\b|\bwhat if\b|\bhow long (?:until|before|will)\b|\bwill (?:it|this|that) "
    r"(?:happen|break|last)\b",
    re.IGNORECASE,
)
_SMALL_TALK_RE = re.compile(
    r"\bwould you like\b|\bcoffee\b|\bwater\b\??$|\bhow are you\b|\bwhere (?:do|should) you\b|\bcan i get you\b|"
    r"\bowe you\b|\bpay (?:you|by card|in cash)\b",
    re.IGNORECASE,
)
_ANSWER_OPENER_RE = re.compile(
    r"\b(?:yes|yeah|yep|no|nope|sure|absolutely|definitely|probably|usually|unlikely|likely|normal|safe|fine|"
    r"not|shouldn't|won't|can't|it does|it would|it will|it's|that's|you can|we can|i can|good question|"
    r"because|about|around|every|depends|we do|i do|we have|i have|i've got|there is|there are|there's|"
    r"they are|they're|we carry|we offer)\b",
    re.IGNORECASE,
)
_CHANGE_OF_SUBJECT_RE = re.compile(
    r"^(?:anyway|let me|okay,? let me|alright,? let me|where(?:'s| is)|so,? anyway)\b", re.I
)
_STOP = frozenset(
    "the a an it is are was were be this that these those i you we they he she my your our their of to in on at for "
    "and or but so do does did can could would will should have has had what how why when where which who whom "
    "there here just really even at all any some about with from".split()
)


@dataclass(frozen=True)
class NudgeCandidate:
    """A nudge to push over the socket. `as_message(nudge_id)` is the spec's frame."""

    nudge_type: NudgeType
    cue_key: str
    title: str
    message: str
    suggested_response: str
    confidence: float
    triggered_at: float
    cue_time: float  # when the customer said it (their segment's start)
    segment_id: int
    trigger_phrase: str  # the customer's words, verbatim
    topic_terms: tuple[str, ...]
    opportunity_type: str | None = None
    sequence: int = 0
    engine: str = "local"

    def as_message(self, nudge_id: int | str) -> dict[str, Any]:
        return {
            "type": "nudge",
            "nudge_id": nudge_id,
            "nudge_type": self.nudge_type,
            "title": self.title,
            "message": self.message,
            "suggested_response": self.suggested_response,
            "confidence": self.confidence,
            "triggered_at": self.triggered_at,
        }


@dataclass
class NudgeEffect:
    """Whether the technician acted on a nudge within the following minute."""

    sequence: int
    cue_key: str
    triggered_at: float
    acted: bool | None = None
    acted_at: float | None = None
    segment_id: int | None = None
    quote: str | None = None


@dataclass
class _Pending:
    candidate: NudgeCandidate
    topic: re.Pattern[str]


@dataclass
class _Question:
    sentence: Sentence
    kind: Literal["quote", "concern"]
    answered_by: list[Turn] = field(default_factory=list)


def _terms_regex(terms: Iterable[str]) -> re.Pattern[str]:
    parts = [r"[\s-]+".join(re.escape(w) for w in t.split()) + r"\w*" for t in terms if t.strip()]
    return re.compile(r"\b(?:" + "|".join(parts) + r")", re.IGNORECASE) if parts else re.compile(r"(?!x)x")


def _content_terms(words: str) -> tuple[str, ...]:
    return tuple(
        dict.fromkeys(
            text.stem(w) for w in text.tokenize_words(words) if w.lower() not in _STOP and len(w) >= 4
        )
    )


class NudgeDetector:
    """Feed final segments in call order with `feed`; call `advance(t)` when time passes with no
    segment (so a question nobody answered still raises its nudge). Both return the nudges to push
    now: at most one. Not thread-safe: one detector per call, used by one consumer."""

    def __init__(
        self,
        catalog: Iterable[Mapping[str, Any] | CatalogEntry],
        *,
        context: Mapping[str, Any] | None = None,
        min_interval_seconds: float = 20.0,
        follow_up_seconds: float = 60.0,
        pending_ttl_seconds: float = 60.0,
        question_wait_seconds: float = 20.0,
    ) -> None:
        self.entries: tuple[CompiledEntry, ...] = compile_catalog(catalog)
        self.context: CallContext = parse_context(context)
        self.min_interval = min_interval_seconds
        self.follow_up = follow_up_seconds
        self.pending_ttl = pending_ttl_seconds
        self.question_wait = question_wait_seconds
        self._turns: list[Turn] = []
        self._sentences: list[Sentence] = []
        self._facts: list[SentenceFacts] = []
        self._hits: dict[str, list[CueHit]] = {}
        self._suppressed: set[str] = set()
        self._questions: list[_Question] = []
        self._pending: list[_Pending] = []
        self._used_keys: set[str] = set()
        self._emitted: list[tuple[NudgeCandidate, re.Pattern[str]]] = []
        self._effects: list[NudgeEffect] = []
        self._last_emitted_at: float | None = None
        self._now = 0.0

    # --- public -------------------------------------------------------------------------------

    @property
    def emitted(self) -> list[NudgeCandidate]:
        return [candidate for candidate, _ in self._emitted]

    def effects(self) -> list[NudgeEffect]:
        return [NudgeEffect(**vars(effect)) for effect in self._effects]

    def feed(self, segment: Mapping[str, Any]) -> list[NudgeCandidate]:
        (turn,) = parse_turns([segment])
        if self._turns and turn.start < self._turns[-1].start:
            raise ValueError(
                f"segment {turn.segment_id} starts at {turn.start:g} s, before the previous segment: "
                "feed final segments in call order"
            )
        self._turns.append(turn)
        new = _sentences_of(turn, len(self._sentences))
        self._sentences.extend(new)
        year = self.context.call_date.year if self.context.call_date else None
        self._facts.extend(sentence_facts(s, year=year) for s in new)
        self._now = max(self._now, turn.end)
        self._track_effects(turn)
        found: list[_Pending] = []
        if turn.speaker == "customer":
            for sentence in new:
                found += self._customer_cues(sentence)
        else:
            found += self._replies(turn)
        self._pending.extend(found)
        return self._release()

    def advance(self, call_time: float) -> list[NudgeCandidate]:
        """Time has passed on the call with no new segment: raise what is due."""
        self._now = max(self._now, call_time)
        self._expire_effects()
        for question in list(self._questions):
            if not question.answered_by and self._now - question.sentence.turn.end >= self.question_wait:
                self._questions.remove(question)
                self._pending.extend(self._unanswered(question, None))
        return self._release()

    # --- cues ---------------------------------------------------------------------------------

    def _call(self) -> Call:
        return Call(tuple(self._turns), tuple(self._sentences), self.context)

    def _customer_cues(self, sentence: Sentence) -> list[_Pending]:
        found: list[_Pending] = []
        hazard = hazards(sentence)
        if hazard:
            found.append(self._safety(sentence, hazard[0]))
        if is_price_request(sentence):
            self._questions.append(_Question(sentence, "quote"))
        elif not hazard and self._is_concern(sentence):
            self._questions.append(_Question(sentence, "concern"))
        found += self._upsells(sentence)
        return found

    def _is_concern(self, sentence: Sentence) -> bool:
        if _SMALL_TALK_RE.search(sentence.text) or text.word_count(sentence.text) < 4:
            return False
        return bool(_CONCERN_RE.search(sentence.text) or text.questions(sentence.text))

    def _safety(self, sentence: Sentence, hazard: str) -> _Pending:
        return self._pending_for(
            nudge_type="safety_alert",
            cue_key="safety_alert",
            message=f'Customer reported "{sentence.text}" - make it safe before anything else',
            suggested=SAFETY_EXAMPLES[hazard],
            confidence=0.95,
            sentence=sentence,
            terms=SAFETY_TERMS,
        )

    def _upsells(self, sentence: Sentence) -> list[_Pending]:
        for entry in self.entries:
            if entry.call_guard is not None and entry.call_guard.search(sentence.text):
                self._suppressed.add(entry.key)
        active = [e for e in self.entries if e.key not in self._suppressed]
        facts = aggregate(tuple(self._facts), job_title=self.context.job_title)
        call = self._call()
        hits = sentence_hits(sentence, active, facts, call_age=facts.age_years)
        reference = anaphoric_hit(call, sentence, active, has_direct=bool(hits))
        if reference is not None:
            hits.append(reference)
        found = []
        for hit in hits:
            key = f"upsell:{hit.entry.key}"
            self._hits.setdefault(hit.entry.key, []).append(hit)
            if key in self._used_keys or any(p.candidate.cue_key == key for p in self._pending):
                continue
            if self._technician_raised(hit.entry, since=self._first_hit_time(hit.entry.key) - 30.0):
                continue
            (detection,) = detections_from_hits(call, [hit.entry], facts, self._hits[hit.entry.key])
            if detection.confidence < UPSELL_MIN_CONFIDENCE:
                continue
            spec = hit.entry.entry
            found.append(
                self._pending_for(
                    nudge_type="upsell_prompt",
                    cue_key=key,
                    message=f"Customer mentioned {detection.trigger.label} - suggest {spec.offer}",
                    suggested=suggested_response(detection),
                    confidence=detection.confidence,
                    sentence=detection.trigger.sentence,
                    terms=tuple(spec.topic_terms),
                    opportunity_type=spec.opportunity_type,
                )
            )
        return found

    def _first_hit_time(self, key: str) -> float:
        return min(h.sentence.turn.start for h in self._hits[key])

    def _technician_raised(self, entry: CompiledEntry, *, since: float) -> bool:
        return any(
            s.speaker == "technician" and s.turn.start >= since and entry.topic.search(s.text)
            for s in self._sentences
        )

    def _replies(self, turn: Turn) -> list[_Pending]:
        found: list[_Pending] = []
        call = self._call()
        for question in list(self._questions):
            if question.sentence.turn.end > turn.start + 0.5:
                continue
            question.answered_by.append(turn)
            self._questions.remove(question)
            if question.kind == "quote":
                outcome = resolve_request(call, question.sentence)
                if not outcome.handled:
                    found += self._unanswered(question, turn)
            elif not self._answers(question.sentence, turn):
                found += self._unanswered(question, turn)
        return found

    def _answers(self, question: Sentence, turn: Turn) -> bool:
        reply = turn.text.strip()
        if _CHANGE_OF_SUBJECT_RE.search(reply) or text.word_count(reply) < 3:
            return False
        if text.similarity(question.text, reply) > 0:
            return True
        opening = " ".join(text.tokenize_words(reply)[:15])
        return bool(_ANSWER_OPENER_RE.search(opening))

    def _unanswered(self, question: _Question, reply: Turn | None) -> list[_Pending]:
        asked = question.sentence
        if question.kind == "quote":
            topic = next(
                (h.entry.entry.offer for hits in self._hits.values() for h in hits if h.sentence is asked),
                "this",
            )
            return [
                self._pending_for(
                    nudge_type="quote_request",
                    cue_key="quote_request",
                    message=f'Customer asked about price: "{asked.text}" - give a range or commit to a quote date',
                    suggested=f"I'll put together a written quote for {topic} and get it to you by tomorrow afternoon. "
                    "Is email or a phone call better for you?",
                    confidence=0.8,
                    sentence=asked,
                    terms=QUOTE_TERMS,
                )
            ]
        terms = _content_terms(asked.text)
        subject = " ".join(text.keywords(asked.text, top=1)) or "that"
        return [
            self._pending_for(
                nudge_type="concern_unanswered",
                cue_key="concern_unanswered",
                message=f'Customer asked "{asked.text}" - it has not been answered yet',
                suggested=f"Before we go on, you asked about {subject}. Let me answer that properly.",
                confidence=0.6,
                sentence=asked,
                terms=terms,
            )
        ]

    def _pending_for(
        self,
        *,
        nudge_type: NudgeType,
        cue_key: str,
        message: str,
        suggested: str,
        confidence: float,
        sentence: Sentence,
        terms: Sequence[str],
        opportunity_type: str | None = None,
    ) -> _Pending:
        candidate = NudgeCandidate(
            nudge_type=nudge_type,
            cue_key=cue_key,
            title=NUDGE_TITLES[nudge_type],
            message=message,
            suggested_response=suggested,
            confidence=round(confidence, 3),
            triggered_at=self._now,
            cue_time=sentence.turn.start,
            segment_id=sentence.turn.segment_id,
            trigger_phrase=sentence.text,
            topic_terms=tuple(terms),
            opportunity_type=opportunity_type,
        )
        return _Pending(candidate, _terms_regex(terms))

    # --- throttle and effects -----------------------------------------------------------------

    def _release(self) -> list[NudgeCandidate]:
        if self._last_emitted_at is not None and self._now - self._last_emitted_at < self.min_interval:
            return []
        live = []
        for pending in self._pending:
            candidate = pending.candidate
            if candidate.cue_key in self._used_keys or self._now - candidate.cue_time > self.pending_ttl:
                continue
            if candidate.nudge_type != "safety_alert" and any(
                s.speaker == "technician"
                and s.turn.start > candidate.triggered_at
                and pending.topic.search(s.text)
                for s in self._sentences
            ):
                continue  # the technician got there on their own while it waited
            live.append(pending)
        self._pending = live
        if not live:
            return []
        chosen = min(live, key=lambda p: (URGENCY[p.candidate.nudge_type], p.candidate.cue_time))
        self._pending.remove(chosen)
        candidate = NudgeCandidate(
            **{
                **vars(chosen.candidate),
                "triggered_at": round(self._now, 2),
                "sequence": len(self._emitted) + 1,
            }
        )
        self._used_keys.add(candidate.cue_key)
        self._last_emitted_at = self._now
        self._emitted.append((candidate, chosen.topic))
        self._effects.append(NudgeEffect(candidate.sequence, candidate.cue_key, candidate.triggered_at))
        return [candidate]

    def _track_effects(self, turn: Turn) -> None:
        self._expire_effects(before=turn.start)
        if turn.speaker != "technician":
            return
        for (candidate, topic), effect in zip(self._emitted, self._effects, strict=True):
            if effect.acted is not None or not (
                candidate.triggered_at < turn.start <= candidate.triggered_at + self.follow_up
            ):
                continue
            match = next((s for s in self._sentences if s.turn is turn and topic.search(s.text)), None)
            if match is not None:
                effect.acted, effect.acted_at = True, turn.start
                effect.segment_id, effect.quote = turn.segment_id, match.text

    def _expire_effects(self, before: float | None = None) -> None:
        now = self._now if before is None else before
        for effect in self._effects:
            if effect.acted is None and now > effect.triggered_at + self.follow_up:
                effect.acted = False
