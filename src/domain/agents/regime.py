"""Macro regimes (growth x inflation) by a forward-filtered hidden Markov model.

Four regimes sit at the corners of the (growth, inflation) momentum plane, in z-score units:
Goldilocks (+1, -1), Reflation (+1, +1), Stagflation (-1, +1), Deflation (-1, -1). The hidden regime
follows a sticky Markov chain; the observation is the pair of z-scores with a Gaussian emission
around the regime's corner. Probabilities are FILTERED (forward recursion only), so the value on a
date uses observations up to that date.
"""

from dataclasses import dataclass
from enum import StrEnum

import numpy as np
import numpy.typing as npt

from domain._typing import FloatArray


class Regime(StrEnum):
    """The four macro regimes."""

    GOLDILOCKS = "goldilocks"
    REFLATION = "reflation"
    STAGFLATION = "stagflation"
    DEFLATION = "deflation"


REGIMES: tuple[Regime, ...] = tuple(Regime)
REGIME_CENTRES: dict[Regime, tuple[float, float]] = {
    Regime.GOLDILOCKS: (1.0, -1.0),
    Regime.REFLATION: (1.0, 1.0),
    Regime.STAGFLATION: (-1.0, 1.0),
    Regime.DEFLATION: (-1.0, -1.0),
}
"""(growth z, inflation z) at the centre of each regime."""


@dataclass(frozen=True, slots=True)
class RegimeModel:
    """Fixed, documented HMM parameters.

    Attributes
    ----------
    stay_probability : float
        :math:`P(S_t = k \\mid S_{t-1} = k)` per session; 0.99 gives an expected regime life of
        100 sessions (about five months). Switches go to the other three regimes equally.
    emission_sd : float
        :math:`\\sigma` of the Gaussian emission around a regime's centre, in z units.
    evidence_weight : float
        Exponent :math:`\\omega` on each session's likelihood. The inputs are monthly data carried
        across ~21 sessions, so each session carries ~1/21 of a new observation's information;
        :math:`\\omega = 1/21` stops the filter from counting the same release 21 times.
    """

    stay_probability: float = 0.99
    emission_sd: float = 1.0
    evidence_weight: float = 1.0 / 21.0

    def __post_init__(self) -> None:
        if not 0.25 <= self.stay_probability < 1.0:
            raise ValueError(f"stay_probability must be in [0.25, 1), got {self.stay_probability}")
        if not self.emission_sd > 0:
            raise ValueError(f"emission_sd must be positive, got {self.emission_sd}")
        if not 0 < self.evidence_weight <= 1:
            raise ValueError(f"evidence_weight must be in (0, 1], got {self.evidence_weight}")

    def transition(self) -> FloatArray:
        """Transition matrix :math:`A_{jk} = P(S_t = k \\mid S_{t-1} = j)`."""
        k = len(REGIMES)
        off = (1.0 - self.stay_probability) / (k - 1)
        return np.asarray(np.full((k, k), off) + np.eye(k) * (self.stay_probability - off), dtype=np.float64)


def regime_log_likelihood(growth: npt.ArrayLike, inflation: npt.ArrayLike, model: RegimeModel) -> FloatArray:
    """Tempered Gaussian log-likelihood of each regime, shape (n, 4).

    .. math:: \\ell_{t,k} = -\\omega \\frac{(g_t - \\mu^g_k)^2 + (\\pi_t - \\mu^\\pi_k)^2}{2\\sigma^2}

    (constants common to all regimes dropped). NaN rows where an input is missing.
    """
    g = np.asarray(growth, dtype=np.float64)[:, None]
    p = np.asarray(inflation, dtype=np.float64)[:, None]
    centres = np.array([REGIME_CENTRES[r] for r in REGIMES])
    dist2 = (g - centres[None, :, 0]) ** 2 + (p - centres[None, :, 1]) ** 2
    return np.asarray(-model.evidence_weight * dist2 / (2.0 * model.emission_sd ** 2), dtype=np.float64)


def filter_regimes(log_likelihood: npt.ArrayLike, model: RegimeModel) -> FloatArray:
    """Forward (filtering) recursion of the HMM.

    .. math::

        \\alpha_t \\propto \\exp(\\ell_t) \\odot (A' \\alpha_{t-1}), \\qquad \\alpha_0 \\propto
        \\exp(\\ell_0) \\odot \\tfrac14 \\mathbf 1

    Rows with a missing likelihood only predict (:math:`\\alpha_t = A'\\alpha_{t-1}`); rows before the
    first observation are NaN.

    Parameters
    ----------
    log_likelihood : ndarray, shape (n, 4)
        From :func:`regime_log_likelihood`.
    model : RegimeModel

    Returns
    -------
    ndarray, shape (n, 4)
        Filtered probabilities :math:`P(S_t = k \\mid \\text{data}_{\\le t})`, rows summing to 1.
    """
    ll = np.asarray(log_likelihood, dtype=np.float64)
    n, k = ll.shape
    transition_t = model.transition().T
    out = np.full((n, k), np.nan)
    alpha = np.full(k, 1.0 / k)
    started = False
    observed = np.asarray(np.isfinite(ll).all(axis=1), dtype=bool).tolist()
    for t in range(n):
        if started:
            alpha = transition_t @ alpha
        if observed[t]:
            weights = alpha * np.exp(ll[t] - ll[t].max())
            alpha = weights / weights.sum()
            started = True
        if started:
            out[t] = alpha
    return out
