"""B3 futures settlements (DI1 with its implied rate, DOL, WDO, IND, WIN) from the files B3 publishes.

B3 retired the "Ajustes do pregão" page in December 2025 (it redirects to the data-less Boletim
Diário portal page). Two public files carry settlements now (see docs/decisions.md, "B3
settlements"):

1. **TradeInformationConsolidated** on ``arquivos.b3.com.br``: ``GET /api/download/requestname
   ?fileName=TradeInformationConsolidated&date=YYYY-MM-DD`` answers JSON ``{"token": ...,
   "file": {"name": "TradeInformationConsolidatedFile_YYYYMMDD_1", "extension": ".csv"}}``;
   ``GET /api/download/?token=...`` returns the CSV. Dates the service does not hold (before its
   retention edge, or not a session) answer HTTP 400.
2. **BVBG.086.01 price report** on ``www.b3.com.br``: ``GET /pesquisapregao/download?filelist=
   PRyymmdd.zip``, a zip holding a zip holding the XML. Used for sessions the first file lacks.

A session neither file covers fails with a :class:`SourceUnavailableError` naming both: a
stated gap, never an empty success.
"""

import re
from collections.abc import Sequence
from datetime import date
from typing import Any

import structlog

from adapters.market_data.b3_files import SettlementRow, read_consolidated_csv, read_price_report
from adapters.market_data.http import HttpFetcher, HttpStatusError
from application.errors import MarketDataError, PayloadError, SourceUnavailableError
from domain.errors import InvalidInstrumentError
from domain.market.bronze import BronzeBatch, Connector, InstrumentPrice, InvalidRecordError
from domain.market.calendar import b3_sessions, business_days
from domain.market.di1 import di1_rate
from domain.market.instruments import parse_future

log = structlog.get_logger(__name__)

B3_FILES_URL = "https://arquivos.b3.com.br"
B3_REQUEST_NAME_PATH = "/api/download/requestname"
B3_DOWNLOAD_PATH = "/api/download/"
B3_CONSOLIDATED_FILE = "TradeInformationConsolidated"
B3_PRICE_REPORT_URL = "https://www.b3.com.br"
B3_PRICE_REPORT_PATH = "/pesquisapregao/download"
B3_ROOTS = ("DI1", "DOL", "WDO", "IND", "WIN")

_SOURCE = Connector.B3.value
# The file's settlement rate is rounded to 0.001% a year; a PU that implies a rate further than
# this from it means the business-day count (calendar, maturity rule) disagrees with B3's.
_RATE_TOLERANCE = 0.1e-4
_NOT_HELD = frozenset({400, 404})


class B3Connector:
    """Daily settlement prices of B3 futures, one consolidated file (or price report) per session."""

    connector = Connector.B3

    def __init__(self, files: HttpFetcher, price_reports: HttpFetcher | None = None, *,
                 roots: Sequence[str] = B3_ROOTS) -> None:
        unknown = sorted(set(roots) - set(B3_ROOTS))
        if unknown:
            raise ValueError(f"unsupported B3 roots {unknown}; supported: {list(B3_ROOTS)}")
        if not roots:
            raise ValueError("at least one B3 root is required")
        self._files = files
        self._price_reports = price_reports
        self._wanted = re.compile(rf"(?:{'|'.join(sorted(roots))})[FGHJKMNQUVXZ]\d{{2}}")

    def fetch(self, start: date, end: date) -> BronzeBatch:
        """Settlements of the configured roots for every B3 session in [start, end].

        Holidays and weekends are never requested. Any failure raises and returns nothing.
        """
        if end < start:
            raise ValueError(f"end {end} is before start {start}")
        prices: list[InstrumentPrice] = []
        for session in b3_sessions(start, end):
            try:
                rows = self._session_rows(session)
            except MarketDataError as exc:
                if exc.day is not None:
                    raise
                raise type(exc)(exc.source, exc.detail, series=exc.series, day=session) from exc
            prices.extend(self._records(rows, session))
        log.info("b3.fetched", start=start.isoformat(), end=end.isoformat(), rows=len(prices))
        return BronzeBatch(self.connector, start, end, prices=tuple(prices))

    # --- the two files ---------------------------------------------------------------------

    def _session_rows(self, session: date) -> list[SettlementRow]:
        consolidated = self._consolidated(session)
        if consolidated is not None:
            return consolidated
        if self._price_reports is None:
            raise SourceUnavailableError(_SOURCE, "the consolidated file service does not hold this session "
                                                  "and no price-report source is configured", day=session)
        report = self._price_report(session)
        if report is None:
            raise SourceUnavailableError(_SOURCE, "neither the consolidated file service nor the price report "
                                                  f"PR{session:%y%m%d}.zip holds this session", day=session)
        return report

    def _consolidated(self, session: date) -> list[SettlementRow] | None:
        try:
            answer = self._files.get_json(B3_REQUEST_NAME_PATH,
                                          {"fileName": B3_CONSOLIDATED_FILE, "date": session.isoformat()})
        except HttpStatusError as exc:
            if exc.status in _NOT_HELD:
                log.info("b3.consolidated_not_held", session=session.isoformat(), status=exc.status)
                return None
            raise
        token = self._token(answer, session)
        data = self._files.get_bytes(B3_DOWNLOAD_PATH, {"token": token})
        return read_consolidated_csv(data, session, self._wanted)

    def _token(self, answer: Any, session: date) -> str:
        if not isinstance(answer, dict) or not isinstance(answer.get("token"), str) or not answer["token"]:
            raise PayloadError(_SOURCE, f"request-name answer has no token: {str(answer)[:120]!r}", day=session)
        name = (answer.get("file") or {}).get("name") if isinstance(answer.get("file"), dict) else None
        expected = f"TradeInformationConsolidatedFile_{session:%Y%m%d}"
        if name is not None and not str(name).startswith(expected):
            raise PayloadError(_SOURCE, f"request-name answer names file {name!r}, not {expected}_*", day=session)
        token: str = answer["token"]
        return token

    def _price_report(self, session: date) -> list[SettlementRow] | None:
        assert self._price_reports is not None
        try:
            data = self._price_reports.get_bytes(B3_PRICE_REPORT_PATH, {"filelist": f"PR{session:%y%m%d}.zip"})
        except HttpStatusError as exc:
            if exc.status in _NOT_HELD:
                return None
            raise
        return read_price_report(data, session, self._wanted)

    # --- rows to records --------------------------------------------------------------------

    def _records(self, rows: list[SettlementRow], session: date) -> list[InstrumentPrice]:
        by_ticker: dict[str, InstrumentPrice] = {}
        unsettled = 0
        for row in rows:
            if row.report_date != session:
                raise PayloadError(_SOURCE, f"file reports session {row.report_date.isoformat()}, "
                                            "not the one requested", series=row.ticker, day=session)
            if row.price is None:
                unsettled += 1  # listed but without a settlement price that day: nothing to record
                continue
            record = self._record(row, session)
            if record is None:
                continue
            previous = by_ticker.get(record.instrument)
            if previous is not None and previous != record:
                raise PayloadError(_SOURCE, f"conflicting settlements {previous.price} and {record.price}",
                                   series=record.instrument, day=session)
            by_ticker[record.instrument] = record
        if unsettled:
            log.info("b3.unsettled_contracts", session=session.isoformat(), count=unsettled)
        return list(by_ticker.values())

    def _record(self, row: SettlementRow, session: date) -> InstrumentPrice | None:
        def fail(detail: str) -> PayloadError:
            return PayloadError(_SOURCE, detail, series=row.ticker, day=session)

        try:
            contract = parse_future(row.ticker)
        except InvalidInstrumentError as exc:
            raise fail(str(exc)) from None
        assert row.price is not None
        rate: float | None = None
        if contract.root == "DI1":
            du = business_days(session, contract.maturity)
            if du <= 0:
                # The contract expiring today settles at 100,000 by definition: no rate to imply.
                return None
            try:
                rate = float(di1_rate(row.price, du))
            except InvalidInstrumentError as exc:
                raise fail(str(exc)) from None
            if row.rate_pct is not None and abs(rate - row.rate_pct / 100.0) > _RATE_TOLERANCE:
                raise fail(f"PU {row.price} over {du} business days implies {rate:.6%}, but B3 states "
                           f"{row.rate_pct}%: the business-day count disagrees with B3's")
        try:
            return InstrumentPrice(contract.ticker, session, row.price, rate, _SOURCE)
        except InvalidRecordError as exc:
            raise fail(str(exc)) from None
