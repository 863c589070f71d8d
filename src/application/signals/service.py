"""Agents, strategies, aggregation and the signal monitor over date ranges."""

import json
import math
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta

import pandas as pd

from application.ports import UnitOfWork
from application.signals.panel import PanelBuilder
from domain.agents import cross_asset, fiscal, fx, inflation, monetary
from domain.agents.base import AgentRun
from domain.agents.outputs import AgentOutputs, AgentParams, run_agents, signals_frame
from domain.panel_sources import upstream_of
from domain.signals.aggregation import AGE_COLUMN, AggregationMethod, aggregate
from domain.signals.monitor import monitor
from domain.staleness import input_staleness
from domain.strategies.pipeline import run_strategies

AGENT_RUNNERS: dict[str, Callable[[pd.DataFrame, AgentParams], AgentRun]] = {
    inflation.AGENT: lambda panel, p: inflation.run(panel, p.inflation),
    monetary.AGENT: lambda panel, p: monetary.run(panel, p.monetary),
    fiscal.AGENT: lambda panel, p: fiscal.run(panel, p.fiscal),
    fx.AGENT: lambda panel, p: fx.run(panel, p.fx),
    cross_asset.AGENT: lambda panel, p: cross_asset.run(panel, p.cross_asset),
}
AGENT_COLUMNS: dict[str, tuple[str, ...]] = {
    inflation.AGENT: inflation.COLUMNS, monetary.AGENT: monetary.COLUMNS, fiscal.AGENT: fiscal.COLUMNS,
    fx.AGENT: fx.COLUMNS, cross_asset.AGENT: cross_asset.COLUMNS,
}


def agent_dependencies(agent: str) -> tuple[str, ...]:
    """The pipeline steps (asset names) an agent reads: the Bronze and Silver layers of its panel columns."""
    upstream = upstream_of(AGENT_COLUMNS[agent])
    steps = sorted(f"bronze_{c}" for c in upstream.connectors)
    steps += ["silver_macro"] if upstream.features else []
    steps += ["silver_curves"] if upstream.curves else []
    return tuple(steps)


# The monitor compares each date with earlier ones: enough history for 'last non-zero sign'.
_MONITOR_LOOKBACK = timedelta(days=180)


@dataclass(frozen=True, slots=True)
class LayerResult:
    """What a signal-layer step wrote over a range."""

    rows: int
    dates: int
    latest: date | None


def _in_range(frame: pd.DataFrame, start: date, end: date, column: str = "date") -> pd.DataFrame:
    days = pd.to_datetime(frame[column])
    out = frame[(days >= pd.Timestamp(start)) & (days <= pd.Timestamp(end))].copy()
    out[column] = pd.to_datetime(out[column]).dt.date
    return out


def _latest(frame: pd.DataFrame) -> date | None:
    return max(frame["date"]) if not frame.empty else None


class AgentService:
    """Runs one agent over the point-in-time panel and stores its signals and daily reports."""

    def __init__(self, uow: Callable[[], UnitOfWork], panels: PanelBuilder, *,
                 params: AgentParams | None = None) -> None:
        self._uow = uow
        self._panels = panels
        self._params = params or AgentParams()

    def run_agent(self, agent: str, start: date, end: date) -> LayerResult:
        """Compute ``agent`` for every session up to ``end`` in one pass; store the dates in [start, end]."""
        if agent not in AGENT_RUNNERS:
            raise ValueError(f"unknown agent {agent!r}; known: {sorted(AGENT_RUNNERS)}")
        panel = self._panels.build(end)
        run = AGENT_RUNNERS[agent](panel, self._params)
        signals = _in_range(signals_frame({agent: run}), start, end)
        days = [d for d in panel.index if start <= d.date() <= end]
        reports = pd.DataFrame({
            "date": [d.date() for d in days], "agent": agent,
            "narrative": [run.narrator(run, d) for d in days],
            "diagnostics": [json.dumps({k: v for k, v in run.numbers(d).items() if math.isfinite(v)}, sort_keys=True)
                            for d in days],
        })
        with self._uow() as uow:
            counts = uow.signals.replace_agent(agent, start, end, signals, reports)
            uow.commit()
        return LayerResult(counts.written, len(days), _latest(signals))


class SignalService:
    """Strategies and aggregation (with regimes), and the monitor's events."""

    def __init__(self, uow: Callable[[], UnitOfWork], panels: PanelBuilder, *,
                 params: AgentParams | None = None,
                 method: AggregationMethod = AggregationMethod.BAYESIAN) -> None:
        self._uow = uow
        self._panels = panels
        self._params = params or AgentParams()
        self._method = method

    def outputs(self, end: date) -> tuple[pd.DataFrame, AgentOutputs]:
        """The panel up to ``end`` and every agent's outputs on it.

        Strategies need the agents' whole model paths, not only their stored signals; recomputing
        them from the same point-in-time panel reproduces the stored agent outputs exactly and costs
        a fraction of a second.
        """
        panel = self._panels.build(end)
        return panel, run_agents(panel, self._params)

    def aggregate_signals(self, start: date, end: date) -> LayerResult:
        """Strategy signals, aggregated signals per generic and regime probabilities for [start, end]."""
        pit = self._panels.build_point_in_time(end)
        panel, agents = pit.values, run_agents(pit.values, self._params)
        strategies = run_strategies(panel, agents)
        regimes = agents.regime_probs
        # Stale inputs (levels older than their fresh age) decay the strategies' confidence.
        aged = strategies.assign(**{AGE_COLUMN: input_staleness(strategies, pit.overdue)})
        aggregated = aggregate(aged, regimes, method=self._method)
        aggregated["method"] = str(self._method.value)
        regime_frame = regimes.copy()
        regime_frame.columns = [str(c).removeprefix("p_") for c in regime_frame.columns]
        regime_frame = regime_frame.dropna()
        regime_frame["regime"] = regime_frame.idxmax(axis=1)
        regime_frame = regime_frame.rename_axis("date").reset_index()
        strategies = _in_range(strategies, start, end)
        aggregated = _in_range(aggregated, start, end)
        regime_frame = _in_range(regime_frame, start, end)
        with self._uow() as uow:
            counts = uow.signals.replace_strategies(start, end, strategies)
            counts += uow.signals.replace_aggregated(start, end, aggregated, regime_frame)
            uow.commit()
        return LayerResult(counts.written, aggregated["date"].nunique(), _latest(aggregated))

    def monitor_signals(self, start: date, end: date) -> LayerResult:
        """Flips, conviction surges and divergences dated in [start, end], from the stored signals."""
        with self._uow() as uow:
            aggregated = uow.signals.aggregated(start - _MONITOR_LOOKBACK, end)
            strategies = uow.signals.strategies(start - _MONITOR_LOOKBACK, end)
            events = monitor(aggregated, strategies)
            events = _in_range(events, start, end) if not events.empty else events
            counts = uow.signals.replace_events(start, end, events)
            uow.commit()
        return LayerResult(counts.written, int(events["date"].nunique()) if not events.empty else 0,
                           _latest(events) if not events.empty else None)
