"""Ordinary least squares re-estimated on every date from trailing rows only (rolling or expanding).

All dates are solved at once: the cross-products :math:`X'X`, :math:`X'y`, :math:`y'y` are
accumulated with a cumulative sum over rows, so the window ending on row :math:`t` is a difference
of two prefix sums and the :math:`n` normal equations are solved as one batch. Row :math:`t`'s fit
uses rows :math:`\\le t` only (no look-ahead), and rows with any missing value are skipped.
"""

import warnings
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from domain._typing import FloatArray, IntArray

MAX_CONDITION = 1e12
"""Normal matrices worse conditioned than this are treated as singular (NaN fit)."""


class DegenerateRegressionWarning(RuntimeWarning):
    """Some windows had collinear or constant regressors; their coefficients are NaN."""


@dataclass(frozen=True)
class TrailingFit:
    """Coefficients and fit statistics of a trailing regression on every row.

    Attributes
    ----------
    coef : ndarray, shape (n, k)
        :math:`\\hat\\beta_t`; NaN rows where the window had fewer than ``min_obs`` complete rows or
        a singular design.
    r2 : ndarray, shape (n,)
        :math:`R^2_t = 1 - SSR_t / SST_t` (centred); NaN where ``coef`` is NaN or SST is 0.
    resid_var : ndarray, shape (n,)
        :math:`SSR_t / (n_t - k)`; NaN when ``n_t <= k``.
    n_obs : ndarray of int, shape (n,)
        Complete rows in the window.
    """

    coef: FloatArray
    r2: FloatArray
    resid_var: FloatArray
    n_obs: IntArray

    def predict(self, X: FloatArray) -> FloatArray:
        """Row-wise fitted values :math:`x_t' \\hat\\beta_t` (NaN where either side is missing)."""
        if X.shape != self.coef.shape:
            raise ValueError(f"X has shape {X.shape}, coefficients {self.coef.shape}")
        return np.asarray(np.einsum("ij,ij->i", X, self.coef), dtype=np.float64)


def _window_sum(prefix: FloatArray, window: int | None) -> FloatArray:
    """Sums over the trailing window from prefix sums along axis 0."""
    if window is None or window >= prefix.shape[0]:
        return prefix
    lagged = np.zeros_like(prefix)
    lagged[window:] = prefix[:-window]
    return np.asarray(prefix - lagged, dtype=np.float64)


def trailing_ols(y: npt.ArrayLike, X: npt.ArrayLike, *, window: int | None, min_obs: int) -> TrailingFit:
    """Regress ``y`` on ``X`` over the trailing window ending on each row.

    .. math::

        \\hat\\beta_t = \\Big(\\sum_{s \\in W_t} x_s x_s'\\Big)^{-1} \\sum_{s \\in W_t} x_s y_s,
        \\qquad W_t = \\{s : t - w < s \\le t,\\ y_s, x_s \\text{ complete}\\}

    (expanding when ``window`` is None: :math:`W_t = \\{s \\le t\\}`).

    Parameters
    ----------
    y : ndarray, shape (n,)
        Dependent variable.
    X : ndarray, shape (n, k)
        Regressors; include a column of ones for an intercept.
    window : int or None
        Trailing window in rows, or None for an expanding window.
    min_obs : int
        Complete rows needed for a fit (> k).

    Returns
    -------
    TrailingFit

    Raises
    ------
    ValueError
        On mismatched shapes, ``min_obs <= k`` or a window shorter than ``min_obs``.

    Warns
    -----
    DegenerateRegressionWarning
        When some windows have a singular design (their fit is NaN).
    """
    y = np.asarray(y, dtype=np.float64)
    X = np.asarray(X, dtype=np.float64)
    if X.ndim != 2 or y.shape != (X.shape[0],):
        raise ValueError(f"y must have shape (n,) and X (n, k); got {y.shape} and {X.shape}")
    n, k = X.shape
    if min_obs <= k:
        raise ValueError(f"min_obs must exceed the number of regressors {k}, got {min_obs}")
    if window is not None and window < min_obs:
        raise ValueError(f"window {window} is shorter than min_obs {min_obs}")
    complete = np.isfinite(y) & np.isfinite(X).all(axis=1)
    Xc = np.where(complete[:, None], X, 0.0)
    yc = np.where(complete, y, 0.0)
    xx = _window_sum(np.cumsum(Xc[:, :, None] * Xc[:, None, :], axis=0), window)
    xy = _window_sum(np.cumsum(Xc * yc[:, None], axis=0), window)
    sy = _window_sum(np.cumsum(yc), window)
    yy = _window_sum(np.cumsum(yc * yc), window)
    n_obs = np.asarray(_window_sum(np.cumsum(complete.astype(np.float64)), window).round(), dtype=np.int64)

    coef = np.full((n, k), np.nan)
    enough = np.flatnonzero(n_obs >= min_obs)
    if enough.size:
        cond = np.linalg.cond(xx[enough])
        ok = enough[np.isfinite(cond) & (cond < MAX_CONDITION)]
        if ok.size < enough.size:
            warnings.warn(f"{enough.size - ok.size} of {enough.size} windows have a singular design; "
                          "their coefficients are NaN", DegenerateRegressionWarning, stacklevel=2)
        if ok.size:
            coef[ok] = np.linalg.solve(xx[ok], xy[ok][:, :, None])[:, :, 0]
    ssr = yy - np.einsum("ij,ij->i", coef, xy)
    sst = yy - np.where(n_obs > 0, sy * sy / np.maximum(n_obs, 1), 0.0)
    with np.errstate(invalid="ignore", divide="ignore"):
        r2 = np.where(sst > 0, 1.0 - ssr / sst, np.nan)
        resid_var = np.where(n_obs > k, np.maximum(ssr, 0.0) / (n_obs - k), np.nan)
    resid_var = np.where(np.isfinite(coef).all(axis=1), resid_var, np.nan)
    return TrailingFit(coef=coef, r2=np.asarray(r2, dtype=np.float64), resid_var=resid_var, n_obs=n_obs)


def lag(values: npt.ArrayLike, periods: int) -> FloatArray:
    """Values shifted down by ``periods`` rows (the first ``periods`` rows NaN)."""
    if periods < 0:
        raise ValueError(f"periods must be >= 0 (a negative lag would look ahead), got {periods}")
    array = np.asarray(values, dtype=np.float64)
    out = np.full_like(array, np.nan)
    if periods == 0:
        return array.copy()
    out[periods:] = array[:-periods]
    return out
