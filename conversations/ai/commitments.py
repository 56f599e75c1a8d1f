"""What the technician promised (action items) and what happened to each price request.

An action item is a technician sentence that commits to a follow-up ("I'll email you a written
quote by tomorrow afternoon", "I'll have the office call you tomorrow", "someone will reach out"),
with its due time when one was said. In-call work ("let me check the pressure", "I'll put a fresh
filter in") is not a follow-up and is left out.

A price request is a customer sentence asking what something costs or for a quote. It is `priced`
when a technician answer within the next three technician turns (and three minutes) states an
amount, `committed` when it promises a quote with a time, `deferred` when it promises one with no
time ("I'll have to get back to you"), otherwise `unanswered`.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal

from conversations.ai import lexicon
from conversations.ai.call import Call, Sentence, Turn

__all__ = ["Commitment", "PriceRequest", "commitments", "price_requests", "to_do"]

ANSWER_TURNS = 3
ANSWER_SECONDS = 180.0
_DEFERRAL_RE = re.compile(
    r"\b(?:get back to you|let you know|reach out|someone will|mention it to|check with (?:the office|my boss)|"
    r"have (?:the office|someone) (?:email|send|call)|send (?:you )?(?:something|a quote|the details)|email you a quote)\b",
    re.IGNORECASE,
)
_OFFICE_RE = re.compile(r"^(?:someone|somebody|the office|our \w+(?: \w+)?) will$", re.IGNORECASE)
_PRONOUNS = (
    (re.compile(r"\byou guys\b", re.I), "the customer"),
    (re.compile(r"\byourself\b", re.I), "the customer"),
    (re.compile(r"\byour\b", re.I), "the customer's"),
    (re.compile(r"\byou\b", re.I), "the customer"),
    (re.compile(r"\bmy\b", re.I), "the technician's"),
)


@dataclass(frozen=True)
class Commitment:
    sentence: Sentence
    owner: Literal["technician", "office"]
    action: str  # verbatim, from the promised verb to the end of the sentence
    due: str | None

    @property
    def text(self) -> str:
        return to_do(self.action)


def to_do(action: str) -> str:
    """A promise as a to-do for the record: "email you two options tonight" -> "Email the customer
    two options tonight"."""
    line = action.strip().rstrip(".!,;")
    for pattern, replacement in _PRONOUNS:
        line = pattern.sub(replacement, line)
    return line[:1].upper() + line[1:]


def _commitment(sentence: Sentence) -> Commitment | None:
    if sentence.speaker != "technician" or sentence.text.rstrip().endswith("?"):
        return None
    match = lexicon.COMMITMENT_RE.search(sentence.text)
    offer = False
    if match is None:
        match = lexicon.OFFER_RE.search(sentence.text)
        offer = match is not None
    if match is None:
        return None
    action = sentence.text[match.start("verb") :]
    due_match = lexicon.DUE_RE.search(sentence.text, match.start())
    due = due_match.group().strip() if due_match else None
    if offer and (due is None or due.lower() in ("today", "now")):
        return None  # "I can install them today" is work offered now, not a follow-up
    if due is None and lexicon.NEEDS_DUE_RE.match(match.group("verb")):
        return None
    who = match.group("who")
    doer = match.group("verb")
    owner: Literal["technician", "office"] = (
        "office"
        if _OFFICE_RE.match(who) or re.match(r"have (?:the office|someone|our)", doer, re.I)
        else "technician"
    )
    return Commitment(sentence=sentence, owner=owner, action=action, due=due)


def commitments(call: Call) -> list[Commitment]:
    found = []
    for sentence in call.sentences:
        commitment = _commitment(sentence)
        if commitment is not None:
            found.append(commitment)
    return found


@dataclass(frozen=True)
class PriceRequest:
    sentence: Sentence
    status: Literal["priced", "committed", "deferred", "unanswered"]
    answer: Sentence | None  # the technician sentence that priced, promised or deferred it
    first_reply: Turn | None  # the technician's first turn after the request

    @property
    def handled(self) -> bool:
        return self.status in ("priced", "committed")


def is_price_request(sentence: Sentence) -> bool:
    return sentence.speaker == "customer" and bool(lexicon.QUOTE_REQUEST_RE.search(sentence.text))


def resolve_request(call: Call, sentence: Sentence, *, upto: int | None = None) -> PriceRequest:
    """What the technician did with a price request, reading only the first `upto` sentences."""
    replies = call.turns_after(sentence.turn, speaker="technician", limit=ANSWER_TURNS)
    replies = [t for t in replies if t.start - sentence.turn.end <= ANSWER_SECONDS]
    visible = call.sentences[:upto] if upto is not None else call.sentences
    deferral: Sentence | None = None
    for reply in replies:
        for candidate in (s for s in visible if s.turn is reply):
            if lexicon.PRICE_STATED_RE.search(candidate.text):
                return PriceRequest(sentence, "priced", candidate, replies[0])
            commitment = _commitment(candidate)
            if commitment is not None and commitment.due is not None:
                return PriceRequest(sentence, "committed", candidate, replies[0])
            if deferral is None and (commitment is not None or _DEFERRAL_RE.search(candidate.text)):
                deferral = candidate
    if deferral is not None:
        return PriceRequest(sentence, "deferred", deferral, replies[0] if replies else None)
    return PriceRequest(sentence, "unanswered", None, replies[0] if replies else None)


def price_requests(call: Call) -> list[PriceRequest]:
    return [resolve_request(call, s) for s in call.sentences if is_price_request(s)]
