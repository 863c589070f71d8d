"""The CMN inflation targets for IPCA (Conselho Monetário Nacional), 2010-2026.

4.5% from 2005 to 2018 (tolerance +-2pp to 2016, +-1.5pp from 2017); then 4.25% (2019), 4.0% (2020),
3.75% (2021), 3.5% (2022), 3.25% (2023), 3.0% (2024); from 2025 a continuous 3.0% target (Decreto
12.079/2024), tolerance +-1.5pp. Years after 2026 keep the continuous 3% target.
"""

import numpy as np
import pandas as pd

from domain._typing import FloatArray

FIRST_YEAR = 2010
LAST_YEAR = 2026
CONTINUOUS_TARGET = 0.03
CONTINUOUS_FROM = 2025
"""The continuous target has no end year: any year from 2025 on gets 3%."""

_TARGETS: dict[int, float] = {
    **{year: 0.045 for year in range(2010, 2019)},
    2019: 0.0425, 2020: 0.04, 2021: 0.0375, 2022: 0.035, 2023: 0.0325, 2024: 0.03, 2025: 0.03, 2026: 0.03,
}


def inflation_target(year: int) -> float:
    """CMN IPCA target for a calendar year, as a decimal (0.03 for 3%).

    Raises
    ------
    ValueError
        Before 2010 (years from 2025 on get the continuous 3% target).
    """
    if year >= CONTINUOUS_FROM:
        return CONTINUOUS_TARGET
    if year not in _TARGETS:
        raise ValueError(f"no CMN inflation target known for {year} (covered: {FIRST_YEAR} onward)")
    return _TARGETS[year]


def tolerance(year: int) -> float:
    """Half-width of the tolerance band: 2pp until 2016, 1.5pp from 2017."""
    inflation_target(year)
    return 0.02 if year <= 2016 else 0.015


def _year_targets(years: "np.ndarray") -> FloatArray:
    lookup = np.array([_TARGETS[y] for y in range(FIRST_YEAR, CONTINUOUS_FROM)])
    idx = np.clip(years - FIRST_YEAR, 0, lookup.size - 1)
    return np.where(years < FIRST_YEAR, np.nan, np.where(years >= CONTINUOUS_FROM, CONTINUOUS_TARGET,
                                                          lookup[idx]))


def target_12m_ahead(dates: pd.DatetimeIndex) -> FloatArray:
    """Target for the 12 months after each date: the month-weighted mix of this year's and next year's.

    .. math:: \\pi^*_{12m}(d) = \\frac{12 - m}{12}\\,\\pi^*(Y) + \\frac{m}{12}\\,\\pi^*(Y + 1)

    for a date in month :math:`m` of year :math:`Y` (the 12 months from :math:`m+1` onward hold
    :math:`12 - m` months of :math:`Y`).

    Returns
    -------
    ndarray
        NaN for dates before 2010.
    """
    years = np.asarray(dates.year, dtype=np.int64)
    months = np.asarray(dates.month, dtype=np.float64)
    this_year, next_year = _year_targets(years), _year_targets(years + 1)
    return np.asarray((12.0 - months) / 12.0 * this_year + months / 12.0 * next_year, dtype=np.float64)


def target_for_dates(dates: pd.DatetimeIndex) -> FloatArray:
    """Target of each date's own calendar year (NaN before 2010)."""
    return _year_targets(np.asarray(dates.year, dtype=np.int64))
