"""The NTN-B real curve: IPCA-linked real yields by business days to maturity (BUS/252, flat forward).

Each NTN-B (``NTNB_20350515``) alive on the curve date is a vertex at its business days to
maturity with its quoted real yield. The yields are yields to maturity of coupon bonds (6% a
year, semi-annual) used as if they were zero-coupon rates: no bootstrapping, which would need the
VNA and the coupon schedule. The interpolation is the DI curve's flat-forward scheme.
"""

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

import numpy as np
import pandas as pd

from domain.curves.flat_forward import FlatForwardCurve, InvalidCurveError, business_day_index, curves_by_date
from domain.curves.points import sample_curve
from domain.curves.tenors import STANDARD_BUS_TENORS
from domain.errors import InvalidInstrumentError
from domain.market.bronze import CurvePoint

NTNB_REAL_CURVE_ID = "NTNB_REAL"
_NTNB_RE = re.compile(r"^NTNB_(\d{4})(\d{2})(\d{2})$")


@dataclass(frozen=True, slots=True, eq=False)
class RealCurve(FlatForwardCurve):
    """NTN-B real-yield curve on one date (vertices at bond maturities, decimal real yields)."""


def ntnb_maturity(ticker: str) -> date:
    """Maturity of an NTN-B from its ticker: ``NTNB_20350515`` matures on 15 May 2035.

    Raises
    ------
    InvalidInstrumentError
        When the ticker is not ``NTNB_YYYYMMDD`` with a valid date.
    """
    match = _NTNB_RE.match(ticker.strip().upper())
    if match is None:
        raise InvalidInstrumentError(f"not an NTN-B ticker: {ticker!r} (expected e.g. 'NTNB_20350515')")
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as exc:
        raise InvalidInstrumentError(f"{ticker}: invalid maturity date ({exc})") from None


def _real_curves(frame: pd.DataFrame) -> dict[date, RealCurve]:
    missing = [c for c in ("instrument", "rate", "trade_date") if c not in frame.columns]
    if missing:
        raise InvalidCurveError(f"NTN-B real curve: bonds lack column(s) {missing}")
    rows = frame.loc[frame["instrument"].astype(str).str.strip().str.upper().str.startswith("NTNB_")]
    if rows.empty:
        return {}
    instruments = rows["instrument"].astype(str).str.strip().str.upper().to_numpy(dtype=np.str_)
    maturities = np.array([np.datetime64(ntnb_maturity(str(t)), "D") for t in instruments.tolist()],
                          dtype="datetime64[D]")
    days = pd.to_datetime(rows["trade_date"]).to_numpy().astype("datetime64[D]")
    du = business_day_index(maturities) - business_day_index(days)
    rates = pd.to_numeric(rows["rate"], errors="coerce").to_numpy(dtype=np.float64)
    bad = (du > 0) & ~(np.isfinite(rates) & (rates > -1.0))
    if np.any(bad):
        i = int(np.flatnonzero(bad)[0])
        raise InvalidCurveError(f"NTN-B real curve {days[i]}: {instruments[i]} has real yield {rates[i]}, "
                                "not a finite rate above -100%")
    return curves_by_date(RealCurve, days, du, rates, instruments, "NTN-B real curve")


def build_real_curve(curve_date: date, bonds: pd.DataFrame) -> RealCurve:
    """NTN-B real curve of one date.

    .. math:: du_i = \\mathrm{bd}(t, T_i), \\quad r_i = y_i

    with :math:`T_i` the maturity in the ticker, :math:`y_i` the quoted real yield and
    :math:`\\mathrm{bd}` the ANBIMA business days in :math:`[t, T_i)`.

    Parameters
    ----------
    curve_date : date
        The date ``t``.
    bonds : DataFrame
        Columns ``instrument`` (``NTNB_YYYYMMDD``) and ``rate`` (real yield, decimal), optionally
        ``trade_date`` (must then equal ``curve_date``). Other instruments (LTN, NTN-F...) are ignored.

    Returns
    -------
    RealCurve
        Vertices at the bonds with ``du > 0``.

    Raises
    ------
    InvalidCurveError
        When no NTN-B is alive, a yield is missing, two bonds share a maturity, or rows carry another date.
    InvalidInstrumentError
        When an NTN-B ticker is malformed.
    """
    frame = bonds.copy()
    if "trade_date" in frame.columns:
        other = pd.to_datetime(frame["trade_date"]).dt.date != curve_date
        if other.any():
            raise InvalidCurveError(f"NTN-B real curve {curve_date}: bonds of another date "
                                    f"({frame.loc[other, 'trade_date'].iloc[0]})")
    frame["trade_date"] = pd.Timestamp(curve_date)
    curves = _real_curves(frame)
    if curve_date not in curves:
        raise InvalidCurveError(f"NTN-B real curve {curve_date}: no NTN-B alive in the input")
    return curves[curve_date]


def build_real_curves(bonds_all_dates: pd.DataFrame) -> dict[date, RealCurve]:
    """NTN-B real curves of many dates at once (columns ``trade_date``, ``instrument``, ``rate``).

    .. math:: r_{t,i} = y_{t,i} \\text{ at } du_{t,i} = \\mathrm{bd}(t, T_i)

    Returns
    -------
    dict of date to RealCurve
        One curve per date with at least one alive NTN-B; empty for empty input.
    """
    return _real_curves(bonds_all_dates)


def real_curve_points(curve: RealCurve, tenors: Sequence[int] = STANDARD_BUS_TENORS) -> list[CurvePoint]:
    """NTN-B real curve points (``NTNB_REAL``, BUS/252, source ``silver``) at tenors up to the last vertex.

    .. math:: \\{(t, r(t)) : t \\in tenors,\\ t \\le du_n\\}
    """
    return sample_curve(curve, NTNB_REAL_CURVE_ID, tenors)
