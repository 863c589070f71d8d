"""B3 futures settlement prices ("ajustes do pregão"), one HTML page per trading session.

The page ``/pages/portal/bmfbovespa/lumis/lum-ajustes-do-pregao-ptBR.asp?dData1=DD/MM/YYYY`` is
latin-1 HTML. Its table ``#tblDadosAjustes`` has one row per contract: Mercadoria (written only
on the first row of each commodity group, e.g. ``DI1   - DI de 1 dia``), Vencimento (``F27``),
previous and current settlement price, variation and adjustment per contract, with decimal
commas and dot thousands (``99.876,54``). A date without a session answers the same page with
one row saying "Não há dados para a data consultada.".
"""

import re
import unicodedata
from collections.abc import Sequence
from datetime import date, datetime

import lxml.etree
import lxml.html
import structlog
from lxml.html import HtmlElement

from adapters.market_data.http import HttpFetcher
from application.errors import MarketDataError, PayloadError
from domain.errors import InvalidInstrumentError
from domain.market.bronze import BronzeBatch, Connector, InstrumentPrice, InvalidRecordError
from domain.market.calendar import b3_sessions, business_days
from domain.market.di1 import di1_rate
from domain.market.instruments import parse_future

log = structlog.get_logger(__name__)

B3_BASE_URL = "https://www2.bmf.com.br"
B3_SETTLEMENTS_PATH = "/pages/portal/bmfbovespa/lumis/lum-ajustes-do-pregao-ptBR.asp"
B3_ROOTS = ("DI1", "DOL", "WDO", "IND", "WIN")

_SOURCE = Connector.B3.value
_NO_DATA = "nao ha dados para a data consultada"
_UPDATED_ON = re.compile(r"atualizado em:?\s*(\d{2}/\d{2}/\d{4})")
# A B3 number: optional sign, digits grouped by dots (or not grouped at all), optional decimal comma.
_BR_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
_MATURITY_CODE = re.compile(r"[FGHJKMNQUVXZ]\d{2}")

# Normalised header text -> column role. B3 has spelt the maturity column both ways.
_COLUMNS = {
    "mercadoria": "commodity",
    "vencimento": "maturity",
    "vct": "maturity",
    "preco de ajuste atual": "settlement",
}
_REQUIRED = ("commodity", "maturity", "settlement")


def _normalise(text: str) -> str:
    """Lower-case, accent-free, single-spaced text for matching headers and notices."""
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.lower().split())


def parse_br_number(text: str) -> float:
    """Parse a B3 number such as ``99.876,54`` or ``-0,05``; raises ``ValueError`` otherwise."""
    cleaned = "".join(text.split())
    if not _BR_NUMBER.fullmatch(cleaned):
        raise ValueError(f"not a B3 number: {text!r}")
    return float(cleaned.replace(".", "").replace(",", "."))


class B3Connector:
    """Daily settlement prices of B3 futures (DI1 with its implied rate, DOL, WDO, IND, WIN)."""

    connector = Connector.B3

    def __init__(self, fetcher: HttpFetcher, *, roots: Sequence[str] = B3_ROOTS) -> None:
        unknown = sorted(set(roots) - set(B3_ROOTS))
        if unknown:
            raise ValueError(f"unsupported B3 roots {unknown}; supported: {list(B3_ROOTS)}")
        if not roots:
            raise ValueError("at least one B3 root is required")
        self._fetcher = fetcher
        self._roots = frozenset(roots)

    def fetch(self, start: date, end: date) -> BronzeBatch:
        """Settlements of the configured roots for every B3 session in [start, end].

        One page per session; holidays and weekends are never requested. A session whose page
        says there is no data yields no rows. Any failure raises and returns nothing.
        """
        if end < start:
            raise ValueError(f"end {end} is before start {start}")
        prices: list[InstrumentPrice] = []
        for session in b3_sessions(start, end):
            html = self._page(session)
            prices.extend(self._parse(html, session))
        log.info("b3.fetched", start=start.isoformat(), end=end.isoformat(), rows=len(prices))
        return BronzeBatch(self.connector, start, end, prices=tuple(prices))

    def _page(self, session: date) -> str:
        params = {"dData1": session.strftime("%d/%m/%Y")}
        try:
            return self._fetcher.get_text(B3_SETTLEMENTS_PATH, params, encoding="latin-1")
        except MarketDataError as exc:
            # The fetcher knows the path but not the session; re-raise naming the date.
            raise type(exc)(exc.source, exc.detail, series=exc.series, day=session) from exc

    def _fail(self, session: date, detail: str, instrument: str | None = None) -> PayloadError:
        return PayloadError(_SOURCE, detail, series=instrument, day=session)

    def _parse(self, html: str, session: date) -> list[InstrumentPrice]:
        try:
            doc = lxml.html.document_fromstring(html)
        except (ValueError, lxml.etree.ParserError) as exc:
            raise self._fail(session, f"unparseable HTML: {exc}") from None
        page_text = _normalise(doc.text_content())
        tables = doc.xpath("//table[@id='tblDadosAjustes']")
        if not tables:
            if _NO_DATA in page_text:
                return []
            raise self._fail(session, "page has neither the settlement table nor a 'no data' notice")
        rows = list(tables[0].iter("tr"))
        if not rows:
            raise self._fail(session, "settlement table has no rows")
        header = [_normalise(c.text_content()) for c in rows[0].xpath("./th|./td")]
        body = [[" ".join(c.text_content().split()) for c in row.xpath("./td")] for row in rows[1:]]
        body = [cells for cells in body if cells]
        if all(len(cells) == 1 for cells in body) and _NO_DATA in page_text:
            return []
        self._check_page_date(doc, page_text, session)
        index = self._column_index(header, session)
        return self._records(body, index, len(header), session)

    def _check_page_date(self, doc: HtmlElement, page_text: str, session: date) -> None:
        """Refuse a page about another session: stamping it with ``session`` would corrupt history."""
        stated: list[str] = [v.strip() for v in doc.xpath("//input[@id='dData1']/@value") if v.strip()]
        if not stated:
            stated = _UPDATED_ON.findall(page_text)
        if not stated:
            raise self._fail(session, "page does not state which session it reports")
        try:
            page_day = datetime.strptime(stated[0], "%d/%m/%Y").date()
        except ValueError:
            raise self._fail(session, f"page states an unreadable session date {stated[0]!r}") from None
        if page_day != session:
            raise self._fail(session, f"page reports session {page_day.isoformat()}, not the one requested")

    def _column_index(self, header: list[str], session: date) -> dict[str, int]:
        index: dict[str, int] = {}
        for position, name in enumerate(header):
            role = _COLUMNS.get(name)
            if role is not None:
                index.setdefault(role, position)
        missing = [role for role in _REQUIRED if role not in index]
        if missing:
            raise self._fail(session, f"settlement table lacks column(s) {missing}; header was {header}")
        return index

    def _records(self, body: list[list[str]], index: dict[str, int], width: int,
                 session: date) -> list[InstrumentPrice]:
        by_ticker: dict[str, InstrumentPrice] = {}
        root: str | None = None
        for cells in body:
            if len(cells) != width:
                raise self._fail(session, f"row has {len(cells)} cells, header has {width}: {cells}")
            commodity = cells[index["commodity"]]
            if commodity:
                # "DI1   - DI de 1 dia" -> "DI1"; the name appears only on a group's first row.
                root = commodity.split("-", 1)[0].strip().upper()
            if root is None:
                raise self._fail(session, f"contract row before any commodity name: {cells}")
            if root not in self._roots:
                continue
            record = self._record(root, cells[index["maturity"]], cells[index["settlement"]], session)
            if record is None:
                continue
            previous = by_ticker.get(record.instrument)
            if previous is not None and previous != record:
                raise self._fail(session, f"conflicting settlements {previous.price} and {record.price}",
                                 record.instrument)
            by_ticker[record.instrument] = record
        return list(by_ticker.values())

    def _record(self, root: str, code: str, settlement: str, session: date) -> InstrumentPrice | None:
        label = f"{root}{code}"
        if not _MATURITY_CODE.fullmatch(code.upper()):
            raise self._fail(session, f"unreadable maturity code {code!r}", label)
        try:
            contract = parse_future(label)
        except InvalidInstrumentError as exc:
            raise self._fail(session, str(exc), label) from None
        try:
            price = parse_br_number(settlement)
        except ValueError as exc:
            raise self._fail(session, f"settlement price: {exc}", contract.ticker) from None
        rate: float | None = None
        if root == "DI1":
            du = business_days(session, contract.maturity)
            if du <= 0:
                # The contract expiring today settles at 100,000 by definition: no rate to imply.
                return None
            try:
                rate = float(di1_rate(price, du))
            except InvalidInstrumentError as exc:
                raise self._fail(session, str(exc), contract.ticker) from None
        try:
            return InstrumentPrice(contract.ticker, session, price, rate, _SOURCE)
        except InvalidRecordError as exc:
            raise self._fail(session, str(exc), contract.ticker) from None
