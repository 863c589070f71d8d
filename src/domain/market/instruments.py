"""Instruments the fund trades, their contract specifications and futures tickers.

B3 futures tickers are ``ROOT`` + month code + two-digit year (``DI1F27`` is the DI1 of January
2027). Month codes: F G H J K M N Q U V X Z for January..December.
"""

import re
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from functools import lru_cache

from domain.errors import InvalidInstrumentError
from domain.market.calendar import add_business_days, first_business_day_of_month

MONTH_CODES = "FGHJKMNQUVXZ"


class AssetClass(StrEnum):
    """Asset classes: rows of the signal heatmap and buckets of the risk limits."""

    RATES = "rates"
    INFLATION = "inflation"
    FX = "fx"
    EQUITY = "equity"
    GLOBAL_RATES = "global_rates"


class Quote(StrEnum):
    """How an instrument is quoted on its market."""

    RATE = "rate"  # annual rate, decimal (DI1, NTN-B real yield)
    PRICE = "price"  # price in points (DOL, IND, UST futures)


@dataclass(frozen=True, slots=True)
class ContractSpec:
    """Contract specification of a tradable root.

    Attributes
    ----------
    root : str
        Ticker root (``DI1``, ``DOL``...).
    name : str
        Human name.
    asset_class : AssetClass
        Risk bucket.
    currency : str
        Currency of P&L per point.
    quote : Quote
        How it is quoted.
    point_value : float
        Currency P&L of one contract for a one-point price move (PRICE quotes). For DI1 this
        is 0: its risk comes from DV01 of the PU.
    notional : float
        Face value per contract in ``currency`` (DI1: R$100,000 at maturity; DOL: US$50,000).
    """

    root: str
    name: str
    asset_class: AssetClass
    currency: str
    quote: Quote
    point_value: float
    notional: float

    def __post_init__(self) -> None:
        if self.notional <= 0:
            raise InvalidInstrumentError(f"{self.root}: notional must be positive, got {self.notional}")
        if self.point_value < 0:
            raise InvalidInstrumentError(f"{self.root}: point value must be non-negative, got {self.point_value}")


CONTRACT_SPECS: dict[str, ContractSpec] = {
    spec.root: spec
    for spec in (
        ContractSpec("DI1", "One-day interbank deposit future", AssetClass.RATES, "BRL", Quote.RATE, 0.0, 100_000.0),
        # DOL is quoted in BRL per US$1,000 on US$50,000: R$50 per point.
        ContractSpec("DOL", "US dollar future", AssetClass.FX, "BRL", Quote.PRICE, 50.0, 50_000.0),
        ContractSpec("WDO", "Mini US dollar future", AssetClass.FX, "BRL", Quote.PRICE, 10.0, 10_000.0),
        ContractSpec("IND", "Ibovespa future", AssetClass.EQUITY, "BRL", Quote.PRICE, 1.0, 1.0),
        ContractSpec("WIN", "Mini Ibovespa future", AssetClass.EQUITY, "BRL", Quote.PRICE, 0.2, 1.0),
        # NTN-B: one bond; notional is the nominal of R$1,000 before inflation updating (VNA).
        ContractSpec("NTNB", "IPCA-linked Treasury bond (NTN-B)", AssetClass.INFLATION, "BRL", Quote.RATE, 0.0,
                     1_000.0),
        # 10-year US Treasury note future: US$100,000 face, US$1,000 per point.
        ContractSpec("UST10", "10-year US Treasury note future", AssetClass.GLOBAL_RATES, "USD", Quote.PRICE, 1_000.0,
                     100_000.0),
    )
}

_FUTURE_RE = re.compile(r"^(?P<root>DI1|DOL|WDO|IND|WIN)(?P<month>[FGHJKMNQUVXZ])(?P<year>\d{2})$")


@dataclass(frozen=True, slots=True)
class FutureContract:
    """A listed B3 futures contract parsed from its ticker."""

    ticker: str
    root: str
    month: int
    year: int
    maturity: date

    @property
    def spec(self) -> ContractSpec:
        """The root's contract specification."""
        return CONTRACT_SPECS[self.root]


def _ibovespa_future_expiry(year: int, month: int) -> date:
    """Expiry of IND/WIN: the Wednesday closest to the 15th of the month (next business day if a holiday)."""
    fifteenth = date(year, month, 15)
    offset = (2 - fifteenth.weekday() + 3) % 7 - 3  # distance to the nearest Wednesday, in -3..3
    return add_business_days(fifteenth + timedelta(days=offset), 0)


@lru_cache(maxsize=8192)
def parse_future(ticker: str) -> FutureContract:
    """Parse a B3 futures ticker such as ``DI1F27`` or ``DOLZ26``.

    Parameters
    ----------
    ticker : str
        Root (DI1, DOL, WDO, IND, WIN), month code and two-digit year.

    Returns
    -------
    FutureContract
        With its maturity: the first business day of the month for DI1, DOL and WDO; the
        Wednesday closest to the 15th for IND and WIN (even months only).

    Raises
    ------
    InvalidInstrumentError
        When the ticker is malformed or names an IND/WIN odd month.
    """
    match = _FUTURE_RE.match(ticker.strip().upper())
    if match is None:
        raise InvalidInstrumentError(f"not a B3 futures ticker: {ticker!r} (expected e.g. 'DI1F27')")
    root = match["root"]
    month = MONTH_CODES.index(match["month"]) + 1
    year = 2000 + int(match["year"])
    if root in ("IND", "WIN"):
        if month % 2:
            raise InvalidInstrumentError(f"{ticker}: Ibovespa futures expire in even months only")
        maturity = _ibovespa_future_expiry(year, month)
    else:
        maturity = first_business_day_of_month(year, month)
    return FutureContract(ticker=f"{root}{match['month']}{match['year']}", root=root, month=month, year=year,
                          maturity=maturity)


def future_ticker(root: str, year: int, month: int) -> str:
    """Ticker of the ``root`` contract expiring in ``month`` of ``year`` (``('DI1', 2027, 1)`` → ``DI1F27``)."""
    if root not in CONTRACT_SPECS or CONTRACT_SPECS[root].root != root:
        raise InvalidInstrumentError(f"unknown contract root {root!r}")
    if not 1 <= month <= 12:
        raise InvalidInstrumentError(f"month must be 1..12, got {month}")
    return f"{root}{MONTH_CODES[month - 1]}{year % 100:02d}"
