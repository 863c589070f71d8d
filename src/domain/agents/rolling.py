"""Trailing statistics over B3 sessions: z-scores, sign consistency, realised volatility, squashing.

Every function looks back only: the value on row ``t`` uses rows ``t - w + 1 .. t``. Windows count
sessions (rows of the panel), so 21 sessions is about a month and 252 a year.
"""

import numpy as np
import pandas as pd

from domain.agents.base import FloatSeries

SESSIONS_PER_YEAR = 252


def _check_window(window: int, min_periods: int) -> None:
    if window < 2 or not 2 <= min_periods <= window:
        raise ValueError(f"need 2 <= min_periods <= window, got window={window}, min_periods={min_periods}")


def trailing_zscore(x: FloatSeries, window: int, min_periods: int | None = None) -> FloatSeries:
    """Z-score against the trailing window ending on the row.

    .. math:: z_t = \\frac{x_t - \\bar x_{t-w+1..t}}{s_{t-w+1..t}}

    with :math:`s` the sample standard deviation (ddof 1) of the non-missing values in the window.

    Parameters
    ----------
    x : Series
        Date-indexed values (NaN allowed).
    window : int
        Window length :math:`w` in rows.
    min_periods : int, optional
        Non-missing values needed in the window (default: ``window``).

    Returns
    -------
    Series
        NaN where ``x`` is NaN, the window is short, or its standard deviation is zero.
    """
    need = window if min_periods is None else min_periods
    _check_window(window, need)
    rolling = x.rolling(window, min_periods=need)
    std = rolling.std(ddof=1)
    z = (x - rolling.mean()) / std.where(std > 0)
    return z.where(x.notna())


def sign_consistency(x: FloatSeries, window: int) -> FloatSeries:
    """Share of the trailing window's sessions whose value has today's sign.

    .. math:: \\kappa_t = \\frac{1}{w}\\sum_{k=0}^{w-1} \\mathbb 1[\\operatorname{sign} x_{t-k}
              = \\operatorname{sign} x_t]

    Missing values count as disagreeing, so a reading with a short history earns confidence
    gradually; 0 when :math:`x_t = 0`. A persistent reading is more trustworthy than one that just
    flipped, so models use it as a confidence.

    Parameters
    ----------
    x : Series
        Date-indexed values.
    window : int
        Window length in rows (>= 1).

    Returns
    -------
    Series
        In [0, 1]; NaN where ``x`` is NaN.
    """
    if window < 1:
        raise ValueError(f"window must be >= 1, got {window}")
    valid = x.notna()
    count = float(window)
    positive = (x > 0).astype(np.float64).rolling(window, min_periods=1).sum()
    negative = (x < 0).astype(np.float64).rolling(window, min_periods=1).sum()
    share = np.where(x > 0, positive / count, np.where(x < 0, negative / count, 0.0))
    return pd.Series(share, index=x.index).where(valid)


def realised_vol(levels: FloatSeries, window: int) -> FloatSeries:
    """Annualised realised volatility of log returns over the trailing window.

    .. math:: \\sigma_t = \\sqrt{252}\\; \\operatorname{sd}\\left(\\ln \\frac{p_{t-k}}{p_{t-k-1}},\\
              k = 0..w-1\\right)

    Parameters
    ----------
    levels : Series
        Positive price levels.
    window : int
        Number of returns in the window (>= 2); all must be present.

    Returns
    -------
    Series
        NaN until ``window`` returns are available.
    """
    _check_window(window, window)
    returns = log_level(levels).diff()
    vol: FloatSeries = returns.rolling(window, min_periods=window).std(ddof=1) * float(np.sqrt(SESSIONS_PER_YEAR))
    return vol


def rate_vol(rates: FloatSeries, window: int, horizon: int) -> FloatSeries:
    """Standard deviation of a rate's change over ``horizon`` sessions, from daily changes.

    .. math:: \\sigma_{t,h} = \\sqrt{h}\\; \\operatorname{sd}(\\Delta r_{t-k},\\ k = 0..w-1)

    Parameters
    ----------
    rates : Series
        Rates in decimals.
    window : int
        Daily changes in the window (>= 2, all present).
    horizon : int
        Horizon :math:`h` in sessions.

    Returns
    -------
    Series
        In decimals of rate.
    """
    _check_window(window, window)
    if horizon < 1:
        raise ValueError(f"horizon must be >= 1, got {horizon}")
    vol: FloatSeries = rates.diff().rolling(window, min_periods=window).std(ddof=1) * float(np.sqrt(horizon))
    return vol


def squash(x: FloatSeries, scale: float) -> FloatSeries:
    """Map a model number to a score in (-1, 1).

    .. math:: s = \\tanh(x / \\text{scale})

    so ``x = scale`` gives 0.76 and ``x = 2 scale`` gives 0.96.
    """
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale}")
    return pd.Series(np.tanh(x.to_numpy(dtype=np.float64) / scale), index=x.index)


def row_mean(*parts: FloatSeries) -> FloatSeries:
    """Row-wise mean of the parts that are present (NaN only where all are missing)."""
    if not parts:
        raise ValueError("row_mean needs at least one series")
    stacked = np.column_stack([p.to_numpy(dtype=np.float64) for p in parts])
    present = np.isfinite(stacked)
    total = np.where(present, stacked, 0.0).sum(axis=1)
    count = present.sum(axis=1)
    with np.errstate(invalid="ignore", divide="ignore"):
        mean = np.where(count > 0, total / count, np.nan)
    return pd.Series(mean, index=parts[0].index)


def log_level(x: FloatSeries) -> FloatSeries:
    """Natural log of a positive level (NaN where the level is missing or not positive)."""
    values = x.to_numpy(dtype=np.float64)
    with np.errstate(invalid="ignore", divide="ignore"):
        logs = np.where(values > 0, np.log(np.where(values > 0, values, 1.0)), np.nan)
    return pd.Series(logs, index=x.index)
