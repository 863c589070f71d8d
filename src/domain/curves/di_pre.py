"""The DI pre curve: Brazil's nominal curve from DI1 settlement prices (BUS/252, flat forward).

Each DI1 contract alive on the curve date is a vertex at its business days to maturity ``du``,
with the rate implied by its settlement PU so that the curve reprices every contract exactly:

.. math:: r_i = \\left(\\frac{100\\,000}{PU_i}\\right)^{252/du_i} - 1
"""

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from typing import overload

import numpy as np
import pandas as pd

from domain._typing import FloatArray
from domain.curves.flat_forward import (
    FlatForwardCurve,
    InvalidCurveError,
    TenorArray,
    business_day_index,
    curves_by_date,
)
from domain.curves.points import sample_curve
from domain.curves.tenors import STANDARD_BUS_TENORS
from domain.market.bronze import CurvePoint
from domain.market.di1 import DI1_NOTIONAL, di1_rate
from domain.market.instruments import parse_future

DI_PRE_CURVE_ID = "DI_PRE"
# A settlement rate further than this from the rate its PU implies means a wrong PU, rate or du.
RATE_CONSISTENCY_TOLERANCE = 1e-4


@dataclass(frozen=True, slots=True, eq=False)
class DiCurve(FlatForwardCurve):
    """DI pre curve on one date: vertices at DI1 maturities, flat-forward on 252 business days.

    Parameters
    ----------
    curve_date : date
        Trade date of the settlements.
    du : array of int
        Business days to each DI1 maturity, strictly increasing.
    rates : array of float
        Rates implied by the settlement PUs, decimal.
    """

    @overload
    def pu(self, du: float) -> float: ...
    @overload
    def pu(self, du: TenorArray) -> FloatArray: ...

    def pu(self, du: float | TenorArray) -> float | FloatArray:
        """PU of a DI1 maturing ``du`` business days ahead, priced off the curve.

        .. math:: PU(du) = 100\\,000 \\cdot DF(du) = \\frac{100\\,000}{(1 + r(du))^{du/252}}

        Parameters
        ----------
        du : int, float or array
            Business days to maturity, non-negative.

        Returns
        -------
        float or array
            Unit prices in BRL; a float for a scalar ``du``.
        """
        if isinstance(du, np.ndarray):
            return DI1_NOTIONAL * self.discount_factor(du)
        return DI1_NOTIONAL * self.discount_factor(float(du))


_REQUIRED = ("instrument", "price")


def _di1_rows(frame: pd.DataFrame) -> pd.DataFrame:
    missing = [c for c in (*_REQUIRED, "trade_date") if c not in frame.columns]
    if missing:
        raise InvalidCurveError(f"DI pre curve: settlements lack column(s) {missing}")
    rows = frame.loc[frame["instrument"].astype(str).str.upper().str.startswith("DI1")]
    return rows


def _vertices(rows: pd.DataFrame) -> dict[date, DiCurve]:
    instruments = rows["instrument"].astype(str).str.strip().str.upper().to_numpy(dtype=np.str_)
    unique = np.unique(instruments)
    maturity_of = {t: np.datetime64(parse_future(str(t)).maturity, "D") for t in unique.tolist()}
    maturities = np.array([maturity_of[t] for t in unique.tolist()], dtype="datetime64[D]")
    maturities = maturities[np.searchsorted(unique, instruments)]
    days = pd.to_datetime(rows["trade_date"]).to_numpy().astype("datetime64[D]")
    du = business_day_index(maturities) - business_day_index(days)
    prices = rows["price"].to_numpy(dtype=np.float64)
    alive = du > 0
    bad_price = alive & ~(np.isfinite(prices) & (prices > 0))
    if np.any(bad_price):
        i = int(np.flatnonzero(bad_price)[0])
        raise InvalidCurveError(f"DI pre curve {days[i]}: {instruments[i]} has settlement PU {prices[i]}, "
                                "not a positive number")
    implied = np.full(prices.shape, np.nan)
    implied[alive] = di1_rate(prices[alive], du[alive].astype(np.float64))
    if "rate" in rows.columns:
        quoted = pd.to_numeric(rows["rate"], errors="coerce").to_numpy(dtype=np.float64)
        off = alive & np.isfinite(quoted) & (np.abs(implied - quoted) > RATE_CONSISTENCY_TOLERANCE)
        if np.any(off):
            i = int(np.flatnonzero(off)[0])
            raise InvalidCurveError(
                f"DI pre curve {days[i]}: {instruments[i]} settles at PU {prices[i]} ({du[i]} business "
                f"days), which implies {implied[i]:.6f}, but its quoted rate is {quoted[i]:.6f}")
    return curves_by_date(DiCurve, days, du, implied, instruments, "DI pre curve")


def build_di_curve(curve_date: date, settlements: pd.DataFrame) -> DiCurve:
    """DI pre curve of one date from the DI1 settlements of that date.

    .. math:: du_i = \\mathrm{bd}(t, T_i), \\quad r_i = (100\\,000 / PU_i)^{252/du_i} - 1

    with :math:`T_i` the first business day of the contract month and :math:`\\mathrm{bd}` the
    ANBIMA business days in :math:`[t, T_i)`.

    Parameters
    ----------
    curve_date : date
        The trade date ``t``.
    settlements : DataFrame
        Columns ``instrument`` (``DI1F27``), ``price`` (settlement PU) and optionally ``rate``
        (settlement rate, decimal, may be NaN) and ``trade_date`` (must then equal ``curve_date``).
        Rows of other roots (DOL, IND...) are ignored.

    Returns
    -------
    DiCurve
        Vertices at the contracts with ``du > 0``; contracts maturing on or before ``t`` are dropped.

    Raises
    ------
    InvalidCurveError
        When no contract is alive, a PU is not positive, a quoted rate is more than 1bp away from the
        rate its PU implies, two rows share a maturity, or rows carry another trade date.
    InvalidInstrumentError
        When a DI1 ticker is malformed.
    """
    frame = settlements.copy()
    if "trade_date" in frame.columns:
        other = pd.to_datetime(frame["trade_date"]).dt.date != curve_date
        if other.any():
            raise InvalidCurveError(f"DI pre curve {curve_date}: settlements of another trade date "
                                    f"({frame.loc[other, 'trade_date'].iloc[0]})")
    frame["trade_date"] = pd.Timestamp(curve_date)
    curves = _vertices(_di1_rows(frame))
    if curve_date not in curves:
        raise InvalidCurveError(f"DI pre curve {curve_date}: no DI1 contract alive in the settlements")
    return curves[curve_date]


def build_di_curves(settlements_all_dates: pd.DataFrame) -> dict[date, DiCurve]:
    """DI pre curves of many dates at once, vectorised across dates.

    Same construction as :func:`build_di_curve` on each trade date:

    .. math:: r_{t,i} = (100\\,000 / PU_{t,i})^{252/du_{t,i}} - 1

    Parameters
    ----------
    settlements_all_dates : DataFrame
        Columns ``trade_date``, ``instrument``, ``price`` and optionally ``rate``; other roots ignored.

    Returns
    -------
    dict of date to DiCurve
        One curve per trade date with at least one alive DI1, in date order; empty for empty input.

    Raises
    ------
    InvalidCurveError
        As :func:`build_di_curve`, naming the date and the contract.
    """
    rows = _di1_rows(settlements_all_dates)
    if rows.empty:
        return {}
    return _vertices(rows)


def di_curve_points(curve: DiCurve, tenors: Sequence[int] = STANDARD_BUS_TENORS) -> list[CurvePoint]:
    """DI pre curve points (``DI_PRE``, BUS/252, source ``silver``) at standard tenors.

    .. math:: \\{(t, r(t)) : t \\in tenors,\\ t \\le du_n\\}

    Parameters
    ----------
    curve : DiCurve
        The curve.
    tenors : sequence of int
        Business-day tenors; those past the last vertex are left out.

    Returns
    -------
    list of CurvePoint
        In tenor order.
    """
    return sample_curve(curve, DI_PRE_CURVE_ID, tenors)
