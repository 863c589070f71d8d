"""Readers of the two files in which B3 publishes futures settlements.

* **TradeInformationConsolidatedFile_YYYYMMDD_1.csv** (arquivos.b3.com.br): one row per instrument
  traded or listed on the session, ``;``-separated with decimal commas. An optional preamble (a
  file-status line) may precede the header ``RptDt;TckrSymb;ISIN;SgmtNm;...``. The settlement
  price is ``AdjstdQt``; for DI1 ``AdjstdQtTax`` is the settlement rate in percent a year.
* **BVBG.086.01 price report** (``PRyymmdd.zip``): a zip holding a zip holding one or more XML
  files (the newest one is complete). Each ``PricRpt`` element carries ``TradDt/Dt``,
  ``SctyId/TckrSymb`` and ``FinInstrmAttrbts/AdjstdQt`` (dot decimals), ``AdjstdQtTax``.

Both readers return :class:`SettlementRow` values, raw and unvalidated; the connector turns them
into Bronze records.
"""

import csv
import io
import re
import zipfile
from dataclasses import dataclass
from datetime import date

import lxml.etree

from application.errors import PayloadError

_SOURCE = "b3"
_BR_NUMBER = re.compile(r"[+-]?(?:\d{1,3}(?:\.\d{3})+|\d+)(?:,\d+)?")
_CSV_HEADER = "RptDt;"
_CSV_REQUIRED = ("RptDt", "TckrSymb", "AdjstdQt", "AdjstdQtTax")


@dataclass(frozen=True, slots=True)
class SettlementRow:
    """One instrument's settlement as a file states it (``rate_pct`` in percent a year, or None)."""

    report_date: date
    ticker: str
    price: float | None
    rate_pct: float | None


def parse_br_number(text: str) -> float:
    """Parse a B3 number such as ``96230,69``, ``99.876,54`` or ``-0,05``; raises ``ValueError`` otherwise."""
    cleaned = "".join(text.split())
    if not _BR_NUMBER.fullmatch(cleaned):
        raise ValueError(f"not a B3 number: {text!r}")
    return float(cleaned.replace(".", "").replace(",", "."))


def _decode(data: bytes) -> str:
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("latin-1")


def read_consolidated_csv(data: bytes, session: date, wanted: re.Pattern[str]) -> list[SettlementRow]:
    """Rows of a TradeInformationConsolidated CSV whose ticker fully matches ``wanted``.

    Raises
    ------
    PayloadError
        No header line, a missing column, an unreadable date or number.
    """
    lines = _decode(data).splitlines()
    start = next((i for i, line in enumerate(lines) if line.startswith(_CSV_HEADER)), None)
    if start is None:
        raise PayloadError(_SOURCE, f"consolidated file has no '{_CSV_HEADER}...' header; "
                                    f"it begins {lines[:2]!r}", day=session)
    reader = csv.DictReader(lines[start:], delimiter=";")
    missing = [c for c in _CSV_REQUIRED if c not in (reader.fieldnames or [])]
    if missing:
        raise PayloadError(_SOURCE, f"consolidated file lacks column(s) {missing}; header was "
                                    f"{reader.fieldnames}", day=session)
    rows: list[SettlementRow] = []
    for line in reader:
        ticker = (line["TckrSymb"] or "").strip().upper()
        if not wanted.fullmatch(ticker):
            continue
        try:
            report_date = date.fromisoformat((line["RptDt"] or "").strip())
            price = parse_br_number(line["AdjstdQt"]) if (line["AdjstdQt"] or "").strip() else None
            rate = parse_br_number(line["AdjstdQtTax"]) if (line["AdjstdQtTax"] or "").strip() else None
        except ValueError as exc:
            raise PayloadError(_SOURCE, f"unreadable row {dict(line)}: {exc}", series=ticker, day=session) from None
        rows.append(SettlementRow(report_date, ticker, price, rate))
    return rows


def _xml_documents(data: bytes, session: date) -> list[tuple[str, bytes]]:
    """The XML files inside a PR zip (unwrapping the inner zip), by member name."""
    try:
        outer = zipfile.ZipFile(io.BytesIO(data))
    except zipfile.BadZipFile:
        raise PayloadError(_SOURCE, f"price report is not a zip file: {data[:40]!r}", day=session) from None
    documents: list[tuple[str, bytes]] = []
    with outer:
        for name in outer.namelist():
            member = outer.read(name)
            if name.lower().endswith(".zip"):
                documents.extend(_xml_documents(member, session))
            elif name.lower().endswith(".xml"):
                documents.append((name, member))
    return documents


def _child_text(element: "lxml.etree._Element", path: str) -> str | None:
    found = element.find(path)
    if found is None or found.text is None or not found.text.strip():
        return None
    return found.text.strip()


def read_price_report(data: bytes, session: date, wanted: re.Pattern[str]) -> list[SettlementRow] | None:
    """Rows of a BVBG.086.01 ``PRyymmdd.zip`` whose ticker fully matches ``wanted``.

    Returns None when the archive holds no XML (B3 has no report for that date). When several
    XML files are present, the last by name (B3's newest) is read.

    Raises
    ------
    PayloadError
        Not a zip, unparseable XML, an unreadable date or number.
    """
    documents = _xml_documents(data, session)
    if not documents:
        return None
    name, xml = max(documents)
    rows: list[SettlementRow] = []
    try:
        for _, element in lxml.etree.iterparse(io.BytesIO(xml), events=("end",), tag="{*}PricRpt",
                                               huge_tree=True):
            ticker = (_child_text(element, "{*}SctyId/{*}TckrSymb") or "").upper()
            if wanted.fullmatch(ticker):
                day = _child_text(element, "{*}TradDt/{*}Dt")
                price = _child_text(element, "{*}FinInstrmAttrbts/{*}AdjstdQt")
                rate = _child_text(element, "{*}FinInstrmAttrbts/{*}AdjstdQtTax")
                try:
                    rows.append(SettlementRow(date.fromisoformat(day or ""), ticker,
                                              float(price) if price else None, float(rate) if rate else None))
                except ValueError as exc:
                    raise PayloadError(_SOURCE, f"unreadable PricRpt in {name}: {exc}", series=ticker,
                                       day=session) from None
            element.clear()
    except lxml.etree.XMLSyntaxError as exc:
        raise PayloadError(_SOURCE, f"unparseable price report {name}: {exc}", day=session) from None
    return rows

