"""Brazilian nominal-rates strategies on the DI1 generics (DI1 long = long the RATE).

A view that rates will FALL is a NEGATIVE DI1 signal (receive, "dado"); one that they will RISE is
positive (pay, "tomado").
"""

import numpy as np
import pandas as pd

from domain import panel as fields
from domain.agents.base import FloatSeries, require_columns
from domain.agents.monetary import CDI_SPREAD
from domain.agents.outputs import AgentOutputs
from domain.agents.rolling import SESSIONS_PER_YEAR, rate_vol, sign_consistency, squash, trailing_zscore
from domain.market.instruments import AssetClass
from domain.strategies.base import StrategyResult, StrategySpec, blend, same_for, strategy_result

HORIZON = 63
"""Carry horizon and risk horizon: one quarter of sessions."""
CURVE_SEGMENTS: dict[str, tuple[str, float, str, float]] = {
    "DI1_1Y": (fields.DI_6M, 0.5, fields.DI_1Y, 1.0),
    "DI1_2Y": (fields.DI_1Y, 1.0, fields.DI_2Y, 2.0),
    "DI1_3Y": (fields.DI_2Y, 2.0, fields.DI_3Y, 3.0),
}
"""Generic -> (shorter vertex, its tenor in years, the generic's vertex, its tenor)."""

CARRY = StrategySpec("di1_carry_rolldown", AssetClass.RATES, ("DI1_1Y", "DI1_2Y", "DI1_3Y"),
                     "receive where a quarter of carry and roll-down cushions more than a quarter of rate vol")
TAYLOR = StrategySpec("di1_taylor_gap", AssetClass.RATES, ("DI1_1Y", "DI1_2Y"),
                      "front end versus the Taylor-rule policy path (r* Kalman-filtered)")
SLOPE = StrategySpec("di1_slope", AssetClass.RATES, ("DI1_5Y",),
                     "mean reversion of the 1Y-5Y slope, expressed on the 5Y")
TERM_PREMIUM = StrategySpec("di1_term_premium", AssetClass.RATES, ("DI1_5Y", "DI1_10Y"),
                            "receive a rich term premium over the Focus Selic path, pay a poor one")
FISCAL = StrategySpec("di1_fiscal_premium", AssetClass.RATES, ("DI1_10Y",),
                      "pay the long end when fiscal risk exceeds the premium the curve prices")


def carry_cushion(short_rate: FloatSeries, long_rate: FloatSeries, cdi: FloatSeries, short_tenor: float,
                  long_tenor: float, horizon_years: float) -> FloatSeries:
    """Rate rise a DI1 receiver can absorb over the horizon: carry plus roll-down, in rate units.

    .. math::

        \\text{cushion} = \\underbrace{(r_T - \\text{CDI})\\,h\\,\\frac{1 + r_T}{T}}_{\\text{carry / duration}}
                        + \\underbrace{\\frac{h}{T - T_0}\\,(r_T - r_{T_0})}_{\\text{roll-down}}

    The receiver earns :math:`r_T - \\text{CDI}` a year on the notional; dividing by the modified
    duration :math:`T/(1 + r_T)` turns it into basis points of rate. On an unchanged curve the
    contract rolls from tenor :math:`T` towards :math:`T - h`, linearly interpolated to :math:`T_0`.

    Parameters
    ----------
    short_rate, long_rate : Series
        :math:`r_{T_0}` and :math:`r_T`, decimals.
    cdi : Series
        Overnight CDI (the floating leg).
    short_tenor, long_tenor : float
        :math:`T_0 < T`, years.
    horizon_years : float
        :math:`h`.

    Returns
    -------
    Series
        Positive when receiving pays.
    """
    if not 0 <= short_tenor < long_tenor or not 0 < horizon_years <= long_tenor - short_tenor:
        raise ValueError(f"need 0 <= T0 < T and 0 < h <= T - T0, got {short_tenor}, {long_tenor}, {horizon_years}")
    carry = (long_rate - cdi) * horizon_years * (1.0 + long_rate) / long_tenor
    roll = horizon_years / (long_tenor - short_tenor) * (long_rate - short_rate)
    return carry + roll


def di1_carry_rolldown(panel: pd.DataFrame, agents: AgentOutputs) -> StrategyResult:
    """Carry and roll-down of receiving DI1 at 1, 2 and 3 years, per unit of rate risk.

    .. math:: x = -\\tanh\\left(\\frac{\\text{cushion}_{63}}{\\sigma_{63}}\\right)

    with :math:`\\sigma_{63}` the standard deviation of the vertex's 63-session change (from 63 daily
    changes). Negative (receive) when the cushion is positive. Confidence: the share of the last 63
    sessions whose cushion had today's sign.
    """
    require_columns(panel, (fields.SELIC, fields.DI_6M, fields.DI_1Y, fields.DI_2Y, fields.DI_3Y), CARRY.strategy_id)
    cdi = panel[fields.SELIC].astype(np.float64) - CDI_SPREAD
    signals, confidences = {}, {}
    for generic, (short_col, t0, long_col, t) in CURVE_SEGMENTS.items():
        short_rate, long_rate = panel[short_col].astype(np.float64), panel[long_col].astype(np.float64)
        cushion = carry_cushion(short_rate, long_rate, cdi, t0, t, HORIZON / SESSIONS_PER_YEAR)
        risk = rate_vol(long_rate, HORIZON, HORIZON)
        signals[generic] = -squash(cushion / risk.where(risk > 0), 1.0)
        confidences[generic] = sign_consistency(cushion, HORIZON)
    return strategy_result(CARRY, signals, confidences)


def di1_taylor_gap(panel: pd.DataFrame, agents: AgentOutputs) -> StrategyResult:
    """Front-end DI1 from the monetary agent: the market path versus the model, and the Taylor gap.

    .. math:: x = 0.6\\, s_{\\text{market\\_path}} + 0.4\\, s_{\\text{taylor\\_gap}}

    Both agent scores are positive when rates should rise (market below the model's path; Selic
    below the Taylor rate), which is a positive (pay) DI1 signal. Confidence blends likewise.
    """
    path, gap = agents.path("monetary.market_path"), agents.path("monetary.taylor_gap")
    signal, confidence = blend((0.6, path.score, path.confidence), (0.4, gap.score, gap.confidence))
    return same_for(TAYLOR, signal, confidence)


def di1_slope(panel: pd.DataFrame, agents: AgentOutputs) -> StrategyResult:
    """Slope mean reversion on the 5Y: a steep 1Y-5Y slope tends to flatten from the long end.

    .. math:: x = -\\tanh\\left(\\frac{z_{756}(r_{5Y} - r_{1Y})}{1.5}\\right)

    Steeper than its trailing three years (z > 0) -> receive the 5Y (negative DI1). Confidence: the
    63-session sign consistency of the z-score.
    """
    require_columns(panel, (fields.DI_1Y, fields.DI_5Y), SLOPE.strategy_id)
    slope = panel[fields.DI_5Y].astype(np.float64) - panel[fields.DI_1Y].astype(np.float64)
    z = trailing_zscore(slope, 756, 252)
    return same_for(SLOPE, -squash(z, 1.5), sign_consistency(z, HORIZON))


def di1_term_premium(panel: pd.DataFrame, agents: AgentOutputs) -> StrategyResult:
    """The monetary agent's term-premium view on the 5Y and 10Y.

    .. math:: x = s_{\\text{term\\_premium}} = -\\tanh(z_{tp} / 1.5)

    (a rich premium is expected to compress: rates fall, negative DI1). Confidence: the agent's.
    """
    premium = agents.path("monetary.term_premium")
    return same_for(TERM_PREMIUM, premium.score, premium.confidence)


def di1_fiscal_premium(panel: pd.DataFrame, agents: AgentOutputs) -> StrategyResult:
    """Is the long end pricing fiscal risk? Fiscal view minus the priced premium.

    .. math:: x = \\operatorname{clip}\\left(s_{\\text{fiscal}} - \\tanh(z_{tp} / 1.5),\\ -1, 1\\right)

    :math:`s_{\\text{fiscal}}` is the fiscal agent's composite score (positive: debt dynamics
    worsening) and :math:`z_{tp}` the term-premium z-score. Fiscal risk above what the premium prices
    -> pay the 10Y (positive DI1). Confidence: the mean of the two confidences.
    """
    fiscal = agents.path("fiscal.composite")
    premium_z = agents.diagnostics("monetary")["term_premium_z"]
    priced = squash(premium_z, 1.5)
    premium_conf = agents.path("monetary.term_premium").confidence
    signal = (fiscal.score - priced).clip(-1.0, 1.0)
    return same_for(FISCAL, signal, 0.5 * (fiscal.confidence + premium_conf))
