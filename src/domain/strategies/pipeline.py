"""The strategies layer's entry point: run every registered strategy over the panel."""

import numpy as np
import pandas as pd

from domain.agents.outputs import AgentOutputs
from domain.strategies import equity, fx, global_rates, inflation, rates
from domain.strategies.base import STRATEGY_COLUMNS, Strategy, StrategyResult, StrategySpec

STRATEGIES: tuple[tuple[StrategySpec, Strategy], ...] = (
    (rates.CARRY, rates.di1_carry_rolldown),
    (rates.TAYLOR, rates.di1_taylor_gap),
    (rates.SLOPE, rates.di1_slope),
    (rates.TERM_PREMIUM, rates.di1_term_premium),
    (rates.FISCAL, rates.di1_fiscal_premium),
    (inflation.BREAKEVEN, inflation.ntnb_breakeven_focus),
    (fx.CARRY, fx.usdbrl_carry),
    (fx.FAIR_VALUE, fx.usdbrl_fair_value),
    (equity.REGIME, equity.ibov_regime),
    (global_rates.US_CYCLE, global_rates.ust10_us_cycle),
)
"""Every strategy the desk runs, in heatmap order."""


def strategy_results(panel: pd.DataFrame, agents: AgentOutputs) -> dict[str, StrategyResult]:
    """Each strategy's wide result (date x generic), keyed by strategy id."""
    results = {}
    for spec, strategy in STRATEGIES:
        result = strategy(panel, agents)
        if result.spec != spec:
            raise ValueError(f"strategy {spec.strategy_id} returned signals for {result.spec.strategy_id}")
        results[spec.strategy_id] = result
    return results


def to_long(results: dict[str, StrategyResult]) -> pd.DataFrame:
    """Long format (``STRATEGY_COLUMNS``), rows with a signal only, sorted by date then registry order."""
    frames = []
    for result in results.values():
        spec = result.spec
        for generic in spec.generics:
            signal = result.signal[generic].to_numpy(dtype=np.float64)
            keep = np.isfinite(signal)
            frames.append(pd.DataFrame({
                "date": result.signal.index[keep], "strategy_id": spec.strategy_id,
                "asset_class": spec.asset_class.value, "generic": generic, "signal": signal[keep],
                "confidence": result.confidence[generic].to_numpy(dtype=np.float64)[keep],
            }))
    if not frames:
        return pd.DataFrame(columns=STRATEGY_COLUMNS)
    frame = pd.concat(frames, ignore_index=True)
    return frame.sort_values("date", kind="stable").reset_index(drop=True)[STRATEGY_COLUMNS]


def run_strategies(panel: pd.DataFrame, agents: AgentOutputs) -> pd.DataFrame:
    """Run every strategy over every date of the panel.

    Parameters
    ----------
    panel : DataFrame
        The daily panel (domain.panel) the agents ran on.
    agents : AgentOutputs
        From :func:`domain.agents.run_agents` on the same panel.

    Returns
    -------
    DataFrame
        Columns ``date, strategy_id, asset_class, generic, signal, confidence``: one row per date,
        strategy and generic with a signal; ``signal`` in [-1, 1] in the book's sign convention
        (domain.book: DI1 long = long rate), ``confidence`` in [0, 1].

    Raises
    ------
    ValueError
        When the agents were computed on a different set of dates than the panel.
    """
    if not agents.dates.equals(pd.DatetimeIndex(panel.index)):
        raise ValueError("agent outputs and panel cover different dates; run the agents on this panel")
    return to_long(strategy_results(panel, agents))
