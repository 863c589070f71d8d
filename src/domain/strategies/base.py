"""Strategy value types: what a strategy trades and the signals it produced.

A strategy turns agent outputs and panel data into a signal in [-1, +1] with a confidence in
[0, 1], per date, on one or more generics of domain.book.GENERICS, in the BOOK's sign convention:
+1 is a full long of the generic. DI1 long = long the RATE (a view that rates FALL is negative);
NTNB_5Y and UST10 long = long the bond PRICE (a view that yields FALL is positive); USDBRL long =
long USD; IBOV long = long equities.
"""

from collections.abc import Callable, Mapping
from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain.agents.base import FloatSeries
from domain.agents.outputs import AgentOutputs
from domain.book import GENERICS
from domain.market.instruments import AssetClass

STRATEGY_COLUMNS = ["date", "strategy_id", "asset_class", "generic", "signal", "confidence"]


@dataclass(frozen=True, slots=True)
class StrategySpec:
    """Identity of a strategy: id, asset class (heatmap row) and the generics it signals on.

    Raises
    ------
    ValueError
        For an unknown generic or one outside the strategy's asset class.
    """

    strategy_id: str
    asset_class: AssetClass
    generics: tuple[str, ...]
    description: str

    def __post_init__(self) -> None:
        if not self.generics:
            raise ValueError(f"{self.strategy_id}: a strategy needs at least one generic")
        for name in self.generics:
            if name not in GENERICS:
                raise ValueError(f"{self.strategy_id}: unknown generic {name!r}; known: {sorted(GENERICS)}")
            if GENERICS[name].asset_class is not self.asset_class:
                raise ValueError(f"{self.strategy_id}: generic {name} is {GENERICS[name].asset_class.value}, "
                                 f"not {self.asset_class.value}")


@dataclass(frozen=True)
class StrategyResult:
    """A strategy's signals over every date: one column per generic.

    Attributes
    ----------
    spec : StrategySpec
    signal : DataFrame
        Date-indexed, columns ``spec.generics``, values in [-1, 1] (NaN: no signal that day).
    confidence : DataFrame
        Same shape, in [0, 1], NaN exactly where ``signal`` is NaN.
    """

    spec: StrategySpec
    signal: pd.DataFrame
    confidence: pd.DataFrame

    def __post_init__(self) -> None:
        cols = list(self.spec.generics)
        if list(self.signal.columns) != cols or list(self.confidence.columns) != cols:
            raise ValueError(f"{self.spec.strategy_id}: columns must be the generics {cols}")
        if not self.signal.index.equals(self.confidence.index):
            raise ValueError(f"{self.spec.strategy_id}: signal and confidence must share one index")
        s, c = self.signal.to_numpy(dtype=np.float64), self.confidence.to_numpy(dtype=np.float64)
        if np.any(np.abs(s[np.isfinite(s)]) > 1.0) or np.any((c[np.isfinite(c)] < 0) | (c[np.isfinite(c)] > 1)):
            raise ValueError(f"{self.spec.strategy_id}: signal must be in [-1, 1] and confidence in [0, 1]")
        if not np.array_equal(np.isfinite(s), np.isfinite(c)):
            raise ValueError(f"{self.spec.strategy_id}: signal and confidence must be missing together")


def strategy_result(spec: StrategySpec, signals: Mapping[str, FloatSeries],
                    confidences: Mapping[str, FloatSeries]) -> StrategyResult:
    """Assemble a result: clip signals to [-1, 1] and confidences to [0, 1], NaN-align the two."""
    index = next(iter(signals.values())).index
    sig = pd.DataFrame({g: signals[g].reindex(index) for g in spec.generics}, index=index, dtype=np.float64)
    conf = pd.DataFrame({g: confidences[g].reindex(index) for g in spec.generics}, index=index, dtype=np.float64)
    s, c = sig.to_numpy().clip(-1.0, 1.0), conf.to_numpy().clip(0.0, 1.0)
    bad = ~(np.isfinite(s) & np.isfinite(c))
    s[bad], c[bad] = np.nan, np.nan
    return StrategyResult(spec, pd.DataFrame(s, index=index, columns=sig.columns),
                          pd.DataFrame(c, index=index, columns=conf.columns))


def same_for(spec: StrategySpec, signal: FloatSeries, confidence: FloatSeries) -> StrategyResult:
    """A result with one signal applied to every generic of the spec."""
    return strategy_result(spec, dict.fromkeys(spec.generics, signal), dict.fromkeys(spec.generics, confidence))


def blend(*legs: tuple[float, FloatSeries, FloatSeries]) -> tuple[FloatSeries, FloatSeries]:
    """Fixed-weight blend of ``(weight, signal, confidence)`` legs.

    .. math:: x = \\sum_i w_i x_i, \\qquad c = \\sum_i w_i c_i

    NaN wherever any leg is NaN (a blend with a missing leg is not the strategy).
    """
    if not legs:
        raise ValueError("blend needs at least one leg")
    signal = legs[0][0] * legs[0][1]
    confidence = legs[0][0] * legs[0][2]
    for weight, leg_signal, leg_confidence in legs[1:]:
        signal = signal + weight * leg_signal
        confidence = confidence + weight * leg_confidence
    return signal, confidence


Strategy = Callable[[pd.DataFrame, AgentOutputs], StrategyResult]
