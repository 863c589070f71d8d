"""Fiscal agent: debt sustainability under scenarios, debt-stabilising primary balance, fiscal dominance.

Inputs per date: gross debt / GDP :math:`d`, 12-month primary balance / GDP :math:`pb`, the nominal
cost of debt :math:`r = \\tfrac12\\text{Selic} + \\tfrac12\\text{DI 5Y}` (about half of the federal debt
floats with the Selic, the rest is fixed-rate or long), nominal growth
:math:`g = (1 + g^{Focus}_{real})(1 + \\pi^{Focus}_{12m}) - 1`.

Signals (subject: Brazilian fiscal risk; LONG = debt dynamics worsening):

* ``fiscal.debt_path``: debt / GDP in five years on the baseline minus today (decimal of GDP). Score
  ``tanh(value / 10pp)``; confidence ``|value| / (|value| + spread / 2)`` with ``spread`` the stress-minus-
  baseline five-year debt (a drift small next to scenario uncertainty is not a confident call).
* ``fiscal.primary_gap``: debt-stabilising primary balance :math:`d (r - g)/(1 + g)` minus the actual
  one. Score ``tanh(value / 2pp)``; confidence the 252-session sign consistency.
* ``fiscal.dominance``: logistic score in [0, 1] of the standardised debt level, r - g, primary gap and
  12-month debt change (domain.agents.debt). Score ``2F - 1``; confidence the share of available
  components on the side of the score.
* ``fiscal.composite``.
"""

from dataclasses import dataclass, field

import numpy as np
import pandas as pd

from domain import panel as fields
from domain.agents.base import AgentRun, SignalSpec, column, composite_path, require_columns, signal_path
from domain.agents.debt import (
    BASELINE,
    STRESS,
    DebtScenario,
    DominanceScales,
    debt_path,
    dominance_components,
    fiscal_dominance_score,
    stabilising_primary_balance,
)
from domain.agents.narrative import num, numbers, pct, pp, view
from domain.agents.rolling import sign_consistency, squash

AGENT = "fiscal"
COLUMNS = (fields.GROSS_DEBT_GDP, fields.PRIMARY_BALANCE_GDP, fields.GROSS_DEBT_CHG_12M, fields.SELIC,
           fields.DI_5Y, fields.FOCUS_GDP_CY, fields.FOCUS_IPCA_12M)

SPECS = {
    s.signal_id: s for s in (
        SignalSpec("fiscal.debt_path", "Brazilian fiscal risk", 252,
                   "baseline gross debt / GDP in five years minus today (decimal of GDP)"),
        SignalSpec("fiscal.primary_gap", "Brazilian fiscal risk", 252,
                   "debt-stabilising primary balance minus the actual one (decimal of GDP)"),
        SignalSpec("fiscal.dominance", "Brazilian fiscal risk", 252, "fiscal-dominance score in [0, 1]"),
        SignalSpec("fiscal.composite", "Brazilian fiscal risk", 252, "confidence-weighted fiscal view"),
    )
}


@dataclass(frozen=True, slots=True)
class FiscalParams:
    """Projection and scoring parameters (decimals; windows in sessions)."""

    years: int = 5
    floating_share: float = 0.5
    stress: DebtScenario = STRESS
    path_scale: float = 0.10
    gap_scale: float = 0.02
    consistency_window: int = 252
    scales: DominanceScales = field(default_factory=DominanceScales)

    def __post_init__(self) -> None:
        if not 0.0 <= self.floating_share <= 1.0:
            raise ValueError(f"floating_share must be in [0, 1], got {self.floating_share}")


def run(panel: pd.DataFrame, params: FiscalParams = FiscalParams()) -> AgentRun:
    """Compute the fiscal agent on every date of the panel (rows <= D only for date D)."""
    require_columns(panel, COLUMNS, AGENT)
    index = pd.DatetimeIndex(panel.index)
    debt, pb = column(panel, fields.GROSS_DEBT_GDP), column(panel, fields.PRIMARY_BALANCE_GDP)
    share = params.floating_share
    rate = share * column(panel, fields.SELIC) + (1.0 - share) * column(panel, fields.DI_5Y)
    growth = (1.0 + column(panel, fields.FOCUS_GDP_CY)) * (1.0 + column(panel, fields.FOCUS_IPCA_12M)) - 1.0

    base = debt_path(debt, rate, growth, pb, years=params.years, scenario=BASELINE)[:, -1]
    stress = debt_path(debt, rate, growth, pb, years=params.years, scenario=params.stress)[:, -1]
    drift = pd.Series(base, index=index) - debt
    spread = np.abs(stress - base)
    with np.errstate(invalid="ignore", divide="ignore"):
        path_conf = np.abs(drift) / (np.abs(drift) + spread / 2.0)
    debt_signal = signal_path(SPECS["fiscal.debt_path"], drift, squash(drift, params.path_scale),
                              pd.Series(np.where(spread > 0, path_conf, 1.0), index=index).where(drift.notna()))

    pb_star = pd.Series(stabilising_primary_balance(debt, rate, growth), index=index)
    gap = pb_star - pb
    gap_signal = signal_path(SPECS["fiscal.primary_gap"], gap, squash(gap, params.gap_scale),
                             sign_consistency(gap, params.consistency_window))

    parts_x = dominance_components(debt.to_numpy(), (rate - growth).to_numpy(), gap.to_numpy(),
                                   column(panel, fields.GROSS_DEBT_CHG_12M).to_numpy(), params.scales)
    dominance = pd.Series(fiscal_dominance_score(parts_x), index=index)
    side = np.sign(2.0 * dominance.to_numpy() - 1.0)
    present = np.isfinite(parts_x)
    with np.errstate(invalid="ignore", divide="ignore"):
        agree = (np.where(present, np.sign(parts_x) == side[:, None], False).sum(axis=1)
                 / present.sum(axis=1))
    dominance_signal = signal_path(SPECS["fiscal.dominance"], dominance, 2.0 * dominance - 1.0,
                                   pd.Series(agree, index=index))

    parts = (debt_signal, gap_signal, dominance_signal)
    composite = composite_path(SPECS["fiscal.composite"], parts)
    diagnostics = pd.DataFrame({
        "gross_debt_gdp": debt, "primary_balance_gdp": pb, "cost_of_debt": rate, "nominal_growth": growth,
        "r_minus_g": rate - growth, "debt_5y_baseline": base, "debt_5y_stress": stress,
        "stabilising_primary_balance": pb_star, "primary_gap": gap, "dominance_score": dominance,
        **{f"dominance_{name}": parts_x[:, i]
           for i, name in enumerate(("debt", "r_minus_g", "primary_gap", "debt_change"))},
    }, index=index)
    paths = {p.spec.signal_id: p for p in (*parts, composite)}
    return AgentRun(AGENT, paths, diagnostics, narrate)


def narrate(run: AgentRun, day: pd.Timestamp) -> str:
    """The fiscal view on ``day``, built from the numbers."""
    d = numbers(run, day)
    return (
        f"Gross debt is {pct(d['gross_debt_gdp'])} of GDP with a primary balance of {pct(d['primary_balance_gdp'])}; "
        f"the cost of debt {pct(d['cost_of_debt'])} against nominal growth {pct(d['nominal_growth'])} gives "
        f"r - g = {pp(d['r_minus_g'])}. Debt reaches {pct(d['debt_5y_baseline'])} in five years on the baseline and "
        f"{pct(d['debt_5y_stress'])} under stress; stabilising it needs a primary balance of "
        f"{pct(d['stabilising_primary_balance'])} ({pp(d['primary_gap'])} of effort). "
        f"Fiscal-dominance score {num(d['dominance_score'])}. "
        f"View: {view(run, 'fiscal.composite', day, 'fiscal risk rising', 'fiscal risk easing')}."
    )
