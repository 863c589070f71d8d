"""Stress scenarios applied through sensitivities, and reverse stress.

A scenario shocks factor families in the family's unit: ``DI_PRE: +200`` moves every DI pre vertex
up 200bp, ``USDBRL: +15`` moves USD/BRL up 15%. The P&L is linear in the sensitivities (DV01 for
rates, delta for FX and equity; no convexity):

.. math:: \\mathrm{P\\&L}_i = \\sum_f S_{if}\\, \\Delta_f, \\qquad \\Delta_f = \\text{shock of } f\\text{'s family}

A shocked family the book has no exposure to (no factor of it in the book, e.g. CDS, which has no
factor in :data:`~domain.book.FACTORS` yet) is kept in the scenario and reported as
``"not applied: no exposure"``.

Sign convention (:mod:`domain.book`): a long DI1 (tomado) gains when DI rises, so DI +200bp is a
gain for a payer book and a loss for a receiver book.
"""

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from types import MappingProxyType

import numpy as np
import pandas as pd

from domain.book import FACTORS, FactorFamily
from domain.market.instruments import AssetClass
from domain.risk.errors import RiskInputError

APPLIED = "applied"
NOT_APPLIED_NO_EXPOSURE = "not applied: no exposure"
REVERSE_STRESS_LOSS = 0.10


@dataclass(frozen=True, slots=True)
class StressScenario:
    """A named set of shocks per factor family, in the family's unit (bp or %).

    Parameters
    ----------
    name : str
        Label in reports.
    shocks : mapping of FactorFamily to float
        E.g. ``{FactorFamily.DI_PRE: 200.0, FactorFamily.USDBRL: 15.0}``.
    """

    name: str
    shocks: Mapping[FactorFamily, float]

    def __post_init__(self) -> None:
        if not self.name or not self.shocks:
            raise RiskInputError("stress scenario: needs a name and at least one shock")
        for family, shock in self.shocks.items():
            if not isinstance(family, FactorFamily) or not math.isfinite(shock):
                raise RiskInputError(f"stress scenario {self.name}: invalid shock {family!r}: {shock!r}")
        object.__setattr__(self, "shocks", MappingProxyType(dict(self.shocks)))


_F = FactorFamily
# DOMAIN.md's six historical/hypothetical scenarios; bp for curves, % for prices.
STRESS_SCENARIOS: tuple[StressScenario, ...] = (
    StressScenario("Taper tantrum 2013", {_F.USDBRL: 15.0, _F.DI_PRE: 200.0, _F.NTNB_REAL: 150.0,
                                          _F.IBOVESPA: -15.0, _F.UST: 100.0}),
    StressScenario("Brazil crisis 2015", {_F.USDBRL: 30.0, _F.DI_PRE: 400.0, _F.NTNB_REAL: 250.0,
                                          _F.IBOVESPA: -25.0}),
    StressScenario("Covid 2020", {_F.USDBRL: 20.0, _F.DI_PRE: 200.0, _F.IBOVESPA: -35.0, _F.SP500: -30.0,
                                  _F.OIL: -50.0}),
    StressScenario("Rate shock 2022", {_F.USDBRL: 25.0, _F.DI_PRE: 500.0, _F.NTNB_REAL: 200.0}),
    StressScenario("Brazil fiscal crisis", {_F.USDBRL: 25.0, _F.DI_PRE: 350.0, _F.NTNB_REAL: 150.0,
                                            _F.IBOVESPA: -18.0, _F.CDS: 40.0}),
    StressScenario("Global risk-off", {_F.USDBRL: 20.0, _F.DI_PRE: 150.0, _F.IBOVESPA: -30.0,
                                       _F.SP500: -25.0, _F.OIL: -40.0, _F.UST: -50.0}),
)


@dataclass(frozen=True, eq=False)
class StressResult:
    """P&L of one scenario on the book.

    Parameters
    ----------
    scenario : str
        Scenario name.
    pnl : float
        Total P&L, BRL (negative = loss).
    pnl_by_position : Series
        P&L per instrument.
    pnl_by_asset_class : Series
        P&L per asset class (classes of the book only).
    shock_status : mapping of FactorFamily to str
        ``"applied"`` or ``"not applied: no exposure"`` for each shocked family.
    reverse_multiple : float or None
        Multiple k of the scenario that loses ``loss_fraction`` of NAV; None when it does not lose.
    """

    scenario: str
    pnl: float
    pnl_by_position: pd.Series
    pnl_by_asset_class: pd.Series
    shock_status: Mapping[FactorFamily, str]
    reverse_multiple: float | None


def reverse_stress_multiple(pnl: float, nav: float, *, loss_fraction: float = REVERSE_STRESS_LOSS) -> float | None:
    """Multiple of a scenario that loses ``loss_fraction`` of NAV (linear book).

    .. math:: k \\cdot \\mathrm{P\\&L} = -\\ell \\cdot NAV \\;\\Rightarrow\\; k = \\frac{-\\ell\\, NAV}{\\mathrm{P\\&L}}
              \\quad (\\mathrm{P\\&L} < 0)

    Parameters
    ----------
    pnl : float
        Scenario P&L, BRL.
    nav : float
        Net asset value, BRL, positive.
    loss_fraction : float
        :math:`\\ell`, default 10%.

    Returns
    -------
    float or None
        k > 0; None when the scenario gains or is flat (no multiple of it loses money).
    """
    if not (math.isfinite(nav) and nav > 0.0):
        raise RiskInputError(f"reverse stress: NAV must be positive, got {nav}")
    if not 0.0 < loss_fraction < 1.0:
        raise RiskInputError(f"reverse stress: loss_fraction must be in (0, 1), got {loss_fraction}")
    if not math.isfinite(pnl):
        raise RiskInputError(f"reverse stress: P&L must be finite, got {pnl}")
    if pnl >= 0.0:
        return None
    return -loss_fraction * nav / pnl


def factor_shocks(scenario: StressScenario, factors: Sequence[str]) -> pd.Series:
    """Shock of each factor under ``scenario`` (0 for families it leaves alone), in factor units."""
    unknown = [f for f in factors if f not in FACTORS]
    if unknown:
        raise RiskInputError(f"stress: unknown factor(s) {unknown}")
    return pd.Series([float(scenario.shocks.get(FACTORS[f].family, 0.0)) for f in factors],
                     index=list(factors), name="shock")


def apply_stress(matrix: pd.DataFrame, scenario: StressScenario, *, asset_classes: Mapping[str, AssetClass],
                 nav: float, loss_fraction: float = REVERSE_STRESS_LOSS) -> StressResult:
    """P&L of a scenario through the book's sensitivities, by position and asset class.

    .. math:: \\mathrm{P\\&L}_i = \\sum_f S_{if}\\,\\Delta_f, \\qquad
              \\mathrm{P\\&L} = \\sum_i \\mathrm{P\\&L}_i, \\qquad
              k = -\\ell\\,NAV/\\mathrm{P\\&L}

    Parameters
    ----------
    matrix : DataFrame
        Positions x factors, BRL per unit (columns: keys of FACTORS).
    scenario : StressScenario
        Shocks per family.
    asset_classes : mapping
        Instrument -> asset class, for every position.
    nav : float
        NAV in BRL (for the reverse-stress multiple).
    loss_fraction : float
        Loss of NAV the reverse stress targets.

    Returns
    -------
    StressResult

    Raises
    ------
    RiskInputError
        On unknown factors, positions without an asset class, or a non-positive NAV.
    """
    missing = [str(i) for i in matrix.index if i not in asset_classes]
    if missing:
        raise RiskInputError(f"stress: no asset class for position(s) {missing}")
    exposures = matrix.to_numpy(dtype=np.float64)
    if not np.all(np.isfinite(exposures)):
        raise RiskInputError("stress: the exposure matrix has non-finite entries")
    shocks = factor_shocks(scenario, [str(c) for c in matrix.columns])
    by_position = pd.Series(exposures @ shocks.to_numpy(), index=matrix.index, name="pnl")
    classes = [str(asset_classes[i]) for i in matrix.index]
    by_class = by_position.groupby(classes, sort=False).sum().rename("pnl")
    family_of = np.array([FACTORS[str(c)].family for c in matrix.columns], dtype=object)
    exposed = np.any(exposures != 0.0, axis=0)
    status = {family: APPLIED if bool(np.any(exposed & (family_of == family))) else NOT_APPLIED_NO_EXPOSURE
              for family in scenario.shocks}
    total = float(by_position.sum())
    return StressResult(scenario.name, total, by_position, by_class, MappingProxyType(status),
                        reverse_stress_multiple(total, nav, loss_fraction=loss_fraction))


def run_stress_tests(matrix: pd.DataFrame, *, asset_classes: Mapping[str, AssetClass], nav: float,
                     scenarios: Sequence[StressScenario] = STRESS_SCENARIOS,
                     loss_fraction: float = REVERSE_STRESS_LOSS) -> tuple[StressResult, ...]:
    """:func:`apply_stress` for each scenario (default: the six of :data:`STRESS_SCENARIOS`)."""
    return tuple(apply_stress(matrix, s, asset_classes=asset_classes, nav=nav, loss_fraction=loss_fraction)
                 for s in scenarios)
