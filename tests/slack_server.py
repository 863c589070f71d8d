"""A loopback Slack Web API speaking ``chat.postMessage``: records payloads, answers as scripted.

Point slack-sdk at it with ``WebClient(base_url=slack.base_url)`` (or ``Settings(slack_base_url=...)``).
By default every post is accepted with a new ``ts``; ``script`` queues answers used first, in order:
``SlackWebApi.ok()``, ``.error("channel_not_found")``, ``.rate_limited(retry_after=1)``, ``.server_error(500)``.
"""

import json
import threading
from collections import deque
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from tests.loopback import LoopbackServer, Reply, Request, loopback

POST_MESSAGE = "/api/chat.postMessage"


@dataclass(frozen=True)
class SlackPost:
    """One ``chat.postMessage`` call the server received, with what it answered."""

    payload: dict[str, Any]
    authorization: str | None
    status: int
    ok: bool
    ts: str | None


class SlackWebApi:
    """Serves ``chat.postMessage`` on a :class:`LoopbackServer`; ``posts``: every call, ``accepted``: the ok ones."""

    def __init__(self, server: LoopbackServer) -> None:
        self.server = server
        self.posts: list[SlackPost] = []
        self._script: deque[Reply] = deque()
        self._lock = threading.Lock()
        self._counter = 0
        server.route(POST_MESSAGE, self._respond)

    @property
    def base_url(self) -> str:
        """The ``base_url`` for slack-sdk (ends with ``/api/``)."""
        return f"{self.server.url}/api/"

    @property
    def accepted(self) -> list[SlackPost]:
        """Posts answered ``ok: true`` (the messages that reached the channel)."""
        return [p for p in self.posts if p.ok]

    def script(self, *replies: Reply) -> None:
        """Answer the next posts with ``replies``, in order; afterwards accept again."""
        with self._lock:
            self._script.extend(replies)

    def reset(self) -> None:
        """Forget the posts and the script."""
        with self._lock:
            self.posts.clear()
            self._script.clear()

    @staticmethod
    def ok() -> Reply:
        """Accept (a fresh ``ts`` is filled in)."""
        return Reply(200, json.dumps({"ok": True}))

    @staticmethod
    def error(code: str) -> Reply:
        """HTTP 200 with ``{"ok": false, "error": code}``, as Slack answers API errors."""
        return Reply(200, json.dumps({"ok": False, "error": code}))

    @staticmethod
    def rate_limited(retry_after: int = 1) -> Reply:
        """HTTP 429 with ``Retry-After``."""
        return Reply(429, json.dumps({"ok": False, "error": "ratelimited"}), headers={"Retry-After": str(retry_after)})

    @staticmethod
    def server_error(status: int = 500) -> Reply:
        """An HTTP 5xx with a non-JSON body."""
        return Reply(status, "<html>upstream error</html>", content_type="text/html")

    def _respond(self, request: Request) -> Reply:
        payload = json.loads(request.body or b"{}")
        with self._lock:
            reply = self._script.popleft() if self._script else self.ok()
            ts = None
            body = reply.body
            if reply.status == 200 and json.loads(reply.payload()).get("ok"):
                self._counter += 1
                ts = f"1764400000.{self._counter:06d}"
                body = json.dumps({"ok": True, "channel": payload.get("channel"), "ts": ts,
                                   "message": {"text": payload.get("text"), "ts": ts}})
            self.posts.append(SlackPost(payload, request.headers.get("authorization"), reply.status,
                                        ts is not None, ts))
        return Reply(reply.status, body, reply.content_type, reply.headers)


@pytest.fixture
def slack_api() -> Iterator[SlackWebApi]:
    """A started loopback Slack Web API (stopped after the test)."""
    with loopback() as server:
        yield SlackWebApi(server)
