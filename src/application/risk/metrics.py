"""One date's VaR/CVaR by three methods and its Euler component VaR, as rows of the risk tables.

* historical: trailing HISTORICAL_WINDOW (500) sessions of factor changes up to and including D, fewer
  when an exposed factor's history is shorter (at least MIN_HISTORY, 250); 10 days on overlapping sums;
* parametric: delta-normal on the sample covariance of the last PARAMETRIC_WINDOW (252) of those sessions;
* Monte Carlo: t copula with GARCH(1,1) marginals (:mod:`application.risk.models`), ``scenarios`` draws
  from a generator seeded with ``[seed, D.toordinal()]``, so re-running D reproduces it exactly; 10 days from
  the same draws scaled to each factor's fitted 10-day GARCH volatility (``to_horizon``);
* components: parametric 99% 1-day, by instrument, asset class and strategy (a position's component
  split by its generic's strategy weights; positions without weights in ``unattributed``).

A flat book has VaR 0 and no components.
"""

from collections.abc import Mapping
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd

from application.risk.backtest import BACKTEST_CONFIDENCE
from application.risk.book import BookDay
from application.risk.models import MonteCarloModels
from application.risk.windows import HISTORICAL_WINDOW, MIN_HISTORY, PARAMETRIC_WINDOW, FactorWindows
from domain.errors import DataGapError
from domain.portfolio.attribution import attribute_by_strategy
from domain.risk.component import aggregate_components, euler_components
from domain.risk.exposure import covariance_matrix, linear_pnl, portfolio_exposure
from domain.risk.montecarlo import monte_carlo_var, scenario_pnl, simulate, to_horizon
from domain.risk.var import (
    CONFIDENCE_LEVELS,
    HORIZONS_DAYS,
    VarMethod,
    VarResult,
    delta_normal_var,
    historical_var,
    volatility,
)

COMPONENT_CONFIDENCE = 0.99
Row = dict[str, Any]


def _rows(book: BookDay, results: list[VarResult]) -> list[Row]:
    return [{"date": book.day, "method": str(r.method), "confidence": r.confidence, "horizon_days": r.horizon_days,
             "var_brl": r.var, "cvar_brl": r.cvar, "var_pct_nav": r.var / book.nav, "cvar_pct_nav": r.cvar / book.nav}
            for r in results]


def _levels() -> list[tuple[float, int]]:
    return [(c, h) for c in CONFIDENCE_LEVELS for h in HORIZONS_DAYS]


def flat_rows(book: BookDay) -> list[Row]:
    """A flat book's rows: every method, level and horizon at zero."""
    return _rows(book, [VarResult(m, c, h, 0.0, 0.0) for m in VarMethod for c, h in _levels()])


class DayRisk:
    """Measures each date's book against the factor history loaded for a run."""

    def __init__(self, windows: FactorWindows, models: MonteCarloModels, *, scenarios: int, seed: int) -> None:
        self._windows = windows
        self._models = models
        self._scenarios = scenarios
        self._seed = seed

    def measure(self, book: BookDay, weights: Mapping[str, Mapping[str, float]]) -> tuple[list[Row], list[Row]]:
        """``risk_metrics`` rows (3 methods x 2 levels x 2 horizons) and ``risk_components`` rows of one date."""
        if book.flat:
            return flat_rows(book), []
        matrix, exposure, window = self._history(book)
        model = self._models.model(book.day, book.factors)
        pnl = self._pnl(window, exposure)
        s = exposure.to_numpy(dtype=np.float64)
        # Column-major, the layout a covariance DataFrame hands out: s'Σs then sums in the same order as
        # the DataFrame path of parametric_var/component_var, to the last bit.
        covariance = np.asfortranarray(covariance_matrix(window[-PARAMETRIC_WINDOW:]))
        rng = np.random.default_rng([self._seed, book.day.toordinal()])
        draws = simulate(model, self._scenarios, rng)
        simulated = {h: scenario_pnl(to_horizon(draws, model, h) if h > 1 else draws, model, exposure)
                     for h in HORIZONS_DAYS}
        sigma = volatility(s, covariance)
        parametric = [delta_normal_var(sigma, confidence=c, horizon_days=h) for c, h in _levels()]
        results = [historical_var(pnl, confidence=c, horizon_days=h) for c, h in _levels()] + parametric
        results += [monte_carlo_var(simulated[h], confidence=c, horizon_days=h) for c, h in _levels()]
        # Euler components are undefined for a book without variance (e.g. every sensitivity zero).
        if parametric[0].var > 0.0:
            return _rows(book, results), self._components(book, matrix, s, covariance, weights)
        return _rows(book, results), []

    def historical_var99(self, book: BookDay) -> float | None:
        """1-day 99% historical VaR of an earlier date's book, for backtest pairs; None if it cannot be measured."""
        if book.flat:
            return 0.0
        try:
            _, exposure, window = self._history(book)
        except DataGapError:
            return None
        return historical_var(self._pnl(window, exposure), confidence=BACKTEST_CONFIDENCE).var

    def _history(self, book: BookDay) -> tuple[pd.DataFrame, pd.Series, npt.NDArray[np.float64]]:
        """Exposure matrix and vector of the book, and its historical window (sessions x ``book.factors``)."""
        factors = book.factors
        self._windows.check_exposed(book.day, factors, book.holders)
        window = self._windows.trailing_values(book.day, factors, HISTORICAL_WINDOW)
        if len(window) < MIN_HISTORY:
            raise DataGapError(f"risk on {book.day.isoformat()}: {len(window)} sessions of history for {factors}, "
                               f"need {MIN_HISTORY}")
        matrix = book.matrix(factors)
        return matrix, portfolio_exposure(matrix), window

    @staticmethod
    def _pnl(window: npt.NDArray[np.float64], exposure: pd.Series) -> npt.NDArray[np.float64]:
        """Daily P&L of the window on the exposed factors (as :func:`~domain.risk.exposure.pnl_history`)."""
        s = exposure.to_numpy(dtype=np.float64)
        exposed = s != 0.0
        if exposed.all():
            return linear_pnl(window, s)
        return linear_pnl(np.asfortranarray(window[:, exposed]), s[exposed])

    @staticmethod
    def _components(book: BookDay, matrix: pd.DataFrame, s: npt.NDArray[np.float64],
                    covariance: npt.NDArray[np.float64], weights: Mapping[str, Mapping[str, float]]) -> list[Row]:
        total, values, _ = euler_components(matrix.to_numpy(dtype=np.float64), s, covariance,
                                            confidence=COMPONENT_CONFIDENCE)
        by_position = pd.Series(values, index=matrix.index, name="component_var")
        shares = (by_position / total).rename("share")
        # Components and shares split in one call: row 0 BRL, row 1 share of the total.
        by_strategy = attribute_by_strategy(pd.DataFrame([by_position, shares]), book.strategy_split(weights))
        by_class = aggregate_components(by_position, book.asset_classes)
        groups = {"instrument": (by_position.index, values, shares.to_numpy()),
                  "asset_class": (by_class.index, by_class.to_numpy(), by_class.to_numpy() / total),
                  "strategy": (by_strategy.columns, by_strategy.iloc[0].to_numpy(), by_strategy.iloc[1].to_numpy())}
        return [{"date": book.day, "dimension": dimension, "bucket": str(bucket), "var_brl": float(value),
                 "share": float(share)}
                for dimension, (buckets, values, shares) in groups.items()
                for bucket, value, share in zip(buckets, values, shares, strict=True)]
