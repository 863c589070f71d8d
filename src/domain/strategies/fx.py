"""USD/BRL strategies (USDBRL long = long USD against BRL: positive when the real should weaken)."""

import pandas as pd

from domain.agents.outputs import AgentOutputs
from domain.market.instruments import AssetClass
from domain.strategies.base import StrategyResult, StrategySpec, blend, same_for

CARRY = StrategySpec("usdbrl_carry", AssetClass.FX, ("USDBRL",),
                     "sell USD/BRL when carry-to-risk is attractive, unless risk appetite is poor")
FAIR_VALUE = StrategySpec("usdbrl_fair_value", AssetClass.FX, ("USDBRL",),
                          "trade USD/BRL back towards its BEER fair value, confirmed by flows")


def usdbrl_carry(panel: pd.DataFrame, agents: AgentOutputs) -> StrategyResult:
    """Carry-to-risk gated by global risk appetite.

    .. math:: x = 0.7\\, s_{\\text{fx.carry}} - 0.3\\, s_{\\text{risk\\_appetite}}

    The FX agent's carry score is negative (sell USD) when carry-to-risk is high against its history;
    risk-off (negative appetite) adds to long USD, since carry trades unwind when risk appetite
    falls. Confidence blends the two agents' confidences with the same weights.
    """
    carry, appetite = agents.path("fx.carry"), agents.path("cross_asset.risk_appetite")
    signal, confidence = blend((0.7, carry.score, carry.confidence), (0.3, -appetite.score, appetite.confidence))
    return same_for(CARRY, signal, confidence)


def usdbrl_fair_value(panel: pd.DataFrame, agents: AgentOutputs) -> StrategyResult:
    """BEER misalignment, with flows as confirmation.

    .. math:: x = 0.75\\, s_{\\text{fx.beer}} + 0.25\\, s_{\\text{fx.flows}}

    Both agent scores are negative when USD/BRL should fall (spot above fair value; inflows), which
    is a short USD/BRL signal. Confidence blends likewise.
    """
    beer, flows = agents.path("fx.beer"), agents.path("fx.flows")
    signal, confidence = blend((0.75, beer.score, beer.confidence), (0.25, flows.score, flows.confidence))
    return same_for(FAIR_VALUE, signal, confidence)
