"""A scripted WebSocket client for trying the products from a shell (the README uses it).

`python -m websockets URL` is the interactive client; this one runs a script of steps in order,
so a walkthrough can be pasted, and tested, as it is:

    .venv/bin/python scripts/ws_client.py ws://127.0.0.1:8000/ws/analysis/$S/ \\
        --send '{"review_session_id": "'$S'"}' --expect result

Every frame received is printed as one line of JSON after `< ` (binary frames as their size).
Steps:
  --send JSON         send a text frame
  --send-file PATH    send a file's bytes as one binary frame (a recorded answer)
  --stream-wav PATH   send a 16-bit WAV as Float32 PCM frames of 100 ms, in real time (a microphone)
  --expect TYPE       wait for a frame whose "type" is TYPE (or whose "status" is TYPE)
  --listen            print frames until the server closes the socket
And rules, which hold through every step:
  --on TYPE JSON      whenever a frame of that type arrives, send JSON (e.g. answer each question)
The exit status is 0 when every step ran, 1 when a frame did not come within --timeout seconds or
the socket closed first (its close code and reason are printed).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
import wave
from pathlib import Path
from typing import Any

import numpy as np
from websockets.exceptions import ConnectionClosed
from websockets.sync.client import ClientConnection, connect

FRAME_SECONDS = 0.1


class Step(argparse.Action):
    """Keeps the steps in the order they were given on the command line."""

    def __call__(self, parser: Any, namespace: Any, value: Any, option: str | None = None) -> None:
        steps = getattr(namespace, "steps", None) or []
        steps.append((self.dest, value))
        namespace.steps = steps


class Session:
    """The socket, and the --on rules that answer frames as they arrive."""

    def __init__(self, socket: ClientConnection, rules: dict[str, str]) -> None:
        self.socket = socket
        self.rules = rules

    def receive(self, timeout: float | None = None) -> dict[str, Any] | None:
        frame = self.socket.recv(timeout=timeout)
        if isinstance(frame, bytes):
            print(f"< <{len(frame)} bytes>", flush=True)
            return None
        print(f"< {frame}", flush=True)
        try:
            message = json.loads(frame)
        except ValueError:
            return None
        if not isinstance(message, dict):
            return None
        reply = self.rules.get(str(message.get("type")))
        if reply is not None:
            print(f"> {reply}", flush=True)
            self.socket.send(reply)
        return message


def expect(session: Session, wanted: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while True:
        remaining = deadline - time.monotonic()
        if remaining <= 0:
            raise TimeoutError(f"no {wanted!r} frame within {timeout:g} s")
        message = session.receive(timeout=remaining)
        if message and wanted in (message.get("type"), message.get("status")):
            return


def stream_wav(session: Session, path: Path) -> None:
    with wave.open(str(path), "rb") as recording:
        if recording.getsampwidth() != 2:
            raise SystemExit(f"{path}: --stream-wav reads 16-bit PCM WAV files")
        channels, rate = recording.getnchannels(), recording.getframerate()
        samples = np.frombuffer(recording.readframes(recording.getnframes()), dtype="<i2")
    mono = samples.reshape(-1, channels).mean(axis=1) / 32768.0
    step = int(rate * FRAME_SECONDS)
    started = time.monotonic()
    for index, start in enumerate(range(0, len(mono), step)):
        session.socket.send(mono[start : start + step].astype("<f4").tobytes())
        # Pace like a microphone, and print what the server says meanwhile.
        while (wait := started + (index + 1) * FRAME_SECONDS - time.monotonic()) > 0:
            try:
                session.receive(timeout=wait)
            except TimeoutError:
                break


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("url")
    parser.add_argument("--timeout", type=float, default=60.0, help="seconds to wait for each --expect")
    parser.add_argument("--send", action=Step, metavar="JSON")
    parser.add_argument("--send-file", action=Step, metavar="PATH", type=Path)
    parser.add_argument("--stream-wav", action=Step, metavar="PATH", type=Path)
    parser.add_argument("--expect", action=Step, metavar="TYPE")
    parser.add_argument("--listen", action=Step, nargs=0)
    parser.add_argument("--on", nargs=2, action="append", default=[], metavar=("TYPE", "JSON"))
    args = parser.parse_args(argv)
    try:
        with connect(args.url, open_timeout=10, max_size=None) as socket:
            session = Session(socket, dict(args.on))
            for kind, value in getattr(args, "steps", None) or []:
                if kind == "send":
                    print(f"> {value}", flush=True)
                    socket.send(value)
                elif kind == "send_file":
                    socket.send(value.read_bytes())
                elif kind == "stream_wav":
                    stream_wav(session, value)
                elif kind == "expect":
                    expect(session, value, args.timeout)
                else:
                    while True:
                        session.receive()
    except ConnectionClosed as closed:
        code = closed.rcvd.code if closed.rcvd else None
        reason = closed.rcvd.reason if closed.rcvd else ""
        print(f"closed by the server: {code} {reason}".rstrip(), flush=True)
        listening = (getattr(args, "steps", None) or [("", None)])[-1][0] == "listen"
        return 0 if listening else 1
    except TimeoutError as error:
        print(f"timed out: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
