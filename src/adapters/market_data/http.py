"""HTTP transport shared by the live connectors: timeouts, retries with exponential backoff, typed errors.

Retried: timeouts, connection errors, HTTP 429 and 5xx (honouring ``Retry-After`` up to a cap).
Not retried: any other 4xx. After the last attempt a :class:`SourceUnavailableError` names the
source and the URL path (never the query string, which may carry an API key).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import httpx
import structlog
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from application.errors import PayloadError, SourceUnavailableError

log = structlog.get_logger(__name__)

_RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})


class HttpStatusError(SourceUnavailableError):
    """A non-retryable HTTP error answer; ``body`` keeps its first 500 characters for the connector to inspect."""

    def __init__(self, source: str, detail: str, *, series: str | None = None, day: date | None = None,
                 status: int = 0, body: str = "") -> None:
        super().__init__(source, detail, series=series, day=day)
        self.status = status
        self.body = body[:500]


class _RetryableResponse(Exception):  # noqa: N818 - internal retry signal, never escapes
    def __init__(self, status: int, retry_after: float | None) -> None:
        super().__init__(f"HTTP {status}")
        self.status = status
        self.retry_after = retry_after


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently a connector retries."""

    attempts: int = 4
    initial_seconds: float = 1.0
    max_seconds: float = 30.0
    timeout_seconds: float = 30.0


class HttpFetcher:
    """A small httpx client for one source, with retry and error mapping."""

    def __init__(self, source: str, base_url: str, *, policy: RetryPolicy | None = None,
                 headers: Mapping[str, str] | None = None, client: httpx.Client | None = None) -> None:
        self.source = source
        self.policy = policy or RetryPolicy()
        self._client = client or httpx.Client(base_url=base_url, timeout=self.policy.timeout_seconds,
                                              headers=dict(headers or {}), follow_redirects=True)

    def close(self) -> None:
        """Release the connection pool."""
        self._client.close()

    def _wait(self, state: RetryCallState) -> float:
        backoff = wait_exponential(multiplier=self.policy.initial_seconds, max=self.policy.max_seconds)(state)
        exc = state.outcome.exception() if state.outcome else None
        if isinstance(exc, _RetryableResponse) and exc.retry_after is not None:
            return min(max(backoff, exc.retry_after), self.policy.max_seconds)
        return float(backoff)

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> httpx.Response:
        """GET ``path``; returns a 2xx response or raises a typed error after retries."""
        retrying = Retrying(
            stop=stop_after_attempt(self.policy.attempts),
            wait=self._wait,
            retry=retry_if_exception_type((_RetryableResponse, httpx.TransportError)),
            reraise=True,
        )
        try:
            for attempt in retrying:
                with attempt:
                    response = self._client.get(path, params=params)
                    if response.status_code in _RETRYABLE_STATUS:
                        log.warning("source.retry", source=self.source, path=path, status=response.status_code,
                                    attempt=attempt.retry_state.attempt_number)
                        raise _RetryableResponse(response.status_code, _retry_after(response))
                    if response.status_code >= 400:
                        raise HttpStatusError(self.source, f"HTTP {response.status_code} for {path}",
                                              status=response.status_code, body=response.text)
                    return response
        except _RetryableResponse as exc:
            raise SourceUnavailableError(
                self.source, f"HTTP {exc.status} for {path} after {self.policy.attempts} attempts") from None
        except httpx.TransportError as exc:
            raise SourceUnavailableError(
                self.source, f"{type(exc).__name__} for {path} after {self.policy.attempts} attempts") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def get_json(self, path: str, params: Mapping[str, Any] | None = None) -> Any:
        """GET and decode JSON; an HTML page or an empty body is a :class:`PayloadError`."""
        response = self.get(path, params)
        body = response.text
        if not body.strip():
            raise PayloadError(self.source, f"empty body from {path}")
        try:
            return response.json()
        except ValueError:
            kind = "an HTML page" if body.lstrip().startswith("<") else "malformed JSON"
            raise PayloadError(self.source, f"expected JSON from {path}, got {kind}: {body[:80]!r}") from None

    def get_text(self, path: str, params: Mapping[str, Any] | None = None, *, encoding: str | None = None) -> str:
        """GET and decode text (``encoding`` overrides the response's, e.g. latin-1 for B3)."""
        response = self.get(path, params)
        if encoding:
            response.encoding = encoding
        text = response.text
        if not text.strip():
            raise PayloadError(self.source, f"empty body from {path}")
        return text


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None
