"""Inflation agent: Phillips-curve forecast, surprise versus Focus, persistence of core inflation.

Signals (subject: Brazilian IPCA inflation; LONG = inflation pressure up / above target):

* ``inflation.phillips``: trailing-OLS hybrid Phillips curve forecast of core inflation one quarter
  ahead, minus the 12-month-ahead CMN target. Score ``tanh(value / 1pp)``; confidence the window's R².
* ``inflation.surprise``: IPCA 12m today minus the Focus 12-month-ahead median of 252 sessions ago
  (what the market expected for this 12-month window). Score ``tanh(value / 1pp)``; confidence the
  share of the last 126 sessions with the same sign.
* ``inflation.persistence``: monthly AR(1) coefficient of core 3m-annualised inflation over a
  trailing window. A persistent deviation of core 12m from target keeps pushing the same way:
  score ``clip(rho, 0, 1) * tanh((core_12m - target) / 1pp)``; confidence the AR(1) R².
* ``inflation.composite``: confidence-weighted combination (domain.agents.base.composite_path).
"""

from dataclasses import dataclass

import numpy as np
import pandas as pd

from domain import panel as fields
from domain.agents.base import AgentRun, SignalSpec, column, composite_path, require_columns, signal_path
from domain.agents.narrative import num, numbers, pct, pp, view
from domain.agents.phillips import PHILLIPS_TERMS, ar1_persistence, phillips_curve
from domain.agents.rolling import sign_consistency, squash
from domain.agents.targets import target_12m_ahead

AGENT = "inflation"
COLUMNS = (fields.CORE_3M_SAAR, fields.CORE_12M, fields.IPCA_12M, fields.FOCUS_IPCA_12M, fields.ACTIVITY_GAP)

SPECS = {
    s.signal_id: s for s in (
        SignalSpec("inflation.phillips", "IPCA inflation", 63,
                   "Phillips-curve core forecast one quarter ahead minus target (decimal)"),
        SignalSpec("inflation.surprise", "IPCA inflation", 126,
                   "IPCA 12m minus the Focus 12m-ahead median of a year earlier (decimal)"),
        SignalSpec("inflation.persistence", "IPCA inflation", 126,
                   "monthly AR(1) coefficient of core 3m-annualised inflation"),
        SignalSpec("inflation.composite", "IPCA inflation", 126, "confidence-weighted inflation view"),
    )
}


@dataclass(frozen=True, slots=True)
class InflationParams:
    """Windows in sessions, scales in decimals of inflation."""

    forecast_lag: int = 63
    phillips_window: int = 1260
    phillips_min_obs: int = 504
    surprise_lag: int = 252
    consistency_window: int = 126
    persistence_step: int = 21
    persistence_window: int = 1260
    persistence_min_obs: int = 504
    scale: float = 0.01

    def __post_init__(self) -> None:
        if self.phillips_min_obs > self.phillips_window or self.persistence_min_obs > self.persistence_window:
            raise ValueError("min_obs cannot exceed its window")
        if min(self.forecast_lag, self.surprise_lag, self.consistency_window, self.persistence_step) < 1:
            raise ValueError("lags and windows must be >= 1 session")
        if not self.scale > 0:
            raise ValueError(f"scale must be positive, got {self.scale}")


def run(panel: pd.DataFrame, params: InflationParams = InflationParams()) -> AgentRun:
    """Compute the inflation agent on every date of the panel (rows <= D only for date D)."""
    require_columns(panel, COLUMNS, AGENT)
    index = pd.DatetimeIndex(panel.index)
    core_3m, core_12m = column(panel, fields.CORE_3M_SAAR), column(panel, fields.CORE_12M)
    ipca_12m, focus = column(panel, fields.IPCA_12M), column(panel, fields.FOCUS_IPCA_12M)
    target = pd.Series(target_12m_ahead(index), index=index)

    curve = phillips_curve(core_3m.to_numpy(), focus.to_numpy(), core_12m.to_numpy(),
                           column(panel, fields.ACTIVITY_GAP).to_numpy(), lag_sessions=params.forecast_lag,
                           window=params.phillips_window, min_obs=params.phillips_min_obs)
    forecast = pd.Series(curve.forecast, index=index)
    pressure = forecast - target
    phillips = signal_path(SPECS["inflation.phillips"], pressure, squash(pressure, params.scale),
                           pd.Series(np.clip(curve.r2, 0.0, 1.0), index=index))

    surprise_value = ipca_12m - focus.shift(params.surprise_lag)
    surprise = signal_path(SPECS["inflation.surprise"], surprise_value, squash(surprise_value, params.scale),
                           sign_consistency(surprise_value, params.consistency_window))

    ar1 = ar1_persistence(core_3m.to_numpy(), step=params.persistence_step, window=params.persistence_window,
                          min_obs=params.persistence_min_obs)
    rho = pd.Series(ar1.rho, index=index)
    deviation = core_12m - target
    persistence = signal_path(SPECS["inflation.persistence"], rho,
                              rho.clip(0.0, 1.0) * squash(deviation, params.scale),
                              pd.Series(np.clip(ar1.r2, 0.0, 1.0), index=index))

    parts = (phillips, surprise, persistence)
    composite = composite_path(SPECS["inflation.composite"], parts)
    diagnostics = pd.DataFrame({
        "target_12m": target, "core_3m_saar": core_3m, "core_12m": core_12m, "ipca_12m": ipca_12m,
        **{f"phillips_{name}": curve.coef[:, i] for i, name in enumerate(PHILLIPS_TERMS)},
        "phillips_forecast": forecast, "phillips_r2": curve.r2, "phillips_n_obs": curve.n_obs.astype(np.float64),
        "surprise": surprise_value, "persistence_rho": rho, "persistence_r2": ar1.r2,
        "core_deviation": deviation,
    }, index=index)
    paths = {p.spec.signal_id: p for p in (*parts, composite)}
    return AgentRun(AGENT, paths, diagnostics, narrate)


def narrate(run: AgentRun, day: pd.Timestamp) -> str:
    """The inflation view on ``day`` in three sentences built from the numbers."""
    d = numbers(run, day)
    return (
        f"Core inflation runs at {pct(d['core_3m_saar'])} (3m annualised) and {pct(d['core_12m'])} over 12 months "
        f"against a {pct(d['target_12m'], 2)} target. "
        f"The Phillips curve (R² {num(d['phillips_r2'])}, expectations β {num(d['phillips_beta_expectations'])}, "
        f"gap κ {num(d['phillips_kappa_gap'])}) projects core at {pct(d['phillips_forecast'])} a quarter ahead; "
        f"IPCA 12m at {pct(d['ipca_12m'])} is {pp(d['surprise'])} versus what Focus expected a year earlier, and "
        f"core persistence is ρ = {num(d['persistence_rho'])}. "
        f"View: {view(run, 'inflation.composite', day, 'upside inflation pressure', 'disinflation')}."
    )
