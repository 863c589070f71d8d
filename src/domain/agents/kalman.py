"""Local-level Kalman filter (filtered, never smoothed): the neutral real rate r*.

State space, one step per B3 session:

.. math::

    y_t = \\mu_t + \\varepsilon_t,\\quad \\varepsilon_t \\sim N(0, \\sigma_\\varepsilon^2) \\qquad
    \\mu_t = \\mu_{t-1} + \\eta_t,\\quad \\eta_t \\sim N(0, \\sigma_\\eta^2)

with :math:`y_t` the ex-ante real policy rate and :math:`\\mu_t = r^*_t`. The filter only uses
:math:`y_1..y_t` for :math:`\\mu_{t|t}` (no smoothing pass, so no look-ahead).
"""

import math
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt

from domain._typing import FloatArray
from domain.agents.rolling import SESSIONS_PER_YEAR


@dataclass(frozen=True, slots=True)
class LocalLevelParams:
    """Fixed, documented parameters of the local-level model (decimals of rate).

    Defaults for Brazil's neutral real rate: the real policy rate deviates from r* by about
    3pp (cyclical stance, ``obs_sd``), r* itself drifts by about 0.25pp a year (``level_sd_annual``),
    and the prior is 4.5% +- 2pp (the range of BCB and market estimates of the 2010s-2020s). The
    implied steady-state gain is about 0.5% a session: r* moves with a memory of roughly nine months.
    """

    obs_sd: float = 0.03
    level_sd_annual: float = 0.0025
    initial_mean: float = 0.045
    initial_sd: float = 0.02

    def __post_init__(self) -> None:
        for name in ("obs_sd", "level_sd_annual", "initial_sd"):
            if not getattr(self, name) > 0:
                raise ValueError(f"{name} must be positive, got {getattr(self, name)}")

    @property
    def obs_var(self) -> float:
        """:math:`\\sigma_\\varepsilon^2`."""
        return self.obs_sd ** 2

    @property
    def level_var(self) -> float:
        """Per-session state variance :math:`\\sigma_\\eta^2 = \\sigma_{annual}^2 / 252`."""
        return self.level_sd_annual ** 2 / SESSIONS_PER_YEAR


@dataclass(frozen=True)
class FilteredLevel:
    """Filtered state of every session: mean :math:`\\mu_{t|t}`, variance :math:`P_{t|t}`, gain :math:`K_t`.

    Rows before the first observation are NaN (the prior alone is not an estimate); rows with a
    missing observation carry the prediction (gain 0).
    """

    mean: FloatArray
    variance: FloatArray
    gain: FloatArray


def local_level_step(mean: float, variance: float, y: float, obs_var: float,
                     level_var: float) -> tuple[float, float, float]:
    """One predict + update step of the local-level filter.

    .. math::

        P^- = P_{t-1} + \\sigma_\\eta^2, \\quad K = \\frac{P^-}{P^- + \\sigma_\\varepsilon^2}, \\quad
        \\mu_t = \\mu_{t-1} + K (y_t - \\mu_{t-1}), \\quad P_t = (1 - K) P^-

    Parameters
    ----------
    mean, variance : float
        :math:`\\mu_{t-1|t-1}`, :math:`P_{t-1|t-1}`.
    y : float
        Observation; NaN skips the update (gain 0).
    obs_var, level_var : float
        :math:`\\sigma_\\varepsilon^2`, :math:`\\sigma_\\eta^2`.

    Returns
    -------
    tuple of float
        ``(mean, variance, gain)`` after the step.
    """
    predicted = variance + level_var
    if math.isnan(y):
        return mean, predicted, 0.0
    gain = predicted / (predicted + obs_var)
    return mean + gain * (y - mean), (1.0 - gain) * predicted, gain


def filter_local_level(y: npt.ArrayLike, params: LocalLevelParams) -> FilteredLevel:
    """Run the local-level filter over a whole series.

    Parameters
    ----------
    y : ndarray
        Observations by session (NaN where missing).
    params : LocalLevelParams

    Returns
    -------
    FilteredLevel
        Filtered means, variances and gains (see :func:`local_level_step`).
    """
    values = np.asarray(y, dtype=np.float64)
    n = values.size
    mean_out, var_out, gain_out = np.full(n, np.nan), np.full(n, np.nan), np.full(n, np.nan)
    mean, variance = params.initial_mean, params.initial_sd ** 2
    obs_var, level_var = params.obs_var, params.level_var
    seen = False
    # A scalar recursion: 2,500 Python steps take about a millisecond.
    for t, obs in enumerate(values.tolist()):
        mean, variance, gain = local_level_step(mean, variance, obs, obs_var, level_var)
        seen = seen or not math.isnan(obs)
        if seen:
            mean_out[t], var_out[t], gain_out[t] = mean, variance, gain
    return FilteredLevel(mean=mean_out, variance=var_out, gain=gain_out)
