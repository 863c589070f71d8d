"""Monetary-policy agent: Taylor rule with a Kalman-filtered r*, market path versus model, term premium.

Signals:

* ``monetary.taylor_gap`` (subject: Selic target; LONG = the Selic should rise): Taylor rate
  :math:`i = r^* + \\pi^e + 0.5(\\pi^e - \\pi^*) + 0.5\\,\\text{gap}` minus the Selic, with r* the
  filtered level of the ex-ante real rate :math:`(1 + \\text{Selic})/(1 + \\pi^e_{12m}) - 1`, π^e the
  Focus 12-month-ahead median and π* the 12-month-ahead CMN target. Score ``tanh(value / 2pp)``;
  confidence :math:`0.01^2 / (0.01^2 + P_t)`, the precision of r* relative to 1pp.
* ``monetary.market_path`` (subject: DI 1Y rate; LONG = it should rise): DI 1Y minus the CDI the
  model expects on average over the next year (Selic closing half its gap to the Taylor rate, minus
  the 10bp Selic-CDI spread). Market above model -> the curve prices too much -> SHORT. Score
  ``-tanh(value / 1pp)``; confidence the r* precision times the 63-session sign consistency.
* ``monetary.term_premium`` (subject: DI 5Y rate): DI 5Y minus the average CDI over five years on the
  Focus Selic path. A premium rich against its trailing three years (z-score over 756 sessions)
  tends to compress -> SHORT. Score ``-tanh(z / 1.5)``; confidence the 63-session sign consistency.
* ``monetary.composite``.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from domain import panel as fields
from domain.agents.base import AgentRun, SignalSpec, column, composite_path, require_columns, signal_path
from domain.agents.kalman import LocalLevelParams, filter_local_level
from domain.agents.narrative import bp, num, numbers, pct, view
from domain.agents.rolling import sign_consistency, squash, trailing_zscore
from domain.agents.selic_path import focus_average_selic, model_average_selic, year_fraction_left
from domain.agents.targets import target_12m_ahead
from domain.agents.taylor import TaylorRule, taylor_rate

AGENT = "monetary"
COLUMNS = (fields.SELIC, fields.FOCUS_IPCA_12M, fields.ACTIVITY_GAP, fields.DI_1Y, fields.DI_5Y,
           fields.FOCUS_SELIC_CY, fields.FOCUS_SELIC_NY)

SPECS = {
    s.signal_id: s for s in (
        SignalSpec("monetary.taylor_gap", "Selic target", 126, "Taylor-rule rate minus the Selic (decimal)"),
        SignalSpec("monetary.market_path", "DI 1Y rate", 63,
                   "DI 1Y minus the model's expected average CDI over a year (decimal)"),
        SignalSpec("monetary.term_premium", "DI 5Y rate", 126,
                   "DI 5Y minus the average CDI on the Focus Selic path over five years (decimal)"),
        SignalSpec("monetary.composite", "Brazilian rates", 126, "confidence-weighted monetary view"),
    )
}
CDI_SPREAD = 0.001
"""The CDI settles about 10bp under the Selic target."""


@dataclass(frozen=True, slots=True)
class MonetaryParams:
    """Model parameters (decimals; windows in sessions)."""

    kalman: LocalLevelParams = field(default_factory=LocalLevelParams)
    rule: TaylorRule = field(default_factory=TaylorRule)
    adjustment: float = 0.5
    precision_reference: float = 0.01
    gap_scale: float = 0.02
    path_scale: float = 0.01
    premium_window: int = 756
    premium_min_obs: int = 252
    premium_z_scale: float = 1.5
    consistency_window: int = 63
    term_years: float = 5.0


def run(panel: pd.DataFrame, params: MonetaryParams = MonetaryParams()) -> AgentRun:
    """Compute the monetary agent on every date of the panel (rows <= D only for date D)."""
    require_columns(panel, COLUMNS, AGENT)
    index = pd.DatetimeIndex(panel.index)
    selic, focus = column(panel, fields.SELIC), column(panel, fields.FOCUS_IPCA_12M)
    di_1y, di_5y = column(panel, fields.DI_1Y), column(panel, fields.DI_5Y)
    target = target_12m_ahead(index)

    real_rate = (1.0 + selic) / (1.0 + focus) - 1.0
    level = filter_local_level(real_rate.to_numpy(), params.kalman)
    r_star = pd.Series(level.mean, index=index)
    precision = pd.Series(params.precision_reference ** 2 / (params.precision_reference ** 2 + level.variance),
                          index=index)
    taylor = pd.Series(taylor_rate(r_star, focus, target, column(panel, fields.ACTIVITY_GAP), params.rule), index=index)

    gap_value = taylor - selic
    taylor_gap = signal_path(SPECS["monetary.taylor_gap"], gap_value, squash(gap_value, params.gap_scale),
                             precision)

    model_cdi = pd.Series(model_average_selic(selic, taylor, params.adjustment), index=index) - CDI_SPREAD
    path_value = di_1y - model_cdi
    market_path = signal_path(SPECS["monetary.market_path"], path_value, -squash(path_value, params.path_scale),
                              precision * sign_consistency(path_value, params.consistency_window))

    focus_avg = pd.Series(focus_average_selic(selic, column(panel, fields.FOCUS_SELIC_CY),
                                              column(panel, fields.FOCUS_SELIC_NY), year_fraction_left(index),
                                              params.term_years), index=index)
    premium = di_5y - (focus_avg - CDI_SPREAD)
    premium_z = trailing_zscore(premium, params.premium_window, params.premium_min_obs)
    term_premium = signal_path(SPECS["monetary.term_premium"], premium,
                               -squash(premium_z, params.premium_z_scale),
                               sign_consistency(premium_z, params.consistency_window))

    parts = (taylor_gap, market_path, term_premium)
    composite = composite_path(SPECS["monetary.composite"], parts)
    diagnostics = pd.DataFrame({
        "selic": selic, "real_rate": real_rate, "r_star": r_star, "r_star_variance": level.variance,
        "kalman_gain": level.gain, "target_12m": target, "taylor_rate": taylor, "taylor_gap": gap_value,
        "model_cdi_1y": model_cdi, "di_1y": di_1y, "market_minus_model": path_value,
        "focus_avg_selic_5y": focus_avg, "term_premium": premium, "term_premium_z": premium_z,
    }, index=index)
    paths = {p.spec.signal_id: p for p in (*parts, composite)}
    return AgentRun(AGENT, paths, diagnostics, narrate)


def narrate(run: AgentRun, day: pd.Timestamp) -> str:
    """The monetary view on ``day``, built from the numbers."""
    d = numbers(run, day)
    return (
        f"With the Selic at {pct(d['selic'], 2)} the ex-ante real rate is {pct(d['real_rate'])}; the filtered "
        f"neutral rate r* is {pct(d['r_star'])} (sd {pct(float(np.sqrt(d['r_star_variance'])), 2)}), so the "
        f"Taylor rule prescribes {pct(d['taylor_rate'], 2)} ({bp(d['taylor_gap'])} versus the Selic). "
        f"The DI 1Y at {pct(d['di_1y'], 2)} is {bp(d['market_minus_model'])} against the model's average CDI; "
        f"the 5-year term premium over the Focus path is {bp(d['term_premium'])} "
        f"(z {num(d['term_premium_z'], signed=True)}). "
        f"View on rates: {view(run, 'monetary.composite', day, 'higher', 'lower')}."
    )
