"""GARCH(1,1) marginals joined by a Student-t copula: the fitted model behind Monte Carlo VaR.

Each factor's daily change is standardised by its sample deviation :math:`s_i` and fitted with
``arch`` (constant mean, GARCH(1,1), standardised Student-t or normal innovations):

.. math::

    z_{ti} = x_{ti}/s_i = \\mu_i + \\varepsilon_{ti}, \\quad \\varepsilon_{ti} = \\sigma_{ti} e_{ti}, \\quad
    \\sigma^2_{t+1,i} = \\omega_i + \\alpha_i \\varepsilon^2_{ti} + \\beta_i \\sigma^2_{ti}

The standardised residuals :math:`e_{ti}` are joined by a t copula (correlation from Kendall's tau,
degrees of freedom by maximum likelihood or fixed, see :mod:`domain.risk.copula`). Simulation
(:func:`domain.risk.montecarlo.simulate`) draws next-day innovations from the copula and scales
them by the one-step-ahead volatility :math:`s_i \\sigma_{T+1,i}`.

**Refit policy.** Fitting is separate from simulation and its result is meant to be cached. GARCH
parameters and the copula are slow-moving: re-estimating them daily changes VaR by noise, not
information. Refit **weekly** (every fifth session), and each day in between roll the variance
recursion forward with the fixed parameters using :func:`update_marginals` (microseconds), so the
volatility still reacts to yesterday's move. Measured on the project machine (2-core AMD EPYC,
``benchmarks/bench_risk_var.py``): a fit of 30 factors x 2,500 days takes about 0.9 s, of which
0.4 s is the GARCH optimisation (13 ms per factor, so 10 factors cost about 0.13 s), 0.14 s Kendall's
tau and 0.25 s the copula dof likelihood. A weekly refit is therefore nearly free; the reason not to
refit daily is stability, not time.
"""

import copy
import math
import warnings
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Literal

import arch.univariate.base as arch_base
import numpy as np
import numpy.typing as npt
import pandas as pd
from arch import arch_model
from scipy import optimize

from domain.risk.copula import copula_correlation, estimate_copula_dof
from domain.risk.errors import GarchConvergenceWarning, IntegratedGarchWarning, RiskInputError
from domain.risk.innovation_map import InnovationMap, standardised_t_cdf

FloatArray = npt.NDArray[np.float64]
MarginalDistribution = Literal["t", "normal"]

MIN_FIT_OBSERVATIONS = 250


def _check_dof(dof: float, what: str) -> None:
    if not (math.isinf(dof) and dof > 0) and not (math.isfinite(dof) and dof > 2.0):
        raise RiskInputError(f"{what}: degrees of freedom must be > 2 or inf, got {dof}")


MAX_PERSISTENCE = 0.9999


@dataclass(frozen=True, eq=False)
class FittedMarginals:
    """Per-factor GARCH(1,1) state and the copula joining the factors; input of ``simulate``.

    Parameters
    ----------
    factors : tuple of str
        Factor names, the column order of simulated scenarios.
    as_of : Timestamp or None
        Last date whose change the state includes.
    scale : ndarray
        :math:`s_i`, the standardisation (factor units).
    mean, omega, alpha, beta : ndarray
        GARCH(1,1) parameters in standardised units (:math:`\\alpha_i + \\beta_i < 1`).
    marginal_dof : ndarray
        Degrees of freedom of each standardised-t innovation; ``inf`` for normal innovations.
    next_variance : ndarray
        :math:`\\sigma^2_{T+1,i}`, one-step-ahead variance in standardised units.
    correlation : ndarray
        Copula correlation :math:`R`, positive definite.
    copula_dof : float
        t-copula degrees of freedom; ``inf`` for a Gaussian copula.

    Attributes
    ----------
    cholesky : ndarray
        Lower Cholesky factor of ``correlation``, computed on construction.
    innovation_map : InnovationMap
        Tabulated copula-to-innovation quantile map, computed on construction (a few ms).
    """

    factors: tuple[str, ...]
    as_of: pd.Timestamp | None
    scale: FloatArray
    mean: FloatArray
    omega: FloatArray
    alpha: FloatArray
    beta: FloatArray
    marginal_dof: FloatArray
    next_variance: FloatArray
    correlation: FloatArray
    copula_dof: float
    cholesky: FloatArray = field(init=False, repr=False)
    innovation_map: InnovationMap = field(init=False, repr=False)

    def __post_init__(self) -> None:
        n = len(self.factors)
        if n == 0 or len(set(self.factors)) != n:
            raise RiskInputError(f"fitted marginals: factors must be non-empty and unique, got {self.factors}")
        vectors = {"scale": self.scale, "mean": self.mean, "omega": self.omega, "alpha": self.alpha,
                   "beta": self.beta, "marginal_dof": self.marginal_dof, "next_variance": self.next_variance}
        for name, vector in vectors.items():
            if vector.shape != (n,):
                raise RiskInputError(f"fitted marginals: {name} has shape {vector.shape}, expected ({n},)")
        for name in ("scale", "mean", "omega", "alpha", "beta", "next_variance"):
            if not np.all(np.isfinite(vectors[name])):
                raise RiskInputError(f"fitted marginals: {name} has non-finite values")
        if np.any(self.scale <= 0) or np.any(self.omega <= 0) or np.any(self.next_variance <= 0):
            raise RiskInputError("fitted marginals: scale, omega and next_variance must be positive")
        if np.any(self.alpha < 0) or np.any(self.beta < 0) or np.any(self.alpha + self.beta >= 1.0):
            raise RiskInputError("fitted marginals: need alpha, beta >= 0 and alpha + beta < 1")
        for dof in self.marginal_dof:
            _check_dof(float(dof), "fitted marginals")
        _check_dof(self.copula_dof, "fitted marginals copula")
        corr = self.correlation
        if corr.shape != (n, n) or not np.allclose(corr, corr.T, atol=1e-12) \
                or not np.allclose(np.diag(corr), 1.0, atol=1e-12):
            raise RiskInputError("fitted marginals: correlation must be a symmetric unit-diagonal matrix")
        try:
            chol = np.linalg.cholesky(corr)
        except np.linalg.LinAlgError as exc:
            raise RiskInputError("fitted marginals: correlation is not positive definite") from exc
        object.__setattr__(self, "cholesky", chol)
        object.__setattr__(self, "innovation_map", InnovationMap(self.copula_dof, self.marginal_dof))

    @property
    def next_volatility(self) -> FloatArray:
        """One-step-ahead volatility in factor units, :math:`s_i \\sigma_{T+1,i}`."""
        return np.asarray(self.scale * np.sqrt(self.next_variance), dtype=np.float64)

    def horizon_volatility(self, horizon_days: int) -> FloatArray:
        r"""Volatility of the sum of the next ``horizon_days`` changes, factor units, from the GARCH term structure.

        .. math::

            \sigma^2_{T+k} = \bar\sigma^2 + (\alpha+\beta)^{k-1}(\sigma^2_{T+1} - \bar\sigma^2), \quad
            \bar\sigma^2 = \frac{\omega}{1-\alpha-\beta}, \qquad
            \sigma_{(h)} = s \sqrt{\textstyle\sum_{k=1}^{h} \sigma^2_{T+k}}

        (GARCH innovations are serially uncorrelated, so the h-day variance is the sum of the expected
        one-day variances). ``horizon_days`` = 1 gives :attr:`next_volatility`.
        """
        if isinstance(horizon_days, bool) or not isinstance(horizon_days, int) or horizon_days < 1:
            raise RiskInputError(f"horizon must be a positive int, got {horizon_days!r}")
        persistence = self.alpha + self.beta
        long_run = self.omega / (1.0 - persistence)
        steps = persistence[:, None] ** np.arange(horizon_days)[None, :]
        variances = long_run[:, None] + steps * (self.next_variance - long_run)[:, None]
        return np.asarray(self.scale * np.sqrt(variances.sum(axis=1)), dtype=np.float64)

    @property
    def daily_mean(self) -> FloatArray:
        """GARCH constant mean in factor units, :math:`s_i \\mu_i`."""
        return np.asarray(self.scale * self.mean, dtype=np.float64)


def _history_values(history: pd.DataFrame, minimum: int) -> FloatArray:
    if not isinstance(history.index, pd.DatetimeIndex):
        raise RiskInputError("factor history: the index must be session dates (DatetimeIndex)")
    if not (history.index.is_monotonic_increasing and history.index.is_unique):
        raise RiskInputError("factor history: dates must be unique and ascending")
    if history.columns.has_duplicates:
        raise RiskInputError("factor history: factor columns repeat")
    values = history.to_numpy(dtype=np.float64)
    if values.shape[0] < minimum:
        raise RiskInputError(f"factor history: {values.shape[0]} rows, need at least {minimum}")
    bad = ~np.isfinite(values)
    if bad.any():
        row, col = (int(v[0]) for v in np.nonzero(bad))
        raise RiskInputError(f"factor history: {history.columns[col]} is missing on {history.index[row]}")
    return values


# SLSQP's default finite-difference step (its ``eps``), sqrt of the float64 machine epsilon.
_FD_STEP = math.sqrt(float(np.finfo(np.float64).eps))


def _forward_difference(fun: Callable[..., Any], lower: FloatArray,
                        upper: FloatArray) -> Callable[..., FloatArray]:
    """The 2-point finite-difference gradient SLSQP takes of a constraint given without a Jacobian.

    SLSQP calls ``scipy.optimize._numdiff.approx_derivative(fun, x, method="2-point", abs_step=eps,
    bounds=(lower, upper))`` after clipping x to the bounds; this is the same arithmetic, operation for
    operation (so the same bits: the fitted GARCH parameters do not move), without that function's per-call
    overhead (array-API dispatch, wrappers, a map), which was most of an arch fit of a linear constraint.
    ``tests/unit/risk/test_garch.py`` checks it against scipy's on points inside, on and beyond the bounds.
    """
    bounded = not bool(np.all(np.isneginf(lower) & np.isposinf(upper)))

    def jacobian(x: FloatArray, *args: Any) -> FloatArray:
        x0 = np.asarray(x, dtype=np.float64)
        if (x0 < lower).any() or (x0 > upper).any():
            x0 = np.clip(x0, lower, upper)
        f0 = np.atleast_1d(fun(x0, *args))
        sign = (x0 >= 0).astype(float) * 2 - 1
        h = np.where(((x0 + _FD_STEP) - x0) == 0, _FD_STEP * sign * np.maximum(1.0, np.abs(x0)), _FD_STEP)
        if bounded:  # a step that would leave the bounds is flipped, or shortened to the farther bound
            below, above = x0 - lower, upper - x0
            stepped = x0 + h
            fitting = np.abs(h) <= np.maximum(below, above)
            adjusted = h.copy()
            adjusted[((stepped < lower) | (stepped > upper)) & fitting] *= -1
            forward = (above >= below) & ~fitting
            adjusted[forward] = above[forward]
            backward = (above < below) & ~fitting
            adjusted[backward] = -below[backward]
            h = adjusted
        rows = np.empty((x0.size, f0.size))
        for i in range(x0.size):
            x1 = np.copy(x0)
            x1[i] = x0[i] + h[i]
            rows[i] = (np.atleast_1d(fun(x1, *args)) - f0) / ((x0[i] + h[i]) - x0[i])
        return np.ravel(rows) if f0.size == 1 else rows.T

    return jacobian


def _minimize_with_constraint_jacobians(fun: Callable[..., Any], x0: FloatArray, *args: Any,
                                        bounds: Any = None, constraints: Any = (), **kwargs: Any) -> Any:
    """``scipy.optimize.minimize`` for arch, its constraints given :func:`_forward_difference` Jacobians."""
    if bounds is not None and len(bounds) and isinstance(constraints, list):
        lower = np.array([-np.inf if lo is None else float(lo) for lo, _ in bounds])
        upper = np.array([np.inf if hi is None else float(hi) for _, hi in bounds])
        if not np.any(lower == upper):  # scipy drops fixed variables, which would change x's length
            constraints = [c if c.get("jac") is not None else {**c, "jac": _forward_difference(c["fun"], lower, upper)}
                           for c in constraints]
    return optimize.minimize(fun, x0, *args, bounds=bounds, constraints=constraints, **kwargs)


# arch's own reference (it does not re-export the name), restored after each fit: concurrent fits then at worst run
# one with scipy's slower finite difference, which gives the same bits.
_ARCH_MINIMIZE = getattr(arch_base, "minimize")  # noqa: B009


@contextmanager
def _fast_constraint_jacobians() -> Iterator[None]:
    """Within the block, arch's SLSQP fits take their constraint gradients from :func:`_forward_difference`."""
    setattr(arch_base, "minimize", _minimize_with_constraint_jacobians)  # noqa: B010
    try:
        yield
    finally:
        setattr(arch_base, "minimize", _ARCH_MINIMIZE)  # noqa: B010


def fit_marginals(history: pd.DataFrame, *, dist: MarginalDistribution = "t",
                  copula_dof: float | None = None) -> FittedMarginals:
    """Fit GARCH(1,1) marginals per factor and a t copula on their standardised residuals.

    Per factor (``arch``: ``arch_model(z, mean="Constant", vol="GARCH", p=1, q=1, dist=dist)``) on
    :math:`z_{ti} = x_{ti}/s_i`, then

    .. math::

        e_{ti} = \\varepsilon_{ti}/\\sigma_{ti}, \\quad u_{ti} = F_i(e_{ti}), \\quad
        R = \\sin(\\tfrac{\\pi}{2}\\tau(e)), \\quad \\hat\\nu = \\arg\\max_\\nu \\ell_{copula}(\\nu \\mid u, R)

    with :math:`F_i` the fitted innovation CDF (unit-variance t with :math:`\\nu_i` dof, or normal)
    and :math:`\\sigma^2_{T+1,i}` from ``arch``'s one-step forecast.

    Parameters
    ----------
    history : DataFrame
        Daily factor changes, DatetimeIndex ascending, at least 250 rows, no missing values.
    dist : {"t", "normal"}
        Innovation distribution of the GARCH marginals.
    copula_dof : float, optional
        Fix the copula degrees of freedom (> 2, or ``inf`` for a Gaussian copula); estimated by
        maximum likelihood on [2.5, 100] when omitted.

    Returns
    -------
    FittedMarginals

    Raises
    ------
    RiskInputError
        On a short, gappy or constant history, or an invalid ``copula_dof``.

    Warns
    -----
    GarchConvergenceWarning
        When a factor's optimiser reports non-convergence.
    CorrelationRepairWarning
        When the Kendall-implied correlation had to be made positive definite.
    """
    if dist not in ("t", "normal"):
        raise RiskInputError(f"fit marginals: dist must be 't' or 'normal', got {dist!r}")
    if copula_dof is not None:
        _check_dof(copula_dof, "fit marginals copula_dof")
    values = _history_values(history, MIN_FIT_OBSERVATIONS)
    scale = values.std(axis=0, ddof=1)
    if np.any(scale == 0.0):
        raise RiskInputError(f"fit marginals: constant factor(s) {list(history.columns[scale == 0.0])}")
    z = values / scale
    n_factors = z.shape[1]
    params = np.empty((n_factors, 5))
    residuals = np.empty_like(z)
    next_variance = np.empty(n_factors)
    for i, factor in enumerate(history.columns):
        with _fast_constraint_jacobians():
            result = arch_model(z[:, i], mean="Constant", vol="GARCH", p=1, q=1, dist=dist,
                                rescale=False).fit(disp="off", show_warning=False)
        if result.convergence_flag != 0:
            warnings.warn(f"GARCH(1,1) of {factor} did not converge (optimiser flag "
                          f"{result.convergence_flag}); its volatility forecast is suspect",
                          GarchConvergenceWarning, stacklevel=2)
        p = result.params
        alpha, beta = float(p["alpha[1]"]), float(p["beta[1]"])
        if alpha + beta >= MAX_PERSISTENCE:
            # Persistent series (rates, FX) often fit at the integrated boundary; the stationary model
            # needs alpha + beta < 1, so keep alpha and pull beta just inside.
            warnings.warn(f"GARCH(1,1) of {factor} fitted alpha + beta = {alpha + beta:.6f}; beta capped so "
                          f"that persistence is {MAX_PERSISTENCE}", IntegratedGarchWarning, stacklevel=2)
            beta = max(MAX_PERSISTENCE - alpha, 0.0)
        params[i] = (p["mu"], p["omega"], alpha, beta, p["nu"] if dist == "t" else math.inf)
        residuals[:, i] = np.asarray(result.resid) / np.asarray(result.conditional_volatility)
        next_variance[i] = result.forecast(horizon=1, reindex=False).variance.to_numpy()[-1, 0]
    correlation = copula_correlation(residuals)
    if copula_dof is None:
        uniforms = np.column_stack([standardised_t_cdf(residuals[:, i], params[i, 4])
                                    for i in range(n_factors)])
        copula_dof = estimate_copula_dof(uniforms, correlation)
    return FittedMarginals(
        factors=tuple(str(c) for c in history.columns), as_of=pd.Timestamp(history.index[-1]),
        scale=scale, mean=params[:, 0].copy(), omega=params[:, 1].copy(), alpha=params[:, 2].copy(),
        beta=params[:, 3].copy(), marginal_dof=params[:, 4].copy(), next_variance=next_variance,
        correlation=correlation, copula_dof=float(copula_dof))


def gaussian_marginals(covariance: pd.DataFrame, *, as_of: pd.Timestamp | None = None) -> FittedMarginals:
    """Gaussian copula with normal marginals and constant volatility: scenarios :math:`\\sim N(0, \\Sigma)`.

    .. math:: s_i = \\sqrt{\\Sigma_{ii}}, \\quad R = D^{-1}\\Sigma D^{-1}, \\quad
              \\omega_i = 1,\\ \\alpha_i = \\beta_i = 0 \\ (\\sigma^2 \\equiv 1)

    Parameters
    ----------
    covariance : DataFrame
        Daily factor covariance in squared factor units, positive definite.
    as_of : Timestamp, optional
        Date the covariance describes.

    Returns
    -------
    FittedMarginals

    Raises
    ------
    RiskInputError
        When the covariance is not symmetric positive definite or labels disagree.
    """
    if list(covariance.index) != list(covariance.columns):
        raise RiskInputError("gaussian marginals: covariance index and columns must match")
    cov = covariance.to_numpy(dtype=np.float64)
    if not np.all(np.isfinite(cov)) or not np.allclose(cov, cov.T, rtol=1e-10, atol=0.0):
        raise RiskInputError("gaussian marginals: covariance must be finite and symmetric")
    diagonal = np.diag(cov)
    if np.any(diagonal <= 0.0):
        raise RiskInputError("gaussian marginals: every factor needs a positive variance")
    scale = np.sqrt(diagonal)
    correlation = cov / np.outer(scale, scale)
    np.fill_diagonal(correlation, 1.0)
    n = len(scale)
    return FittedMarginals(
        factors=tuple(str(c) for c in covariance.columns), as_of=as_of, scale=scale, mean=np.zeros(n),
        omega=np.ones(n), alpha=np.zeros(n), beta=np.zeros(n), marginal_dof=np.full(n, math.inf),
        next_variance=np.ones(n), correlation=correlation, copula_dof=math.inf)


def update_marginals(fitted: FittedMarginals, changes: pd.DataFrame) -> FittedMarginals:
    """Roll the GARCH variance forward through new days with the parameters held fixed.

    For each date :math:`t` after ``fitted.as_of``, in order:

    .. math:: \\varepsilon_{t,i} = x_{t,i}/s_i - \\mu_i, \\qquad
              \\sigma^2_{t+1,i} = \\omega_i + \\alpha_i \\varepsilon^2_{t,i} + \\beta_i \\sigma^2_{t,i}

    Rows on or before ``fitted.as_of`` are ignored, so passing a trailing window twice is harmless.

    Parameters
    ----------
    fitted : FittedMarginals
        State to advance (``as_of`` must be set).
    changes : DataFrame
        Daily factor changes, DatetimeIndex ascending, with every fitted factor as a column.

    Returns
    -------
    FittedMarginals
        Same parameters and copula, ``next_variance`` and ``as_of`` advanced; ``fitted`` itself
        when no row is newer.

    Raises
    ------
    RiskInputError
        When ``fitted`` has no ``as_of``, a factor column is missing, or a new value is missing.
    """
    if fitted.as_of is None:
        raise RiskInputError("update marginals: the fitted state has no as_of date to advance from")
    missing = [f for f in fitted.factors if f not in changes.columns]
    if missing:
        raise RiskInputError(f"update marginals: changes lack factor(s) {missing}")
    newer = changes.loc[changes.index > fitted.as_of, list(fitted.factors)]
    if newer.empty:
        return fitted
    return roll_marginals(fitted, _history_values(newer, 1), pd.Timestamp(newer.index[-1]))


def roll_marginals(fitted: FittedMarginals, changes: FloatArray, as_of: pd.Timestamp) -> FittedMarginals:
    """:func:`update_marginals` on the new days only, as an array (days x ``fitted.factors``), ending on ``as_of``.

    Raises
    ------
    RiskInputError
        When ``changes`` has the wrong width or a missing value, or the rolled variance is not positive.
    """
    if changes.ndim != 2 or changes.shape[1] != len(fitted.factors):
        raise RiskInputError(f"roll marginals: changes must have shape (days, {len(fitted.factors)}), "
                             f"got {changes.shape}")
    if not np.all(np.isfinite(changes)):
        raise RiskInputError("roll marginals: a new factor change is missing or not finite")
    if changes.shape[0] == 0:
        return fitted
    z = changes / fitted.scale
    variance = fitted.next_variance.copy()
    # A recursion in time: one vectorised step over factors per new day (a handful between refits).
    for row in z:
        shock = row - fitted.mean
        variance = fitted.omega + fitted.alpha * shock * shock + fitted.beta * variance
    if not np.all(np.isfinite(variance)) or np.any(variance <= 0):
        raise RiskInputError("update marginals: the rolled variance is not finite and positive")
    # Only the state moves: the copula, its Cholesky factor and the quantile map are carried over, not rebuilt.
    advanced = copy.copy(fitted)
    object.__setattr__(advanced, "as_of", as_of)
    object.__setattr__(advanced, "next_variance", variance)
    return advanced
