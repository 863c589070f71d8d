"""Value at risk and expected shortfall: historical and parametric (delta-normal).

Conventions, shared by every method of the engine (Monte Carlo included):

* P&L is in BRL, gains positive. VaR and CVaR are reported as **losses, positive numbers**: a VaR of
  1,000,000 means "lose at most R$1mn with probability ``confidence``".
* The empirical quantile is Hyndman-Fan type 1 (numpy ``method="inverted_cdf"``). With the P&L
  sorted ascending :math:`x_{(1)} \\le \\dots \\le x_{(n)}` and :math:`k = \\lceil n(1-a) \\rceil`,

  .. math::

      \\mathrm{VaR}_a = -x_{(k)}, \\qquad \\mathrm{CVaR}_a = -\\frac{1}{k}\\sum_{j=1}^{k} x_{(j)}

  so VaR is the k-th worst outcome and CVaR the mean of the k worst (the VaR scenario included,
  hence CVaR >= VaR). With 250 days at 99%, k = 3: VaR is the third-worst day. :math:`n(1-a)` is
  rounded to 9 decimals before the ceiling, so float noise (1 - 0.95 = 0.050000000000000044) cannot
  push k up by one; numpy's quantile given that noisy float would pick the 51st of 1,000 outcomes.
* 10-day figures: parametric and Monte Carlo scale the 1-day numbers by :math:`\\sqrt{10}` (i.i.d.,
  zero-mean daily P&L); historical uses the overlapping 10-day sums of the daily P&L (see
  :func:`historical_var`).
"""

import functools
import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import stats

from domain.risk.errors import RiskInputError

CONFIDENCE_LEVELS = (0.95, 0.99)
HORIZONS_DAYS = (1, 10)


class VarMethod(StrEnum):
    """How a VaR number was produced."""

    HISTORICAL = "historical"
    PARAMETRIC = "parametric"
    MONTE_CARLO = "monte_carlo"


@dataclass(frozen=True, slots=True)
class VarResult:
    """VaR and CVaR of one method, confidence and horizon, as positive BRL losses.

    Parameters
    ----------
    method : VarMethod
        Estimator.
    confidence : float
        Level :math:`a` in (0, 1), e.g. 0.99.
    horizon_days : int
        Holding period in business days (1 or 10 in the daily report).
    var : float
        Value at risk, BRL (positive = loss).
    cvar : float
        Expected shortfall beyond the VaR, BRL (positive = loss); never below ``var``.
    """

    method: VarMethod
    confidence: float
    horizon_days: int
    var: float
    cvar: float

    def __post_init__(self) -> None:
        check_confidence(self.confidence)
        check_horizon(self.horizon_days)
        if not (math.isfinite(self.var) and math.isfinite(self.cvar)):
            raise RiskInputError(f"VaR result: var {self.var} and cvar {self.cvar} must be finite")


def check_confidence(confidence: float) -> None:
    """Reject a confidence level outside (0.5, 1)."""
    if not 0.5 < confidence < 1.0:
        raise RiskInputError(f"confidence must be in (0.5, 1), got {confidence}")


def check_horizon(horizon_days: int) -> None:
    """Reject a horizon that is not a positive whole number of days."""
    if isinstance(horizon_days, bool) or not isinstance(horizon_days, int) or horizon_days < 1:
        raise RiskInputError(f"horizon_days must be a positive int, got {horizon_days!r}")


def tail_count(n: int, confidence: float) -> int:
    """Number of outcomes in the loss tail, :math:`k = \\lceil n(1-a) \\rceil`.

    The product is rounded to 9 decimals first so that, e.g., 100 x (1 - 0.95) = 5.000000000000004
    gives 5, as numpy's ``inverted_cdf`` does, not 6.
    """
    check_confidence(confidence)
    if n * (1.0 - confidence) < 1.0 - 1e-9:
        raise RiskInputError(
            f"{n} outcomes are too few for a {confidence:.2%} tail: need at least "
            f"{math.ceil(round(1.0 / (1.0 - confidence), 9))}")
    return math.ceil(round(n * (1.0 - confidence), 9))


def empirical_var(pnl: npt.ArrayLike, confidence: float) -> tuple[float, float]:
    """VaR and CVaR of a sample of P&L outcomes (type-1 quantile), as positive losses.

    .. math::

        k = \\lceil n(1-a) \\rceil, \\quad \\mathrm{VaR}_a = -x_{(k)}, \\quad
        \\mathrm{CVaR}_a = -\\frac{1}{k}\\sum_{j \\le k} x_{(j)}

    Parameters
    ----------
    pnl : array_like
        P&L outcomes in BRL (gains positive), finite, at least :math:`1/(1-a)` of them.
    confidence : float
        Level :math:`a`.

    Returns
    -------
    (float, float)
        ``(var, cvar)`` in BRL.

    Raises
    ------
    RiskInputError
        On non-finite outcomes, too few outcomes, or an invalid level.
    """
    values = np.asarray(pnl, dtype=np.float64).ravel()
    if not np.all(np.isfinite(values)):
        raise RiskInputError("empirical VaR: the P&L sample has missing or non-finite values")
    k = tail_count(values.size, confidence)
    # Partial sort: the k smallest land in front, the k-th smallest at index k - 1.
    tail = np.partition(values, k - 1)[:k]
    return float(-tail.max()), float(-tail.mean())


def overlapping_sums(pnl: npt.ArrayLike, horizon_days: int) -> npt.NDArray[np.float64]:
    """Sums of ``horizon_days`` consecutive daily P&L, one per window end, windows overlapping.

    .. math:: P^{(h)}_t = \\sum_{j=0}^{h-1} P_{t-j}, \\qquad t = h, \\dots, T
    """
    check_horizon(horizon_days)
    values = np.asarray(pnl, dtype=np.float64).ravel()
    if values.size < horizon_days:
        raise RiskInputError(f"{values.size} days of P&L are fewer than the {horizon_days}-day horizon")
    cumulative = np.concatenate(([0.0], np.cumsum(values)))
    return np.asarray(cumulative[horizon_days:] - cumulative[:-horizon_days], dtype=np.float64)


def historical_var(pnl: pd.Series | npt.ArrayLike, *, confidence: float,
                   horizon_days: int = 1) -> VarResult:
    """Historical-simulation VaR and CVaR of the book's P&L on past factor moves.

    1-day: the type-1 empirical quantile of the daily P&L :math:`P_t = x_t^\\top s` (see
    :func:`empirical_var`). h-day: the same estimator on the :math:`T-h+1` overlapping h-day sums
    :math:`P^{(h)}_t = \\sum_{j<h} P_{t-j}`. Overlapping windows share days, so the effective sample
    is about :math:`T/h` and the 10-day figure is noisier than the 1-day one; it keeps the fat
    tails and autocorrelation of real 10-day moves that :math:`\\sqrt{10}` scaling ignores.

    Parameters
    ----------
    pnl : Series or array_like
        Daily P&L in BRL, in date order (e.g. from :func:`~domain.risk.exposure.pnl_history`).
    confidence : float
        Level :math:`a`, e.g. 0.99.
    horizon_days : int
        Holding period h.

    Returns
    -------
    VarResult

    Raises
    ------
    RiskInputError
        When the P&L has gaps or too few observations for the tail.
    """
    sums = overlapping_sums(pnl, horizon_days)
    var, cvar = empirical_var(sums, confidence)
    return VarResult(VarMethod.HISTORICAL, confidence, horizon_days, var, cvar)


def portfolio_volatility(exposure: pd.Series, covariance: pd.DataFrame) -> float:
    """Standard deviation of the daily P&L, :math:`\\sigma_p = \\sqrt{s^\\top \\Sigma s}` (BRL).

    ``exposure`` is aligned on ``covariance``'s factors; a factor the covariance lacks must have zero
    exposure.
    """
    return volatility(*aligned(exposure, covariance))


def volatility(s: npt.NDArray[np.float64], cov: npt.NDArray[np.float64]) -> float:
    """:func:`portfolio_volatility` on arrays already aligned, :math:`\\sqrt{s^\\top \\Sigma s}` (BRL).

    Parameters
    ----------
    s : ndarray, shape (k,)
        Exposure, BRL per factor unit, in the covariance's factor order.
    cov : ndarray, shape (k, k)
        Daily factor covariance, squared factor units.

    Raises
    ------
    RiskInputError
        When :math:`s^\\top \\Sigma s < 0` (Σ not positive semi-definite).
    """
    variance = float(s @ cov @ s)
    if variance < 0.0:
        raise RiskInputError(f"portfolio variance s'Σs = {variance} is negative: Σ is not PSD")
    return math.sqrt(variance)


@functools.cache
def normal_tail(confidence: float) -> tuple[float, float]:
    """:math:`z_a = \\Phi^{-1}(a)` and :math:`\\varphi(z_a)`, computed once per level (scipy's are slow per call)."""
    check_confidence(confidence)
    z = float(stats.norm.ppf(confidence))
    return z, float(stats.norm.pdf(z))


def aligned(exposure: pd.Series, covariance: pd.DataFrame) -> tuple[npt.NDArray[np.float64],
                                                                      npt.NDArray[np.float64]]:
    """Exposure vector in the covariance's factor order, and the covariance as an array (validated)."""
    factors = list(covariance.columns)
    if list(covariance.index) != factors:
        raise RiskInputError("covariance: index and columns must list the same factors in the same order")
    cov = covariance.to_numpy(dtype=np.float64)
    if not np.all(np.isfinite(cov)) or not np.allclose(cov, cov.T, rtol=1e-10, atol=0.0):
        raise RiskInputError("covariance must be finite and symmetric")
    values = exposure.to_numpy(dtype=np.float64)
    if not np.all(np.isfinite(values)):
        raise RiskInputError("exposure has non-finite values")
    outside = [str(f) for f, v in zip(exposure.index, values, strict=True) if f not in factors and v != 0.0]
    if outside:
        raise RiskInputError(f"covariance lacks exposed factor(s) {outside}")
    s = exposure.reindex(factors, fill_value=0.0).to_numpy(dtype=np.float64)
    return s, cov


def parametric_var(exposure: pd.Series, covariance: pd.DataFrame, *, confidence: float,
                   horizon_days: int = 1, mean: pd.Series | None = None) -> VarResult:
    """Delta-normal VaR and CVaR: P&L normal with the factor covariance.

    .. math::

        \\sigma_p = \\sqrt{s^\\top \\Sigma s}, \\quad \\mu_p = s^\\top \\mu, \\quad z_a = \\Phi^{-1}(a)

        \\mathrm{VaR}_a^{(h)} = z_a \\sigma_p \\sqrt{h} - \\mu_p h, \\qquad
        \\mathrm{CVaR}_a^{(h)} = \\sigma_p \\sqrt{h}\\, \\frac{\\varphi(z_a)}{1-a} - \\mu_p h

    **The mean is excluded by default** (:math:`\\mu = 0`): a daily drift estimated from history is
    mostly noise and would let a trending sample shrink the reported risk. Pass ``mean`` to include
    it.

    Parameters
    ----------
    exposure : Series
        Portfolio sensitivity :math:`s`, BRL per factor unit.
    covariance : DataFrame
        Daily factor covariance :math:`\\Sigma` in squared factor units (e.g.
        :func:`~domain.risk.exposure.factor_covariance`).
    confidence : float
        Level :math:`a`.
    horizon_days : int
        Holding period h (square-root-of-time scaling).
    mean : Series, optional
        Daily mean factor change :math:`\\mu` in factor units.

    Returns
    -------
    VarResult

    Raises
    ------
    RiskInputError
        When exposure and covariance do not align or the covariance is invalid.
    """
    check_confidence(confidence)
    check_horizon(horizon_days)
    sigma = portfolio_volatility(exposure, covariance)
    mu = 0.0
    if mean is not None:
        s, _ = aligned(exposure, covariance)
        drift = mean.reindex(covariance.columns).to_numpy(dtype=np.float64)
        exposed = s != 0.0
        mu = float(s[exposed] @ drift[exposed])
        if not math.isfinite(mu):
            raise RiskInputError("parametric VaR: mean lacks a value for an exposed factor")
    return delta_normal_var(sigma, confidence=confidence, horizon_days=horizon_days, mu=mu)


def delta_normal_var(sigma: float, *, confidence: float, horizon_days: int = 1, mu: float = 0.0) -> VarResult:
    """The delta-normal VaR and CVaR of :func:`parametric_var` from the P&L's volatility and mean.

    .. math::

        \\mathrm{VaR}_a^{(h)} = z_a \\sigma_p \\sqrt{h} - \\mu_p h, \\qquad
        \\mathrm{CVaR}_a^{(h)} = \\sigma_p \\sqrt{h}\\, \\frac{\\varphi(z_a)}{1-a} - \\mu_p h

    Parameters
    ----------
    sigma : float
        :math:`\\sigma_p`, daily P&L volatility, BRL (:func:`volatility`).
    confidence : float
        Level :math:`a`.
    horizon_days : int
        Holding period h.
    mu : float
        :math:`\\mu_p`, daily mean P&L, BRL (0: mean excluded).

    Returns
    -------
    VarResult

    Raises
    ------
    RiskInputError
        On an invalid level or horizon, or a non-finite result.
    """
    check_horizon(horizon_days)
    z, density = normal_tail(confidence)
    scale = sigma * math.sqrt(horizon_days)
    var = z * scale - mu * horizon_days
    cvar = scale * density / (1.0 - confidence) - mu * horizon_days
    return VarResult(VarMethod.PARAMETRIC, confidence, horizon_days, var, cvar)
