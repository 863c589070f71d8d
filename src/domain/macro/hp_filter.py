"""Hodrick-Prescott filter, two-sided and one-sided (real-time), with missing observations.

The HP trend :math:`\\tau` of :math:`y_1..y_n` minimises

.. math:: \\sum_i w_i (y_i - \\tau_i)^2 + \\lambda \\sum_{i=3}^{n} (\\tau_i - 2\\tau_{i-1} + \\tau_{i-2})^2

with :math:`w_i = 1` where :math:`y_i` is observed and 0 where it is missing, so it solves the
pentadiagonal system :math:`(W + \\lambda D^\\top D)\\,\\tau = W y`. The *one-sided* trend at
:math:`t` is the last point of the filter run on :math:`y_1..y_t` only: a value dated :math:`t`
never uses data after :math:`t`. It equals the Kalman-filtered trend of the equivalent
state-space model with a diffuse initial state.
"""

import numpy as np
import scipy.linalg

from domain._typing import FloatArray
from domain.errors import DomainError

MONTHLY_LAMBDA = 14_400.0


class HpFilterError(DomainError, ValueError):
    """Inputs the HP filter cannot smooth (non-positive lambda, too few observations)."""


def _banded_system(weights: FloatArray, lamb: float) -> FloatArray:
    """Upper banded form (3 x n) of :math:`W + \\lambda D^\\top D`, for :func:`scipy.linalg.solveh_banded`."""
    n = weights.size
    m = max(n - 2, 0)  # rows of the second-difference operator D
    main = weights.astype(np.float64, copy=True)
    off1 = np.zeros(max(n - 1, 0))
    off2 = np.zeros(m)
    # Row k of D is (1, -2, 1) on columns k, k+1, k+2; D'D accumulates their outer products.
    main[:m] += lamb
    main[1:m + 1] += 4.0 * lamb
    main[2:m + 2] += lamb
    off1[:m] += -2.0 * lamb
    off1[1:m + 1] += -2.0 * lamb
    off2[:m] += lamb
    ab = np.zeros((3, n))
    ab[2] = main
    ab[1, 1:] = off1
    ab[0, 2:] = off2
    return ab


def hp_trend(values: FloatArray, lamb: float = MONTHLY_LAMBDA) -> FloatArray:
    """Two-sided HP trend of a sample (NaN values are treated as missing and get a trend value too).

    .. math:: \\tau = (W + \\lambda D^\\top D)^{-1} W y

    Parameters
    ----------
    values : array of float
        The sample :math:`y_1..y_n`, equally spaced; NaN where missing.
    lamb : float
        Smoothing parameter :math:`\\lambda` (14,400 for monthly data).

    Returns
    -------
    array of float
        The trend, same length.

    Raises
    ------
    HpFilterError
        When ``lamb`` is not positive or fewer than 2 values are observed.
    """
    if not lamb > 0:
        raise HpFilterError(f"HP filter: lambda must be positive, got {lamb}")
    y = np.asarray(values, dtype=np.float64)
    observed = np.isfinite(y)
    if observed.sum() < 2:
        raise HpFilterError(f"HP filter: needs at least 2 observed values, got {int(observed.sum())}")
    if y.size <= 2:
        return y.copy()  # no second differences to penalise: the trend is the data
    weights = observed.astype(np.float64)
    trend: FloatArray = scipy.linalg.solveh_banded(_banded_system(weights, lamb), np.where(observed, y, 0.0))
    return trend


def one_sided_hp_trend(values: FloatArray, lamb: float = MONTHLY_LAMBDA, *, min_obs: int = 36) -> FloatArray:
    """Real-time HP trend: at each :math:`t`, the last point of the HP trend of :math:`y_1..y_t`.

    .. math:: \\tau^{rt}_t = \\left[(W_t + \\lambda D_t^\\top D_t)^{-1} W_t\\, y_{1..t}\\right]_t

    Parameters
    ----------
    values : array of float
        Equally spaced sample, NaN where missing.
    lamb : float
        Smoothing parameter (14,400 for monthly data).
    min_obs : int
        Observed values needed up to :math:`t` before a trend is reported (the end point of a short
        sample is mostly noise).

    Returns
    -------
    array of float
        The real-time trend; NaN where :math:`y_t` is missing or fewer than ``min_obs`` values are
        observed up to :math:`t`.

    Raises
    ------
    HpFilterError
        When ``lamb`` is not positive or ``min_obs`` is below 2.
    """
    if min_obs < 2:
        raise HpFilterError(f"HP filter: min_obs must be at least 2, got {min_obs}")
    y = np.asarray(values, dtype=np.float64)
    out = np.full(y.size, np.nan)
    observed = np.isfinite(y)
    seen = np.cumsum(observed)
    for t in np.flatnonzero(observed & (seen >= min_obs)).tolist():
        out[t] = hp_trend(y[:t + 1], lamb)[-1]
    return out
