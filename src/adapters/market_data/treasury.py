"""Treasury curves: US Treasury par yield curves and Brazilian Tesouro Direto bond prices.

* US Treasury publishes one CSV per calendar year and curve
  (``/resource-center/data-chart-center/interest-rates/daily-treasury-rates.csv/{year}/all``):
  header ``Date,"1 Mo","1.5 Month","2 Mo",...,"30 Yr"`` (real curve: ``"5 YR",...,"30 YR"``),
  dates ``MM/DD/YYYY``, newest first, yields in percent, blank cells for tenors not published
  that day. They become :class:`CurvePoint` records, ACT/365, tenor in calendar days.
* Tesouro Transparente publishes the whole Tesouro Direto history as one CSV
  (``PrecoTaxaTesouroDireto.csv``, ``;`` separator, decimal comma, ``DD/MM/YYYY``):
  ``Tipo Titulo;Data Vencimento;Data Base;Taxa Compra Manha;Taxa Venda Manha;PU Compra Manha;
  PU Venda Manha;PU Base Manha``. NTN-B and LTN rows become :class:`InstrumentPrice` records.
"""

import codecs
import io
from collections.abc import Mapping
from datetime import date

import pandas as pd
import structlog

from adapters.market_data.http import HttpFetcher
from application.errors import MarketDataError, PayloadError
from domain.market.bronze import (
    BronzeBatch,
    Connector,
    CurvePoint,
    DayCount,
    InstrumentPrice,
    InvalidRecordError,
)
from domain.market.series import CURVE_UST_NOMINAL, CURVE_UST_REAL, UST_REAL_TENOR_DAYS, UST_TENOR_DAYS

log = structlog.get_logger(__name__)

US_TREASURY_BASE_URL = "https://home.treasury.gov"
US_TREASURY_CSV_PATH = "/resource-center/data-chart-center/interest-rates/daily-treasury-rates.csv/{year}/all"
TESOURO_BASE_URL = "https://www.tesourotransparente.gov.br"
TESOURO_CSV_PATH = ("/ckan/dataset/df56aa42-484a-4a59-8184-7676580c81e3/resource/"
                    "796d2059-14e9-44e3-80c9-2d9e30b405c1/download/PrecoTaxaTesouroDireto.csv")

_SOURCE = Connector.TREASURY.value
TESOURO_SERIES = "TESOURO_DIRETO"

# (query type, curve id, column -> tenor in calendar days, first year published). Treasury answers an
# empty body for years before the first, so those are never requested.
_US_CURVES: tuple[tuple[str, str, Mapping[str, int], int], ...] = (
    ("daily_treasury_yield_curve", CURVE_UST_NOMINAL, UST_TENOR_DAYS, 1990),
    ("daily_treasury_real_yield_curve", CURVE_UST_REAL, UST_REAL_TENOR_DAYS, 2003),
)

# Tesouro Direto title -> instrument prefix (the instrument is PREFIX_YYYYMMDD of the maturity).
TESOURO_TITLES: dict[str, str] = {
    "Tesouro IPCA+ com Juros Semestrais": "NTNB",
    "Tesouro Prefixado": "LTN",
}
_TITLE, _MATURITY, _BASE_DATE = "Tipo Titulo", "Data Vencimento", "Data Base"
_BUY_RATE, _BUY_PU, _BASE_PU = "Taxa Compra Manha", "PU Compra Manha", "PU Base Manha"
_TESOURO_COLUMNS = (_TITLE, _MATURITY, _BASE_DATE, _BUY_RATE, _BUY_PU, _BASE_PU)
# Decimal comma, optionally with dot thousands ("4215,37", "4.215,37").
_BR_NUMBER = r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?"


class TreasuryConnector:
    """US Treasury nominal and real par curves, and Tesouro Direto NTN-B and LTN prices and rates."""

    connector = Connector.TREASURY

    def __init__(self, us: HttpFetcher, tesouro: HttpFetcher) -> None:
        self._us = us
        self._tesouro = tesouro

    def fetch(self, start: date, end: date) -> BronzeBatch:
        """Curve points and bond prices dated in [start, end]; any failure raises and returns nothing."""
        if end < start:
            raise ValueError(f"end {end} is before start {start}")
        points: list[CurvePoint] = []
        for year in range(start.year, end.year + 1):
            for kind, curve_id, tenors, first_year in _US_CURVES:
                if year >= first_year:
                    points.extend(self._us_curve(kind, curve_id, tenors, year, start, end))
        prices = self._tesouro_prices(start, end)
        log.info("treasury.fetched", start=start.isoformat(), end=end.isoformat(), curve_points=len(points),
                 prices=len(prices))
        return BronzeBatch(self.connector, start, end, prices=tuple(prices), curve_points=tuple(points))

    # --- US Treasury -------------------------------------------------------------------------

    def _us_curve(self, kind: str, curve_id: str, tenors: Mapping[str, int], year: int, start: date,
                  end: date) -> list[CurvePoint]:
        params = {"type": kind, "field_tdr_date_value": str(year), "page": "", "_format": "csv"}
        path = US_TREASURY_CSV_PATH.format(year=year)
        try:
            text = self._us.get_text(path, params)
        except MarketDataError as exc:
            raise type(exc)(exc.source, f"{exc.detail} ({year})", series=curve_id, day=exc.day) from exc
        frame = _read_csv(text, sep=",", series=curve_id)
        if "Date" not in frame.columns:
            raise PayloadError(_SOURCE, f"{year} CSV lacks the Date column; header was {list(frame.columns)}",
                               series=curve_id)
        columns = [c for c in frame.columns if c in tenors]
        if not columns:
            raise PayloadError(_SOURCE, f"{year} CSV has no known tenor column; header was "
                               f"{list(frame.columns)}", series=curve_id)
        unmapped = [c for c in frame.columns if c != "Date" and c not in tenors]
        if unmapped:
            log.warning("treasury.unmapped_tenors", curve=curve_id, year=year, columns=unmapped)
        days = pd.to_datetime(frame["Date"].str.strip(), format="%m/%d/%Y", errors="coerce")
        if days.isna().any():
            bad = frame.loc[days.isna(), "Date"].iloc[0]
            raise PayloadError(_SOURCE, f"{year} CSV has an unreadable date {bad!r}", series=curve_id)
        frame = frame.assign(Date=days.dt.date)
        frame = frame[(frame["Date"] >= start) & (frame["Date"] <= end)][["Date", *columns]]
        frame = _one_row_per_date(frame.drop_duplicates(), "Date", curve_id)
        return self._curve_points(frame, columns, tenors, curve_id)

    def _curve_points(self, frame: pd.DataFrame, columns: list[str], tenors: Mapping[str, int],
                      curve_id: str) -> list[CurvePoint]:
        points: list[CurvePoint] = []
        for column in columns:
            cells = frame[column].str.strip()
            published = cells != ""  # a blank cell: that tenor was not published that day
            values = pd.to_numeric(cells.where(published), errors="coerce")
            malformed = values.isna() & published
            if malformed.any():
                day = frame.loc[malformed, "Date"].iloc[0]
                bad = cells[malformed].iloc[0]
                raise PayloadError(_SOURCE, f"tenor {column!r}: unreadable yield {bad!r}", series=curve_id,
                                   day=day)
            for day, value in zip(frame.loc[published, "Date"], values[published], strict=True):
                try:
                    rate = float(value) / 100.0
                    points.append(CurvePoint(curve_id, day, tenors[column], DayCount.ACT365, rate, _SOURCE))
                except InvalidRecordError as exc:
                    raise PayloadError(_SOURCE, str(exc), series=curve_id, day=day) from None
        points.sort(key=lambda p: (p.curve_date, p.tenor_days))
        return points

    # --- Tesouro Direto ----------------------------------------------------------------------

    def _tesouro_prices(self, start: date, end: date) -> list[InstrumentPrice]:
        try:
            data = self._tesouro.get_bytes(TESOURO_CSV_PATH)
        except MarketDataError as exc:
            raise type(exc)(exc.source, exc.detail, series=TESOURO_SERIES, day=exc.day) from exc
        frame = _read_csv(_decode(data), sep=";", series=TESOURO_SERIES)
        missing = [c for c in _TESOURO_COLUMNS if c not in frame.columns]
        if missing:
            raise PayloadError(_SOURCE, f"CSV lacks column(s) {missing}; header was {list(frame.columns)}",
                               series=TESOURO_SERIES)
        # Narrow to our titles and the window before parsing numbers: the file holds all history.
        frame = frame.loc[frame[_TITLE].str.strip().isin(TESOURO_TITLES), list(_TESOURO_COLUMNS)]
        trade_dates = _dates(frame, _BASE_DATE)
        frame = frame.assign(trade_date=trade_dates)
        frame = frame[(frame["trade_date"] >= start) & (frame["trade_date"] <= end)]
        if frame.empty:
            return []
        maturities = _dates(frame, _MATURITY)
        frame = frame.assign(instrument=[f"{TESOURO_TITLES[t.strip()]}_{m:%Y%m%d}"
                                         for t, m in zip(frame[_TITLE], maturities, strict=True)])
        for column in (_BUY_RATE, _BUY_PU, _BASE_PU):
            frame[column] = _numbers(frame, column)
        frame = frame[["instrument", "trade_date", _BUY_RATE, _BUY_PU, _BASE_PU]].drop_duplicates()
        frame = _one_row_per_date(frame, ["instrument", "trade_date"], TESOURO_SERIES)
        frame = frame.sort_values(["trade_date", "instrument"])
        prices: list[InstrumentPrice] = []
        for instrument, day, buy_rate, buy_pu, base_pu in frame.itertuples(index=False, name=None):
            # A title closed to purchases shows 0,00 as buy rate and buy PU: that is no rate.
            rate = float(buy_rate) / 100.0 if buy_pu > 0 else None
            try:
                prices.append(InstrumentPrice(instrument, day, float(base_pu), rate, _SOURCE))
            except InvalidRecordError as exc:
                raise PayloadError(_SOURCE, str(exc), series=instrument, day=day) from None
        return prices


def _decode(raw: bytes) -> str:
    """The Tesouro file has been served both as UTF-8 (with or without BOM) and as windows-1252."""
    if raw.startswith(codecs.BOM_UTF8):
        return raw[len(codecs.BOM_UTF8):].decode("utf-8", errors="strict")
    try:
        return raw.decode("utf-8")
    except UnicodeDecodeError:
        return raw.decode("cp1252", errors="replace")


def _read_csv(text: str, *, sep: str, series: str) -> pd.DataFrame:
    """Every cell as a stripped-header string column; an HTML page or an empty body is a PayloadError."""
    head = text.lstrip()[:200].lower()
    if not head:
        raise PayloadError(_SOURCE, "empty body where a CSV was expected", series=series)
    if head.startswith("<") or "<html" in head:
        raise PayloadError(_SOURCE, f"expected CSV, got an HTML page: {text.lstrip()[:80]!r}", series=series)
    try:
        frame = pd.read_csv(io.StringIO(text), sep=sep, dtype=str, keep_default_na=False, engine="c")
    except (pd.errors.ParserError, pd.errors.EmptyDataError, ValueError) as exc:
        raise PayloadError(_SOURCE, f"unreadable CSV: {exc}", series=series) from None
    frame.columns = [str(c).strip() for c in frame.columns]
    return frame


def _dates(frame: pd.DataFrame, column: str) -> list[date]:
    """Parse a DD/MM/YYYY column; an unreadable cell is a PayloadError naming the row."""
    parsed = pd.to_datetime(frame[column].str.strip(), format="%d/%m/%Y", errors="coerce")
    if parsed.isna().any():
        row = frame.loc[parsed.isna()].iloc[0]
        raise PayloadError(_SOURCE, f"{column}: unreadable date {row[column]!r} in row {row.to_dict()}",
                           series=TESOURO_SERIES)
    return list(parsed.dt.date)


def _numbers(frame: pd.DataFrame, column: str) -> pd.Series:
    """Parse a decimal-comma column; a blank or malformed cell is a PayloadError naming bond and date."""
    cells = frame[column].str.strip()
    valid = cells.str.fullmatch(_BR_NUMBER)
    values = pd.to_numeric(cells.str.replace(".", "", regex=False).str.replace(",", ".", regex=False),
                           errors="coerce").where(valid)
    if values.isna().any():
        row = frame.loc[values.isna()].iloc[0]
        raise PayloadError(_SOURCE, f"{column}: unreadable number {row[column]!r}", series=row["instrument"]
                           if "instrument" in frame.columns else TESOURO_SERIES, day=row["trade_date"])
    return values


def _one_row_per_date(frame: pd.DataFrame, key: str | list[str], series: str) -> pd.DataFrame:
    """After exact duplicates were dropped, two rows for one key are a conflict: raise, never pick one."""
    clash = frame.duplicated(subset=key, keep=False)
    if clash.any():
        first = frame.loc[clash].iloc[0]
        keys = [key] if isinstance(key, str) else key
        day = first["trade_date"] if "trade_date" in frame.columns else first["Date"]
        name = first["instrument"] if "instrument" in keys else series
        raise PayloadError(_SOURCE, f"conflicting rows for {[first[k] for k in keys]}: "
                           f"{frame.loc[clash].head(2).to_dict('records')}", series=name, day=day)
    return frame
