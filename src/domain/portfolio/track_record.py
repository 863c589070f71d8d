"""Book accounting: the start-of-book rule, the NAV recursion, peak, drawdown, gross leverage, and the summary.

This is the one implementation of the model book's accounting; the portfolio service calls it session by
session and stores its rows in ``book_nav``. With :math:`M_t` the session's mark-to-market P&L
(:mod:`domain.portfolio.marking`) and :math:`C_t` its transaction costs (:mod:`domain.portfolio.costs`),

.. math::

    PnL_t = M_t - C_t, \\qquad NAV_t = NAV_{t-1} + PnL_t, \\qquad R_t = PnL_t / NAV_{t-1},

    peak_t = \\max(peak_{t-1}, NAV_t), \\qquad DD_t = NAV_t / peak_t - 1 \\le 0, \\qquad
    L_t = \\sum_j |N_{j,t}| / NAV_t

starting from :math:`NAV_0 = peak_0` = the initial NAV. The book starts on the first session that has target
weights (enough factor history); after that, a session without targets is a data gap.
"""

from dataclasses import dataclass
from datetime import date

import numpy as np

from domain.errors import DataGapError
from domain.portfolio.errors import InvalidPortfolioInputError

SESSIONS_PER_YEAR = 252


@dataclass(frozen=True, slots=True)
class NavState:
    """The book's NAV and its running peak at a close (BRL)."""

    nav: float
    peak: float

    def __post_init__(self) -> None:
        if not (np.isfinite(self.nav) and np.isfinite(self.peak) and self.peak > 0 and self.nav <= self.peak):
            raise InvalidPortfolioInputError(f"NAV state: need finite NAV <= peak > 0, got {self.nav}, {self.peak}")

    @property
    def drawdown(self) -> float:
        """:math:`NAV / peak - 1`, zero or negative."""
        return self.nav / self.peak - 1.0


def initial_state(initial_nav: float) -> NavState:
    """The state before the first session: NAV and peak both the initial NAV."""
    if not (np.isfinite(initial_nav) and initial_nav > 0):
        raise InvalidPortfolioInputError(f"track record: initial NAV must be positive, got {initial_nav}")
    return NavState(float(initial_nav), float(initial_nav))


def book_starts(*, started: bool, has_targets: bool, day: date) -> bool:
    """The start-of-book rule: does the book run on ``day``?

    Returns False before the first session with targets, True from it on.

    Raises
    ------
    DataGapError
        When the book has started and ``day`` has no targets.
    """
    if not started and not has_targets:
        return False
    if not has_targets:
        raise DataGapError(f"portfolio_sizing: no target weights for {day} (run portfolio_optimization)")
    return True


@dataclass(frozen=True, slots=True)
class BookDay:
    """One session of the track record (a ``book_nav`` row without its date).

    Attributes
    ----------
    nav, pnl, daily_return, peak_nav, drawdown : float
        As in the module formulas; ``pnl`` is net of ``costs``.
    gross_notional, gross_leverage : float
        :math:`\\sum_j |N_j|` at the close (BRL) and its ratio to the NAV.
    costs : float
        Transaction costs of the session's trades (BRL, >= 0).
    traded_notional : float
        :math:`\\sum_j |\\Delta n_j| N_j / n_j` of the session's trades (BRL): turnover.
    """

    nav: float
    pnl: float
    daily_return: float
    peak_nav: float
    drawdown: float
    gross_notional: float
    gross_leverage: float
    costs: float
    traded_notional: float

    @property
    def state(self) -> NavState:
        """The state the next session starts from."""
        return NavState(self.nav, self.peak_nav)


def close_session(previous: NavState, *, market_pnl: float, costs: float, gross_notional: float,
                  traded_notional: float) -> BookDay:
    """The session's track-record row from the previous close and the session's P&L, costs and book.

    .. math:: NAV_t = NAV_{t-1} + M_t - C_t, \\quad peak_t = \\max(peak_{t-1}, NAV_t), \\quad
              DD_t = NAV_t / peak_t - 1, \\quad L_t = G_t / NAV_t

    Parameters
    ----------
    previous : NavState
        NAV and peak at the previous close (:func:`initial_state` before the first session).
    market_pnl : float
        Mark-to-market P&L of the positions held over the session (BRL).
    costs : float
        Transaction costs of the session's trades (BRL, >= 0).
    gross_notional, traded_notional : float
        Of the closing book and of the trades (BRL, >= 0).

    Returns
    -------
    BookDay

    Raises
    ------
    InvalidPortfolioInputError
        On non-finite inputs, negative costs or notionals, or a NAV that is no longer positive.
    """
    values = (market_pnl, costs, gross_notional, traded_notional)
    if not all(np.isfinite(v) for v in values) or min(costs, gross_notional, traded_notional) < 0:
        raise InvalidPortfolioInputError(f"track record: invalid session inputs {values}")
    pnl = float(market_pnl) - float(costs)
    nav = previous.nav + pnl
    if nav <= 0:
        raise InvalidPortfolioInputError(f"track record: NAV fell to {nav:,.2f}")
    peak = max(previous.peak, nav)
    return BookDay(nav=nav, pnl=pnl, daily_return=pnl / previous.nav, peak_nav=peak, drawdown=nav / peak - 1.0,
                   gross_notional=float(gross_notional), gross_leverage=float(gross_notional) / nav,
                   costs=float(costs), traded_notional=float(traded_notional))


@dataclass(frozen=True, slots=True)
class Performance:
    """Summary of a track record.

    Attributes
    ----------
    sessions : int
    annual_return : float
        Geometric, :math:`\\prod (1 + R_t)^{252/T} - 1`.
    volatility : float
        :math:`\\sigma(R) \\sqrt{252}`.
    sharpe : float
        :math:`\\bar R / \\sigma(R) \\sqrt{252}` (returns are already in excess of the CDI).
    max_drawdown : float
        Deepest drawdown, a negative decimal.
    turnover : float
        Traded notional per year over the average NAV (times NAV a year).
    costs_pct_nav : float
        Transaction costs per year over the average NAV (decimal).
    costs_brl : float
        Total transaction costs (BRL).
    """

    sessions: int
    annual_return: float
    volatility: float
    sharpe: float
    max_drawdown: float
    turnover: float
    costs_pct_nav: float
    costs_brl: float


def performance(daily_return: "np.ndarray | list[float]", drawdown: "np.ndarray | list[float]",
                nav: "np.ndarray | list[float]", traded_notional: "np.ndarray | list[float]",
                costs: "np.ndarray | list[float]") -> Performance:
    """Annual return, volatility, Sharpe ratio, max drawdown, turnover and costs of ``book_nav`` columns.

    Parameters
    ----------
    daily_return, drawdown, nav, traded_notional, costs : array-like
        The ``book_nav`` columns of the sessions, in date order (at least two sessions).

    Returns
    -------
    Performance
    """
    r = np.asarray(daily_return, dtype=np.float64)
    if r.size < 2:
        raise InvalidPortfolioInputError("performance: needs at least two sessions")
    years = r.size / SESSIONS_PER_YEAR
    std = float(r.std(ddof=1))
    mean_nav = float(np.mean(np.asarray(nav, dtype=np.float64)))
    total_costs = float(np.sum(np.asarray(costs, dtype=np.float64)))
    return Performance(
        sessions=int(r.size), annual_return=float(np.prod(1.0 + r) ** (1.0 / years) - 1.0),
        volatility=std * float(np.sqrt(SESSIONS_PER_YEAR)),
        sharpe=float(r.mean() / std * np.sqrt(SESSIONS_PER_YEAR)) if std > 0 else float("nan"),
        max_drawdown=float(np.min(np.asarray(drawdown, dtype=np.float64))),
        turnover=float(np.sum(np.asarray(traded_notional, dtype=np.float64))) / mean_nav / years,
        costs_pct_nav=total_costs / mean_nav / years, costs_brl=total_costs)
