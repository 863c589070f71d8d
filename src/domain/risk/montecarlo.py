"""Monte Carlo VaR: next-day factor scenarios from the t copula and GARCH(1,1) marginals.

Simulation of :math:`n` scenarios for :math:`d` factors (:class:`~domain.risk.garch.FittedMarginals`):

.. math::

    Z = L\\,G,\\ G_{ij} \\sim N(0,1) \\ (LL^\\top = R), \\qquad
    W_j \\sim \\chi^2_\\nu/\\nu, \\qquad T_{ij} = Z_{ij}/\\sqrt{W_j}

    e_{ij} = F_i^{-1}\\big(t_\\nu(T_{ij})\\big), \\qquad
    \\Delta x_{ij} = s_i \\sigma_{T+1,i}\\, e_{ij} \\;(+\\, s_i \\mu_i \\text{ if the mean is included})

:math:`T_{\\cdot j}` is multivariate t, so :math:`t_\\nu(T_{ij})` is a draw of the t copula and
:math:`F_i^{-1}` (unit-variance t with :math:`\\nu_i` dof, or normal) gives the innovation.

**Speed.** :math:`F_i^{-1}\\circ t_\\nu` is tabulated once per fit and interpolated
(:mod:`domain.risk.innovation_map`); a Gaussian copula with normal marginals skips it (identity).
Draw order for reproducibility: the :math:`d \\times n` normals, then the :math:`n` chi-squares.
"""

import math

import numpy as np
import numpy.typing as npt
import pandas as pd

from domain.risk.errors import RiskInputError
from domain.risk.garch import FittedMarginals
from domain.risk.var import VarMethod, VarResult, check_horizon, empirical_var

FloatArray = npt.NDArray[np.float64]


def copula_to_innovations(fitted: FittedMarginals, scores: FloatArray) -> FloatArray:
    """Map copula scores to each factor's unit-variance innovation.

    .. math:: e_{ji} = F_i^{-1}\\big(C(T_{ji})\\big)

    with :math:`C` the copula's univariate CDF (:math:`t_\\nu`, or :math:`\\Phi` for a Gaussian
    copula) and :math:`F_i` the factor's innovation CDF, through the fitted quantile tables.

    Parameters
    ----------
    fitted : FittedMarginals
        Model whose tables to use.
    scores : ndarray, shape (n, d)
        Multivariate-t (or normal) draws, columns in ``fitted.factors`` order.

    Returns
    -------
    ndarray, shape (n, d)
    """
    values = np.asarray(scores, dtype=np.float64)
    if values.ndim != 2 or values.shape[1] != len(fitted.factors):
        raise RiskInputError(f"copula scores must have shape (n, {len(fitted.factors)}), got {values.shape}")
    return fitted.innovation_map.apply(np.ascontiguousarray(values.T)).T


def simulate(fitted: FittedMarginals, n: int, rng: np.random.Generator, *,
             include_mean: bool = False) -> FloatArray:
    """Simulate ``n`` next-day factor-change scenarios from the copula-GARCH model.

    .. math:: \\Delta x_{ji} = s_i\\sigma_{T+1,i}\\, F_i^{-1}\\big(t_\\nu(T_{ji})\\big)
              \\;[+\\, s_i\\mu_i]

    (see the module docstring for :math:`T`). The GARCH mean is left out by default, as in
    parametric VaR: a fitted daily drift is noise at a one-day horizon.

    Parameters
    ----------
    fitted : FittedMarginals
        Fitted (or Gaussian) model.
    n : int
        Number of scenarios, >= 1.
    rng : numpy.random.Generator
        Source of randomness; seed it for reproducible numbers.
    include_mean : bool
        Add each factor's fitted daily mean.

    Returns
    -------
    ndarray, shape (n, d)
        Factor changes in factor units, columns in ``fitted.factors`` order.
    """
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise RiskInputError(f"simulate: n must be a positive int, got {n!r}")
    d = len(fitted.factors)
    scores = fitted.cholesky @ rng.standard_normal((d, n))
    if not math.isinf(fitted.copula_dof):
        mixing = np.sqrt(rng.chisquare(fitted.copula_dof, n) / fitted.copula_dof)
        scores /= mixing
    moves = fitted.innovation_map.apply(scores)
    moves *= fitted.next_volatility[:, None]
    if include_mean:
        moves += fitted.daily_mean[:, None]
    return moves.T


def scenario_pnl(scenarios: FloatArray, fitted: FittedMarginals, exposure: pd.Series) -> FloatArray:
    """Linear P&L of each simulated scenario, :math:`P_j = \\sum_i \\Delta x_{ji} s_i` (BRL).

    Parameters
    ----------
    scenarios : ndarray, shape (n, d)
        Output of :func:`simulate` for ``fitted``.
    fitted : FittedMarginals
        Gives the factor order of the columns.
    exposure : Series
        Portfolio sensitivity per factor (BRL per unit); factors outside the model must have zero
        exposure.

    Returns
    -------
    ndarray, shape (n,)
    """
    if scenarios.ndim != 2 or scenarios.shape[1] != len(fitted.factors):
        raise RiskInputError(f"scenarios must have shape (n, {len(fitted.factors)}), got {scenarios.shape}")
    values = exposure.to_numpy(dtype=np.float64)
    outside = [str(f) for f, v in zip(exposure.index, values, strict=True)
               if f not in fitted.factors and v != 0.0]
    if outside:
        raise RiskInputError(f"Monte Carlo model lacks exposed factor(s) {outside}")
    s = exposure.reindex(list(fitted.factors), fill_value=0.0).to_numpy(dtype=np.float64)
    if not np.all(np.isfinite(s)):
        raise RiskInputError("exposure has non-finite values")
    return np.asarray(scenarios @ s, dtype=np.float64)


def to_horizon(scenarios: FloatArray, fitted: FittedMarginals, horizon_days: int) -> FloatArray:
    """Scenarios of the ``horizon_days``-day change of each factor from the one-day scenarios of :func:`simulate`.

    .. math:: \\Delta x^{(h)}_{ji} = \\Delta x_{ji}\\, \\frac{\\sigma_{(h),i}}{s_i \\sigma_{T+1,i}}

    with :math:`\\sigma_{(h),i}` the fitted multi-step GARCH volatility
    (:meth:`~domain.risk.garch.FittedMarginals.horizon_volatility`): each factor's h-day variance follows
    its variance term structure (mean-reverting to the long-run level), not :math:`h` times today's. The
    copula and the shape of each marginal are those of one day (the sum of h fat-tailed days is closer to
    normal: a conservative simplification at 10 days).
    """
    if scenarios.ndim != 2 or scenarios.shape[1] != len(fitted.factors):
        raise RiskInputError(f"scenarios must have shape (n, {len(fitted.factors)}), got {scenarios.shape}")
    ratio = fitted.horizon_volatility(horizon_days) / fitted.next_volatility
    return np.asarray(scenarios * ratio[None, :], dtype=np.float64)


def monte_carlo_var(pnl: FloatArray, *, confidence: float, horizon_days: int = 1) -> VarResult:
    """VaR and CVaR from simulated P&L over ``horizon_days`` (no square-root-of-time scaling).

    .. math:: \\mathrm{VaR}^{(h)}_a = -x^{(h)}_{(k)}, \\quad
              \\mathrm{CVaR}^{(h)}_a = -\\frac1k\\sum_{j\\le k} x^{(h)}_{(j)}, \\quad
              k = \\lceil n(1-a) \\rceil

    Parameters
    ----------
    pnl : ndarray
        Simulated P&L over the horizon in BRL (:func:`scenario_pnl` of :func:`simulate`, through
        :func:`to_horizon` beyond one day).
    confidence : float
        Level :math:`a`.
    horizon_days : int
        Holding period h.

    Returns
    -------
    VarResult
    """
    check_horizon(horizon_days)
    var, cvar = empirical_var(pnl, confidence)
    return VarResult(VarMethod.MONTE_CARLO, confidence, horizon_days, var, cvar)
