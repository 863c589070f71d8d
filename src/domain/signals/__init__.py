"""Signal aggregation per generic (confidence-weighted, rank-based, Bayesian with a regime prior) and the
signal monitor (flips, conviction surges, divergence)."""

from domain.signals.aggregation import (
    AGGREGATE_COLUMNS,
    AggregationMethod,
    AggregationParams,
    aggregate,
    bayesian_update,
    correlated_precision,
    observation_variance,
    staleness_factor,
)
from domain.signals.monitor import EVENT_COLUMNS, EventKind, MonitorParams, SignalEvent, monitor, to_events
from domain.signals.priors import REGIME_PRIOR_MEANS, prior_means

__all__ = [
    "AGGREGATE_COLUMNS",
    "EVENT_COLUMNS",
    "REGIME_PRIOR_MEANS",
    "AggregationMethod",
    "AggregationParams",
    "EventKind",
    "MonitorParams",
    "SignalEvent",
    "aggregate",
    "bayesian_update",
    "correlated_precision",
    "monitor",
    "observation_variance",
    "prior_means",
    "staleness_factor",
    "to_events",
]
