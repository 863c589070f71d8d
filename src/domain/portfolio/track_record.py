"""Track record of a book: daily P&L from sensitivities and factor changes, NAV, equity curve, drawdown.

The book on date :math:`D` is the one held at the close of :math:`D`; it earns the factor changes of
the next session. With sensitivities :math:`S_{j,f,D}` (BRL per +1 unit of factor :math:`f` of position
:math:`j`, :class:`domain.book.Sensitivity`) and factor changes :math:`\\Delta f_D` (bp or %),

.. math:: PnL_{j,D} = \\sum_f S_{j,f,D-1}\\, \\Delta f_D

linear in the factors: no convexity, carry or funding (returns are in excess of cash). Everything is
computed on whole arrays of dates at once.
"""

from collections.abc import Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.errors import DataGapError
from domain.portfolio.errors import InvalidPortfolioInputError

SESSIONS_PER_YEAR = 252
DEFAULT_INITIAL_NAV = 100_000_000.0
SENSITIVITY_COLUMNS: tuple[str, ...] = ("date", "position", "factor", "brl_per_unit")


def sensitivity_panel(records: pd.DataFrame, dates: "pd.Index[pd.Timestamp] | list[pd.Timestamp]") -> pd.DataFrame:
    """Wide sensitivities by date from long records.

    Parameters
    ----------
    records : DataFrame
        Columns ``date``, ``position``, ``factor``, ``brl_per_unit``: the end-of-day book of each date.
        Repeated (date, position, factor) rows are summed. A date with no rows holds nothing.
    dates : sequence of Timestamp
        The sessions of the track record, ascending.

    Returns
    -------
    DataFrame
        Index ``dates``; columns a MultiIndex (``position``, ``factor``); zeros where not held.
    """
    missing = [c for c in SENSITIVITY_COLUMNS if c not in records.columns]
    if missing:
        raise InvalidPortfolioInputError(f"track record: sensitivity records lack column(s) {missing}")
    index = pd.DatetimeIndex(dates)
    frame = records.assign(date=pd.to_datetime(records["date"]))
    outside = ~frame["date"].isin(index)
    if outside.any():
        raise InvalidPortfolioInputError(f"track record: a book is dated {frame.loc[outside, 'date'].iloc[0].date()}, "
                                         "which is not among the track record's dates")
    if not np.all(np.isfinite(frame["brl_per_unit"].to_numpy(dtype=np.float64))):
        raise InvalidPortfolioInputError("track record: sensitivities must be finite")
    wide = frame.pivot_table(index="date", columns=["position", "factor"], values="brl_per_unit",
                             aggfunc="sum", fill_value=0.0)
    return wide.reindex(index, fill_value=0.0).astype("float64")


@dataclass(frozen=True, slots=True, eq=False)
class TrackRecord:
    """Daily P&L path of a book (BRL), indexed by session.

    Attributes
    ----------
    pnl : Series
        Total P&L of each date.
    pnl_by_position : DataFrame
        Dates x positions.
    nav : Series
        :math:`NAV_D = NAV_0 + \\sum_{t \\le D} PnL_t`.
    returns : Series
        :math:`PnL_D / NAV_{D-1}`.
    equity : Series
        :math:`NAV_D / NAV_0`.
    drawdown : Series
        :math:`NAV_D / \\max(NAV_0, \\max_{t \\le D} NAV_t) - 1`, zero or negative.
    initial_nav : float
        :math:`NAV_0`, before the first date.
    """

    pnl: pd.Series
    pnl_by_position: pd.DataFrame
    nav: pd.Series
    returns: pd.Series
    equity: pd.Series
    drawdown: pd.Series
    initial_nav: float

    @property
    def total_pnl(self) -> float:
        """Sum of daily P&L, BRL."""
        return float(self.pnl.sum())

    @property
    def max_drawdown(self) -> float:
        """Deepest drawdown, a negative decimal (0.0 if the NAV never fell below a peak)."""
        return float(self.drawdown.min()) if len(self.drawdown) else 0.0

    @property
    def annualised_volatility(self) -> float:
        """:math:`\\sigma(R)\\sqrt{252}` of daily returns after the first date (NaN with fewer than 2)."""
        values = self.returns.iloc[1:]
        return float(values.std(ddof=1) * np.sqrt(SESSIONS_PER_YEAR)) if len(values) > 1 else float("nan")

    @property
    def sharpe_ratio(self) -> float:
        """:math:`\\bar R / \\sigma(R) \\sqrt{252}` of daily returns after the first date (excess of cash)."""
        values = self.returns.iloc[1:]
        std = float(values.std(ddof=1)) if len(values) > 1 else float("nan")
        return float(values.mean() / std * np.sqrt(SESSIONS_PER_YEAR)) if std > 0 else float("nan")


def track_record(sensitivities: pd.DataFrame, factor_changes: pd.DataFrame, *,
                 initial_nav: float = DEFAULT_INITIAL_NAV) -> TrackRecord:
    """Daily P&L, NAV, equity curve and drawdown of a book held through ``factor_changes``' dates.

    .. math::

        PnL_{j,D} = \\sum_f S_{j,f,D^-} \\Delta f_D, \\qquad
        NAV_D = NAV_0 + \\sum_{t \\le D} \\sum_j PnL_{j,t}, \\qquad
        DD_D = \\frac{NAV_D}{\\max(NAV_0, \\max_{t \\le D} NAV_t)} - 1

    with :math:`D^-` the previous date of the index; the first date earns nothing (no book before it).

    Parameters
    ----------
    sensitivities : DataFrame
        From :func:`sensitivity_panel`: index of dates within ``factor_changes``' index, columns
        (``position``, ``factor``); dates not in it hold nothing.
    factor_changes : DataFrame
        Index: sessions ascending; columns: factors; values in bp or % (12.5 = +12.5bp).
    initial_nav : float
        BRL before the first date.

    Returns
    -------
    TrackRecord

    Raises
    ------
    InvalidPortfolioInputError
        On an unsorted index, dates outside it, or factors missing from ``factor_changes``.
    DataGapError
        When a held factor has no change (NaN) on a date: the P&L of that day is unknown.
    """
    if not (np.isfinite(initial_nav) and initial_nav > 0):
        raise InvalidPortfolioInputError(f"track record: initial NAV must be positive, got {initial_nav}")
    dates = factor_changes.index
    if not dates.is_monotonic_increasing or not dates.is_unique:
        raise InvalidPortfolioInputError("track record: factor change dates must be unique and ascending")
    if not sensitivities.index.isin(dates).all():
        raise InvalidPortfolioInputError("track record: sensitivities dated outside the factor changes' dates")
    if not isinstance(sensitivities.columns, pd.MultiIndex) or sensitivities.columns.nlevels != 2:
        raise InvalidPortfolioInputError("track record: sensitivity columns must be (position, factor)")
    factors = sensitivities.columns.get_level_values(1)
    absent = sorted(set(factors) - set(factor_changes.columns))
    if absent:
        raise InvalidPortfolioInputError(f"track record: no changes for factor(s) {absent}")
    held = sensitivities.reindex(dates, fill_value=0.0).to_numpy(dtype=np.float64)
    lagged = np.vstack([np.zeros((1, held.shape[1])), held[:-1]])
    changes = factor_changes.reindex(columns=factors).to_numpy(dtype=np.float64)
    gap = np.isnan(changes) & (lagged != 0)
    if gap.any():
        row, col = map(int, np.argwhere(gap)[0])
        raise DataGapError(f"track record: factor {factors[col]} has no change on {pd.Timestamp(dates[row]).date()} "
                           f"while position {sensitivities.columns[col][0]} is exposed to it")
    contributions = pd.DataFrame(lagged * np.nan_to_num(changes, nan=0.0), index=dates,
                                 columns=sensitivities.columns)
    by_position = contributions.T.groupby(level=0, sort=False).sum().T
    by_position.columns.name = "position"
    pnl = by_position.sum(axis=1).rename("pnl")
    nav = (initial_nav + pnl.cumsum()).rename("nav")
    previous = nav.shift(1).fillna(initial_nav)
    equity = (nav / initial_nav).rename("equity")
    peak = np.maximum.accumulate(np.maximum(nav.to_numpy(), initial_nav))
    drawdown = pd.Series(nav.to_numpy() / peak - 1.0, index=dates, name="drawdown")
    return TrackRecord(pnl=pnl, pnl_by_position=by_position, nav=nav, returns=(pnl / previous).rename("return"),
                       equity=equity, drawdown=drawdown, initial_nav=float(initial_nav))


def book_pnl(sensitivities: Mapping[str, tuple[str, float]], changes: Mapping[str, float]) -> dict[str, float]:
    """One day's P&L per position held over the day.

    .. math:: PnL_j = S_j \\, \\Delta f_{k(j)}

    Parameters
    ----------
    sensitivities : mapping
        Position -> (factor, BRL per +1 unit of the factor), as held at the previous close.
    changes : mapping
        Factor -> the day's change in its unit.

    Returns
    -------
    dict
        Position -> P&L in BRL.

    Raises
    ------
    DataGapError
        When a held factor has no (finite) change for the day.
    """
    out: dict[str, float] = {}
    for position, (factor, sensitivity) in sensitivities.items():
        change = changes.get(factor)
        if change is None or not np.isfinite(change):
            raise DataGapError(f"P&L: no change of factor {factor!r} for position {position}")
        out[position] = float(sensitivity) * float(change)
    return out
