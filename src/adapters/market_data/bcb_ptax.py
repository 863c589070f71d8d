"""Live connector ``bcb_ptax``: the BCB PTAX USD/BRL closing rates, buy and sell.

Olinda OData function ``CotacaoDolarPeriodo(dataInicial=@dataInicial,dataFinalCotacao=@dataFinalCotacao)``
with ``@dataInicial='MM-DD-YYYY'``; rows ``{"cotacaoCompra": 5.3427, "cotacaoVenda": 5.3433,
"dataHoraCotacao": "2021-01-07 13:11:33.564"}`` (fraction of a second of 1 to 6 digits). Today it
returns the closing bulletin only, but its history holds days with several bulletins and the sister
function ``CotacaoMoedaPeriodo`` labels them with ``tipoBoletim`` ("Abertura", "Intermediário",
"Fechamento PTAX" or "Fechamento"): the connector keeps the closing one, the day's last.
"""

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from adapters.market_data.bcb_payload import ObservationCollector, olinda_rows, parse_decimal, require
from adapters.market_data.http import HttpFetcher
from application.errors import PayloadError
from domain.market.bronze import BronzeBatch, Connector
from domain.market.series import SeriesSpec, release_date_for, series_for

PTAX_PATH = ("/olinda/servico/PTAX/versao/v1/odata/"
             "CotacaoDolarPeriodo(dataInicial=@dataInicial,dataFinalCotacao=@dataFinalCotacao)")

_SOURCE = Connector.BCB_PTAX.value
_WHAT = "PTAX CotacaoDolarPeriodo"
_STAMP = re.compile(r"(\d{4})-(\d{2})-(\d{2}) (\d{2}):(\d{2}):(\d{2})(?:\.(\d{1,6}))?")


@dataclass(frozen=True, slots=True)
class _Bulletin:
    stamp: datetime
    values: tuple[float | None, ...]


def parse_bulletin_time(raw: object) -> datetime:
    """``YYYY-MM-DD HH:MM:SS[.ffffff]`` (Brasília local time, naive) as a datetime; ValueError otherwise."""
    match = _STAMP.fullmatch(raw) if isinstance(raw, str) else None
    if match is None:
        raise ValueError(f"{raw!r} is not a bulletin time of the form YYYY-MM-DD HH:MM:SS.fff")
    year, month, day, hour, minute, second = (int(match.group(i)) for i in range(1, 7))
    micro = int((match.group(7) or "0").ljust(6, "0"))
    try:
        return datetime(year, month, day, hour, minute, second, micro)
    except ValueError:
        raise ValueError(f"{raw!r} is not a calendar date and time") from None


class BcbPtaxConnector:
    """Fetches the PTAX closing buy and sell rates for a window."""

    connector = Connector.BCB_PTAX

    def __init__(self, olinda: HttpFetcher) -> None:
        self._olinda = olinda
        self._specs: list[SeriesSpec] = series_for(Connector.BCB_PTAX)  # codes are the payload's field names

    def fetch(self, start: date, end: date) -> BronzeBatch:
        """Closing rates dated in [start, end]; raises on any defect, returning nothing partial."""
        if end < start:
            raise ValueError(f"window ends {end} before it starts {start}")
        params = [("@dataInicial", f"'{start:%m-%d-%Y}'"), ("@dataFinalCotacao", f"'{end:%m-%d-%Y}'"),
                  ("$orderby", "dataHoraCotacao"), ("$format", "json")]
        names = ",".join(s.series_id for s in self._specs)
        rows = olinda_rows(self._olinda, PTAX_PATH, params, source=_SOURCE, what=_WHAT, series=names)
        by_day: dict[date, list[_Bulletin]] = {}
        for row in rows:
            bulletin = self._bulletin(row)
            if bulletin is not None:
                by_day.setdefault(bulletin.stamp.date(), []).append(bulletin)
        collector = ObservationCollector(_SOURCE, start, end)
        for day, bulletins in sorted(by_day.items()):
            closing = self._closing(day, bulletins)
            for spec, value in zip(self._specs, closing.values, strict=True):
                collector.add(spec, day, value, release=release_date_for(spec, day))
        return BronzeBatch(self.connector, start, end, observations=collector.observations())

    def _bulletin(self, row: Mapping[str, Any]) -> _Bulletin | None:
        """One row as a bulletin; None for a labelled opening or intermediate bulletin."""
        names = ",".join(s.series_id for s in self._specs)
        try:
            raw_stamp = require(row, "dataHoraCotacao", source=_SOURCE, what=_WHAT, series=names)
            stamp = parse_bulletin_time(raw_stamp)
        except ValueError as exc:
            raise PayloadError(_SOURCE, f"{_WHAT}: {exc}", series=names) from None
        values = []
        for spec in self._specs:
            raw = require(row, spec.code, source=_SOURCE, what=_WHAT, series=spec.series_id)
            try:
                values.append(parse_decimal(raw))
            except ValueError as exc:
                raise PayloadError(_SOURCE, f"{_WHAT}: {spec.code} {exc}", series=spec.series_id,
                                   day=stamp.date()) from None
        kind = row.get("tipoBoletim")
        if kind is not None and not str(kind).startswith("Fechamento"):
            return None
        return _Bulletin(stamp, tuple(values))

    def _closing(self, day: date, bulletins: list[_Bulletin]) -> _Bulletin:
        """The day's last bulletin; two different ones at that same instant are a PayloadError."""
        latest = max(b.stamp for b in bulletins)
        candidates = {b.values for b in bulletins if b.stamp == latest}
        if len(candidates) > 1:
            names = ",".join(s.series_id for s in self._specs)
            raise PayloadError(_SOURCE, f"{_WHAT}: different closing bulletins at {latest.isoformat(' ')}: "
                               f"{sorted(candidates, key=str)}", series=names, day=day)
        return next(b for b in bulletins if b.stamp == latest)
