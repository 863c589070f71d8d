"""How old a panel level may be, in sessions of its own market, before it is stale and then missing.

A level's **age** on session D is the number of its market's sessions after the date its latest
known value refers to, up to and including D: a close known on its own day is 0 sessions old; the
S&P 500 on 4 July (NYSE closed) is still 0 sessions old; a PTAX last printed two B3 sessions ago is 2.

Each series has a ``fresh`` age (what it normally is when the source publishes on time: 0 for a
close, 1 for FRED's next-day series, up to 6 for the weekly Focus) and a ``limit``. Older than
``fresh``: the value is **stale** (used, and said to be). Older than ``limit``: **missing** (NaN).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain import panel as p
from domain.market.bronze import Connector
from domain.market.calendar import b3_sessions
from domain.market.factor_days import MarketCalendar
from domain.market.instruments import AssetClass
from domain.market.series import Frequency, ReleaseCalendar, SeriesSpec
from domain.market.us_calendars import nyse_session_array, us_federal_holiday_array


@dataclass(frozen=True, slots=True)
class MaxAge:
    """Ages in sessions of the series' market: ``fresh`` is on time, beyond ``limit`` is missing."""

    fresh: int
    limit: int

    def __post_init__(self) -> None:
        if not 0 <= self.fresh <= self.limit:
            raise ValueError(f"need 0 <= fresh <= limit, got fresh={self.fresh}, limit={self.limit}")


def max_age_for(spec: SeriesSpec) -> MaxAge:
    """The staleness limits of a series, by source and frequency (docs/decisions.md, "Stale levels")."""
    if spec.release_calendar == ReleaseCalendar.NEXT_WEEK_FIRST_BUSINESS_DAY:
        return MaxAge(6, 12)   # weekly publication of daily medians: up to a week old on time
    if spec.frequency == Frequency.WEEKLY:
        return MaxAge(8, 15)   # a Friday value published the next Wednesday, replaced a week later
    if spec.frequency != Frequency.DAILY:
        raise ValueError(f"{spec.series_id}: staleness limits are for daily and weekly levels")
    if spec.connector == Connector.BCB_SGS and spec.release_lag_days > 0:
        return MaxAge(2, 10)   # BCB's daily statistics (reserves) come a day or two late
    if spec.release_lag_days > 0:
        return MaxAge(1, 5)    # FRED's daily series: published the next business day
    return MaxAge(0, 5)        # closes and fixings known on their own day


def market_of(spec: SeriesSpec) -> MarketCalendar:
    """The market whose sessions a series' age is counted in."""
    if spec.connector in (Connector.BCB_SGS, Connector.BCB_PTAX, Connector.B3):
        return MarketCalendar.B3
    if spec.connector == Connector.YAHOO:
        return MarketCalendar.B3 if spec.code == "^BVSP" else MarketCalendar.NYSE
    return MarketCalendar.US_BONDS


def sessions_after(calendar: MarketCalendar, observed: np.ndarray, days: np.ndarray) -> np.ndarray:
    """Sessions of ``calendar`` in (observed, day] for paired ``datetime64[D]`` arrays; NaN where observed is NaT.

    Returns
    -------
    ndarray of float, shape as ``days``
    """
    obs = np.asarray(observed, dtype="datetime64[D]")
    day = np.asarray(days, dtype="datetime64[D]")
    out = np.full(day.shape, np.nan)
    known = ~np.isnat(obs)
    if not known.any():
        return out
    if calendar == MarketCalendar.US_BONDS:
        # busday_count counts [begin, end): shift both ends by a day to count (observed, day].
        one = np.timedelta64(1, "D")
        out[known] = np.busday_count(obs[known] + one, day[known] + one, holidays=us_federal_holiday_array())
        return out
    if calendar == MarketCalendar.NYSE:
        sessions = nyse_session_array()
    else:
        lo = pd.Timestamp(obs[known].min()).date()
        hi = pd.Timestamp(day[known].max()).date()
        sessions = np.array(b3_sessions(lo, hi), dtype="datetime64[D]")
    out[known] = np.searchsorted(sessions, day[known], side="right") - np.searchsorted(sessions, obs[known],
                                                                                        side="right")
    return out


# The market levels each asset class's strategies read: their age is the age of the strategies' inputs.
ASSET_CLASS_LEVELS: dict[AssetClass, tuple[str, ...]] = {
    AssetClass.RATES: (p.SELIC, p.FOCUS_SELIC_CY, p.FOCUS_SELIC_NY, p.FOCUS_IPCA_12M),
    AssetClass.INFLATION: (p.FOCUS_IPCA_12M, p.FOCUS_IPCA_CY, p.FOCUS_IPCA_NY),
    AssetClass.FX: (p.USDBRL, p.RESERVES_USD_MN, p.FOCUS_FX_CY, p.DXY),
    AssetClass.EQUITY: (p.IBOVESPA, p.EWZ, p.SP500, p.VIX),
    AssetClass.GLOBAL_RATES: (p.US_FED_FUNDS, p.US_UST_2Y, p.US_UST_10Y, p.US_TIPS_10Y, p.US_BREAKEVEN_10Y),
}


def input_staleness(strategies: pd.DataFrame, overdue: pd.DataFrame) -> np.ndarray:
    """Staleness, in sessions, of each strategy row's inputs: the most overdue level of its asset class.

    .. math:: a_{j,D} = \\max_{c \\in L(\\text{class}_j)} \\max(0, \\text{age}_{c,D} - \\text{fresh}_c)

    Parameters
    ----------
    strategies : DataFrame
        Columns ``date`` and ``asset_class`` (strategy rows).
    overdue : DataFrame
        Index: sessions (Timestamps); columns: panel level columns; sessions beyond each level's
        fresh age (0 when on time, NaN when missing or never known).

    Returns
    -------
    ndarray of float, shape (len(strategies),), >= 0 (0 when nothing is overdue or nothing is known).
    """
    by_class = {str(cls): overdue.reindex(columns=list(cols)).max(axis=1, skipna=True).fillna(0.0)
                for cls, cols in ASSET_CLASS_LEVELS.items()}
    dates = pd.to_datetime(strategies["date"])
    return np.array([float(by_class[str(c)].get(d, 0.0)) if str(c) in by_class else 0.0
                     for d, c in zip(dates, strategies["asset_class"], strict=True)], dtype=float)
