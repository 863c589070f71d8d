"""Hybrid Phillips curve and inflation persistence, re-estimated on trailing windows."""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from domain._typing import FloatArray
from domain.agents.regression import lag, trailing_ols

PHILLIPS_TERMS = ("alpha", "beta_expectations", "gamma_inertia", "kappa_gap")


@dataclass(frozen=True)
class PhillipsForecast:
    """Trailing Phillips-curve fit and its forecast on every row.

    Attributes
    ----------
    coef : ndarray, shape (n, 4)
        :math:`(\\alpha, \\beta, \\gamma, \\kappa)_t` in the order of ``PHILLIPS_TERMS``.
    forecast : ndarray
        Core inflation expected ``lag`` sessions ahead, from today's regressors.
    r2 : ndarray
        In-window :math:`R^2`.
    n_obs : ndarray
        Complete rows in the window.
    """

    coef: FloatArray
    forecast: FloatArray
    r2: FloatArray
    n_obs: "np.ndarray"


def phillips_curve(core_short: npt.ArrayLike, expectations: npt.ArrayLike, core_12m: npt.ArrayLike,
                   gap: npt.ArrayLike,
                   *, lag_sessions: int, window: int | None, min_obs: int) -> PhillipsForecast:
    """Forecasting form of the hybrid (expectations + inertia) Phillips curve.

    .. math::

        \\pi^{3m}_t = \\alpha + \\beta\\,\\pi^e_{t-L} + \\gamma\\,\\pi^{12m}_{t-L}
                      + \\kappa\\,\\text{gap}_{t-L} + \\varepsilon_t

    estimated by OLS on the trailing window ending on each row (rows :math:`\\le t` only), then
    used for the forecast :math:`\\hat\\pi^{3m}_{t+L} = \\hat\\alpha_t + \\hat\\beta_t \\pi^e_t +
    \\hat\\gamma_t \\pi^{12m}_t + \\hat\\kappa_t \\text{gap}_t`.

    Parameters
    ----------
    core_short : ndarray
        Core inflation, 3-month annualised (dependent variable).
    expectations : ndarray
        Focus 12-month-ahead IPCA expectation.
    core_12m : ndarray
        Core inflation over 12 months (inertia).
    gap : ndarray
        Activity gap.
    lag_sessions : int
        :math:`L`, forecast horizon in sessions (63 = one quarter).
    window : int or None
        Trailing estimation window (None: expanding).
    min_obs : int
        Complete rows needed.

    Returns
    -------
    PhillipsForecast
    """
    if lag_sessions < 1:
        raise ValueError(f"lag_sessions must be >= 1, got {lag_sessions}")
    ones = np.ones_like(np.asarray(core_short, dtype=np.float64))
    today = np.column_stack([ones, expectations, core_12m, gap]).astype(np.float64)
    lagged = np.column_stack([lag(col, lag_sessions) for col in today.T])
    lagged[:, 0] = 1.0
    fit = trailing_ols(np.asarray(core_short, dtype=np.float64), lagged, window=window, min_obs=min_obs)
    return PhillipsForecast(coef=fit.coef, forecast=fit.predict(today), r2=fit.r2, n_obs=fit.n_obs)


@dataclass(frozen=True)
class Persistence:
    """Trailing AR(1) coefficient :math:`\\rho_t`, its :math:`R^2` and the window's mean."""

    rho: FloatArray
    r2: FloatArray
    intercept: FloatArray


def ar1_persistence(x: npt.ArrayLike, *, step: int, window: int | None, min_obs: int) -> Persistence:
    """AR(1) persistence of a series sampled ``step`` sessions apart.

    .. math:: x_t = c + \\rho\\, x_{t-s} + \\varepsilon_t

    by OLS over the trailing window (with :math:`s` = 21 sessions, :math:`\\rho` is a monthly
    AR(1) coefficient: near 1 means shocks to core inflation die out slowly).

    Parameters
    ----------
    x : ndarray
        The series (e.g. core inflation, 3-month annualised).
    step : int
        Lag :math:`s` in sessions.
    window : int or None
        Trailing estimation window (None: expanding).
    min_obs : int
        Complete rows needed.

    Returns
    -------
    Persistence
    """
    values = np.asarray(x, dtype=np.float64)
    design = np.column_stack([np.ones_like(values), lag(values, step)])
    fit = trailing_ols(values, design, window=window, min_obs=min_obs)
    return Persistence(rho=fit.coef[:, 1], r2=fit.r2, intercept=fit.coef[:, 0])
