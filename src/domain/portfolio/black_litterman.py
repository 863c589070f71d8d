"""Black-Litterman: equilibrium returns blended with views from the signals.

Units: everything is in the DAILY return space of :mod:`domain.portfolio.exposure` (returns per BRL
of notional of each generic; weights are fractions of NAV). Views are on generic returns in that
space, e.g. "DI1_2Y earns +0.0002 a day" (a long DI1, long the rate, gains when rates rise).

**View confidence.** A view :math:`i` with pick row :math:`p_i` and confidence
:math:`c_i \\in (0, 1]` gets the variance

.. math:: \\Omega_{ii} = \\left(\\frac{1}{c_i} - 1\\right) \\tau\\, p_i \\Sigma p_i'

With a single view this makes :math:`c` the fraction of the way the posterior moves from the prior
to the view: :math:`p\\mu = p\\pi + c\\,(q - p\\pi)`. :math:`c = 1` is a view held with certainty
(:math:`\\Omega_{ii} = 0`), which the posterior then matches exactly.
"""

import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np

from domain._typing import FloatArray
from domain.portfolio.covariance import check_covariance
from domain.portfolio.errors import InvalidPortfolioInputError, NoMarketPriorWarning

DEFAULT_RISK_AVERSION = 2.5
DEFAULT_TAU = 0.05
DEFAULT_INFORMATION_RATIO = 0.3  # annual expected excess return per unit of annual volatility
SESSIONS_PER_YEAR = 252


def _frozen(values: FloatArray) -> FloatArray:
    out = np.array(values, dtype=np.float64, copy=True)
    out.setflags(write=False)
    return out


@dataclass(frozen=True, slots=True, eq=False)
class Views:
    """Linear views on generic returns: :math:`P \\mu = Q` held with confidences :math:`c`.

    Parameters
    ----------
    picks : array, k x n
        One row per view: weights of the generics in the view portfolio.
    returns : array, k
        Expected DAILY return :math:`Q` of each view portfolio.
    confidence : array, k
        In (0, 1]; see the module notes for the mapping to :math:`\\Omega`.
    labels : tuple of str
        Optional names of the views (empty, or one per view).
    """

    picks: FloatArray
    returns: FloatArray
    confidence: FloatArray
    labels: tuple[str, ...] = ()

    def __post_init__(self) -> None:
        picks = np.asarray(self.picks, dtype=np.float64)
        returns = np.asarray(self.returns, dtype=np.float64).reshape(-1)
        confidence = np.asarray(self.confidence, dtype=np.float64).reshape(-1)
        if picks.ndim != 2:
            raise InvalidPortfolioInputError(f"views: picks must be k x n, got shape {picks.shape}")
        k = picks.shape[0]
        if returns.shape != (k,) or confidence.shape != (k,):
            raise InvalidPortfolioInputError(
                f"views: {k} pick rows but {returns.size} returns and {confidence.size} confidences")
        if self.labels and len(self.labels) != k:
            raise InvalidPortfolioInputError(f"views: {len(self.labels)} labels for {k} views")
        if not (np.all(np.isfinite(picks)) and np.all(np.isfinite(returns))):
            raise InvalidPortfolioInputError("views: picks and returns must be finite")
        if np.any(~(confidence > 0) | (confidence > 1)):
            raise InvalidPortfolioInputError(f"views: confidences must be in (0, 1], got {confidence}")
        if k and np.any(np.all(picks == 0, axis=1)):
            raise InvalidPortfolioInputError("views: a pick row is all zeros")
        object.__setattr__(self, "picks", _frozen(picks))
        object.__setattr__(self, "returns", _frozen(returns))
        object.__setattr__(self, "confidence", _frozen(confidence))

    @classmethod
    def none(cls, n: int) -> "Views":
        """No views on ``n`` generics: the posterior is the prior."""
        return cls(np.zeros((0, n)), np.zeros(0), np.zeros(0))

    @property
    def count(self) -> int:
        """Number of views."""
        return int(self.picks.shape[0])


@dataclass(frozen=True, slots=True)
class GenericSignal:
    """An aggregated signal on one generic: ``strength`` in [-1, 1] (> 0 favours a LONG of the
    generic, i.e. paying rates for DI1), ``confidence`` in [0, 1] (0 means no view)."""

    generic: str
    strength: float
    confidence: float

    def __post_init__(self) -> None:
        if not -1.0 <= self.strength <= 1.0:
            raise InvalidPortfolioInputError(f"{self.generic}: signal strength must be in [-1, 1], "
                                             f"got {self.strength}")
        if not 0.0 <= self.confidence <= 1.0:
            raise InvalidPortfolioInputError(f"{self.generic}: signal confidence must be in [0, 1], "
                                             f"got {self.confidence}")


def views_from_signals(signals: Sequence[GenericSignal], names: Sequence[str], volatilities: FloatArray, *,
                       information_ratio: float = DEFAULT_INFORMATION_RATIO) -> Views:
    """One absolute view per generic that has a signal with positive confidence.

    .. math:: Q_i = s_i \\, \\frac{IR}{\\sqrt{252}} \\, \\sigma_i, \\qquad P_i = e_i, \\qquad c_i

    A full-strength signal expects an annual information ratio ``IR`` on the generic:
    :math:`IR \\cdot \\sigma_i \\sqrt{252}` a year, i.e. :math:`IR\\,\\sigma_i/\\sqrt{252}` a day.

    Parameters
    ----------
    signals : sequence of GenericSignal
        At most one per generic; those with zero confidence are skipped.
    names : sequence of str
        The generics, in the order of the covariance matrix.
    volatilities : array
        DAILY return volatility :math:`\\sigma_i` of each generic (``sqrt(diag(Sigma))``).
    information_ratio : float
        Annual information ratio of a full-strength signal (default 0.3).

    Returns
    -------
    Views
        Labelled by generic, in the order of ``signals``.
    """
    order = {name: i for i, name in enumerate(names)}
    vols = np.asarray(volatilities, dtype=np.float64).reshape(-1)
    if vols.shape != (len(order),) or len(order) != len(names):
        raise InvalidPortfolioInputError(f"views: {len(names)} distinct names needed with as many volatilities, "
                                         f"got {len(order)} names and {vols.size} volatilities")
    if not np.all(np.isfinite(vols) & (vols > 0)):
        raise InvalidPortfolioInputError(f"views: volatilities must be positive, got {vols}")
    if not information_ratio > 0:
        raise InvalidPortfolioInputError(f"views: information ratio must be positive, got {information_ratio}")
    seen: set[str] = set()
    rows, returns, confidence, labels = [], [], [], []
    for signal in signals:
        if signal.generic not in order:
            raise InvalidPortfolioInputError(f"views: signal on {signal.generic!r}, not among {list(names)}")
        if signal.generic in seen:
            raise InvalidPortfolioInputError(f"views: two signals on {signal.generic}")
        seen.add(signal.generic)
        if signal.confidence == 0:
            continue
        i = order[signal.generic]
        row = np.zeros(len(order))
        row[i] = 1.0
        rows.append(row)
        returns.append(signal.strength * information_ratio / np.sqrt(SESSIONS_PER_YEAR) * vols[i])
        confidence.append(signal.confidence)
        labels.append(signal.generic)
    if not rows:
        return Views.none(len(order))
    return Views(np.vstack(rows), np.asarray(returns), np.asarray(confidence), tuple(labels))


@dataclass(frozen=True, slots=True, eq=False)
class BlackLittermanResult:
    """Prior and posterior of a Black-Litterman update, DAILY return units.

    Attributes
    ----------
    names : tuple of str
        Generics, in matrix order.
    prior_mean : array
        Equilibrium returns :math:`\\pi = \\delta \\Sigma w_{ref}`.
    posterior_mean : array
        :math:`\\mu_{BL}`.
    posterior_covariance : array
        :math:`\\Sigma + M`, the covariance to optimise with.
    uncertainty : array
        :math:`M`, the covariance of the estimate of the mean.
    omega : array
        Diagonal of :math:`\\Omega`, one per view.
    risk_aversion, tau : float
        :math:`\\delta` and :math:`\\tau`.
    """

    names: tuple[str, ...]
    prior_mean: FloatArray
    posterior_mean: FloatArray
    posterior_covariance: FloatArray
    uncertainty: FloatArray
    omega: FloatArray
    risk_aversion: float
    tau: float


def black_litterman(covariance: FloatArray, views: Views, *, names: Sequence[str],
                    reference_weights: FloatArray | None = None, risk_aversion: float = DEFAULT_RISK_AVERSION,
                    tau: float = DEFAULT_TAU) -> BlackLittermanResult:
    """Posterior mean and covariance of generic returns given views.

    .. math::

        \\pi = \\delta \\Sigma w_{ref}, \\qquad
        M = \\left[(\\tau\\Sigma)^{-1} + P'\\Omega^{-1}P\\right]^{-1}, \\qquad
        \\mu = M\\left[(\\tau\\Sigma)^{-1}\\pi + P'\\Omega^{-1}Q\\right]

    and the posterior covariance is :math:`\\Sigma + M`. It is computed in the equivalent form

    .. math::

        \\mu = \\pi + \\tau\\Sigma P' (P\\tau\\Sigma P' + \\Omega)^{-1}(Q - P\\pi), \\qquad
        M = \\tau\\Sigma - \\tau\\Sigma P' (P\\tau\\Sigma P' + \\Omega)^{-1} P \\tau\\Sigma

    which needs no inverse of :math:`\\Sigma` or :math:`\\Omega` (so :math:`c_i = 1` is allowed).

    Parameters
    ----------
    covariance : array, n x n
        :math:`\\Sigma` of DAILY generic returns.
    views : Views
        :math:`P, Q` and confidences (:math:`\\Omega` from the module's mapping).
    names : sequence of str
        Generic names in matrix order.
    reference_weights : array, optional
        :math:`w_{ref}` in fractions of NAV; zeros (a neutral book, :math:`\\pi = 0`) by default, with a
        :class:`~domain.portfolio.errors.NoMarketPriorWarning`: without market weights the prior is not
        an equilibrium and the posterior mean is the views shrunk towards zero.
    risk_aversion : float
        :math:`\\delta`, default 2.5.
    tau : float
        :math:`\\tau`, default 0.05.

    Returns
    -------
    BlackLittermanResult

    Raises
    ------
    InvalidPortfolioInputError
        On mismatched shapes, invalid parameters, or certain views that are redundant (singular
        :math:`P\\tau\\Sigma P' + \\Omega`).
    """
    n = len(names)
    if len(set(names)) != n:
        raise InvalidPortfolioInputError(f"Black-Litterman: names must be distinct, got {list(names)}")
    sigma = check_covariance(covariance, n, what="Black-Litterman covariance")
    if views.picks.shape[1] != n:
        raise InvalidPortfolioInputError(f"Black-Litterman: views pick {views.picks.shape[1]} generics, "
                                         f"covariance has {n}")
    if not (np.isfinite(risk_aversion) and risk_aversion > 0):
        raise InvalidPortfolioInputError(f"Black-Litterman: risk aversion must be positive, got {risk_aversion}")
    if not (np.isfinite(tau) and tau > 0):
        raise InvalidPortfolioInputError(f"Black-Litterman: tau must be positive, got {tau}")
    if reference_weights is None:
        warnings.warn("Black-Litterman without market weights: the prior mean is zero (a neutral book), not an "
                      "equilibrium return", NoMarketPriorWarning, stacklevel=2)
    w_ref = np.zeros(n) if reference_weights is None else np.asarray(reference_weights, dtype=np.float64)
    if w_ref.shape != (n,) or not np.all(np.isfinite(w_ref)):
        raise InvalidPortfolioInputError(f"Black-Litterman: reference weights must be {n} finite numbers")
    pi = risk_aversion * sigma @ w_ref
    tau_sigma = tau * sigma
    P, Q, c = views.picks, views.returns, views.confidence
    view_variance = np.einsum("ij,jk,ik->i", P, tau_sigma, P)
    omega = (1.0 / c - 1.0) * view_variance
    if views.count == 0:
        mean, uncertainty = pi, tau_sigma
    else:
        A = P @ tau_sigma @ P.T + np.diag(omega)
        if np.linalg.cond(A) > 1e12:
            raise InvalidPortfolioInputError(
                "Black-Litterman: views are redundant or riskless (P tau Sigma P' + Omega is singular)")
        gain = np.linalg.solve(A, P @ tau_sigma).T  # tau Sigma P' A^-1, using the symmetry of A
        mean = pi + gain @ (Q - P @ pi)
        uncertainty = tau_sigma - gain @ P @ tau_sigma
        uncertainty = 0.5 * (uncertainty + uncertainty.T)
    return BlackLittermanResult(
        names=tuple(names), prior_mean=_frozen(pi), posterior_mean=_frozen(mean),
        posterior_covariance=_frozen(sigma + uncertainty), uncertainty=_frozen(uncertainty),
        omega=_frozen(omega), risk_aversion=float(risk_aversion), tau=float(tau))
