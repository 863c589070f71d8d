"""FRED connector: US rates, inflation, activity and risk series from the St. Louis Fed's API.

One ``GET /fred/series/observations`` per catalogued FRED series and fetch. FRED allows 120
requests a minute per key; the catalogue holds 16 FRED series, so a fetch stays far below that
without any client-side throttling (HTTP 429 is still retried by :class:`HttpFetcher`).

The API key travels in the query string, so it must never reach a message: :class:`HttpFetcher`
names only the URL path, this module scrubs every error detail it re-raises, and a logging filter
redacts ``api_key=...`` from httpx's own request log lines.
"""

import logging
import math
import re
from collections.abc import Callable, Mapping, Sequence
from datetime import date
from typing import Any

from adapters.market_data.http import HttpFetcher
from application.errors import MarketDataError, PayloadError
from domain.market.bronze import BronzeBatch, Connector, Observation
from domain.market.series import SeriesSpec, release_date_for, series_for

FRED_BASE_URL = "https://api.stlouisfed.org"

_PATH = "/fred/series/observations"
_SOURCE = Connector.FRED.value
_MISSING = "."  # FRED's marker for a date without a value (market holidays, discontinued days)
_NUMBER = re.compile(r"-?\d+(?:\.\d+)?")
_ISO_DATE = re.compile(r"\d{4}-\d{2}-\d{2}")
_KEY_IN_TEXT = re.compile(r"(api_key=)[^&\s'\"]+")


class MissingApiKeyError(ValueError):
    """FRED cannot be queried without an API key (configure ``FRED_API_KEY``)."""


class _RedactApiKey(logging.Filter):
    """Rewrites ``api_key=<key>`` to ``api_key=***`` in a record's message (httpx logs full URLs at INFO)."""

    def filter(self, record: logging.LogRecord) -> bool:
        message = record.getMessage()
        redacted = _KEY_IN_TEXT.sub(r"\1***", message)
        if redacted != message:
            record.msg, record.args = redacted, None
        return True


def _install_log_redaction() -> None:
    logger = logging.getLogger("httpx")
    if not any(isinstance(f, _RedactApiKey) for f in logger.filters):
        logger.addFilter(_RedactApiKey())


class FredConnector:
    """Observations of every catalogued FRED series over a date window."""

    connector = Connector.FRED

    def __init__(self, fetcher: HttpFetcher, api_key: str, *,
                 series: Sequence[SeriesSpec] | None = None) -> None:
        if not api_key or not api_key.strip():
            raise MissingApiKeyError("FRED api_key is empty: set FRED_API_KEY "
                                     "(free key at https://fred.stlouisfed.org/docs/api/api_key.html)")
        specs = tuple(series) if series is not None else tuple(series_for(Connector.FRED))
        foreign = [s.series_id for s in specs if s.connector != Connector.FRED]
        if foreign:
            raise ValueError(f"not FRED series: {', '.join(foreign)}")
        self._fetcher = fetcher
        self._api_key = api_key.strip()
        self._series = specs
        _install_log_redaction()

    def __repr__(self) -> str:
        return f"FredConnector(series={len(self._series)})"

    def fetch(self, start: date, end: date) -> BronzeBatch:
        """Every series' observations dated in [start, end] (inclusive), as known on ``end``.

        Any failure raises a :class:`MarketDataError` naming the series; nothing partial is returned.
        """
        if start > end:
            raise ValueError(f"start {start} is after end {end}")
        observations: list[Observation] = []
        for spec in self._series:
            observations.extend(self._fetch_series(spec, start, end))
        return BronzeBatch(Connector.FRED, start, end, observations=tuple(observations))

    def _fetch_series(self, spec: SeriesSpec, start: date, end: date) -> list[Observation]:
        params = {"series_id": spec.code, "api_key": self._api_key, "file_type": "json",
                  "observation_start": start.isoformat(), "observation_end": end.isoformat()}
        failure: MarketDataError | None = None
        try:
            values = self._parse(spec, self._fetcher.get_json(_PATH, params), start, end)
        except MarketDataError as exc:
            failure = type(exc)(exc.source, self._redact(exc.detail), series=_label(spec), day=exc.day)
        if failure is not None:
            # Raised outside the except block, so no chained exception (which might quote the key)
            # travels with it.
            raise failure
        # FRED's per-observation realtime_start/realtime_end describe the vintage we asked for (by
        # default today's), not when a value was first published; that needs ALFRED vintage queries.
        # So the release date is the catalogue's conservative lag (never the fetch date: see release_date_for).
        return [Observation(spec.series_id, day, release_date_for(spec, day), value, _SOURCE)
                for day, value in sorted(values.items())]

    def _parse(self, spec: SeriesSpec, payload: Any, start: date, end: date) -> dict[date, float]:
        series = _label(spec)

        def fail(detail: str, day: date | None = None) -> PayloadError:
            return PayloadError(_SOURCE, detail, series=series, day=day)

        if not isinstance(payload, Mapping):
            raise fail(f"expected a JSON object, got {type(payload).__name__}")
        if "error_code" in payload or "error_message" in payload:
            raise fail(f"FRED error {payload.get('error_code')}: {payload.get('error_message')}")
        rows = payload.get("observations")
        if not isinstance(rows, list):
            raise fail("missing the 'observations' list")
        count = payload.get("count")
        if isinstance(count, int) and count > len(rows):
            raise fail(f"truncated answer: {len(rows)} of {count} observations")
        values: dict[date, float] = {}
        for row in rows:
            if not isinstance(row, Mapping) or "date" not in row or "value" not in row:
                raise fail(f"observation without 'date' and 'value': {str(row)[:80]}")
            day = _parse_date(row["date"], fail)
            if not start <= day <= end:
                raise fail(f"observation outside the requested window {start}..{end}", day)
            raw = row["value"]
            if raw == _MISSING:
                continue
            value = _parse_value(raw, fail, day)
            previous = values.get(day)
            if previous is not None and previous != value:
                raise fail(f"conflicting values {previous} and {value}", day)
            values[day] = value
        return values

    def _redact(self, text: str) -> str:
        return _KEY_IN_TEXT.sub(r"\1***", text.replace(self._api_key, "***"))


def _label(spec: SeriesSpec) -> str:
    return f"{spec.code} ({spec.series_id})"


def _parse_date(raw: Any, fail: Callable[[str], PayloadError]) -> date:
    if isinstance(raw, str) and _ISO_DATE.fullmatch(raw):
        try:
            return date.fromisoformat(raw)
        except ValueError:
            pass
    raise fail(f"malformed date {str(raw)[:40]!r}")


def _parse_value(raw: Any, fail: Callable[[str, date], PayloadError], day: date) -> float:
    # FRED sends plain decimal strings; anything else (numbers, "1,234", "nan", "1e3") is a format change.
    if isinstance(raw, str) and _NUMBER.fullmatch(raw):
        value = float(raw)
        if math.isfinite(value):
            return value
    raise fail(f"malformed value {str(raw)[:40]!r}", day)
