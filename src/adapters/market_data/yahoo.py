"""Yahoo Finance connector: daily closes of FX, indices, commodities and ETFs from the v8 chart API.

``GET /v8/finance/chart/{symbol}?period1=<unix>&period2=<unix>&interval=1d`` answers
``{"chart": {"result": [{"meta": {...}, "timestamp": [...], "indicators": {"quote": [{"close": [...]}]}}],
"error": null}``. Daily bars are stamped at the session's start (``^BVSP`` at 10:00 in Sao Paulo,
FX pairs at midnight in London), so a bar's date is its exchange-local date, not its UTC date.

We call the API through :class:`HttpFetcher` rather than the yfinance package, whose HTTP layer
cannot be pointed at a loopback server for offline tests. Yahoo answers HTTP 429 to clients that do
not look like a browser: build the fetcher with :data:`YAHOO_HEADERS`.
"""

import math
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, date, datetime, time, timedelta, timezone, tzinfo
from typing import Any
from urllib.parse import quote
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from adapters.market_data.http import HttpFetcher
from application.errors import MarketDataError, PayloadError
from domain.market.bronze import BronzeBatch, Connector, Observation
from domain.market.series import SeriesSpec, series_for

YAHOO_BASE_URL = "https://query2.finance.yahoo.com"
YAHOO_HEADERS: dict[str, str] = {
    "User-Agent": ("Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
                   "Chrome/131.0.0.0 Safari/537.36"),
    "Accept": "application/json",
}

_SOURCE = Connector.YAHOO.value
# Yahoo sometimes stamps a daily bar at 22:00 or 23:00 of the previous local day (a DST offset
# applied on the wrong side of a transition); such a bar belongs to the next day's session.
_PRE_MIDNIGHT_HOURS = frozenset({22, 23})


class YahooConnector:
    """Daily closes of every catalogued Yahoo symbol over a date window."""

    connector = Connector.YAHOO

    def __init__(self, fetcher: HttpFetcher, *, series: Sequence[SeriesSpec] | None = None) -> None:
        specs = tuple(series) if series is not None else tuple(series_for(Connector.YAHOO))
        foreign = [s.series_id for s in specs if s.connector != Connector.YAHOO]
        if foreign:
            raise ValueError(f"not Yahoo series: {', '.join(foreign)}")
        self._fetcher = fetcher
        self._series = specs

    def fetch(self, start: date, end: date) -> BronzeBatch:
        """Closes of sessions dated in [start, end] (inclusive, exchange-local dates), as known on ``end``.

        Any failure raises a :class:`MarketDataError` naming the symbol; nothing partial is returned.
        """
        if start > end:
            raise ValueError(f"start {start} is after end {end}")
        # period2 is exclusive and both bounds are UTC instants while sessions are local dates: ask
        # for a day more on each side and keep the bars whose local session date is in [start, end].
        params = {"period1": _unix(start - timedelta(days=1)), "period2": _unix(end + timedelta(days=2)),
                  "interval": "1d"}
        observations: list[Observation] = []
        for spec in self._series:
            closes = self._fetch_symbol(spec, params, start, end)
            observations.extend(Observation(spec.series_id, day, day, value, _SOURCE)
                                for day, value in sorted(closes.items()))
        return BronzeBatch(Connector.YAHOO, start, end, observations=tuple(observations))

    def _fetch_symbol(self, spec: SeriesSpec, params: Mapping[str, Any], start: date,
                      end: date) -> dict[date, float]:
        path = f"/v8/finance/chart/{quote(spec.code, safe='')}"
        try:
            payload = self._fetcher.get_json(path, params)
        except MarketDataError as exc:
            raise type(exc)(exc.source, exc.detail, series=_label(spec), day=exc.day) from None
        return _parse_chart(spec, payload, start, end)


def _parse_chart(spec: SeriesSpec, payload: Any, start: date, end: date) -> dict[date, float]:
    series = _label(spec)

    def fail(detail: str, day: date | None = None) -> PayloadError:
        return PayloadError(_SOURCE, detail, series=series, day=day)

    chart = payload.get("chart") if isinstance(payload, Mapping) else None
    if not isinstance(chart, Mapping):
        raise fail("missing the 'chart' object")
    error = chart.get("error")
    if error is not None:
        if isinstance(error, Mapping):
            error = f"{error.get('code')}: {error.get('description')}"
        raise fail(f"Yahoo chart error for {spec.code}: {error}")
    results = chart.get("result")
    if not isinstance(results, list) or not results or not isinstance(results[0], Mapping):
        raise fail("missing 'chart.result[0]'")
    result = results[0]
    meta = result.get("meta")
    if not isinstance(meta, Mapping):
        raise fail("missing 'meta'")
    if meta.get("symbol") != spec.code:
        raise fail(f"answer is for symbol {meta.get('symbol')!r}")
    zone = _exchange_zone(meta, fail)
    indicators = result.get("indicators")
    quotes = indicators.get("quote") if isinstance(indicators, Mapping) else None
    if not isinstance(quotes, list) or not quotes or not isinstance(quotes[0], Mapping):
        raise fail("missing 'indicators.quote[0]'")
    timestamps, closes = result.get("timestamp"), quotes[0].get("close")
    if timestamps is None and not closes:
        return {}  # Yahoo's answer for a window without sessions: meta only, no timestamp, empty quote
    if not isinstance(timestamps, list) or not isinstance(closes, list):
        raise fail("missing 'timestamp' or 'indicators.quote[0].close'")
    if len(timestamps) != len(closes):
        raise fail(f"{len(timestamps)} timestamps but {len(closes)} closes")
    live_from = _live_session_start(meta)
    values: dict[date, float] = {}
    for stamp, close in zip(timestamps, closes, strict=True):
        if not isinstance(stamp, int) or isinstance(stamp, bool):
            raise fail(f"malformed timestamp {str(stamp)[:40]!r}")
        day = _session_date(stamp, zone)
        if not start <= day <= end or close is None:
            continue
        if live_from is not None and stamp >= live_from:
            continue  # the session is still trading: its last price is not a close yet
        if not isinstance(close, int | float) or isinstance(close, bool) or not math.isfinite(close):
            raise fail(f"malformed close {str(close)[:40]!r}", day)
        previous = values.get(day)
        if previous is not None and previous != close:
            raise fail(f"conflicting closes {previous} and {close}", day)
        values[day] = float(close)
    return values


def _exchange_zone(meta: Mapping[str, Any], fail: Callable[[str], PayloadError]) -> tzinfo:
    """The exchange's time zone; its IANA name gives the right offset on both sides of a DST change."""
    name = meta.get("exchangeTimezoneName")
    if isinstance(name, str) and name:
        try:
            return ZoneInfo(name)
        except (ZoneInfoNotFoundError, ValueError):
            pass
    # Without a usable zone name, the current offset is the best the answer offers.
    offset = meta.get("gmtoffset")
    if isinstance(offset, int) and not isinstance(offset, bool) and abs(offset) < 86_400:
        return timezone(timedelta(seconds=offset))
    raise fail("missing 'meta.exchangeTimezoneName' and 'meta.gmtoffset'")


def _session_date(stamp: int, zone: tzinfo) -> date:
    local = datetime.fromtimestamp(stamp, tz=zone)
    if local.hour in _PRE_MIDNIGHT_HOURS and local.minute == 0 and local.second == 0:
        return local.date() + timedelta(days=1)
    return local.date()


def _live_session_start(meta: Mapping[str, Any]) -> int | None:
    """Start of the current regular session when it has not closed yet (last trade before its end)."""
    period = meta.get("currentTradingPeriod")
    regular = period.get("regular") if isinstance(period, Mapping) else None
    last_trade = meta.get("regularMarketTime")
    if not isinstance(regular, Mapping) or not isinstance(last_trade, int):
        return None
    session_start, session_end = regular.get("start"), regular.get("end")
    if isinstance(session_start, int) and isinstance(session_end, int) and last_trade < session_end:
        return session_start
    return None


def _unix(day: date) -> int:
    return int(datetime.combine(day, time(0, 0), tzinfo=UTC).timestamp())


def _label(spec: SeriesSpec) -> str:
    return f"{spec.code} ({spec.series_id})"
