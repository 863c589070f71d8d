"""VaR backtesting: exceptions, Kupiec's proportion-of-failures test, the Basel traffic light.

An exception is a day whose P&L lost more than the VaR forecast for it:
:math:`P_t < -\\mathrm{VaR}_t`, with :math:`\\mathrm{VaR}_t` computed before day t (as of t-1). The
caller aligns the two series that way.
"""

import math
from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import pandas as pd
from scipy import special, stats

from domain.risk.errors import RiskInputError
from domain.risk.var import check_confidence

# Basel (1996) zone boundaries as cumulative binomial probabilities of the exception count.
YELLOW_CUMULATIVE = 0.95
RED_CUMULATIVE = 0.9999


class TrafficLight(StrEnum):
    """Basel backtesting zone."""

    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"


def var_exceptions(pnl: pd.Series, var: pd.Series) -> pd.Series:
    """Flag the days whose loss exceeded the VaR: :math:`I_t = [P_t < -\\mathrm{VaR}_t]`.

    Parameters
    ----------
    pnl : Series
        Realised daily P&L, BRL.
    var : Series
        VaR forecast for each day (positive loss, BRL), same index as ``pnl``.

    Returns
    -------
    Series of bool
        Named ``exception``.

    Raises
    ------
    RiskInputError
        When the indexes differ or a value is missing.
    """
    if not pnl.index.equals(var.index):
        raise RiskInputError("VaR backtest: P&L and VaR series must share the same dates")
    p = pnl.to_numpy(dtype=np.float64)
    v = var.to_numpy(dtype=np.float64)
    if not (np.all(np.isfinite(p)) and np.all(np.isfinite(v))):
        raise RiskInputError("VaR backtest: P&L and VaR must have no missing values")
    return pd.Series(p < -v, index=pnl.index, name="exception")


def count_exceptions(pnl: pd.Series, var: pd.Series) -> int:
    """Number of days with :math:`P_t < -\\mathrm{VaR}_t`."""
    return int(var_exceptions(pnl, var).sum())


@dataclass(frozen=True, slots=True)
class KupiecTest:
    """Kupiec (1995) proportion-of-failures likelihood-ratio test.

    Parameters
    ----------
    observations : int
        Days tested, T.
    exceptions : int
        Days with a loss beyond VaR, x.
    expected_rate : float
        :math:`p = 1 - a`.
    statistic : float
        :math:`LR_{POF}`, asymptotically :math:`\\chi^2_1` under a correct model.
    p_value : float
        :math:`P(\\chi^2_1 \\ge LR_{POF})`.
    """

    observations: int
    exceptions: int
    expected_rate: float
    statistic: float
    p_value: float

    def rejects(self, significance: float = 0.05) -> bool:
        """True when the exception rate is inconsistent with ``expected_rate`` at ``significance``."""
        return self.p_value < significance


def kupiec_pof(exceptions: int, observations: int, *, confidence: float) -> KupiecTest:
    """Kupiec's POF test of the exception count against the VaR confidence.

    With :math:`p = 1 - a` and :math:`\\hat p = x/T`,

    .. math::

        LR_{POF} = -2\\ln\\left[(1-p)^{T-x} p^{x}\\right]
                   + 2\\ln\\left[(1-\\hat p)^{T-x} \\hat p^{x}\\right]

    using :math:`0 \\ln 0 = 0`, so x = 0 gives :math:`LR = -2T\\ln(1-p)` and x = T gives
    :math:`LR = -2T\\ln p`. p-value from :math:`\\chi^2_1`.

    Parameters
    ----------
    exceptions : int
        x, 0 <= x <= T.
    observations : int
        T >= 1.
    confidence : float
        VaR level a.

    Returns
    -------
    KupiecTest

    Raises
    ------
    RiskInputError
        When the counts are inconsistent.
    """
    check_confidence(confidence)
    if observations < 1 or not 0 <= exceptions <= observations:
        raise RiskInputError(f"Kupiec test: need 0 <= exceptions <= observations >= 1, "
                             f"got {exceptions} of {observations}")
    p = 1.0 - confidence
    x, t = float(exceptions), float(observations)
    rate = x / t
    null = special.xlogy(t - x, 1.0 - p) + special.xlogy(x, p)
    alternative = special.xlogy(t - x, 1.0 - rate) + special.xlogy(x, rate)
    statistic = max(0.0, float(-2.0 * null + 2.0 * alternative))
    return KupiecTest(observations, exceptions, p, statistic, float(stats.chi2.sf(statistic, 1)))


def traffic_light_bounds(observations: int = 250, *, confidence: float = 0.99) -> tuple[int, int]:
    """First exception counts of the yellow and red zones for T days at level a.

    Basel's rule, generalised from T = 250, a = 99%: with :math:`X \\sim \\mathrm{Bin}(T, 1-a)`,

    .. math::

        y = \\min\\{x : P(X \\le x) \\ge 0.95\\}, \\qquad r = \\min\\{x : P(X \\le x) \\ge 0.9999\\}

    For T = 250 at 99% this gives the Basel table, green 0-4, yellow 5-9, red 10+; for 500 days,
    green 0-8, yellow 9-14, red 15+.

    Returns
    -------
    (int, int)
        ``(first_yellow, first_red)``.

    Raises
    ------
    RiskInputError
        When T is so small that :math:`P(X = 0) \\ge 0.95` (zero exceptions would be yellow).
    """
    check_confidence(confidence)
    if observations < 1:
        raise RiskInputError(f"traffic light: observations must be >= 1, got {observations}")
    counts = np.arange(observations + 2)
    cumulative = stats.binom.cdf(counts, observations, 1.0 - confidence)
    if cumulative[0] >= YELLOW_CUMULATIVE:
        raise RiskInputError(
            f"traffic light: {observations} days are too few at {confidence:.2%}: even zero exceptions "
            f"have probability {cumulative[0]:.3f} >= {YELLOW_CUMULATIVE}")
    cumulative[-1] = math.inf  # a count above T: always beyond both thresholds
    return int(np.argmax(cumulative >= YELLOW_CUMULATIVE)), int(np.argmax(cumulative >= RED_CUMULATIVE))


def traffic_light(exceptions: int, observations: int = 250, *, confidence: float = 0.99) -> TrafficLight:
    """Basel zone of an exception count: green below :math:`y`, yellow below :math:`r`, else red.

    See :func:`traffic_light_bounds` for :math:`y`, :math:`r` (5 and 10 for 250 days at 99%).
    """
    if not 0 <= exceptions <= observations:
        raise RiskInputError(f"traffic light: need 0 <= exceptions <= observations, got {exceptions} "
                             f"of {observations}")
    first_yellow, first_red = traffic_light_bounds(observations, confidence=confidence)
    if exceptions >= first_red:
        return TrafficLight.RED
    if exceptions >= first_yellow:
        return TrafficLight.YELLOW
    return TrafficLight.GREEN
