"""Equity strategy on IBOV (long = long Ibovespa)."""

import pandas as pd

from domain.agents.outputs import AgentOutputs
from domain.market.instruments import AssetClass
from domain.strategies.base import StrategyResult, StrategySpec, blend, same_for

REGIME = StrategySpec("ibov_regime", AssetClass.EQUITY, ("IBOV",),
                      "Ibovespa exposure from the macro regime and risk appetite")


def ibov_regime(panel: pd.DataFrame, agents: AgentOutputs) -> StrategyResult:
    """Ibovespa from the filtered regime and risk appetite.

    .. math:: x = 0.6 \\sum_k p_k \\tau_k + 0.4\\, s_{\\text{risk\\_appetite}}

    with the cross-asset agent's regime probabilities :math:`p_k` and tilts :math:`\\tau` (+1
    Goldilocks, +0.5 Reflation, -1 Stagflation, -0.5 Deflation). Confidence: 0.6 times the largest
    regime probability plus 0.4 times the risk-appetite confidence.
    """
    regime, appetite = agents.path("cross_asset.regime"), agents.path("cross_asset.risk_appetite")
    signal, confidence = blend((0.6, regime.score, regime.confidence), (0.4, appetite.score, appetite.confidence))
    return same_for(REGIME, signal, confidence)
