"""Cross-asset agent: macro regime probabilities and risk appetite.

Growth and inflation momentum, in z-score units, each the mean of the parts available on the date:

* growth :math:`g_t`: activity gap / 2pp (clipped to +-3) and the 756-session z-score of the
  63-session change of IBC-Br 12-month growth;
* inflation :math:`\\pi_t`: (IPCA 12m - the year's CMN target) / 1.5pp (clipped to +-3) and the
  756-session z-score of the 63-session change of IPCA 12m.

They feed the forward-filtered HMM of domain.agents.regime (Goldilocks / Reflation / Stagflation /
Deflation). Risk appetite is the mean of -z(VIX), -z(HY OAS), -z(NFCI) and z(63-session Ibovespa log
return), z over 756 sessions.

Signals:

* ``cross_asset.growth`` (subject: Brazilian activity): value :math:`g_t`, score ``tanh(g / 1.5)``.
* ``cross_asset.inflation_momentum`` (subject: Brazilian inflation): value :math:`\\pi_t`, score
  ``tanh(pi / 1.5)``.
* ``cross_asset.regime`` (subject: risk assets): regime tilt :math:`\\sum_k p_k \\tau_k` with
  :math:`\\tau` = +1 Goldilocks, +0.5 Reflation, -1 Stagflation, -0.5 Deflation; the value is the
  score; confidence the largest regime probability.
* ``cross_asset.risk_appetite`` (subject: risk assets): value the mean z, score ``tanh(value)``.
* ``cross_asset.composite`` (subject: risk assets): regime tilt and risk appetite combined.
Each signal's confidence (except the regime's) is its 63-session sign consistency times the share
of its parts available.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from domain import panel as fields
from domain.agents.base import (
    AgentRun,
    FloatSeries,
    SignalSpec,
    column,
    composite_path,
    require_columns,
    signal_path,
)
from domain.agents.narrative import num, numbers, pct, view
from domain.agents.regime import REGIMES, Regime, RegimeModel, filter_regimes, regime_log_likelihood
from domain.agents.rolling import log_level, row_mean, sign_consistency, squash, trailing_zscore
from domain.agents.targets import target_for_dates

AGENT = "cross_asset"
COLUMNS = (fields.ACTIVITY_GAP, fields.ACTIVITY_YOY, fields.IPCA_12M, fields.VIX, fields.US_HY_OAS,
           fields.US_NFCI, fields.IBOVESPA)
REGIME_TILT: dict[Regime, float] = {
    Regime.GOLDILOCKS: 1.0, Regime.REFLATION: 0.5, Regime.STAGFLATION: -1.0, Regime.DEFLATION: -0.5,
}
"""How good each regime is for risk assets (the sign of the regime signal)."""

SPECS = {
    s.signal_id: s for s in (
        SignalSpec("cross_asset.growth", "Brazilian activity", 63, "growth momentum, z units"),
        SignalSpec("cross_asset.inflation_momentum", "Brazilian inflation", 63, "inflation momentum, z units"),
        SignalSpec("cross_asset.regime", "risk assets", 63, "probability-weighted regime tilt in [-1, 1]"),
        SignalSpec("cross_asset.risk_appetite", "risk assets", 21, "mean risk-appetite z-score"),
        SignalSpec("cross_asset.composite", "risk assets", 63, "confidence-weighted cross-asset view"),
    )
}


@dataclass(frozen=True, slots=True)
class CrossAssetParams:
    """Model parameters (windows in sessions, scales in decimals)."""

    model: RegimeModel = field(default_factory=RegimeModel)
    z_window: int = 756
    z_min_obs: int = 252
    momentum: int = 63
    gap_scale: float = 0.02
    inflation_scale: float = 0.015
    score_scale: float = 1.5
    consistency_window: int = 63


def _coverage(*parts: FloatSeries) -> FloatSeries:
    present = np.column_stack([p.notna().to_numpy() for p in parts])
    return pd.Series(present.mean(axis=1), index=parts[0].index)


def run(panel: pd.DataFrame, params: CrossAssetParams = CrossAssetParams()) -> AgentRun:
    """Compute the cross-asset agent on every date of the panel (rows <= D only for date D)."""
    require_columns(panel, COLUMNS, AGENT)
    index = pd.DatetimeIndex(panel.index)
    zw, zmin, mom = params.z_window, params.z_min_obs, params.momentum
    ipca = column(panel, fields.IPCA_12M)
    growth_parts = ((column(panel, fields.ACTIVITY_GAP) / params.gap_scale).clip(-3.0, 3.0),
                    trailing_zscore(column(panel, fields.ACTIVITY_YOY).diff(mom), zw, zmin))
    target = pd.Series(target_for_dates(index), index=index)
    inflation_parts = (((ipca - target) / params.inflation_scale).clip(-3.0, 3.0),
                       trailing_zscore(ipca.diff(mom), zw, zmin))
    growth, inflation = row_mean(*growth_parts), row_mean(*inflation_parts)

    probs = filter_regimes(regime_log_likelihood(growth.to_numpy(), inflation.to_numpy(), params.model),
                           params.model)
    tilt = pd.Series(probs @ np.array([REGIME_TILT[r] for r in REGIMES]), index=index)
    regime_signal = signal_path(SPECS["cross_asset.regime"], tilt, tilt,
                                pd.Series(probs.max(axis=1), index=index))

    ibov_momentum = log_level(column(panel, fields.IBOVESPA)).diff(mom)
    risk_parts = (-trailing_zscore(column(panel, fields.VIX), zw, zmin),
                  -trailing_zscore(column(panel, fields.US_HY_OAS), zw, zmin),
                  -trailing_zscore(column(panel, fields.US_NFCI), zw, zmin),
                  trailing_zscore(ibov_momentum, zw, zmin))
    appetite = row_mean(*risk_parts)
    cw = params.consistency_window
    appetite_signal = signal_path(SPECS["cross_asset.risk_appetite"], appetite, squash(appetite, 1.0),
                                  sign_consistency(appetite, cw) * _coverage(*risk_parts))
    growth_signal = signal_path(SPECS["cross_asset.growth"], growth, squash(growth, params.score_scale),
                                sign_consistency(growth, cw) * _coverage(*growth_parts))
    inflation_signal = signal_path(SPECS["cross_asset.inflation_momentum"], inflation,
                                   squash(inflation, params.score_scale),
                                   sign_consistency(inflation, cw) * _coverage(*inflation_parts))

    composite = composite_path(SPECS["cross_asset.composite"], (regime_signal, appetite_signal))
    diagnostics = pd.DataFrame({
        "growth_z": growth, "inflation_z": inflation,
        **{f"p_{regime.value}": probs[:, k] for k, regime in enumerate(REGIMES)},
        "regime_tilt": tilt, "risk_appetite": appetite,
        "vix": column(panel, fields.VIX), "hy_oas": column(panel, fields.US_HY_OAS), "ibov_momentum": ibov_momentum,
    }, index=index)
    paths = {p.spec.signal_id: p for p in
             (growth_signal, inflation_signal, regime_signal, appetite_signal, composite)}
    return AgentRun(AGENT, paths, diagnostics, narrate)


def regime_probabilities(run: AgentRun) -> pd.DataFrame:
    """The filtered regime probabilities, one column per :class:`Regime` value."""
    frame = run.diagnostics[[f"p_{regime.value}" for regime in REGIMES]]
    frame.columns = pd.Index([regime.value for regime in REGIMES])
    return frame


def narrate(run: AgentRun, day: pd.Timestamp) -> str:
    """The cross-asset view on ``day``, built from the numbers."""
    d = numbers(run, day)
    probs = {regime: float(d[f"p_{regime.value}"]) for regime in REGIMES}
    if all(np.isfinite(list(probs.values()))):
        ranked = sorted(probs.items(), key=lambda kv: -kv[1])
        regime_text = (f"the regime filter favours {ranked[0][0].value} ({pct(ranked[0][1], 0)}), then "
                       f"{ranked[1][0].value} ({pct(ranked[1][1], 0)})")
    else:
        regime_text = "the regime filter has no data yet"
    return (
        f"Growth momentum reads {num(d['growth_z'], signed=True)} and inflation momentum "
        f"{num(d['inflation_z'], signed=True)} (z units): {regime_text}. "
        f"Risk appetite is {num(d['risk_appetite'], signed=True)} with the VIX at {num(d['vix'], 1)} and HY OAS at "
        f"{pct(d['hy_oas'], 2)}. "
        f"View on risk assets: {view(run, 'cross_asset.composite', day, 'constructive', 'defensive')}."
    )
