"""Focus survey medians, built from what the simulated economy had published by each survey date.

* IPCA 12 months ahead: the model's expectation (anchored to the target, partly adaptive).
* IPCA current year: released months of the year compounded with the expected pace for the rest.
* IPCA next year: mostly the next year's target, partly the 12-month expectation, plus fiscal stress.
* GDP current year: released IBC-Br months plus a forecast in which the output gap decays.
* Selic year-end: the DI curve's expected policy path at 31 December (current and next year),
  in 25 bp steps as survey medians usually are.
* FX year-end: mostly the recent USD/BRL average, partly its fundamental level.
"""

from dataclasses import dataclass

import numpy as np

from adapters.market_data.synthetic.curves import BrazilCurve, ar1
from adapters.market_data.synthetic.grid import TimeGrid
from adapters.market_data.synthetic.macro import IPCA_SEASONAL, BrazilMacro, inflation_target, log_usdbrl

# Months between a reference month and the survey month by which it has been published.
_IPCA_KNOWN_AFTER, _IBC_KNOWN_AFTER = 2, 3


@dataclass(frozen=True, eq=False)
class FocusInflation:
    """Daily Focus medians that do not need the DI curve."""

    ipca_12m: np.ndarray
    ipca_cy: np.ndarray
    ipca_ny: np.ndarray
    gdp_cy: np.ndarray
    fx_cy: np.ndarray


def _ipca_current_year(grid: TimeGrid, br: BrazilMacro) -> np.ndarray:
    month_no = grid.month_numbers()
    out = np.zeros(grid.n_months)
    for m in range(grid.first_month, grid.n_months):
        jan = m - (month_no[m] - 1)
        pace = (1 + br.expectation[m] / 100) ** (1 / 12) - 1
        growth = 1.0
        for k in range(jan, jan + 12):
            if k <= m - _IPCA_KNOWN_AFTER:
                growth *= 1 + br.ipca_mom[k] / 100
            else:
                growth *= 1 + pace + IPCA_SEASONAL[(k - jan) % 12] / 100
        out[m] = (growth - 1) * 100
    out[: grid.first_month] = out[grid.first_month]
    return out


def _gdp_current_year(grid: TimeGrid, br: BrazilMacro) -> np.ndarray:
    month_no = grid.month_numbers()
    out = np.zeros(grid.n_months)
    for m in range(grid.first_month, grid.n_months):
        last = m - _IBC_KNOWN_AFTER
        jan = m - (month_no[m] - 1)
        trend = br.ibc[last] / (1 + br.gap[last] / 100)
        levels = []
        for k in range(jan - 12, jan + 12):
            if k <= last:
                levels.append(br.ibc[k])
            else:
                steps = k - last
                drift = np.exp(br.potential_growth[m] / 1200 * steps)
                levels.append(trend * drift * (1 + br.gap[last] * 0.93 ** max(steps, 0) / 100))
        out[m] = (np.mean(levels[12:]) / np.mean(levels[:12]) - 1) * 100
    out[: grid.first_month] = out[grid.first_month]
    return out


def simulate_focus_inflation(grid: TimeGrid, br: BrazilMacro, usdbrl: np.ndarray, rng: np.random.Generator
                             ) -> FocusInflation:
    """Daily medians: interpolated monthly views plus small persistent survey noise."""
    e = rng.standard_normal((grid.n_days, 5))
    next_target = inflation_target(grid.month_years() + 1.0)
    ipca_ny = 0.6 * next_target + 0.4 * br.expectation + 0.3 * br.fiscal_stress
    window = 20
    kernel = np.ones(window) / window
    padded = np.concatenate([np.full(window - 1, usdbrl[0]), usdbrl])
    recent = np.convolve(padded, kernel, mode="valid")
    fiscal = grid.interpolate(br.fiscal_stress)
    fundamental = np.exp(log_usdbrl(grid.interpolate(br.ppp), 0.0, fiscal, 0.0, grid.interpolate(br.carry),
                                    0.0, 0.0))
    return FocusInflation(
        ipca_12m=grid.interpolate(br.expectation) + ar1(e[:, 0], 0.01, 0.98),
        ipca_cy=grid.interpolate(_ipca_current_year(grid, br)) + ar1(e[:, 1], 0.01, 0.98),
        ipca_ny=grid.interpolate(ipca_ny) + ar1(e[:, 2], 0.01, 0.98),
        gdp_cy=grid.interpolate(_gdp_current_year(grid, br)) + ar1(e[:, 3], 0.015, 0.98),
        fx_cy=0.85 * recent + 0.15 * fundamental + ar1(e[:, 4], 0.005, 0.98),
    )


def year_end_selic(grid: TimeGrid, curve: BrazilCurve, years_ahead: int) -> np.ndarray:
    """Focus median of the Selic at the end of the survey year (+ ``years_ahead``), in 25 bp steps."""
    year = grid.days.astype("datetime64[Y]")
    dec31 = (year + 1 + years_ahead).astype("datetime64[D]") - 1
    horizon = (dec31 - grid.days).astype(np.float64) / 365.25
    expected = curve.expected_selic(np.arange(grid.n_days), horizon)
    return np.round(expected * 4.0) / 4.0
