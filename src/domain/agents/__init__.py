"""Analytical agents: inflation, monetary policy, fiscal, FX and cross-asset views from the daily panel.

Entry point: :func:`run_agents` (domain.agents.outputs) computes every date of a panel in one pass,
without look-ahead, and returns :class:`AgentOutputs`.
"""

from domain.agents.base import (
    NEUTRAL_BAND,
    AgentReport,
    AgentRun,
    AgentSignal,
    Direction,
    PanelError,
    SignalPath,
    SignalSpec,
)
from domain.agents.outputs import AGENTS, SIGNAL_COLUMNS, AgentOutputs, AgentParams, run_agents
from domain.agents.regime import REGIMES, Regime

__all__ = [
    "AGENTS",
    "NEUTRAL_BAND",
    "REGIMES",
    "SIGNAL_COLUMNS",
    "AgentOutputs",
    "AgentParams",
    "AgentReport",
    "AgentRun",
    "AgentSignal",
    "Direction",
    "PanelError",
    "Regime",
    "SignalPath",
    "SignalSpec",
    "run_agents",
]
