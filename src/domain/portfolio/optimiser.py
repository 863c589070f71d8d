"""Constrained mean-variance optimiser in the DAILY return space of :mod:`domain.portfolio.exposure`.

A weight :math:`w_i` is a fraction of NAV: the book holds :math:`w_i \\cdot NAV` BRL of signed notional
in generic :math:`i` (a long DI1 is long the rate). Gross leverage is :math:`\\sum_i |w_i|`.

The problem

.. math::

    \\max_w \\; w'\\mu - \\frac{\\delta}{2} w'\\Sigma w \\quad \\text{s.t.} \\quad
    l_i \\le w_i \\le u_i, \\quad \\sum_i |w_i| \\le L, \\quad
    \\sum_{i \\in A} |w_i| \\le a_A L \\;\\; \\forall A

is solved with SLSQP on :math:`w = w^+ - w^-`, :math:`w^\\pm \\ge 0`, which makes every constraint
linear. Asset-class limits are shares of the gross *limit* :math:`L` (not of the realised gross,
which would make the feasible set non-convex and reward offsetting positions).
"""

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, replace

import numpy as np
from scipy.optimize import minimize

from domain._typing import FloatArray
from domain.book import GENERICS
from domain.market.instruments import AssetClass
from domain.portfolio.black_litterman import DEFAULT_RISK_AVERSION
from domain.portfolio.covariance import check_covariance
from domain.portfolio.errors import InvalidPortfolioInputError, OptimisationFailedError

DEFAULT_GROSS_LEVERAGE = 3.0
DEFAULT_ASSET_CLASS_SHARE = 0.5
DEFAULT_MAX_WEIGHT = 1.0
FEASIBILITY_TOLERANCE = 1e-7
BINDING_TOLERANCE = 1e-6


@dataclass(frozen=True, slots=True)
class PortfolioConstraints:
    """Limits of the optimiser, in fractions of NAV of notional.

    Parameters
    ----------
    gross_leverage : float
        :math:`L`, the cap on :math:`\\sum |w_i|` (default 3).
    asset_class_share : float
        :math:`a`, the cap on each asset class's gross as a share of :math:`L` (default 0.5).
    max_weight : float
        Default bound :math:`|w_i| \\le` ``max_weight`` (default 1: notional up to the NAV).
    weight_bounds : mapping
        Per-generic ``(lower, upper)`` overrides, with lower <= 0 <= upper.
    class_caps : mapping
        Per-asset-class caps on gross weight (fractions of NAV) that override :math:`aL`.
    """

    gross_leverage: float = DEFAULT_GROSS_LEVERAGE
    asset_class_share: float = DEFAULT_ASSET_CLASS_SHARE
    max_weight: float = DEFAULT_MAX_WEIGHT
    weight_bounds: Mapping[str, tuple[float, float]] = field(default_factory=dict)
    class_caps: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not (np.isfinite(self.gross_leverage) and self.gross_leverage > 0):
            raise InvalidPortfolioInputError(f"gross leverage limit must be positive, got {self.gross_leverage}")
        if not 0 < self.asset_class_share <= 1:
            raise InvalidPortfolioInputError(f"asset-class share must be in (0, 1], got {self.asset_class_share}")
        if not (np.isfinite(self.max_weight) and self.max_weight >= 0):
            raise InvalidPortfolioInputError(f"max weight must be non-negative, got {self.max_weight}")
        for name, (lower, upper) in self.weight_bounds.items():
            if not (np.isfinite(lower) and np.isfinite(upper) and lower <= 0 <= upper):
                raise InvalidPortfolioInputError(
                    f"{name}: weight bounds must satisfy lower <= 0 <= upper, got ({lower}, {upper})")

    def bounds(self, name: str) -> tuple[float, float]:
        """``(lower, upper)`` weight bounds of one generic."""
        return self.weight_bounds.get(name, (-self.max_weight, self.max_weight))


@dataclass(frozen=True, slots=True, eq=False)
class OptimalPortfolio:
    """Solution of :func:`optimise`.

    Attributes
    ----------
    names : tuple of str
        Generics, in input order.
    weights : array
        :math:`w`, fractions of NAV of signed notional.
    expected_return, variance, utility : float
        :math:`w'\\mu`, :math:`w'\\Sigma w` and :math:`w'\\mu - \\tfrac{\\delta}{2}w'\\Sigma w` (daily).
    gross : float
        :math:`\\sum |w_i|`.
    class_gross : mapping
        Gross weight by asset class.
    binding : tuple of str
        Active constraints: ``gross_leverage``, ``asset_class:<class>``, ``bound:<generic>``.
    """

    names: tuple[str, ...]
    weights: FloatArray
    expected_return: float
    variance: float
    utility: float
    gross: float
    class_gross: Mapping[AssetClass, float]
    binding: tuple[str, ...]

    def as_dict(self) -> dict[str, float]:
        """Generic -> weight."""
        return {name: float(w) for name, w in zip(self.names, self.weights, strict=True)}


def _asset_classes(names: Sequence[str], asset_classes: Mapping[str, AssetClass] | None) -> list[AssetClass]:
    lookup = asset_classes if asset_classes is not None else {g: s.asset_class for g, s in GENERICS.items()}
    missing = [name for name in names if name not in lookup]
    if missing:
        raise InvalidPortfolioInputError(f"optimiser: no asset class for {missing}")
    return [lookup[name] for name in names]


def optimise(expected_returns: FloatArray, covariance: FloatArray, *, names: Sequence[str],
             risk_aversion: float = DEFAULT_RISK_AVERSION,
             constraints: PortfolioConstraints = PortfolioConstraints(),
             asset_classes: Mapping[str, AssetClass] | None = None) -> OptimalPortfolio:
    """Mean-variance weights under bounds, gross leverage and asset-class limits.

    .. math::

        \\max_{w} \\; w'\\mu - \\frac{\\delta}{2} w'\\Sigma w
        \\quad \\text{s.t.} \\quad l \\le w \\le u, \\;\\; \\|w\\|_1 \\le L, \\;\\;
        \\|w_A\\|_1 \\le a L

    Without binding constraints the solution is :math:`w^* = \\Sigma^{-1}\\mu / \\delta`.

    Parameters
    ----------
    expected_returns : array, n
        :math:`\\mu`, DAILY (e.g. the Black-Litterman posterior mean).
    covariance : array, n x n
        :math:`\\Sigma`, DAILY (e.g. the Black-Litterman posterior covariance).
    names : sequence of str
        Generics, in the order of ``expected_returns``.
    risk_aversion : float
        :math:`\\delta` (default 2.5).
    constraints : PortfolioConstraints
        Limits.
    asset_classes : mapping, optional
        Generic -> asset class; :data:`domain.book.GENERICS` by default.

    Returns
    -------
    OptimalPortfolio

    Raises
    ------
    InvalidPortfolioInputError
        On invalid shapes or parameters.
    OptimisationFailedError
        When SLSQP stops without a feasible optimum.
    """
    n = len(names)
    if len(set(names)) != n or n == 0:
        raise InvalidPortfolioInputError(f"optimiser: names must be distinct and non-empty, got {list(names)}")
    mu = np.asarray(expected_returns, dtype=np.float64)
    if mu.shape != (n,) or not np.all(np.isfinite(mu)):
        raise InvalidPortfolioInputError(f"optimiser: expected returns must be {n} finite numbers")
    sigma = check_covariance(covariance, n, what="optimiser covariance")
    if not (np.isfinite(risk_aversion) and risk_aversion > 0):
        raise InvalidPortfolioInputError(f"optimiser: risk aversion must be positive, got {risk_aversion}")
    classes = _asset_classes(names, asset_classes)
    lower, upper = np.array([constraints.bounds(name) for name in names]).T
    limit = constraints.gross_leverage
    class_limit = constraints.asset_class_share * limit

    # Scale the objective so that its curvature is O(1): SLSQP's tolerances are absolute.
    scale = risk_aversion * float(np.mean(np.diag(sigma))) or 1.0

    def objective(x: FloatArray) -> tuple[float, FloatArray]:
        w = x[:n] - x[n:]
        slope = mu - risk_aversion * sigma @ w
        value = -(w @ mu - 0.5 * risk_aversion * w @ sigma @ w) / scale
        grad_w = -slope / scale
        return float(value), np.concatenate([grad_w, -grad_w])

    def cap_of(cls: AssetClass) -> float:
        return min(class_limit, constraints.class_caps.get(str(cls), class_limit))

    rows = [np.ones(2 * n)]
    caps = [limit]
    class_names = sorted(set(classes))
    for cls in class_names:
        member = np.array([c == cls for c in classes], dtype=np.float64)
        rows.append(np.concatenate([member, member]))
        caps.append(cap_of(cls))
    G, h = np.vstack(rows), np.asarray(caps)
    result = minimize(objective, np.zeros(2 * n), jac=True, method="SLSQP",
                      bounds=list(zip(np.zeros(2 * n), np.concatenate([upper, -lower]), strict=True)),
                      constraints=[{"type": "ineq", "fun": lambda x: h - G @ x, "jac": lambda x: -G}],
                      options={"ftol": 1e-15, "maxiter": 1000})
    x = np.clip(result.x, 0.0, None)
    w = x[:n] - x[n:]
    gross = float(np.abs(w).sum())
    class_gross = {cls: float(sum(abs(w[i]) for i in range(n) if classes[i] == cls)) for cls in class_names}
    feasible = (gross <= limit * (1 + FEASIBILITY_TOLERANCE)
                and all(g <= cap_of(c) * (1 + FEASIBILITY_TOLERANCE) + FEASIBILITY_TOLERANCE
                        for c, g in class_gross.items())
                and np.all(w >= lower - FEASIBILITY_TOLERANCE) and np.all(w <= upper + FEASIBILITY_TOLERANCE))
    # Status 8 ("positive directional derivative in line search") is reached at a flat optimum.
    if not feasible or result.status not in (0, 8):
        raise OptimisationFailedError(f"optimiser: SLSQP status {result.status} ({result.message}); "
                                      f"feasible={feasible}")
    binding = []
    if gross >= limit - BINDING_TOLERANCE:
        binding.append("gross_leverage")
    binding += [f"asset_class:{cls}" for cls, g in class_gross.items() if g >= class_limit - BINDING_TOLERANCE]
    binding += [f"bound:{name}" for i, name in enumerate(names)
                if (w[i] >= upper[i] - BINDING_TOLERANCE and upper[i] > 0)
                or (w[i] <= lower[i] + BINDING_TOLERANCE and lower[i] < 0)]
    variance = float(w @ sigma @ w)
    expected = float(w @ mu)
    weights = np.array(w, dtype=np.float64)
    weights.setflags(write=False)
    return OptimalPortfolio(names=tuple(names), weights=weights, expected_return=expected, variance=variance,
                            utility=expected - 0.5 * risk_aversion * variance, gross=gross,
                            class_gross=class_gross, binding=tuple(binding))


def optimise_concentrated(expected_returns: FloatArray, covariance: FloatArray, *, names: Sequence[str],
                          risk_aversion: float = DEFAULT_RISK_AVERSION,
                          constraints: PortfolioConstraints = PortfolioConstraints(),
                          asset_classes: Mapping[str, AssetClass] | None = None,
                          max_class_share: float = 0.5, iterations: int = 8) -> OptimalPortfolio:
    r"""Optimise with no asset class above ``max_class_share`` of the book's actual gross.

    .. math:: \|w_A\|_1 \le s \|w\|_1 \iff \|w_A\|_1 \le r \sum_{B \ne A} \|w_B\|_1, \quad r = s / (1 - s)

    The constraint is not convex. For the class A most over its share, the optimum caps A's gross
    at :math:`c` with :math:`c = r\,O(c)`, where :math:`O(c)` is the other classes' gross in the
    convex problem (:func:`optimise`) capped at :math:`c`; :math:`f(c) = c - r\,O(c)` increases in
    :math:`c`, so its root is found by regula falsi (Illinois) on :math:`[0, \|w_A\|_1]`, keeping the
    feasible side (:math:`f \le 0`). Repeated while another class is over (rare).

    Parameters
    ----------
    expected_returns, covariance, names, risk_aversion, constraints, asset_classes
        As :func:`optimise`.
    max_class_share : float
        :math:`s` in (0, 1).
    iterations : int
        Maximum number of re-solves per class.

    Returns
    -------
    OptimalPortfolio
        The best feasible solution found.
    """
    if not 0 < max_class_share < 1:
        raise InvalidPortfolioInputError(f"max class share must be in (0, 1), got {max_class_share}")
    ratio = max_class_share / (1 - max_class_share)

    def solve(caps: Mapping[str, float]) -> OptimalPortfolio:
        return optimise(expected_returns, covariance, names=names, risk_aversion=risk_aversion,
                        constraints=replace(constraints, class_caps=dict(caps)), asset_classes=asset_classes)

    def excess(book: OptimalPortfolio, cls: AssetClass) -> float:
        gross = float(np.abs(book.weights).sum())
        return book.class_gross[cls] - ratio * (gross - book.class_gross[cls])

    caps = dict(constraints.class_caps)
    book = solve(caps)
    for _ in range(len(book.class_gross)):
        over = {c: excess(book, c) for c in book.class_gross if excess(book, c) > 1e-9}
        if not over:
            return book
        cls = max(over, key=over.__getitem__)
        lo, hi = 0.0, book.class_gross[cls]
        f_lo, f_hi = excess(solve({**caps, str(cls): lo}), cls), over[cls]
        best = solve({**caps, str(cls): lo})
        side = 0
        for _ in range(iterations):
            cap = hi - f_hi * (hi - lo) / (f_hi - f_lo) if f_hi != f_lo else 0.5 * (lo + hi)
            candidate = solve({**caps, str(cls): cap})
            f_cap = excess(candidate, cls)
            if f_cap <= 0:
                lo, f_lo, best = cap, f_cap, candidate
                if side == -1:
                    f_hi /= 2
                side = -1
            else:
                hi, f_hi = cap, f_cap
                if side == 1:
                    f_lo /= 2
                side = 1
            if hi - lo <= 1e-6 * max(hi, 1e-12):
                break
        caps[str(cls)] = lo
        book = best
    return book
