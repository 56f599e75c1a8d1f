"""A webhook receiver on loopback, as a team's integration would run one: it checks each
delivery's signature with the endpoint's secret, records what it got, and answers what the test
scripted (a status, or a reply slower than the sender's timeout).

    with WebhookReceiver(secret=endpoint.secret) as receiver:
        receiver.script(Reply(500), Reply(200))
        endpoint.url = receiver.url
"""

from __future__ import annotations

import json
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from coaching import signing


@dataclass(frozen=True)
class Reply:
    status: int = 200
    delay_seconds: float = 0.0
    body: str = '{"ok": true}'


@dataclass(frozen=True)
class Received:
    path: str
    headers: dict[str, str]
    body: bytes
    verified: bool

    @property
    def json(self) -> dict[str, Any]:
        return json.loads(self.body)

    @property
    def delivery_id(self) -> str:
        return self.headers[signing.ID_HEADER]


class WebhookReceiver:
    """Scripted replies are served in order; once they run out the last one repeats."""

    def __init__(self, *, secret: str = "") -> None:
        self.secret = secret
        self.received: list[Received] = []
        self._replies: list[Reply] = [Reply()]
        self._lock = threading.Lock()
        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), self._handler_class())
        self._httpd.daemon_threads = True
        self._thread = threading.Thread(
            target=self._httpd.serve_forever,
            kwargs={"poll_interval": 0.02},
            name="webhook-receiver",
            daemon=True,
        )

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._httpd.server_address[1]}/hooks/coachhub"

    def script(self, *replies: Reply) -> None:
        with self._lock:
            self._replies = list(replies)

    def __enter__(self) -> WebhookReceiver:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()

    def wait_for(self, count: int, *, timeout: float = 60.0) -> list[Received]:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            with self._lock:
                if len(self.received) >= count:
                    return list(self.received)
            time.sleep(0.02)
        raise AssertionError(f"expected {count} deliveries, got {len(self.received)}")

    def _next_reply(self) -> Reply:
        with self._lock:
            return self._replies.pop(0) if len(self._replies) > 1 else self._replies[0]

    def _handler_class(self) -> type[BaseHTTPRequestHandler]:
        receiver = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:  # noqa: N802 - http.server's naming
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                headers = {name: value for name, value in self.headers.items()}
                verified = signing.signature_verify(
                    secret=receiver.secret,
                    timestamp=headers.get(signing.TIMESTAMP_HEADER, ""),
                    body=body,
                    signature_header=headers.get(signing.SIGNATURE_HEADER, ""),
                )
                reply = receiver._next_reply()
                with receiver._lock:
                    receiver.received.append(Received(self.path, headers, body, verified))
                if reply.delay_seconds:
                    time.sleep(reply.delay_seconds)
                payload = reply.body.encode()
                try:
                    self.send_response(reply.status)
                    self.send_header("Content-Type", "application/json")
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the sender gave up waiting (a timeout test)

            def log_message(self, *args: Any) -> None:
                pass

        return Handler
