"""Public-debt dynamics: the debt path under scenarios, the debt-stabilising primary balance, dominance."""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from domain._typing import FloatArray


@dataclass(frozen=True, slots=True)
class DebtScenario:
    """Shocks added to the baseline inputs every year of the projection (decimals)."""

    name: str
    rate_shock: float = 0.0
    growth_shock: float = 0.0
    primary_shock: float = 0.0


BASELINE = DebtScenario("baseline")
STRESS = DebtScenario("stress", rate_shock=0.03, growth_shock=-0.02, primary_shock=-0.01)
"""Stress: +300bp on the cost of debt, -2pp nominal growth, -1pp of GDP primary balance."""


def next_debt(debt: npt.ArrayLike, rate: npt.ArrayLike, growth: npt.ArrayLike,
              primary_balance: npt.ArrayLike) -> FloatArray:
    """One year of the debt-to-GDP accumulation equation.

    .. math:: d_{t+1} = d_t \\frac{1 + r}{1 + g} - pb

    Parameters
    ----------
    debt : array_like
        :math:`d_t`, debt / GDP (0.76 for 76%).
    rate : array_like
        :math:`r`, nominal effective interest rate on the debt.
    growth : array_like
        :math:`g`, nominal GDP growth.
    primary_balance : array_like
        :math:`pb`, primary surplus / GDP (deficit < 0).

    Returns
    -------
    ndarray
    """
    d = np.asarray(debt, dtype=np.float64)
    r = np.asarray(rate, dtype=np.float64)
    g = np.asarray(growth, dtype=np.float64)
    pb = np.asarray(primary_balance, dtype=np.float64)
    return np.asarray(d * (1.0 + r) / (1.0 + g) - pb, dtype=np.float64)


def debt_path(debt: npt.ArrayLike, rate: npt.ArrayLike, growth: npt.ArrayLike, primary_balance: npt.ArrayLike,
              *, years: int, scenario: DebtScenario = BASELINE) -> FloatArray:
    """Debt / GDP over ``years`` years with constant inputs plus the scenario's shocks.

    .. math:: d_{k+1} = d_k \\frac{1 + r + \\Delta r}{1 + g + \\Delta g} - (pb + \\Delta pb),
              \\quad k = 0..years-1

    Parameters
    ----------
    debt, rate, growth, primary_balance : array_like, shape (n,)
        Starting values per date (see :func:`next_debt`).
    years : int
        Projection length (>= 1).
    scenario : DebtScenario

    Returns
    -------
    ndarray, shape (n, years + 1)
        Column 0 is today's debt.
    """
    if years < 1:
        raise ValueError(f"years must be >= 1, got {years}")
    d = np.atleast_1d(np.asarray(debt, dtype=np.float64))
    r = np.atleast_1d(np.asarray(rate, dtype=np.float64)) + scenario.rate_shock
    g = np.atleast_1d(np.asarray(growth, dtype=np.float64)) + scenario.growth_shock
    pb = np.atleast_1d(np.asarray(primary_balance, dtype=np.float64)) + scenario.primary_shock
    path = np.empty((d.size, years + 1))
    path[:, 0] = d
    for k in range(years):
        path[:, k + 1] = next_debt(path[:, k], r, g, pb)
    return path


def stabilising_primary_balance(debt: npt.ArrayLike, rate: npt.ArrayLike, growth: npt.ArrayLike) -> FloatArray:
    """Primary balance that keeps debt / GDP constant.

    .. math:: pb^* = d \\frac{r - g}{1 + g}

    (set :math:`d_{t+1} = d_t` in :func:`next_debt`).
    """
    d = np.asarray(debt, dtype=np.float64)
    r = np.asarray(rate, dtype=np.float64)
    g = np.asarray(growth, dtype=np.float64)
    return np.asarray(d * (r - g) / (1.0 + g), dtype=np.float64)


@dataclass(frozen=True, slots=True)
class DominanceScales:
    """Reference points and scales of the fiscal-dominance components (decimals).

    Debt is measured against 70% of GDP (around where emerging-market sovereign spreads start to
    price debt levels, and the IMF's emerging-market debt benchmark), r - g per 3pp, the primary
    gap per 2pp of GDP, the 12-month debt change per 3pp.
    """

    debt_reference: float = 0.70
    debt_scale: float = 0.10
    r_minus_g_scale: float = 0.03
    primary_gap_scale: float = 0.02
    debt_change_scale: float = 0.03

    def __post_init__(self) -> None:
        for name in ("debt_scale", "r_minus_g_scale", "primary_gap_scale", "debt_change_scale"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")


def dominance_components(debt: npt.ArrayLike, r_minus_g: npt.ArrayLike, primary_gap: npt.ArrayLike,
                         debt_change_12m: npt.ArrayLike, scales: DominanceScales = DominanceScales()) -> FloatArray:
    """The four standardised fiscal-stress readings, shape (n, 4).

    .. math:: \\left(\\frac{d - d_{ref}}{s_d}, \\frac{r - g}{s_{rg}}, \\frac{pb^* - pb}{s_{pb}},
              \\frac{\\Delta_{12m} d}{s_{\\Delta d}}\\right)
    """
    return np.column_stack([
        (np.asarray(debt, dtype=np.float64) - scales.debt_reference) / scales.debt_scale,
        np.asarray(r_minus_g, dtype=np.float64) / scales.r_minus_g_scale,
        np.asarray(primary_gap, dtype=np.float64) / scales.primary_gap_scale,
        np.asarray(debt_change_12m, dtype=np.float64) / scales.debt_change_scale,
    ])


def fiscal_dominance_score(components: npt.ArrayLike) -> FloatArray:
    """Probability-like fiscal-dominance score from the standardised readings.

    .. math:: F = \\frac{1}{1 + e^{-\\bar x}}, \\qquad \\bar x = \\text{mean of the available } x_j

    0.5 is neutral; above 0.5 debt dynamics constrain monetary policy (high debt, r > g, a primary
    balance below the stabilising one, debt rising).

    Parameters
    ----------
    components : ndarray, shape (n, m)
        Output of :func:`dominance_components` (NaN where a reading is missing).

    Returns
    -------
    ndarray, shape (n,)
        NaN where all readings are missing.
    """
    x = np.asarray(components, dtype=np.float64)
    present = np.isfinite(x)
    count = present.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, np.where(present, x, 0.0).sum(axis=1) / count, np.nan)
    return np.asarray(1.0 / (1.0 + np.exp(-mean)), dtype=np.float64)
