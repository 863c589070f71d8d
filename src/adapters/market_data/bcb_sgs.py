"""Live connector ``bcb_sgs``: BCB SGS time series and the Focus survey medians.

SGS: ``GET /dados/serie/bcdata.sgs.{code}/dados?formato=json&dataInicial=DD/MM/YYYY&dataFinal=DD/MM/YYYY``
answers ``[{"data": "DD/MM/YYYY", "valor": "12.25"}]``; monthly values are dated the 1st of the month.
Daily series accept at most ten years per request (HTTP 406 beyond), so longer windows are split. A
valid query with no value in the window is answered HTTP 404 with
``{"erro": {"statusCode": 404, "detail": "Value(s) not found"}}``: an empty series, not a failure.

Focus: Olinda OData ``/olinda/servico/Expectativas/versao/v1/odata/<EntitySet>``. Catalogue codes are
``ExpectativasMercadoAnuais:<Indicador>:<k>`` (the median for the survey date's year + k) and
``ExpectativasMercadoInflacao12Meses:<Indicador>`` (12 months ahead, smoothed series). Only the
``baseCalculo == 0`` statistics are used, so that each survey date has one median per series.
"""

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from itertools import groupby
from typing import Any

import structlog

from adapters.market_data.bcb_payload import (
    ObservationCollector,
    odata_string,
    olinda_rows,
    parse_br_date,
    parse_decimal,
    parse_iso_date,
    require,
)
from adapters.market_data.http import HttpFetcher, HttpStatusError
from application.errors import PayloadError
from domain.market.bronze import BronzeBatch, Connector
from domain.market.series import Frequency, SeriesSpec, release_date_for, series_for

log = structlog.get_logger(__name__)

SGS_BASE_URL = "https://api.bcb.gov.br"
OLINDA_BASE_URL = "https://olinda.bcb.gov.br"
FOCUS_PATH = "/olinda/servico/Expectativas/versao/v1/odata"
FOCUS_ANNUAL = "ExpectativasMercadoAnuais"
FOCUS_12_MONTHS = "ExpectativasMercadoInflacao12Meses"
SGS_DAILY_MAX_YEARS = 10

_SOURCE = Connector.BCB_SGS.value


def sgs_path(code: str) -> str:
    """Path of an SGS series' values."""
    return f"/dados/serie/bcdata.sgs.{code}/dados"


def sgs_windows(start: date, end: date, frequency: Frequency) -> list[tuple[date, date]]:
    """Request windows covering [start, end]: daily series in spans of at most ten years, others whole."""
    if frequency != Frequency.DAILY:
        return [(start, end)]
    windows = []
    low = start
    while low <= end:
        high = min(end, _add_years(low, SGS_DAILY_MAX_YEARS) - timedelta(days=1))
        windows.append((low, high))
        low = high + timedelta(days=1)
    return windows


def _add_years(day: date, years: int) -> date:
    try:
        return day.replace(year=day.year + years)
    except ValueError:  # 29 February into a common year
        return day.replace(year=day.year + years, day=28)


@dataclass(frozen=True, slots=True)
class FocusCode:
    """A Focus catalogue code: entity set, indicator and, for annual medians, the year offset."""

    entity_set: str
    indicator: str
    year_offset: int | None

    @classmethod
    def parse(cls, spec: SeriesSpec) -> "FocusCode":
        """Read ``spec.code``; ValueError for an entity set or shape this connector does not handle."""
        parts = spec.code.split(":")
        if parts[0] == FOCUS_ANNUAL and len(parts) == 3 and re.fullmatch(r"\d+", parts[2]):
            return cls(FOCUS_ANNUAL, parts[1], int(parts[2]))
        if parts[0] == FOCUS_12_MONTHS and len(parts) == 2:
            return cls(FOCUS_12_MONTHS, parts[1], None)
        raise ValueError(f"{spec.series_id}: unsupported Focus code {spec.code!r}")


_Targets = list[tuple[FocusCode, SeriesSpec]]


class BcbSgsConnector:
    """Fetches every catalogued ``bcb_sgs`` series (SGS codes and Focus medians) for a window."""

    connector = Connector.BCB_SGS

    def __init__(self, sgs: HttpFetcher, olinda: HttpFetcher, *,
                 series: Sequence[SeriesSpec] | None = None) -> None:
        specs = list(series) if series is not None else series_for(Connector.BCB_SGS)
        foreign = [s.series_id for s in specs if s.connector != Connector.BCB_SGS]
        if foreign:
            raise ValueError(f"series of another connector given to {_SOURCE}: {foreign}")
        self._sgs = sgs
        self._olinda = olinda
        self._sgs_specs = [s for s in specs if s.code.isdigit()]
        focus = sorted(((FocusCode.parse(s), s) for s in specs if not s.code.isdigit()),
                       key=lambda pair: pair[0].entity_set)
        self._focus = {entity: list(group) for entity, group in groupby(focus, key=lambda p: p[0].entity_set)}

    def fetch(self, start: date, end: date) -> BronzeBatch:
        """Observations in [start, end] as known on ``end``; raises on any defect, returns nothing partial."""
        if end < start:
            raise ValueError(f"window ends {end} before it starts {start}")
        collector = ObservationCollector(_SOURCE, start, end)
        for spec in self._sgs_specs:
            for low, high in sgs_windows(start, end, spec.frequency):
                self._read_sgs(spec, low, high, collector)
        for entity_set, pairs in self._focus.items():
            self._read_focus(entity_set, pairs, collector)
        return BronzeBatch(self.connector, start, end, observations=collector.observations())

    # --- SGS -----------------------------------------------------------------------------------------

    def _read_sgs(self, spec: SeriesSpec, low: date, high: date, collector: ObservationCollector) -> None:
        params = {"formato": "json", "dataInicial": f"{low:%d/%m/%Y}", "dataFinal": f"{high:%d/%m/%Y}"}
        try:
            payload = self._sgs.get_json(sgs_path(spec.code), params)
        except HttpStatusError as exc:
            # Only the documented "no value in the window" answer is an empty series; any other 404 is a failure.
            if exc.status != 404 or "not found" not in exc.body.lower():
                raise
            log.info("bcb.sgs_no_values", series=spec.series_id, start=low.isoformat(), end=high.isoformat())
            return
        what = f"SGS {spec.code}"
        if isinstance(payload, dict):
            reason = payload.get("erro") or payload.get("error") or payload
            raise PayloadError(_SOURCE, f"{what}: error object instead of values: {str(reason)[:160]}",
                               series=spec.series_id)
        if not isinstance(payload, list):
            raise PayloadError(_SOURCE, f"{what}: expected a list of values, got {str(payload)[:80]!r}",
                               series=spec.series_id)
        for item in payload:
            if not isinstance(item, dict):
                raise PayloadError(_SOURCE, f"{what}: value record is not an object: {item!r}",
                                   series=spec.series_id)
            raw_day = _field(item, "data", what, spec.series_id)
            raw_value = _field(item, "valor", what, spec.series_id)
            try:
                day = parse_br_date(raw_day)
            except ValueError as exc:
                raise PayloadError(_SOURCE, f"{what}: {exc}", series=spec.series_id) from None
            try:
                value = parse_decimal(raw_value)
            except ValueError as exc:
                raise PayloadError(_SOURCE, f"{what}: {exc}", series=spec.series_id, day=day) from None
            collector.add(spec, day, value, release=release_date_for(spec, day))

    # --- Focus ---------------------------------------------------------------------------------------

    def _read_focus(self, entity_set: str, pairs: _Targets, collector: ObservationCollector) -> None:
        indicators = sorted({code.indicator for code, _ in pairs})
        clauses = [
            "(" + " or ".join(f"Indicador eq {odata_string(i)}" for i in indicators) + ")",
            f"Data ge '{collector.start.isoformat()}'",
            f"Data le '{collector.end.isoformat()}'",
            "baseCalculo eq 0",
        ]
        if entity_set == FOCUS_ANNUAL:
            fields = "Indicador,IndicadorDetalhe,Data,DataReferencia,Mediana,baseCalculo"
            order = "Data,Indicador,DataReferencia"
        else:
            clauses.append("Suavizada eq 'S'")
            fields = "Indicador,Data,Suavizada,Mediana,baseCalculo"
            order = "Data,Indicador"
        params = [("$filter", " and ".join(clauses)), ("$select", fields), ("$orderby", order),
                  ("$format", "json")]
        what = f"Focus {entity_set}"
        names = ",".join(spec.series_id for _, spec in pairs)
        rows = olinda_rows(self._olinda, f"{FOCUS_PATH}/{entity_set}", params, source=_SOURCE, what=what,
                           series=names)
        by_indicator: dict[str, _Targets] = {}
        for code, spec in pairs:
            by_indicator.setdefault(code.indicator, []).append((code, spec))
        for row in rows:
            self._read_focus_row(row, by_indicator, what, collector)

    def _read_focus_row(self, row: Mapping[str, Any], by_indicator: dict[str, _Targets], what: str,
                        collector: ObservationCollector) -> None:
        indicator = _field(row, "Indicador", what, what)
        targets = by_indicator.get(indicator)
        if not targets:
            return  # an indicator the filter did not ask for
        names = ",".join(spec.series_id for _, spec in targets)
        base = _field(row, "baseCalculo", what, names)
        smoothed = "S" if targets[0][0].year_offset is not None else _field(row, "Suavizada", what, names)
        # Other bases, detail breakdowns and the unsmoothed series are different statistics, not revisions.
        if base != 0 or row.get("IndicadorDetalhe") is not None or smoothed != "S":
            return
        try:
            day = parse_iso_date(_field(row, "Data", what, names))
        except ValueError as exc:
            raise PayloadError(_SOURCE, f"{what}: {exc}", series=names) from None
        reference_year = None
        if targets[0][0].year_offset is not None:
            raw_year = _field(row, "DataReferencia", what, names)
            reference_year = _reference_year(raw_year, what=what, series=names, day=day)
        for code, spec in targets:
            if code.year_offset is not None and reference_year != day.year + code.year_offset:
                continue
            try:
                value = parse_decimal(_field(row, "Mediana", what, spec.series_id))
            except ValueError as exc:
                raise PayloadError(_SOURCE, f"{what}: Mediana {exc}", series=spec.series_id,
                                   day=day) from None
            collector.add(spec, day, value, release=release_date_for(spec, day))


def _field(row: Mapping[str, Any], key: str, what: str, series: str) -> Any:
    return require(row, key, source=_SOURCE, what=what, series=series)


def _reference_year(raw: object, *, what: str, series: str, day: date) -> int:
    text = str(raw) if isinstance(raw, str | int) and not isinstance(raw, bool) else ""
    if not re.fullmatch(r"\d{4}", text):
        raise PayloadError(_SOURCE, f"{what}: DataReferencia {raw!r} is not a year", series=series, day=day)
    return int(text)
