"""Agent outputs with chosen numbers (real AgentOutputs built from explicit paths), for strategy tests."""

import numpy as np
import pandas as pd

from domain.agents import AgentOutputs, AgentRun, SignalSpec
from domain.agents.base import signal_path
from domain.agents.outputs import signals_frame

Triple = tuple[list[float], list[float]]


def outputs_with(index: pd.DatetimeIndex, paths: dict[str, Triple],
                 diagnostics: dict[str, dict[str, list[float]]] | None = None) -> AgentOutputs:
    """AgentOutputs whose signal ``id`` has the given (score, confidence); the value is the score."""
    agents = {signal_id.split(".", 1)[0] for signal_id in paths} | set(diagnostics or {})
    runs = {}
    for agent in sorted(agents):
        agent_paths = {}
        for signal_id, (score, confidence) in paths.items():
            if signal_id.startswith(agent + "."):
                s = pd.Series(score, index=index, dtype=np.float64)
                agent_paths[signal_id] = signal_path(SignalSpec(signal_id, "test", 21, "test"), s, s,
                                                     pd.Series(confidence, index=index, dtype=np.float64))
        frame = pd.DataFrame((diagnostics or {}).get(agent, {}), index=index, dtype=np.float64)
        runs[agent] = AgentRun(agent, agent_paths, frame, lambda run, day: "")
    return AgentOutputs(runs=runs, signals=signals_frame(runs))
