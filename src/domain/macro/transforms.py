"""Transforms of macro series: monthly changes, inflation compounding, trailing z-scores, output gap.

Inputs and outputs are ``pandas.Series`` indexed by observation date. Monthly transforms place the
series on a complete calendar-month grid first, so a missing month gives NaN instead of silently
comparing with the wrong month; results come back on the input's own index and order. Nothing
looks ahead: each value dated :math:`t` uses observations dated :math:`t` or earlier only.
"""

from typing import TypeAlias

import numpy as np
import pandas as pd

from domain.errors import DomainError
from domain.macro.hp_filter import MONTHLY_LAMBDA, one_sided_hp_trend

FloatSeries: TypeAlias = "pd.Series[float]"


class InvalidSeriesError(DomainError, ValueError):
    """A series a transform cannot use (duplicate months, non-positive levels where logs are taken)."""


def _on_monthly_grid(series: FloatSeries) -> tuple[FloatSeries, pd.PeriodIndex]:
    """The series on a gap-free monthly grid (missing months NaN), and each input row's month."""
    months = pd.DatetimeIndex(pd.to_datetime(series.index)).to_period("M")
    if months.has_duplicates:
        raise InvalidSeriesError(f"series {series.name!r}: two observations in month "
                                 f"{months[months.duplicated()][0]}")
    values = pd.Series(series.to_numpy(dtype=np.float64), index=months).sort_index()
    grid = pd.period_range(values.index.min(), values.index.max(), freq="M")
    return values.reindex(grid), months


def _back(result: FloatSeries, months: pd.PeriodIndex, like: FloatSeries) -> FloatSeries:
    return pd.Series(result.reindex(months).to_numpy(dtype=np.float64), index=like.index, name=like.name)


def _empty_like(series: FloatSeries) -> FloatSeries:
    return pd.Series(np.array([], dtype=np.float64), index=series.index[:0], name=series.name)


def mom_change(levels: FloatSeries) -> FloatSeries:
    """Month-on-month change of an index-level series, as a fraction.

    .. math:: \\frac{x_t}{x_{t-1}} - 1

    Parameters
    ----------
    levels : Series
        Monthly levels indexed by observation date (one per month, any order).

    Returns
    -------
    Series
        Same index; NaN where the previous month is missing.
    """
    if levels.empty:
        return _empty_like(levels)
    grid, months = _on_monthly_grid(levels)
    return _back(grid / grid.shift(1) - 1.0, months, levels)


def yoy_change(levels: FloatSeries) -> FloatSeries:
    """Year-on-year change of an index-level series, as a fraction.

    .. math:: \\frac{x_t}{x_{t-12}} - 1

    Parameters
    ----------
    levels : Series
        Monthly levels indexed by observation date.

    Returns
    -------
    Series
        Same index; NaN where the month a year earlier is missing.
    """
    if levels.empty:
        return _empty_like(levels)
    grid, months = _on_monthly_grid(levels)
    return _back(grid / grid.shift(12) - 1.0, months, levels)


def change_12m(levels: FloatSeries) -> FloatSeries:
    """Twelve-month difference of a level (rates, ratios), in the series' own unit.

    .. math:: x_t - x_{t-12}

    Parameters
    ----------
    levels : Series
        Monthly levels indexed by observation date.

    Returns
    -------
    Series
        Same index; NaN where the month a year earlier is missing.
    """
    if levels.empty:
        return _empty_like(levels)
    grid, months = _on_monthly_grid(levels)
    return _back(grid - grid.shift(12), months, levels)


def sum_12m(flows: FloatSeries) -> FloatSeries:
    r"""Twelve-month rolling sum of a monthly flow (trade balance), in the series' own unit.

    .. math:: \sum_{k=0}^{11} x_{t-k}

    Parameters
    ----------
    flows : Series
        Monthly flows indexed by observation date.

    Returns
    -------
    Series
        Same index; NaN until twelve consecutive months are available, or when a month is missing.
    """
    if flows.empty:
        return _empty_like(flows)
    grid, months = _on_monthly_grid(flows)
    return _back(grid.rolling(12, min_periods=12).sum(), months, flows)


def _compounded(mom_pct: FloatSeries, months_window: int, power: float) -> FloatSeries:
    """:math:`(\\prod_{k<w} (1 + m_{t-k}/100))^{power} - 1` on the monthly grid, mapped back to the input."""
    grid, months = _on_monthly_grid(mom_pct)
    factors = 1.0 + grid.to_numpy(dtype=np.float64) / 100.0
    result = np.full(factors.size, np.nan)
    if factors.size >= months_window:
        windows = np.lib.stride_tricks.sliding_window_view(factors, months_window)
        result[months_window - 1:] = windows.prod(axis=1) ** power - 1.0  # NaN inside a window stays NaN
    return _back(pd.Series(result, index=grid.index), months, mom_pct)


def compounded_12m(mom_pct: FloatSeries) -> FloatSeries:
    """Twelve-month change compounded from monthly percent changes (IPCA m/m), as a fraction.

    .. math:: \\prod_{k=0}^{11} \\left(1 + \\frac{m_{t-k}}{100}\\right) - 1

    Parameters
    ----------
    mom_pct : Series
        Monthly changes in percent (0.56 for 0.56% m/m), indexed by observation date.

    Returns
    -------
    Series
        Same index; NaN until 12 consecutive months are available.
    """
    if mom_pct.empty:
        return _empty_like(mom_pct)
    return _compounded(mom_pct, 12, 1.0)


def saar_3m(mom_pct: FloatSeries) -> FloatSeries:
    """Three-month seasonally-adjusted annualised rate from monthly percent changes, as a fraction.

    .. math:: \\left(\\prod_{k=0}^{2} \\left(1 + \\frac{m_{t-k}}{100}\\right)\\right)^{4} - 1

    The input should already be seasonally adjusted (IPCA cores are smoothed); the formula only
    annualises.

    Parameters
    ----------
    mom_pct : Series
        Monthly changes in percent, indexed by observation date.

    Returns
    -------
    Series
        Same index; NaN until 3 consecutive months are available.
    """
    if mom_pct.empty:
        return _empty_like(mom_pct)
    return _compounded(mom_pct, 3, 4.0)


def trailing_zscore(values: FloatSeries, window: int = 252, *, min_periods: int | None = None) -> FloatSeries:
    """Z-score of each observation against the trailing window that ends with it (no look-ahead).

    .. math:: z_t = \\frac{x_t - \\bar{x}_{t-w+1..t}}{s_{t-w+1..t}}

    with :math:`s` the sample standard deviation (ddof 1) over the last :math:`w` observations.

    Parameters
    ----------
    values : Series
        Observations indexed by date (any order; sorted by date before windowing).
    window : int
        Number of observations :math:`w` in the window, at least 2.
    min_periods : int, optional
        Observations needed for a value (default: the full window).

    Returns
    -------
    Series
        Same index; NaN before ``min_periods`` observations and where the window is constant.

    Raises
    ------
    InvalidSeriesError
        When ``window`` or ``min_periods`` is below 2 or above the window.
    """
    need = window if min_periods is None else min_periods
    if window < 2 or not 2 <= need <= window:
        raise InvalidSeriesError(f"z-score: need 2 <= min_periods <= window, got window={window}, "
                                 f"min_periods={min_periods}")
    if values.empty:
        return _empty_like(values)
    order = np.argsort(pd.to_datetime(values.index).to_numpy(), kind="stable")
    ordered = pd.Series(values.to_numpy(dtype=np.float64)[order])
    rolling = ordered.rolling(window, min_periods=need)
    std = rolling.std(ddof=1)
    z = (ordered - rolling.mean()) / std.where(std > 0)
    result = np.empty(values.size)
    result[order] = z.to_numpy(dtype=np.float64)
    return pd.Series(result, index=values.index, name=values.name)


def output_gap(levels: FloatSeries, lamb: float = MONTHLY_LAMBDA, *, min_obs: int = 36) -> FloatSeries:
    """Output gap in percent of trend from a one-sided (real-time) HP filter on log levels.

    .. math:: gap_t = 100 \\left(\\ln x_t - \\tau^{rt}_t\\right)

    where :math:`\\tau^{rt}_t` is the last point of the HP trend (:math:`\\lambda = 14400` for monthly
    data) of :math:`\\ln x_1..\\ln x_t`, so appending later data never changes an earlier gap.

    Parameters
    ----------
    levels : Series
        Monthly activity levels (IBC-Br), positive, indexed by observation date.
    lamb : float
        HP smoothing parameter.
    min_obs : int
        Observed months needed before a gap is reported.

    Returns
    -------
    Series
        Same index; NaN for the first ``min_obs - 1`` observed months.

    Raises
    ------
    InvalidSeriesError
        When a level is not positive.
    """
    if levels.empty:
        return _empty_like(levels)
    grid, months = _on_monthly_grid(levels)
    raw = grid.to_numpy(dtype=np.float64)
    if np.any(raw[np.isfinite(raw)] <= 0):
        raise InvalidSeriesError(f"output gap of {levels.name!r}: levels must be positive to take logs")
    logs = np.log(raw)
    trend = one_sided_hp_trend(logs, lamb, min_obs=min_obs)
    gap = pd.Series(100.0 * (logs - trend), index=grid.index)
    return _back(gap, months, levels)
