"""Which market's calendar decides whether a risk factor could move on a B3 session, and what a gap is.

A factor's daily change on a B3 session is one of three things:

* its stored change, when its market was open and the change is known;
* **0.0 when its own market was closed** (a US holiday on a B3 session): nothing traded, nothing moved;
* **NaN, a stated gap**, when its market was open but no change is stored (a missing print).

Before a factor's first observation it is NaN too (the factor did not exist yet); that is not a gap.
"""

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np
import pandas as pd

from domain.market.calendar import is_b3_session
from domain.market.us_calendars import is_nyse_session, is_us_bond_day


class MarketCalendar(StrEnum):
    """The trading calendar a factor's market follows."""

    B3 = "BVMF"
    NYSE = "XNYS"
    US_BONDS = "US_BONDS"  # weekdays that are not US federal holidays (Treasury yield curve days)


# Brazilian factors trade on B3 sessions (PTAX is published on every one of them); the 10-year UST on
# bond-market days; the S&P 500 and WTI on NYSE sessions.
FACTOR_CALENDARS: dict[str, MarketCalendar] = {
    "DI_PRE:252": MarketCalendar.B3, "DI_PRE:504": MarketCalendar.B3, "DI_PRE:756": MarketCalendar.B3,
    "DI_PRE:1260": MarketCalendar.B3, "DI_PRE:2520": MarketCalendar.B3, "NTNB_REAL:1260": MarketCalendar.B3,
    "USDBRL": MarketCalendar.B3, "IBOVESPA": MarketCalendar.B3,
    "UST:3652": MarketCalendar.US_BONDS, "SP500": MarketCalendar.NYSE, "OIL": MarketCalendar.NYSE,
}


@dataclass(frozen=True, slots=True)
class FactorGap:
    """A session on which a factor's market was open but its change is missing."""

    factor: str
    day: date
    calendar: MarketCalendar


def market_open(calendar: MarketCalendar, days: pd.DatetimeIndex) -> np.ndarray:
    """Boolean mask, shape (len(days),): whether ``calendar``'s market was open on each day."""
    values = days.to_numpy().astype("datetime64[D]")
    if calendar == MarketCalendar.NYSE:
        return is_nyse_session(values)
    if calendar == MarketCalendar.US_BONDS:
        return is_us_bond_day(values)
    return np.array([is_b3_session(d) for d in values.astype(object)], dtype=bool)


def classify_changes(changes: pd.DataFrame, calendars: Mapping[str, MarketCalendar]
                     ) -> tuple[pd.DataFrame, list[FactorGap]]:
    """Zero the changes of closed markets and state the gaps of open ones.

    .. math:: \\Delta f_D = \\begin{cases} NaN & D < D_0(f) \\\\ 0 & \\text{market of } f \\text{ closed on } D
              \\\\ \\Delta f_D & \\text{otherwise (NaN: a gap)} \\end{cases}

    Parameters
    ----------
    changes : DataFrame
        Index: B3 sessions (Timestamps, ascending); columns: factors; NaN where no change is stored.
    calendars : mapping
        Factor -> its market's calendar; every column must have one.

    Returns
    -------
    (DataFrame, list of FactorGap)
        The changes (same shape) and the gaps, by factor then date.

    Raises
    ------
    KeyError
        When a column has no calendar.
    """
    out = changes.astype(float).copy()
    gaps: list[FactorGap] = []
    for factor in changes.columns:
        calendar = calendars[str(factor)]
        values = out[factor]
        observed = values.notna().to_numpy()
        if not observed.any():
            continue
        started = np.arange(len(values)) >= int(np.argmax(observed))
        open_ = market_open(calendar, pd.DatetimeIndex(out.index))
        out.loc[started & ~open_, factor] = 0.0
        missing = started & open_ & ~observed
        gaps += [FactorGap(str(factor), ts.date(), calendar) for ts in pd.DatetimeIndex(out.index)[missing]]
    return out, gaps
