"""HTTP transport shared by the live connectors: timeouts, retries with exponential backoff, typed errors.

Retried: timeouts, connection errors, HTTP 429 and 5xx (honouring ``Retry-After`` up to a cap), and
the answers the public sources are known to give *transiently* with a success status: an empty
body, an HTML error or rate-limit page where data was expected, truncated or malformed JSON, a
redirect that lands on a portal page, and any source-specific error form a connector recognises
(``transient=``). Not retried: any other 4xx.

After the last attempt a transport failure or a redirect to a page becomes a
:class:`SourceUnavailableError` (naming where the redirect landed), a bad payload a
:class:`PayloadError`; both name the source and the URL path (never the query string, which may
carry an API key).
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any, TypeVar

import httpx
import structlog
from tenacity import RetryCallState, Retrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from application.errors import PayloadError, SourceUnavailableError

log = structlog.get_logger(__name__)

_RETRYABLE_STATUS = frozenset({429, 500, 502, 503, 504})
T = TypeVar("T")


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


class TransientPayload(Exception):  # noqa: N818 - a retry signal, never escapes the fetcher
    """A success answer whose body is a form the source is known to serve transiently."""

    def __init__(self, detail: str) -> None:
        super().__init__(detail)
        self.detail = detail


class _LandedOnPage(Exception):  # noqa: N818 - internal retry signal, never escapes
    def __init__(self, url: str) -> None:
        super().__init__(url)
        self.url = url


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How often and how patiently a connector retries."""

    attempts: int = 4
    initial_seconds: float = 1.0
    max_seconds: float = 30.0
    timeout_seconds: float = 30.0


def _is_html(response: httpx.Response) -> bool:
    kind = response.headers.get("Content-Type", "").lower()
    head = response.content[:512].lstrip().lower()
    # BCB's "Requisição inválida!" page starts with an XML declaration before its XHTML doctype.
    return "text/html" in kind or head.startswith((b"<!doctype html", b"<html")) or (
        head.startswith(b"<?xml") and (b"<!doctype html" in head or b"<html" in head))


def _json(response: httpx.Response, path: str) -> Any:
    body = response.text
    if not body.strip():
        raise TransientPayload(f"empty body from {path}")
    try:
        return response.json()
    except ValueError:
        kind = "an HTML page" if body.lstrip().startswith("<") else "malformed or truncated JSON"
        raise TransientPayload(f"expected JSON from {path}, got {kind}: {body[:80]!r}") from None


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

    def fetch(self, path: str, params: Mapping[str, Any] | None, decode: Callable[[httpx.Response], T], *,
              expect_html: bool = False) -> T:
        """GET ``path`` and ``decode`` the 2xx answer, retrying transient failures of either step.

        ``decode`` raises :class:`TransientPayload` for a body the source serves transiently; a
        redirect that ends on an HTML page is transient too unless ``expect_html``.
        """
        retrying = Retrying(
            stop=stop_after_attempt(self.policy.attempts),
            wait=self._wait,
            retry=retry_if_exception_type((_RetryableResponse, httpx.TransportError, TransientPayload,
                                           _LandedOnPage)),
            reraise=True,
        )
        attempts = self.policy.attempts
        try:
            for attempt in retrying:
                with attempt:
                    number = attempt.retry_state.attempt_number
                    response = self._client.get(path, params=params)
                    if response.status_code in _RETRYABLE_STATUS:
                        log.warning("source.retry", source=self.source, path=path, status=response.status_code,
                                    attempt=number)
                        raise _RetryableResponse(response.status_code, _retry_after(response))
                    if response.status_code >= 400:
                        raise HttpStatusError(self.source, f"HTTP {response.status_code} for {path}",
                                              status=response.status_code, body=response.text)
                    if response.history and not expect_html and _is_html(response):
                        landed = str(response.url.copy_with(query=None))
                        log.warning("source.retry", source=self.source, path=path, landed=landed, attempt=number)
                        raise _LandedOnPage(landed)
                    try:
                        return decode(response)
                    except TransientPayload as exc:
                        log.warning("source.retry", source=self.source, path=path, payload=exc.detail[:120],
                                    attempt=number)
                        raise
        except _RetryableResponse as exc:
            raise SourceUnavailableError(
                self.source, f"HTTP {exc.status} for {path} after {attempts} attempts") from None
        except httpx.TransportError as exc:
            raise SourceUnavailableError(
                self.source, f"{type(exc).__name__} for {path} after {attempts} attempts") from None
        except _LandedOnPage as exc:
            raise SourceUnavailableError(
                self.source, f"{path} redirected to {exc.url}, a page without data, "
                             f"after {attempts} attempts") from None
        except TransientPayload as exc:
            raise PayloadError(self.source, f"{exc.detail} (after {attempts} attempts)") from None
        raise AssertionError("unreachable")  # pragma: no cover

    def get(self, path: str, params: Mapping[str, Any] | None = None) -> httpx.Response:
        """GET ``path``; returns a 2xx response (not a redirect to a page) or raises after retries."""
        return self.fetch(path, params, lambda response: response)

    def get_json(self, path: str, params: Mapping[str, Any] | None = None, *,
                 transient: Callable[[Any], str | None] | None = None) -> Any:
        """GET and decode JSON, retrying an empty body, an HTML page and truncated JSON.

        ``transient(payload)`` names a source-specific error form served transiently (a JSON
        rate-limit answer, say) or returns None; such payloads are retried too.
        """
        def decode(response: httpx.Response) -> Any:
            payload = _json(response, path)
            reason = transient(payload) if transient else None
            if reason:
                raise TransientPayload(f"{reason} from {path}")
            return payload
        return self.fetch(path, params, decode)

    def get_text(self, path: str, params: Mapping[str, Any] | None = None, *, encoding: str | None = None,
                 expect_html: bool = False) -> str:
        """GET and decode text (``encoding`` overrides the response's); an empty body or, unless
        ``expect_html``, an HTML page is retried as transient."""
        def decode(response: httpx.Response) -> str:
            if encoding:
                response.encoding = encoding
            text = response.text
            if not text.strip():
                raise TransientPayload(f"empty body from {path}")
            if not expect_html and _is_html(response):
                raise TransientPayload(f"expected data from {path}, got an HTML page: {text[:80]!r}")
            return text
        return self.fetch(path, params, decode, expect_html=expect_html)

    def get_bytes(self, path: str, params: Mapping[str, Any] | None = None) -> bytes:
        """GET a binary body (a zip file); an empty body or an HTML page is retried as transient."""
        def decode(response: httpx.Response) -> bytes:
            if not response.content.strip():
                raise TransientPayload(f"empty body from {path}")
            if _is_html(response):
                raise TransientPayload(f"expected a file from {path}, got an HTML page: {response.text[:80]!r}")
            return response.content
        return self.fetch(path, params, decode)


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if value is None:
        return None
    try:
        return float(value)
    except ValueError:
        return None
