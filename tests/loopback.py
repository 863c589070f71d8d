"""A real HTTP server on 127.0.0.1 that plays scripted responses: the stand-in for public APIs and Slack."""

import threading
from collections import deque
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Reply:
    """One scripted response."""

    status: int = 200
    body: bytes | str = b""
    content_type: str = "application/json"
    headers: dict[str, str] = field(default_factory=dict)
    encoding: str = "utf-8"

    def payload(self) -> bytes:
        if isinstance(self.body, bytes):
            return self.body
        return self.body.encode(self.encoding)


@dataclass
class Request:
    """What the server received."""

    method: str
    path: str
    query: dict[str, list[str]]
    body: bytes
    headers: dict[str, str]


Responder = Callable[[Request], Reply]
"""A reply computed from the request (e.g. a Slack ``ts`` that changes with every message)."""


class LoopbackServer:
    """Routes by path prefix to a queue of replies (or responders); the last of a queue repeats."""

    def __init__(self) -> None:
        self.routes: dict[str, deque[Reply | Responder]] = {}
        self.requests: list[Request] = []
        self._lock = threading.Lock()
        server = self

        class Handler(BaseHTTPRequestHandler):
            def _serve(self) -> None:
                parts = urlsplit(self.path)
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length) if length else b""
                request = Request(self.command, parts.path, parse_qs(parts.query), body,
                                  {k.lower(): v for k, v in self.headers.items()})
                with server._lock:
                    server.requests.append(request)
                    planned = server._next(parts.path)
                    reply = planned(request) if callable(planned) else planned
                payload = reply.payload()
                self.send_response(reply.status)
                self.send_header("Content-Type", reply.content_type)
                self.send_header("Content-Length", str(len(payload)))
                for k, v in reply.headers.items():
                    self.send_header(k, v)
                self.end_headers()
                self.wfile.write(payload)

            do_GET = _serve  # noqa: N815 - BaseHTTPRequestHandler dispatches on this name
            do_POST = _serve  # noqa: N815

            def log_message(self, *args: object) -> None:
                return

        self._httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._thread = threading.Thread(target=self._httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        host, port = self._httpd.server_address[:2]
        return f"http://{host}:{port}"

    def route(self, prefix: str, *replies: Reply | Responder) -> None:
        """Serve ``replies`` in order to requests whose path starts with ``prefix``."""
        self.routes[prefix] = deque(replies)

    def _next(self, path: str) -> Reply | Responder:
        matches = [p for p in self.routes if path.startswith(p)]
        if not matches:
            return Reply(404, "not found", "text/plain")
        queue = self.routes[max(matches, key=len)]
        return queue.popleft() if len(queue) > 1 else queue[0]

    def hits(self, prefix: str = "") -> list[Request]:
        """Requests received whose path starts with ``prefix``."""
        return [r for r in self.requests if r.path.startswith(prefix)]

    def start(self) -> None:
        self._thread.start()

    def stop(self) -> None:
        self._httpd.shutdown()
        self._httpd.server_close()


@contextmanager
def loopback() -> Iterator[LoopbackServer]:
    """A started :class:`LoopbackServer`, stopped on exit."""
    server = LoopbackServer()
    server.start()
    try:
        yield server
    finally:
        server.stop()
