"""A constructed market and model book, written to the real tables the risk service reads.

Factor changes are seeded Student-t draws with a fixed correlation, stored in ``returns`` the way the
Silver layer stores them (curve vertices in bp, market series as log returns); the book is a fixed set of
positions whose P&L, NAV, drawdown and attribution follow from those changes.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from adapters.storage.unit_of_work import SqlAlchemyUnitOfWork
from domain.book import FACTOR_SOURCES, FACTORS, GENERICS
from domain.market.calendar import b3_sessions

# Daily scale of each factor's change, in its unit (bp or %).
FACTOR_SCALES = {"DI_PRE:252": 6.0, "DI_PRE:504": 8.0, "DI_PRE:756": 9.0, "DI_PRE:1260": 10.0,
                 "DI_PRE:2520": 11.0, "NTNB_REAL:1260": 7.0, "USDBRL": 0.9, "IBOVESPA": 1.3, "UST:3652": 6.0,
                 "SP500": 1.1, "OIL": 2.2}


@dataclass(frozen=True)
class Holding:
    """A position of the constructed book: sensitivity in BRL per unit of its generic's factor."""

    instrument: str
    generic: str
    contracts: int
    notional: float
    sensitivity: float

    @property
    def factor(self) -> str:
        return GENERICS[self.generic].factor

    @property
    def asset_class(self) -> str:
        return str(GENERICS[self.generic].asset_class)


# A receiver DI1 (short DI1F26 loses when rates rise), long USD, long Ibovespa.
BOOK = (Holding("DI1F26", "DI1_2Y", -1_000, -80_000_000.0, -13_500.0),
        Holding("DOLH25", "USDBRL", 400, 120_000_000.0, 1_200_000.0),
        Holding("INDH25", "IBOV", 300, 39_000_000.0, 390_000.0))
# Strategy signals (signal, confidence) per generic; IBOV has none, so its risk is unattributed.
SIGNALS = {"DI1_2Y": {"di_carry": (0.6, 0.5), "taylor_gap": (-0.2, 1.0)}, "USDBRL": {"fx_carry": (0.4, 0.8)}}


def sessions(first: date, count: int) -> list[date]:
    """``count`` B3 sessions from ``first``."""
    days = b3_sessions(first, date(first.year + 16, 12, 31))
    return days[:count]


@dataclass
class Market:
    """Raw stored changes per factor (bp, or log returns for price factors) on each session."""

    days: list[date]
    raw: dict[str, np.ndarray] = field(default_factory=dict)

    def changes(self, factors: Sequence[str] | None = None) -> pd.DataFrame:
        """Changes in factor units, computed as FactorHistory does (stored value x scale)."""
        columns = list(factors) if factors is not None else list(self.raw)
        return pd.DataFrame({f: self.raw[f] * FACTOR_SOURCES[f].scale for f in columns},
                            index=pd.DatetimeIndex(pd.to_datetime(self.days)))


def market(days: list[date], seed: int, factors: Sequence[str] = tuple(FACTORS)) -> Market:
    """Correlated Student-t (5 dof) shocks with GARCH(1,1) volatility (0.05, 0.10, 0.85) for ``factors``."""
    rng = np.random.default_rng(seed)
    n = len(factors)
    loadings = rng.standard_normal((n, 2))
    cov = loadings @ loadings.T + np.eye(n)
    d = np.sqrt(np.diag(cov))
    chol = np.linalg.cholesky(cov / np.outer(d, d))
    draws = (chol @ rng.standard_normal((n, len(days)))).T / np.sqrt(rng.chisquare(5.0, len(days)) / 5.0)[:, None]
    draws *= np.sqrt(3.0 / 5.0)
    variance = np.ones(n)
    for t in range(len(days)):
        draws[t] *= np.sqrt(variance)
        variance = 0.05 + 0.10 * draws[t] ** 2 + 0.85 * variance
    out = Market(days)
    for j, f in enumerate(factors):
        in_unit = np.round(draws[:, j] * FACTOR_SCALES[f], 6)
        out.raw[f] = in_unit / FACTOR_SOURCES[f].scale
    return out


def write_market(uow: SqlAlchemyUnitOfWork, data: Market) -> None:
    """Rows of ``returns`` for each factor's Silver instrument."""
    frames = []
    for factor, values in data.raw.items():
        source = FACTOR_SOURCES[factor]  # NaN values: the factor has no row that day (not started yet)
        curve = source.field == "rate_change_bp"
        frames.append(pd.DataFrame({
            "instrument": source.return_instrument, "trade_date": data.days, "kind": "curve" if curve else "series",
            "price_return": np.nan if curve else values, "rate_change_bp": values if curve else np.nan}))
    uow.returns.replace(data.days[0], data.days[-1], pd.concat(frames, ignore_index=True))


def write_book(uow: SqlAlchemyUnitOfWork, data: Market, days: list[date], *, nav0: float = 100_000_000.0,
               holdings: Callable[[date], Sequence[Holding]] = lambda d: BOOK) -> pd.DataFrame:
    """positions, book_nav, pnl_attribution and strategy_signals on ``days``; returns the book_nav frame.

    The P&L of date t is the book held at the close of the previous date on t's factor changes.
    """
    changes = data.changes()
    positions, navs, attribution, signals = [], [], [], []
    nav, peak, held = nav0, nav0, ()
    for day in days:
        moves = changes.loc[pd.Timestamp(day)]
        # A factor without stored changes (a data-gap scenario) contributes nothing to the constructed P&L.
        pnl_by = {h.instrument: h.sensitivity * float(moves.get(h.factor, 0.0)) for h in held}
        pnl = float(sum(pnl_by.values()))
        nav += pnl
        peak = max(peak, nav)
        held = tuple(holdings(day))
        gross = float(sum(abs(h.notional) for h in held))
        navs.append({"date": day, "nav": nav, "pnl": pnl, "daily_return": pnl / (nav - pnl), "peak_nav": peak,
                     "drawdown": nav / peak - 1.0, "gross_notional": gross, "gross_leverage": gross / nav})
        positions += [{"date": day, "instrument": h.instrument, "generic": h.generic, "asset_class": h.asset_class,
                       "contracts": h.contracts, "notional_brl": h.notional, "factor": h.factor,
                       "sensitivity_brl": h.sensitivity} for h in held]
        attribution += [{"date": day, "dimension": "instrument", "bucket": k, "pnl": v} for k, v in pnl_by.items()]
        by_class: dict[str, float] = {}
        for h in BOOK:
            by_class[h.asset_class] = by_class.get(h.asset_class, 0.0) + pnl_by.get(h.instrument, 0.0)
        attribution += [{"date": day, "dimension": "asset_class", "bucket": k, "pnl": v} for k, v in by_class.items()]
        attribution += [{"date": day, "dimension": "strategy", "bucket": "unattributed", "pnl": pnl}]
        signals += [{"date": day, "strategy_id": s, "generic": g, "asset_class": str(GENERICS[g].asset_class),
                     "signal": v, "confidence": c} for g, by in SIGNALS.items() for s, (v, c) in by.items()]
    frame = pd.DataFrame(navs)
    uow.book.replace("book_nav", days[0], days[-1], frame)
    uow.book.replace("positions", days[0], days[-1], pd.DataFrame(positions))
    uow.book.replace("pnl_attribution", days[0], days[-1], pd.DataFrame(attribution))
    uow.signals.replace_strategies(days[0], days[-1], pd.DataFrame(signals))
    return frame
