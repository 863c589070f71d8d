"""Covariance of generic returns: estimation and the checks every consumer applies."""

import warnings

import numpy as np
import pandas as pd

from domain._typing import FloatArray
from domain.portfolio.errors import IllConditionedCovarianceWarning, InvalidPortfolioInputError

CONDITION_WARNING = 1e12
SYMMETRY_TOLERANCE = 1e-10


def check_covariance(covariance: FloatArray, n: int | None = None, *, what: str = "covariance") -> FloatArray:
    """Validate a covariance matrix and return it as a float array.

    Rejects non-square, wrong-size, non-finite, asymmetric or indefinite matrices (smallest
    eigenvalue below :math:`-10^{-10} \\lambda_{max}`); warns with
    :class:`IllConditionedCovarianceWarning` when :math:`\\lambda_{max}/\\lambda_{min} > 10^{12}`.
    """
    sigma = np.asarray(covariance, dtype=np.float64)
    if sigma.ndim != 2 or sigma.shape[0] != sigma.shape[1]:
        raise InvalidPortfolioInputError(f"{what}: must be a square matrix, got shape {sigma.shape}")
    if n is not None and sigma.shape[0] != n:
        raise InvalidPortfolioInputError(f"{what}: expected {n}x{n}, got {sigma.shape}")
    if not np.all(np.isfinite(sigma)):
        raise InvalidPortfolioInputError(f"{what}: has non-finite entries")
    scale = max(float(np.max(np.abs(sigma))), np.finfo(float).tiny)
    if np.max(np.abs(sigma - sigma.T)) > SYMMETRY_TOLERANCE * scale:
        raise InvalidPortfolioInputError(f"{what}: is not symmetric")
    eigenvalues = np.linalg.eigvalsh(sigma)
    if eigenvalues[-1] <= 0 or eigenvalues[0] < -SYMMETRY_TOLERANCE * eigenvalues[-1]:
        raise InvalidPortfolioInputError(
            f"{what}: is not positive semi-definite (eigenvalues {eigenvalues[0]:.3g}..{eigenvalues[-1]:.3g})")
    if eigenvalues[0] <= eigenvalues[-1] / CONDITION_WARNING:
        warnings.warn(f"{what}: condition number above {CONDITION_WARNING:.0e}",
                      IllConditionedCovarianceWarning, stacklevel=3)
    return sigma


def covariance_matrix(returns: pd.DataFrame, *, halflife: float | None = None,
                      min_observations: int = 60) -> FloatArray:
    """Sample or exponentially weighted covariance of returns on the dates where all are known.

    .. math::

        \\omega_t \\propto 2^{-(T - t)/h}, \\quad \\sum_t \\omega_t = 1, \\quad
        \\bar r = \\sum_t \\omega_t r_t, \\quad
        \\Sigma = \\frac{\\sum_t \\omega_t (r_t - \\bar r)(r_t - \\bar r)'}{1 - \\sum_t \\omega_t^2}

    With ``halflife=None`` every weight is :math:`1/T` and this is the unbiased sample covariance.

    Parameters
    ----------
    returns : DataFrame
        Dates x generics, daily returns; rows with any NaN are dropped.
    halflife : float, optional
        Half-life :math:`h` in sessions of the exponential weights.
    min_observations : int
        Fewest complete rows accepted.

    Returns
    -------
    array
        :math:`n \\times n`, in the column order of ``returns``.
    """
    if halflife is not None and not halflife > 0:
        raise InvalidPortfolioInputError(f"covariance: halflife must be positive, got {halflife}")
    data = returns.dropna(how="any").to_numpy(dtype=np.float64)
    if data.shape[0] < max(min_observations, 2):
        raise InvalidPortfolioInputError(
            f"covariance: {data.shape[0]} complete rows, need at least {max(min_observations, 2)}")
    t = data.shape[0]
    if halflife is None:
        weights = np.full(t, 1.0 / t)
    else:
        weights = 0.5 ** ((t - 1 - np.arange(t)) / halflife)
        weights /= weights.sum()
    centred = data - weights @ data
    sigma: FloatArray = (centred * weights[:, None]).T @ centred / (1.0 - float(np.sum(weights ** 2)))
    return 0.5 * (sigma + sigma.T)
