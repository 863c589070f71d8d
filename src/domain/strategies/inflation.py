"""Inflation-linked strategy on NTNB_5Y (long = long the bond PRICE: gains when real yields fall)."""

import numpy as np
import pandas as pd

from domain import panel as fields
from domain.agents.base import require_columns
from domain.agents.outputs import AgentOutputs
from domain.agents.rolling import sign_consistency, squash
from domain.market.instruments import AssetClass
from domain.strategies.base import StrategyResult, StrategySpec, blend, same_for

BREAKEVEN = StrategySpec("ntnb_breakeven_focus", AssetClass.INFLATION, ("NTNB_5Y",),
                         "buy NTN-B when the 5Y breakeven is cheap against Focus expectations")
SCALE = 0.0075
"""75bp of breakeven mispricing gives a 0.76 score."""


def ntnb_breakeven_focus(panel: pd.DataFrame, agents: AgentOutputs) -> StrategyResult:
    """NTN-B 5Y from breakeven mispricing versus Focus and the inflation agent.

    .. math::

        m = \\text{BE}_{5Y} - \\pi^{Focus}_{next\\ year}, \\qquad
        x = 0.7\\,[-\\tanh(m / 0.75pp)] + 0.3\\, s_{\\text{inflation}}

    A breakeven below what the survey expects (m < 0) makes inflation protection cheap: buy NTN-B
    (positive). Upside inflation pressure (the inflation agent's composite score > 0) favours
    linkers too. Confidence: 0.7 times the 63-session sign consistency of :math:`m` plus 0.3 times
    the agent's confidence.
    """
    require_columns(panel, (fields.BREAKEVEN_5Y, fields.FOCUS_IPCA_NY), BREAKEVEN.strategy_id)
    mispricing = panel[fields.BREAKEVEN_5Y].astype(np.float64) - panel[fields.FOCUS_IPCA_NY].astype(np.float64)
    view = agents.path("inflation.composite")
    signal, confidence = blend((0.7, -squash(mispricing, SCALE), sign_consistency(mispricing, 63)),
                               (0.3, view.score, view.confidence))
    return same_for(BREAKEVEN, signal, confidence)
