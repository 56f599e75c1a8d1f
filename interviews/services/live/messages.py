"""What a client may send on `ws/interview/{session_id}` as text, validated (live-interview.md):

{"type": "start"}
{"type": "answer", "data": {"text": "..."}}
{"type": "ready"}
{"type": "voice_toggle", "data": {"enabled": true}}
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Literal

Kind = Literal["start", "answer", "ready", "voice_toggle"]
KINDS: tuple[Kind, ...] = ("start", "answer", "ready", "voice_toggle")


class MessageError(ValueError):
    """The message to send back in an `error` frame."""


@dataclass(frozen=True)
class Message:
    type: Kind
    text: str = ""
    enabled: bool = False


def parse(raw: str) -> Message:
    try:
        frame = json.loads(raw)
    except ValueError as error:
        raise MessageError(f"Invalid JSON: {error}.") from error
    if not isinstance(frame, dict) or not isinstance(frame.get("type"), str):
        raise MessageError('Send a JSON object with a "type": start, answer, ready or voice_toggle.')
    kind = frame["type"]
    if kind not in KINDS:
        raise MessageError(f"Unknown message type {kind!r}: use start, answer, ready or voice_toggle.")
    data = frame.get("data")
    if kind == "answer":
        if not isinstance(data, dict) or not isinstance(data.get("text"), str):
            raise MessageError('An answer is {"type": "answer", "data": {"text": "..."}}.')
        if "\x00" in data["text"]:
            raise MessageError("The answer contains a NUL character.")
        return Message("answer", text=data["text"])
    if kind == "voice_toggle":
        if not isinstance(data, dict) or not isinstance(data.get("enabled"), bool):
            raise MessageError(
                'Voice mode is toggled with {"type": "voice_toggle", "data": {"enabled": true}}.'
            )
        return Message("voice_toggle", enabled=data["enabled"])
    return Message(kind)
