"""daphne as this project runs it: `python -m config.ws_server [daphne options] config.asgi:application`.

Two differences from the stock command. A socket message over the size limit is refused with
close code 1009 and a reason (Autobahn's default drops the TCP connection, which browsers report
as 1006 with no reason). And the limit is WS_MAX_MESSAGE_MB (default 8), room for a spoken answer
sent as one binary frame; each consumer also refuses what is too big for its own purpose.
"""

from __future__ import annotations

import os
import sys
from typing import Any

from daphne import server as daphne_server
from daphne.cli import CommandLineInterface
from daphne.ws_protocol import WebSocketFactory


class CleanCloseWebSocketFactory(WebSocketFactory):
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
