"""Student-t copula: correlation from Kendall's tau, degrees of freedom by maximum likelihood.

For an elliptical copula Kendall's tau and the copula correlation are linked exactly,
:math:`R_{ij} = \\sin(\\tfrac{\\pi}{2}\\tau_{ij})` (Lindskog, McNeil and Schmock 2003), whatever
the degrees of freedom and the marginals; the estimate is rank-based, so it needs neither the
marginal fit nor :math:`\\nu`. Given :math:`R`, :math:`\\nu` maximises the copula log-likelihood
of the probability-integral transforms (a profile likelihood, one dimension, bounded Brent).
"""

import math
import warnings

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import optimize, special

from domain.risk.errors import CorrelationRepairWarning, RiskInputError

FloatArray = npt.NDArray[np.float64]

DOF_BOUNDS = (2.5, 100.0)
# Uniforms are kept this far from 0 and 1 so that the t quantile stays finite.
UNIFORM_CLIP = 1e-10
MIN_EIGENVALUE = 1e-8


def nearest_correlation(matrix: FloatArray, *, what: str = "correlation") -> FloatArray:
    """A positive definite correlation matrix close to ``matrix`` (eigenvalue clipping).

    .. math:: C = V \\max(\\Lambda, \\epsilon) V^\\top, \\qquad R = D^{-1/2} C D^{-1/2},\\ D = \\mathrm{diag}(C)

    Returns ``matrix`` unchanged when it is already positive definite (smallest eigenvalue above
    :math:`\\epsilon = 10^{-8}`); otherwise emits :class:`CorrelationRepairWarning`.
    """
    sym = 0.5 * (matrix + matrix.T)
    eigenvalues, vectors = np.linalg.eigh(sym)
    if eigenvalues.min() > MIN_EIGENVALUE:
        return np.asarray(sym, dtype=np.float64)
    warnings.warn(
        f"{what}: not positive definite (smallest eigenvalue {eigenvalues.min():.3g}); "
        f"eigenvalues clipped at {MIN_EIGENVALUE}", CorrelationRepairWarning, stacklevel=2)
    clipped = (vectors * np.maximum(eigenvalues, MIN_EIGENVALUE)) @ vectors.T
    d = np.sqrt(np.diag(clipped))
    repaired = clipped / np.outer(d, d)
    np.fill_diagonal(repaired, 1.0)
    return np.asarray(repaired, dtype=np.float64)


def copula_correlation(residuals: FloatArray) -> FloatArray:
    """Copula correlation of standardised residuals from Kendall's tau.

    .. math:: R_{ij} = \\sin\\left(\\frac{\\pi}{2}\\, \\tau_{ij}\\right)

    Parameters
    ----------
    residuals : ndarray, shape (T, d)
        Standardised residuals (or any monotone transform of them: ranks suffice), no NaN.

    Returns
    -------
    ndarray, shape (d, d)
        Positive definite correlation matrix (repaired with a warning when needed).

    Raises
    ------
    RiskInputError
        On missing values or a constant column.
    """
    values = np.asarray(residuals, dtype=np.float64)
    if values.ndim != 2 or values.shape[0] < 3:
        raise RiskInputError(f"copula correlation needs a (T >= 3, d) array, got shape {values.shape}")
    if not np.all(np.isfinite(values)):
        raise RiskInputError("copula correlation: residuals have missing or non-finite values")
    if np.any(np.ptp(values, axis=0) == 0.0):
        raise RiskInputError("copula correlation: a residual series is constant")
    tau = pd.DataFrame(values).corr(method="kendall").to_numpy(dtype=np.float64)
    return nearest_correlation(np.sin(0.5 * math.pi * tau), what="t-copula correlation")


def t_copula_loglik(uniforms: FloatArray, correlation: FloatArray, dof: float) -> float:
    """Log-likelihood of a Student-t copula with correlation :math:`R` and :math:`\\nu` dof.

    With :math:`x_{ti} = t_\\nu^{-1}(u_{ti})` and :math:`q_t = x_t^\\top R^{-1} x_t`,

    .. math::

        \\ell = T\\left[\\ln\\Gamma(\\tfrac{\\nu+d}{2}) + (d-1)\\ln\\Gamma(\\tfrac{\\nu}{2})
        - d\\ln\\Gamma(\\tfrac{\\nu+1}{2}) - \\tfrac12 \\ln|R|\\right]
        - \\frac{\\nu+d}{2}\\sum_t \\ln(1 + q_t/\\nu)
        + \\frac{\\nu+1}{2}\\sum_{t,i} \\ln(1 + x_{ti}^2/\\nu)
    """
    u = np.clip(uniforms, UNIFORM_CLIP, 1.0 - UNIFORM_CLIP)
    n, d = u.shape
    x = special.stdtrit(dof, u)
    chol = np.linalg.cholesky(correlation)
    solved = np.linalg.solve(chol, x.T)  # L^{-1} x, so q = |L^{-1} x|^2
    q = np.einsum("ij,ij->j", solved, solved)
    log_det = 2.0 * float(np.log(np.diag(chol)).sum())
    const = (special.gammaln(0.5 * (dof + d)) + (d - 1) * special.gammaln(0.5 * dof)
             - d * special.gammaln(0.5 * (dof + 1.0)) - 0.5 * log_det)
    return float(n * const - 0.5 * (dof + d) * np.log1p(q / dof).sum()
                 + 0.5 * (dof + 1.0) * np.log1p(x * x / dof).sum())


def estimate_copula_dof(uniforms: FloatArray, correlation: FloatArray, *,
                        bounds: tuple[float, float] = DOF_BOUNDS) -> float:
    """Degrees of freedom of a t copula by profile maximum likelihood, given :math:`R`.

    .. math:: \\hat\\nu = \\arg\\max_{\\nu \\in [\\nu_{lo}, \\nu_{hi}]} \\ell(\\nu \\mid u, R)

    (bounded Brent on :math:`\\ln \\nu`). A maximum at the upper bound means the data show no tail
    dependence beyond a Gaussian copula's.

    Parameters
    ----------
    uniforms : ndarray, shape (T, d)
        Probability-integral transforms of the standardised residuals, in (0, 1).
    correlation : ndarray, shape (d, d)
        Copula correlation, positive definite.
    bounds : (float, float)
        Search interval for :math:`\\nu`, above 2.

    Returns
    -------
    float

    Raises
    ------
    RiskInputError
        On uniforms outside (0, 1) or inconsistent shapes.
    """
    u = np.asarray(uniforms, dtype=np.float64)
    if u.ndim != 2 or correlation.shape != (u.shape[1], u.shape[1]):
        raise RiskInputError(f"copula dof: uniforms {u.shape} and correlation {correlation.shape} disagree")
    if not np.all((u > 0.0) & (u < 1.0)):
        raise RiskInputError("copula dof: uniforms must lie strictly inside (0, 1)")
    low, high = bounds
    if not 2.0 < low < high:
        raise RiskInputError(f"copula dof: bounds must satisfy 2 < low < high, got {bounds}")
    result = optimize.minimize_scalar(
        lambda log_nu: -t_copula_loglik(u, correlation, math.exp(log_nu)),
        bounds=(math.log(low), math.log(high)), method="bounded", options={"xatol": 1e-4})
    return float(math.exp(result.x))
