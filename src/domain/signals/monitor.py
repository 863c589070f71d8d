"""Signal monitor: dated events for flips, conviction surges and divergence between strategies."""

from dataclasses import dataclass
from datetime import date
from enum import StrEnum

import numpy as np
import pandas as pd

EVENT_COLUMNS = ["date", "kind", "subject", "previous", "value", "detail"]


class EventKind(StrEnum):
    """What the monitor saw."""

    FLIP = "flip"
    CONVICTION_SURGE = "conviction_surge"
    DIVERGENCE = "divergence"


@dataclass(frozen=True, slots=True)
class SignalEvent:
    """One monitor event: ``subject`` is a generic (flip, surge) or an asset class (divergence)."""

    date: date
    kind: EventKind
    subject: str
    previous: float
    value: float
    detail: str


@dataclass(frozen=True, slots=True)
class MonitorParams:
    """Thresholds (signal units).

    Attributes
    ----------
    surge_threshold : float
        A conviction surge is an absolute change of a generic's aggregated signal above this (0.3)
        from its previous date.
    divergence_threshold : float
        Strategies of one asset class diverge when max - min of their signals exceeds this (0.5).
    """

    surge_threshold: float = 0.3
    divergence_threshold: float = 0.5

    def __post_init__(self) -> None:
        if not self.surge_threshold > 0 or not self.divergence_threshold > 0:
            raise ValueError("monitor thresholds must be positive")


def _side(x: float) -> str:
    return "long" if x > 0 else "short" if x < 0 else "flat"


def _generic_events(aggregated: pd.DataFrame, params: MonitorParams) -> pd.DataFrame:
    frame = aggregated[["date", "generic", "signal"]].sort_values(["generic", "date"], kind="stable")
    generic = frame["generic"]
    signal = frame["signal"].astype(np.float64)
    previous = signal.groupby(generic, sort=False).shift(1)
    sign = pd.Series(np.sign(signal.to_numpy()), index=frame.index)
    # The last non-zero sign before today: a pass through exactly 0 still counts as a flip.
    prior_sign = sign.replace(0.0, np.nan).groupby(generic, sort=False).ffill().groupby(generic, sort=False).shift(1)
    change = signal - previous
    is_flip = ((sign != 0) & (prior_sign * sign < 0)).to_numpy()
    is_surge = (change.abs() > params.surge_threshold).to_numpy()
    dates, names = frame["date"].to_numpy(), generic.to_numpy()
    now, before, before_sign = signal.to_numpy(), previous.to_numpy(), prior_sign.to_numpy()
    rows = [(dates[i], EventKind.FLIP.value, names[i], before[i], now[i],
             f"{names[i]} flipped from {_side(before_sign[i])} to {_side(now[i])} "
             f"({before[i]:+.2f} -> {now[i]:+.2f})") for i in np.flatnonzero(is_flip)]
    rows += [(dates[i], EventKind.CONVICTION_SURGE.value, names[i], before[i], now[i],
              f"{names[i]} conviction {'rose' if abs(now[i]) > abs(before[i]) else 'fell'} by "
              f"{abs(now[i] - before[i]):.2f} ({before[i]:+.2f} -> {now[i]:+.2f})") for i in np.flatnonzero(is_surge)]
    return pd.DataFrame(rows, columns=EVENT_COLUMNS)


def _divergence_events(strategy_signals: pd.DataFrame, params: MonitorParams) -> pd.DataFrame:
    per_strategy = (strategy_signals.groupby(["asset_class", "date", "strategy_id"], sort=True)["signal"].mean()
                    .reset_index())
    grouped = per_strategy.groupby(["asset_class", "date"], sort=True)["signal"]
    hi, lo = grouped.idxmax().to_numpy(), grouped.idxmin().to_numpy()
    keys = grouped.size()
    values, strategies = per_strategy["signal"].to_numpy(np.float64), per_strategy["strategy_id"].to_numpy()
    spread = pd.Series(values[hi] - values[lo], index=keys.index)
    classes = keys.index.get_level_values("asset_class").to_numpy()
    dates = keys.index.get_level_values("date").to_numpy()
    enough = keys.to_numpy() >= 2
    spread = spread[enough]
    classes, dates, hi, lo = classes[enough], dates[enough], hi[enough], lo[enough]
    previous = spread.groupby(level="asset_class", sort=False).shift(1).to_numpy()
    now = spread.to_numpy()
    # An event when the class enters divergence, not on every day it stays divergent.
    onset = (now > params.divergence_threshold) & ~(previous > params.divergence_threshold)
    rows = [(dates[i], EventKind.DIVERGENCE.value, classes[i], previous[i], now[i],
             f"{classes[i]} strategies diverge by {now[i]:.2f}: {strategies[hi[i]]} {values[hi[i]]:+.2f} vs "
             f"{strategies[lo[i]]} {values[lo[i]]:+.2f}") for i in np.flatnonzero(onset)]
    return pd.DataFrame(rows, columns=EVENT_COLUMNS)


def monitor(aggregated: pd.DataFrame, strategy_signals: pd.DataFrame,
            params: MonitorParams = MonitorParams()) -> pd.DataFrame:
    """Events over a date-indexed history of aggregated and strategy signals.

    * ``flip``: a generic's aggregated signal changes sign against its last non-zero sign
      (:math:`\\operatorname{sign} s_t \\cdot \\operatorname{sign} s_{last} < 0`).
    * ``conviction_surge``: :math:`|s_t - s_{t-1}| > 0.3` on a generic (t-1 its previous date).
    * ``divergence``: within an asset class, :math:`\\max_j x_j - \\min_j x_j > 0.5` over its
      strategies' signals (a strategy on several generics counts with its mean); reported on the
      date the class enters divergence, with the previous date's spread.

    Parameters
    ----------
    aggregated : DataFrame
        ``date, generic, signal, ...`` (as from :func:`domain.signals.aggregate`).
    strategy_signals : DataFrame
        ``date, strategy_id, asset_class, generic, signal, ...`` (as from ``run_strategies``).
    params : MonitorParams

    Returns
    -------
    DataFrame
        ``date, kind, subject, previous, value, detail`` sorted by date, kind, subject; ``previous`` is
        NaN when there was no earlier value.
    """
    for name, frame, needed in (("aggregated", aggregated, ("date", "generic", "signal")),
                                ("strategy_signals", strategy_signals,
                                 ("date", "strategy_id", "asset_class", "signal"))):
        missing = [c for c in needed if c not in frame.columns]
        if missing:
            raise ValueError(f"{name} lacks columns {missing}")
    parts = [p for p in (_generic_events(aggregated, params), _divergence_events(strategy_signals, params))
             if not p.empty]
    if not parts:
        return pd.DataFrame(columns=EVENT_COLUMNS)
    events = pd.concat(parts, ignore_index=True)
    return events.sort_values(["date", "kind", "subject"], kind="stable").reset_index(drop=True)


def to_events(frame: pd.DataFrame) -> tuple[SignalEvent, ...]:
    """The event table as :class:`SignalEvent` records."""
    columns = [frame[name].tolist() for name in EVENT_COLUMNS]
    return tuple(SignalEvent(pd.Timestamp(day).date(), EventKind(kind), str(subject), float(previous), float(value),
                             str(detail)) for day, kind, subject, previous, value, detail in zip(*columns, strict=True))
