"""The agents layer's entry point: run all five agents over a panel and query their outputs."""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import date

import numpy as np
import pandas as pd

from domain.agents import cross_asset, fiscal, fx, inflation, monetary
from domain.agents.base import (
    NEUTRAL_BAND,
    AgentReport,
    AgentRun,
    AgentSignal,
    Direction,
    PanelError,
    SignalPath,
    direction_of,
)
from domain.agents.cross_asset import CrossAssetParams
from domain.agents.fiscal import FiscalParams
from domain.agents.fx import FxParams
from domain.agents.inflation import InflationParams
from domain.agents.monetary import MonetaryParams

SIGNAL_COLUMNS = ["date", "agent", "signal_id", "direction", "strength", "confidence", "value", "horizon_days"]
AGENTS = ("inflation", "monetary", "fiscal", "fx", "cross_asset")


@dataclass(frozen=True, slots=True)
class AgentParams:
    """Parameters of every agent (defaults documented in each agent's module)."""

    inflation: InflationParams = field(default_factory=InflationParams)
    monetary: MonetaryParams = field(default_factory=MonetaryParams)
    fiscal: FiscalParams = field(default_factory=FiscalParams)
    fx: FxParams = field(default_factory=FxParams)
    cross_asset: CrossAssetParams = field(default_factory=CrossAssetParams)


def _long(run: AgentRun, path: SignalPath) -> pd.DataFrame:
    score = path.score.to_numpy(dtype=np.float64)
    keep = np.isfinite(score)
    s = score[keep]
    direction = np.where(s >= NEUTRAL_BAND, Direction.LONG.value,
                         np.where(s <= -NEUTRAL_BAND, Direction.SHORT.value, Direction.NEUTRAL.value))
    return pd.DataFrame({
        "date": path.score.index[keep], "agent": run.agent, "signal_id": path.spec.signal_id,
        "direction": direction, "strength": np.abs(s), "confidence": path.confidence.to_numpy()[keep],
        "value": path.value.to_numpy()[keep], "horizon_days": np.full(s.size, path.spec.horizon_days, dtype=np.int64),
    })


def signals_frame(runs: Mapping[str, AgentRun]) -> pd.DataFrame:
    """Long-format signals of all runs, sorted by date (agents and signals in run order within a date)."""
    frames = [_long(run, path) for run in runs.values() for path in run.paths.values()]
    if not frames:
        return pd.DataFrame(columns=SIGNAL_COLUMNS)
    frame = pd.concat(frames, ignore_index=True)
    return frame.sort_values("date", kind="stable").reset_index(drop=True)[SIGNAL_COLUMNS]


@dataclass(frozen=True)
class AgentOutputs:
    """All agents' results over a panel.

    Attributes
    ----------
    runs : Mapping[str, AgentRun]
        Per agent: signal paths, diagnostics, narrator.
    signals : DataFrame
        Long format, columns ``SIGNAL_COLUMNS``: one row per date and computable signal; ``direction``
        LONG/SHORT/NEUTRAL, ``strength`` and ``confidence`` in [0, 1], ``value`` the model's number,
        ``horizon_days`` in B3 sessions.
    """

    runs: Mapping[str, AgentRun]
    signals: pd.DataFrame

    @property
    def dates(self) -> pd.DatetimeIndex:
        """The panel's session dates."""
        first = next(iter(self.runs.values()))
        return pd.DatetimeIndex(first.diagnostics.index)

    def path(self, signal_id: str) -> SignalPath:
        """One signal's whole history."""
        agent = signal_id.split(".", 1)[0]
        if agent not in self.runs or signal_id not in self.runs[agent].paths:
            raise KeyError(f"unknown agent signal {signal_id!r}")
        return self.runs[agent].paths[signal_id]

    def diagnostics(self, agent: str) -> pd.DataFrame:
        """One agent's date-indexed model diagnostics."""
        return self.runs[agent].diagnostics

    @property
    def regime_probs(self) -> pd.DataFrame:
        """Filtered regime probabilities by date (columns: goldilocks, reflation, stagflation, deflation)."""
        return cross_asset.regime_probabilities(self.runs[cross_asset.AGENT])

    def session_on(self, as_of: date) -> pd.Timestamp:
        """The last session on or before ``as_of`` (the view as known that day).

        Raises
        ------
        ValueError
            When ``as_of`` precedes the panel.
        """
        dates = self.dates
        position = int(dates.searchsorted(pd.Timestamp(as_of), side="right")) - 1
        if position < 0:
            raise ValueError(f"{as_of} is before the first panel date {dates[0].date()}")
        return pd.Timestamp(dates[position])

    def report(self, agent: str, as_of: date) -> AgentReport:
        """An agent's signals, narrative and diagnostics on the last session on or before ``as_of``."""
        if agent not in self.runs:
            raise KeyError(f"unknown agent {agent!r}; known: {sorted(self.runs)}")
        run = self.runs[agent]
        day = self.session_on(as_of)
        signals = []
        for path in run.paths.values():
            value, score, confidence = run.at(path.spec.signal_id, day)
            if not np.isfinite(score):
                continue
            signals.append(AgentSignal(path.spec.signal_id, direction_of(score), min(abs(score), 1.0), confidence,
                                       value, path.spec.horizon_days))
        diagnostics = {name: value for name, value in run.numbers(day).items() if np.isfinite(value)}
        return AgentReport(agent=agent, as_of=day.date(), signals=tuple(signals),
                           narrative=run.narrator(run, day), diagnostics=diagnostics)

    def narrative(self, as_of: date) -> dict[str, str]:
        """Every agent's narrative on the last session on or before ``as_of``."""
        day = self.session_on(as_of)
        return {name: run.narrator(run, day) for name, run in self.runs.items()}


def run_agents(panel: pd.DataFrame, params: AgentParams = AgentParams()) -> AgentOutputs:
    """Run the five agents over every date of a point-in-time panel in one pass.

    Every model only looks back (trailing/expanding estimation, filters without smoothing), so the
    output for date D depends on panel rows <= D only: truncating the panel after D leaves every
    output up to D unchanged.

    Parameters
    ----------
    panel : DataFrame
        The daily panel (domain.panel): DatetimeIndex of sessions ascending, decimal rates.
    params : AgentParams

    Returns
    -------
    AgentOutputs

    Raises
    ------
    PanelError
        When the panel is empty, its index is not ascending session dates, or a column is missing.
    """
    if panel.empty:
        raise PanelError("the panel has no rows")
    runs: dict[str, AgentRun] = {
        inflation.AGENT: inflation.run(panel, params.inflation),
        monetary.AGENT: monetary.run(panel, params.monetary),
        fiscal.AGENT: fiscal.run(panel, params.fiscal),
        fx.AGENT: fx.run(panel, params.fx),
        cross_asset.AGENT: cross_asset.run(panel, params.cross_asset),
    }
    return AgentOutputs(runs=runs, signals=signals_frame(runs))
