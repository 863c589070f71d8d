"""US Treasury strategy on UST10 (long = long the note PRICE: positive when yields should fall)."""

import numpy as np
import pandas as pd

from domain import panel as fields
from domain.agents.base import require_columns
from domain.agents.outputs import AgentOutputs
from domain.agents.rolling import sign_consistency, squash
from domain.agents.taylor import TaylorRule, okun_gap, taylor_rate
from domain.market.instruments import AssetClass
from domain.strategies.base import StrategyResult, StrategySpec, same_for

US_CYCLE = StrategySpec("ust10_us_cycle", AssetClass.GLOBAL_RATES, ("UST10",),
                        "UST 10Y yield versus the policy rate the US cycle prescribes")
US_NEUTRAL_REAL = 0.0075
"""US neutral real rate: between Holston-Laubach-Williams estimates and the FOMC's longer-run dot less 2%."""
US_TARGET = 0.02
SCALE = 0.01


def us_taylor_rate(core_pce: "pd.Series[float]", unemployment: "pd.Series[float]",
                   nairu: "pd.Series[float]") -> "pd.Series[float]":
    """US Taylor rate with an Okun output gap.

    .. math:: i^{US} = r^* + \\pi + 0.5(\\pi - 2\\%) + 0.5 \\cdot (-2)(u - u^*)

    with :math:`r^*` = 0.75% and :math:`\\pi` core PCE inflation (year on year).
    """
    gap = okun_gap(unemployment, nairu)
    return pd.Series(taylor_rate(US_NEUTRAL_REAL, core_pce, US_TARGET, gap, TaylorRule()), index=core_pce.index)


def ust10_us_cycle(panel: pd.DataFrame, agents: AgentOutputs) -> StrategyResult:
    """Long UST10 when the 10-year yield sits above the policy rate the US cycle calls for.

    .. math:: v = y_{10Y} - i^{US}_{Taylor}, \\qquad x = \\tanh(v / 1pp)

    A yield above the Taylor rate prices more tightening than the cycle justifies: yields should
    fall, long the note (positive). Confidence: the 63-session sign consistency of :math:`v`.
    """
    require_columns(panel, (fields.US_CORE_PCE_YOY, fields.US_UNEMPLOYMENT, fields.US_NAIRU, fields.US_UST_10Y),
                    US_CYCLE.strategy_id)
    taylor = us_taylor_rate(panel[fields.US_CORE_PCE_YOY].astype(np.float64),
                            panel[fields.US_UNEMPLOYMENT].astype(np.float64), panel[fields.US_NAIRU].astype(np.float64))
    value = panel[fields.US_UST_10Y].astype(np.float64) - taylor
    return same_for(US_CYCLE, squash(value, SCALE), sign_consistency(value, 63))
