"""Bronze records: what a market-data source returns, before any transformation.

Three shapes cover every source:

* :class:`Observation`: a point-in-time value of a series (SGS, Focus, PTAX, FRED, Yahoo closes).
  It carries both the date it refers to and the date it became known (``release_date``), so that
  reads can answer "as known on date D".
* :class:`InstrumentPrice`: a settlement or closing price of a tradable instrument (B3 futures,
  Tesouro Direto bonds), with the rate where the market quotes one.
* :class:`CurvePoint`: a published curve vertex (US Treasury par yields).
"""

import math
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum


class Connector(StrEnum):
    """The six Bronze connectors, one Dagster asset each (``bronze_<value>``)."""

    BCB_SGS = "bcb_sgs"
    BCB_PTAX = "bcb_ptax"
    FRED = "fred"
    YAHOO = "yahoo"
    B3 = "b3"
    TREASURY = "treasury"


class DayCount(StrEnum):
    """Day-count convention of a curve; one per curve id, never mixed."""

    BUS252 = "BUS/252"  # tenor in ANBIMA business days, exponential compounding (Brazil)
    ACT365 = "ACT/365"  # tenor in calendar days (US Treasury, bond-equivalent yields)


class InvalidRecordError(ValueError):
    """A Bronze record that cannot be stored (non-finite value, release before observation...)."""


@dataclass(frozen=True, slots=True)
class Observation:
    """One value of a series as published by its source.

    Attributes
    ----------
    series_id : str
        Catalogue id (see :mod:`domain.market.series`), e.g. ``BR_IPCA_MOM``.
    observation_date : date
        The date the value refers to (the 1st of the month for monthly series).
    release_date : date
        The first date on which the value was known; never before ``observation_date``.
    value : float
        Finite value in the catalogue's unit.
    source : str
        Connector that produced it.
    """

    series_id: str
    observation_date: date
    release_date: date
    value: float
    source: str

    def __post_init__(self) -> None:
        if not math.isfinite(self.value):
            raise InvalidRecordError(f"{self.source}/{self.series_id} {self.observation_date}: value {self.value} "
                                     "is not finite")
        if self.release_date < self.observation_date:
            raise InvalidRecordError(f"{self.source}/{self.series_id} {self.observation_date}: released "
                                     f"{self.release_date}, before the date it refers to")


@dataclass(frozen=True, slots=True)
class InstrumentPrice:
    """Settlement or close of an instrument on one trade date.

    Attributes
    ----------
    instrument : str
        Ticker (``DI1F27``, ``DOLZ26``, ``NTNB_20350515``, ``LTN_20270101``, ``^BVSP``).
    trade_date : date
        Session date.
    price : float
        Settlement price (DI1: PU in BRL; DOL: BRL per US$1,000; bonds: PU in BRL).
    rate : float or None
        Annual rate in decimal where the market quotes one (DI1 settlement rate, bond yields).
    source : str
        Connector that produced it.
    """

    instrument: str
    trade_date: date
    price: float
    rate: float | None
    source: str

    def __post_init__(self) -> None:
        if not math.isfinite(self.price) or self.price <= 0:
            raise InvalidRecordError(f"{self.source}/{self.instrument} {self.trade_date}: price {self.price} "
                                     "must be finite and positive")
        if self.rate is not None and not math.isfinite(self.rate):
            raise InvalidRecordError(f"{self.source}/{self.instrument} {self.trade_date}: rate {self.rate} "
                                     "is not finite")


@dataclass(frozen=True, slots=True)
class CurvePoint:
    """One vertex of a curve on one date.

    Attributes
    ----------
    curve_id : str
        ``UST_NOMINAL``, ``UST_REAL``, ``DI_PRE``, ``NTNB_REAL``, ``BR_BREAKEVEN``...
    curve_date : date
        Date of the curve.
    tenor_days : int
        Tenor in the curve's day count (business days for BUS/252, calendar days for ACT/365).
    day_count : DayCount
        The curve's single convention.
    rate : float
        Annual rate, decimal.
    source : str
        Connector or transform that produced it.
    """

    curve_id: str
    curve_date: date
    tenor_days: int
    day_count: DayCount
    rate: float
    source: str

    def __post_init__(self) -> None:
        if self.tenor_days <= 0:
            raise InvalidRecordError(f"{self.curve_id} {self.curve_date}: tenor must be positive, got "
                                     f"{self.tenor_days}")
        if not math.isfinite(self.rate):
            raise InvalidRecordError(f"{self.curve_id} {self.curve_date} {self.tenor_days}d: rate is not finite")


@dataclass(frozen=True, slots=True)
class BronzeBatch:
    """Everything one connector returned for one fetch window."""

    connector: Connector
    start: date
    end: date
    observations: tuple[Observation, ...] = field(default=())
    prices: tuple[InstrumentPrice, ...] = field(default=())
    curve_points: tuple[CurvePoint, ...] = field(default=())

    @property
    def row_count(self) -> int:
        """Number of records of all three shapes."""
        return len(self.observations) + len(self.prices) + len(self.curve_points)

    def latest_date(self) -> date | None:
        """Most recent observation, trade or curve date in the batch (None when empty)."""
        dates = [o.observation_date for o in self.observations]
        dates += [p.trade_date for p in self.prices]
        dates += [c.curve_date for c in self.curve_points]
        return max(dates) if dates else None
