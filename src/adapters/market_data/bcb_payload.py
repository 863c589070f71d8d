"""Reading Banco Central do Brasil payloads: values and dates, Olinda OData pages, per-series collection.

Shared by the SGS/Focus and PTAX connectors. Every defect becomes a :class:`PayloadError` naming the
source, the series and the date, so that a fetch fails whole instead of returning part of a window.
"""

import math
import re
from collections.abc import Mapping, Sequence
from datetime import date
from typing import Any
from urllib.parse import quote

import structlog

from adapters.market_data.http import HttpFetcher
from application.errors import PayloadError
from domain.market.bronze import Observation
from domain.market.series import SeriesSpec

log = structlog.get_logger(__name__)

# Rows per Olinda request. Public clients report caps between 1,000 and 10,000 rows per page; the lower
# bound keeps "a short page is the last page" true whichever cap the server applies.
OLINDA_PAGE_SIZE = 1000

_DECIMAL = re.compile(r"[+-]?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?")
_MISSING_TEXT = frozenset({"", "."})
_BR_DATE = re.compile(r"(\d{2})/(\d{2})/(\d{4})")
_ISO_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")
# Characters left literal in an Olinda query value: OData quotes, parentheses and lists, as in BCB's examples.
_ODATA_SAFE = "'(),:$@"


def parse_decimal(raw: object) -> float | None:
    """A BCB value as a float, or None where the source marks it missing (null, ``""`` or ``"."``).

    Accepts JSON numbers and dot-decimal strings (SGS sends ``"12.25"``); raises ``ValueError`` for
    anything else, including decimal commas and non-finite numbers.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        raise ValueError(f"{raw!r} is not a number")
    if isinstance(raw, int | float):
        value = float(raw)
    elif isinstance(raw, str):
        text = raw.strip()
        if text in _MISSING_TEXT:
            return None
        if not _DECIMAL.fullmatch(text):
            raise ValueError(f"{raw!r} is not a dot-decimal number")
        value = float(text)
    else:
        raise ValueError(f"{raw!r} is not a number")
    if not math.isfinite(value):
        raise ValueError(f"{raw!r} is not finite")
    return value


def _date_from(match: re.Match[str] | None, raw: object, form: str, order: tuple[int, int, int]) -> date:
    if match is None:
        raise ValueError(f"{raw!r} is not a date of the form {form}")
    year, month, day = (int(match.group(i)) for i in order)
    try:
        return date(year, month, day)
    except ValueError:
        raise ValueError(f"{raw!r} is not a calendar date") from None


def parse_br_date(raw: object) -> date:
    """``DD/MM/YYYY`` (SGS) as a date; ``ValueError`` otherwise."""
    match = _BR_DATE.fullmatch(raw) if isinstance(raw, str) else None
    return _date_from(match, raw, "DD/MM/YYYY", (3, 2, 1))


def parse_iso_date(raw: object) -> date:
    """``YYYY-MM-DD`` (Olinda) as a date; ``ValueError`` otherwise."""
    match = _ISO_DATE.fullmatch(raw) if isinstance(raw, str) else None
    return _date_from(match, raw, "YYYY-MM-DD", (1, 2, 3))


def require(row: Mapping[str, Any], key: str, *, source: str, what: str, series: str) -> Any:
    """``row[key]``, or a :class:`PayloadError` saying which field of which record is absent."""
    if key not in row:
        raise PayloadError(source, f"{what}: record without {key!r}: {dict(row)!r}"[:300], series=series)
    return row[key]


class ObservationCollector:
    """Observations of one fetch window: drops dates outside it, skips missing values, checks duplicates."""

    def __init__(self, source: str, start: date, end: date) -> None:
        self.source = source
        self.start = start
        self.end = end
        self._values: dict[tuple[str, date], tuple[float, date]] = {}

    def add(self, spec: SeriesSpec, day: date, value: float | None, *, release: date) -> None:
        """Record ``value`` of ``spec`` on ``day``; another value for that same day is a PayloadError."""
        if not self.start <= day <= self.end:
            return
        if value is None:
            log.info("bcb.missing_value", source=self.source, series=spec.series_id, day=day.isoformat())
            return
        key = (spec.series_id, day)
        known = self._values.get(key)
        if known is None:
            self._values[key] = (value, release)
        elif known[0] != value:
            raise PayloadError(self.source, f"two different values for one date: {known[0]} and {value}",
                               series=spec.series_id, day=day)

    def observations(self) -> tuple[Observation, ...]:
        """Everything collected, ordered by series and date."""
        return tuple(Observation(series_id, day, release, value, self.source)
                     for (series_id, day), (value, release) in sorted(self._values.items()))


def odata_string(text: str) -> str:
    """An OData string literal (quotes doubled inside)."""
    return "'" + text.replace("'", "''") + "'"


def olinda_query(params: Sequence[tuple[str, str]]) -> str:
    """The query string of an Olinda request, spaces as ``%20``.

    Olinda answers HTTP 400 ("The URI is malformed") when a space arrives as ``+``, which is how httpx
    encodes ``params``; so callers put this string into the path themselves.
    """
    return "&".join(f"{key}={quote(value, safe=_ODATA_SAFE)}" for key, value in params)


def olinda_rows(fetcher: HttpFetcher, path: str, params: Sequence[tuple[str, str]], *, source: str, what: str,
                series: str, page_size: int = OLINDA_PAGE_SIZE) -> list[Mapping[str, Any]]:
    """Every row of an Olinda OData resource, page by page (``$top``/``$skip``) until a short page.

    Each page must be the OData envelope ``{"@odata.context": ..., "value": [{...}, ...]}``.
    """
    rows: list[Mapping[str, Any]] = []
    skip = 0
    while True:
        query = olinda_query([*params, ("$top", str(page_size)), ("$skip", str(skip))])
        page = _envelope_rows(fetcher.get_json(f"{path}?{query}"), source=source, what=what, series=series)
        rows.extend(page)
        if len(page) < page_size:
            return rows
        skip += page_size


def _envelope_rows(payload: object, *, source: str, what: str, series: str) -> list[Mapping[str, Any]]:
    if not isinstance(payload, dict) or "value" not in payload:
        got = str(payload)[:80]
        raise PayloadError(source, f"{what}: expected an OData envelope with 'value', got {got!r}",
                           series=series)
    value = payload["value"]
    if not isinstance(value, list) or not all(isinstance(row, dict) for row in value):
        raise PayloadError(source, f"{what}: 'value' is not a list of records: {str(value)[:120]!r}",
                           series=series)
    return value
