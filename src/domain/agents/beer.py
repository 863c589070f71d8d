"""Behavioural equilibrium exchange rate (BEER): USD/BRL fair value from fundamentals."""

from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from domain._typing import FloatArray
from domain.agents.regression import trailing_ols


@dataclass(frozen=True)
class BeerFit:
    """Expanding-window BEER on every row.

    Attributes
    ----------
    fair_value : ndarray
        :math:`\\exp(x_t'\\hat\\beta_t)`, BRL per USD.
    misalignment : ndarray
        :math:`\\ln s_t - x_t'\\hat\\beta_t` (> 0: USD/BRL above fair value, the real is cheap).
    coef : ndarray, shape (n, k)
        Coefficients (the first is the intercept).
    r2 : ndarray
        In-sample :math:`R^2` of the expanding fit.
    """

    fair_value: FloatArray
    misalignment: FloatArray
    coef: FloatArray
    r2: FloatArray


def beer_fair_value(spot: npt.ArrayLike, fundamentals: npt.ArrayLike, *, min_obs: int,
                    window: int | None = None) -> BeerFit:
    """Fair value of a currency from its long-run fundamentals, re-estimated on rows up to each date.

    .. math::

        \\ln s_t = \\beta_0 + \\sum_j \\beta_j f_{j,t} + u_t, \\qquad
        \\text{misalignment}_t = \\ln s_t - \\hat\\beta_{0,t} - \\sum_j \\hat\\beta_{j,t} f_{j,t}

    with :math:`\\hat\\beta_t` from OLS on rows :math:`\\le t` (expanding by default).

    Parameters
    ----------
    spot : ndarray, shape (n,)
        Spot rate (BRL per USD), positive.
    fundamentals : ndarray, shape (n, m)
        Regressors :math:`f_j` (e.g. log oil, log DXY, real-rate differential, log reserves);
        an intercept is added.
    min_obs : int
        Complete rows needed before a fair value is published.
    window : int or None
        Trailing window, None for expanding.

    Returns
    -------
    BeerFit
    """
    s = np.asarray(spot, dtype=np.float64)
    f = np.asarray(fundamentals, dtype=np.float64)
    if f.ndim != 2 or f.shape[0] != s.size:
        raise ValueError(f"fundamentals must have shape (n, m) with n = {s.size}, got {f.shape}")
    with np.errstate(invalid="ignore", divide="ignore"):
        log_spot = np.where(s > 0, np.log(np.where(s > 0, s, 1.0)), np.nan)
    design = np.column_stack([np.ones(s.size), f])
    fit = trailing_ols(log_spot, design, window=window, min_obs=min_obs)
    fitted = fit.predict(design)
    return BeerFit(fair_value=np.exp(fitted), misalignment=log_spot - fitted, coef=fit.coef, r2=fit.r2)
