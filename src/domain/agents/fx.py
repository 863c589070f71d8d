"""FX agent: BEER fair value of USD/BRL, carry-to-risk, flows.

Signals (subject: USD/BRL; LONG = USD/BRL expected to rise, i.e. the real to weaken):

* ``fx.beer``: misalignment :math:`\\ln s - \\ln \\hat s` of USD/BRL against a fair value re-estimated
  by expanding-window OLS (rows <= D) on: log WTI (terms-of-trade proxy: oil is Brazil's first export
  with iron ore and soy), log DXY (the global dollar), the ex-ante real-rate differential
  :math:`[(1+\\text{Selic})/(1+\\pi^e) - 1] - [\\text{FF} - \\text{core PCE}]`, log reserves. Above fair
  value -> SHORT. Score ``-tanh(value / 10%)``; confidence the expanding R².
* ``fx.carry``: carry-to-risk, (DI 3M - Fed funds) / 63-session realised USD/BRL vol. Attractive carry
  against its trailing three years (z over 756 sessions) draws inflows -> SHORT. Score ``-tanh(z)``;
  confidence the 63-session sign consistency.
* ``fx.flows``: 63-session change of log reserves plus the change of the 12-month trade balance as a
  share of reserves. Inflows above their trailing norm -> SHORT. Score ``-tanh(z)``; confidence the
  63-session sign consistency.
* ``fx.composite``.
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain import panel as fields
from domain.agents.base import AgentRun, SignalSpec, column, composite_path, require_columns, signal_path
from domain.agents.beer import beer_fair_value
from domain.agents.narrative import num, numbers, pct, view
from domain.agents.rolling import log_level, realised_vol, sign_consistency, squash, trailing_zscore

AGENT = "fx"
COLUMNS = (fields.USDBRL, fields.WTI, fields.DXY, fields.SELIC, fields.FOCUS_IPCA_12M, fields.US_FED_FUNDS,
           fields.US_CORE_PCE_YOY, fields.RESERVES_USD_MN, fields.TRADE_BALANCE_12M_USD_MN, fields.DI_3M)
BEER_REGRESSORS = ("log_wti", "log_dxy", "real_rate_differential", "log_reserves")

SPECS = {
    s.signal_id: s for s in (
        SignalSpec("fx.beer", "USD/BRL", 126, "log USD/BRL minus log BEER fair value"),
        SignalSpec("fx.carry", "USD/BRL", 63, "carry-to-risk: (DI 3M - Fed funds) / realised vol"),
        SignalSpec("fx.flows", "USD/BRL", 63, "63-session reserves + trade-balance change, share of reserves"),
        SignalSpec("fx.composite", "USD/BRL", 63, "confidence-weighted FX view"),
    )
}


@dataclass(frozen=True, slots=True)
class FxParams:
    """Model parameters (windows in sessions)."""

    beer_min_obs: int = 504
    beer_scale: float = 0.10
    vol_window: int = 63
    z_window: int = 756
    z_min_obs: int = 252
    flow_horizon: int = 63
    consistency_window: int = 63


def run(panel: pd.DataFrame, params: FxParams = FxParams()) -> AgentRun:
    """Compute the FX agent on every date of the panel (rows <= D only for date D)."""
    require_columns(panel, COLUMNS, AGENT)
    index = pd.DatetimeIndex(panel.index)
    spot = column(panel, fields.USDBRL)
    reserves = column(panel, fields.RESERVES_USD_MN)
    br_real = (1.0 + column(panel, fields.SELIC)) / (1.0 + column(panel, fields.FOCUS_IPCA_12M)) - 1.0
    us_real = column(panel, fields.US_FED_FUNDS) - column(panel, fields.US_CORE_PCE_YOY)
    fundamentals = pd.DataFrame({
        "log_wti": log_level(column(panel, fields.WTI)), "log_dxy": log_level(column(panel, fields.DXY)),
        "real_rate_differential": br_real - us_real, "log_reserves": log_level(reserves),
    }, index=index)
    beer = beer_fair_value(spot.to_numpy(), fundamentals.to_numpy(), min_obs=params.beer_min_obs)
    misalignment = pd.Series(beer.misalignment, index=index)
    beer_signal = signal_path(SPECS["fx.beer"], misalignment, -squash(misalignment, params.beer_scale),
                              pd.Series(np.clip(beer.r2, 0.0, 1.0), index=index))

    carry = column(panel, fields.DI_3M) - column(panel, fields.US_FED_FUNDS)
    vol = realised_vol(spot, params.vol_window)
    carry_to_risk = carry / vol.where(vol > 0)
    carry_z = trailing_zscore(carry_to_risk, params.z_window, params.z_min_obs)
    carry_signal = signal_path(SPECS["fx.carry"], carry_to_risk, -squash(carry_z, 1.0),
                               sign_consistency(carry_z, params.consistency_window))

    h = params.flow_horizon
    flows = (log_level(reserves).diff(h)
             + column(panel, fields.TRADE_BALANCE_12M_USD_MN).diff(h) / reserves.where(reserves > 0))
    flows_z = trailing_zscore(flows, params.z_window, params.z_min_obs)
    flows_signal = signal_path(SPECS["fx.flows"], flows, -squash(flows_z, 1.0),
                               sign_consistency(flows_z, params.consistency_window))

    parts = (beer_signal, carry_signal, flows_signal)
    composite = composite_path(SPECS["fx.composite"], parts)
    diagnostics = pd.DataFrame({
        "usdbrl": spot, "fair_value": beer.fair_value, "misalignment": misalignment, "beer_r2": beer.r2,
        "beer_intercept": beer.coef[:, 0],
        **{f"beer_{name}": beer.coef[:, i + 1] for i, name in enumerate(BEER_REGRESSORS)},
        "carry": carry, "realised_vol": vol, "carry_to_risk": carry_to_risk, "carry_to_risk_z": carry_z,
        "flows": flows, "flows_z": flows_z,
    }, index=index)
    paths = {p.spec.signal_id: p for p in (*parts, composite)}
    return AgentRun(AGENT, paths, diagnostics, narrate)


def narrate(run: AgentRun, day: pd.Timestamp) -> str:
    """The FX view on ``day``, built from the numbers."""
    d = numbers(run, day)
    return (
        f"USD/BRL at {num(d['usdbrl'], 4)} against a BEER fair value of {num(d['fair_value'], 4)} "
        f"(misalignment {pct(d['misalignment'], 1)}, R² {num(d['beer_r2'])}). "
        f"Carry of {pct(d['carry'])} over {pct(d['realised_vol'])} realised vol gives carry-to-risk "
        f"{num(d['carry_to_risk'])} (z {num(d['carry_to_risk_z'], signed=True)}); flows read "
        f"{pct(d['flows'])} of reserves over a quarter (z {num(d['flows_z'], signed=True)}). "
        f"View on USD/BRL: {view(run, 'fx.composite', day, 'higher (weaker real)', 'lower (stronger real)')}."
    )
