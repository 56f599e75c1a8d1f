"""daphne as this project runs it: `python -m config.ws_server [daphne options] config.asgi:application`.

Two differences from the stock command. A socket message over the size limit is refused with
close code 1009 and a reason (Autobahn's default drops the TCP connection, which browsers report
as 1006 with no reason). And the limit is WS_MAX_MESSAGE_MB (default 8), room for a spoken answer
sent as one binary frame; each consumer also refuses what is too big for its own purpose.
A `websocket.close` with a `reason` (ASGI 2.3) sends that reason; stock daphne drops it.

And request bodies are bounded per route before they are buffered: daphne reads a whole body,
then hands it to the application at once, so a view's "too large" check comes after the memory is
spent. Here a body whose Content-Length (or whose chunks, counted as they come) passes the route's
limit is answered 413 in the route's error dialect and dropped: 16 KB on socket paths, MAX_UPLOAD_MB
plus 1 MB on upload routes, Django's DATA_UPLOAD_MAX_MEMORY_SIZE plus 64 KB elsewhere, the same
limits deploy/nginx.conf sets in front of production.
"""

from __future__ import annotations

import json
import os
import re
import sys
from functools import cache
from types import SimpleNamespace
from typing import Any

from daphne import server as daphne_server
from daphne.cli import CommandLineInterface
from daphne.http_protocol import HTTPFactory, WebRequest
from daphne.ws_protocol import WebSocketFactory, WebSocketProtocol

SOCKET_PATHS = re.compile(r"^/ws/|^/conversations/[^/]+/(transcribe|nudges)/?$")
UPLOAD_PATHS = re.compile(
    r"^/(interview/sessions/[^/]+/media|conversations/[^/]+/upload-audio|upload/resume|api/review/[^/]+/answer)/?$"
)
SOCKET_BODY_BYTES = 16 * 1024
# Refused bodies are read and thrown away this long, so the client reads the 413 instead of a reset.
LINGER_SECONDS = 2.0


@cache
def _limits() -> tuple[int, int]:
    from django.conf import settings

    return settings.MAX_UPLOAD_MB * 2**20 + 2**20, settings.DATA_UPLOAD_MAX_MEMORY_SIZE + 64 * 1024


def body_limit(path: str) -> int:
    """The largest request body `path` may receive, in bytes."""
    upload, other = _limits()
    if SOCKET_PATHS.match(path):
        return SOCKET_BODY_BYTES
    return upload if UPLOAD_PATHS.match(path) else other


def too_large_response(path: str, limit: int) -> bytes:
    from config import errors

    dialect = errors.dialect_for_path(path)
    message = f"Request body is too large: this route accepts at most {limit // 1024:,} KB."
    problem = errors.Problem(413, dialect.code_for(413), message)
    body = json.dumps(dialect.build(problem, SimpleNamespace(path=path))).encode()  # type: ignore[arg-type]
    head = (
        "HTTP/1.1 413 Payload Too Large\r\nContent-Type: application/json\r\n"
        f"Content-Length: {len(body)}\r\nConnection: close\r\n\r\n"
    )
    return head.encode() + body


class BoundedWebRequest(WebRequest):
    refused = False
    received = 0
    limit = 0
    path_for_limit = "/"

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        # Twisted would parse a multipart or form body itself (a copy daphne never reads, held in
        # memory) and answer one it cannot parse with an empty 400 before Django sees it; Django
        # parses bodies and answers in the route's dialect.
        self._parsePOSTFormSubmission = False

    def gotLength(self, length: int | None) -> None:
        raw_path = getattr(self.channel, "_path", b"/") or b"/"
        path = raw_path.split(b"?", 1)[0].decode("latin-1", "replace")
        self.limit = body_limit(path)
        if length is not None and length > self.limit:
            # No "100 Continue" for a body that will be refused.
            self.requestHeaders.removeHeader(b"Expect")
            self._refuse(path)
            return
        self.path_for_limit = path
        super().gotLength(length)

    def handleContentChunk(self, data: bytes) -> None:
        if self.refused:
            return
        self.received += len(data)
        if self.received > self.limit:
            self.content.close()
            self._refuse(self.path_for_limit)
            return
        super().handleContentChunk(data)

    def requestReceived(self, command: bytes, path: bytes, version: bytes) -> None:
        if self.refused:
            self.channel.transport.loseConnection()
            return
        super().requestReceived(command, path, version)

    def _refuse(self, path: str) -> None:
        from twisted.internet import reactor

        self.refused = True
        transport = self.channel.transport
        transport.write(too_large_response(path, self.limit))
        reactor.callLater(LINGER_SECONDS, transport.loseConnection)  # type: ignore[attr-defined,arg-type]


class BoundedHTTPFactory(HTTPFactory):
    def buildProtocol(self, addr: Any) -> Any:
        protocol = super().buildProtocol(addr)
        protocol.requestFactory = BoundedWebRequest
        return protocol


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
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    args = list(sys.argv[1:] if argv is None else argv)
    limit = str(max_message_bytes())
    for option in ("--websocket-max-message-size", "--websocket-max-frame-size"):
        if not any(arg.startswith(option) for arg in args):
            args = [option, limit, *args]
    daphne_server.WebSocketFactory = CleanCloseWebSocketFactory  # type: ignore[misc]
    daphne_server.HTTPFactory = BoundedHTTPFactory  # type: ignore[misc]
    CommandLineInterface().run(args)


if __name__ == "__main__":
    main()
