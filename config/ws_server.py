"""daphne as this project runs it: `python -m config.ws_server [daphne options] config.asgi:application`.

Two differences from the stock command. A socket message over the size limit is refused with
close code 1009 and a reason (Autobahn's default drops the TCP connection, which browsers report
as 1006 with no reason). And the limit is WS_MAX_MESSAGE_MB (default 8), room for a spoken answer
sent as one binary frame; each consumer also refuses what is too big for its own purpose.
A `websocket.close` with a `reason` (ASGI 2.3) sends that reason; stock daphne drops it.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from daphne import server as daphne_server
from daphne.cli import CommandLineInterface
from daphne.ws_protocol import WebSocketFactory, WebSocketProtocol


class ReasonedCloseProtocol(WebSocketProtocol):
    def handle_reply(self, message: dict[str, Any]) -> None:
        reason = message.get("reason")
        if message.get("type") == "websocket.close" and reason and self.state != self.STATE_CONNECTING:
            # Autobahn caps a close reason at 123 bytes of UTF-8.
            self.sendClose(
                code=message.get("code") or 1000, reason=str(reason).encode()[:123].decode(errors="ignore")
            )
            return
        super().handle_reply(message)


class CleanCloseWebSocketFactory(WebSocketFactory):
    protocol = ReasonedCloseProtocol

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Close with a code and a reason instead of cutting the connection (see module docstring).
        self.failByDrop = False


def max_message_bytes() -> int:
    raw = os.environ.get("WS_MAX_MESSAGE_MB", "8")
    try:
        megabytes = float(raw)
    except ValueError:
        raise SystemExit(f"WS_MAX_MESSAGE_MB={raw!r} is not valid: use a number of megabytes") from None
    if megabytes <= 0:
        raise SystemExit(f"WS_MAX_MESSAGE_MB must be positive, got {raw!r}")
    return int(megabytes * 1024 * 1024)


def main(argv: list[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    limit = str(max_message_bytes())
    for option in ("--websocket-max-message-size", "--websocket-max-frame-size"):
        if not any(arg.startswith(option) for arg in args):
            args = [option, limit, *args]
    daphne_server.WebSocketFactory = CleanCloseWebSocketFactory  # type: ignore[misc]
    CommandLineInterface().run(args)


if __name__ == "__main__":
    main()
