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
from dataclasses import dataclass, field

import numpy as np
from scipy.optimize import OptimizeResult, minimize

from domain._typing import FloatArray
from domain.book import GENERICS
from domain.market.instruments import AssetClass
from domain.portfolio.black_litterman import DEFAULT_INFORMATION_RATIO, DEFAULT_RISK_AVERSION, SESSIONS_PER_YEAR
from domain.portfolio.covariance import check_covariance
from domain.portfolio.errors import InvalidPortfolioInputError, OptimisationFailedError
from domain.risk.limits import RiskLimits

# The optimiser's defaults are the fund's limits (domain.risk.limits.RiskLimits), never literals of its own.
DEFAULT_GROSS_LEVERAGE = RiskLimits().gross_leverage
DEFAULT_ASSET_CLASS_SHARE = RiskLimits().asset_class_concentration
DEFAULT_MAX_WEIGHT = 1.0
FEASIBILITY_TOLERANCE = 1e-7
BINDING_TOLERANCE = 1e-6
NEGLIGIBLE_WEIGHT = 1e-12  # fraction of NAV
ACTIVE_TOLERANCE = 1e-7   # a constraint this close to its bound counts as active in the KKT check
KKT_TOLERANCE = 1e-5      # relative stationarity residual below which a non-zero SLSQP status is accepted
BUDGET_TOLERANCE = 1e-6   # risk-budget slack, as a share of the cap


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


def constraints_from_limits(limits: RiskLimits, *, utilisation: float,
                            weight_bounds: Mapping[str, tuple[float, float]] | None = None) -> PortfolioConstraints:
    """The optimiser's caps as a share ``utilisation`` of the fund's limits.

    .. math:: L = u\\,\bar L_{gross}, \\qquad |w_i| \\le u\\,\bar w_{single}, \\qquad a = \bar a_{class}

    (the asset-class share is of the gross *limit* here; :func:`optimise_concentrated` holds the share of the
    actual gross at :math:`u\\,\bar a_{class}`). Aiming below the limits leaves room for contract rounding and
    the day's P&L.
    """
    if not 0 < utilisation <= 1:
        raise InvalidPortfolioInputError(f"target utilisation must be in (0, 1], got {utilisation}")
    return PortfolioConstraints(gross_leverage=utilisation * limits.gross_leverage,
                                asset_class_share=limits.asset_class_concentration,
                                max_weight=utilisation * limits.single_position_nav,
                                weight_bounds=dict(weight_bounds or {}))


def risk_aversion_for(volatility_target: float, information_ratio: float = DEFAULT_INFORMATION_RATIO) -> float:
    r"""Risk aversion that gives one full-conviction view the book's volatility target.

    A view of strength 1 held with confidence 1 on one generic expects :math:`\mu = IR\,\sigma/\sqrt{252}` a day
    (:func:`domain.portfolio.black_litterman.views_from_signals`); alone, the optimum
    :math:`w = \mu / (\delta \sigma^2)` has annual volatility :math:`w \sigma \sqrt{252} = IR / \delta`, so

    .. math:: \delta = IR / \sigma_{target}

    A weaker view (strength :math:`s`, confidence :math:`c`) gets :math:`c\,s\,\sigma_{target}`; a zero view none.
    """
    if not (np.isfinite(volatility_target) and volatility_target > 0 and information_ratio > 0):
        raise InvalidPortfolioInputError(f"volatility target and information ratio must be positive, got "
                                         f"{volatility_target}, {information_ratio}")
    return float(information_ratio / volatility_target)


def turnover_penalties(volatilities: FloatArray, penalty: float,
                       information_ratio: float = DEFAULT_INFORMATION_RATIO) -> FloatArray:
    r"""Linear cost per unit of weight traded, as a share of a full-conviction view's daily expected return.

    .. math:: \kappa_i = k \, IR \, \sigma_i / \sqrt{252}

    so that, alone, a generic is re-traded only when its conviction :math:`c\,s` moves by more than :math:`k`.
    """
    vols = np.asarray(volatilities, dtype=np.float64)
    if not (np.isfinite(penalty) and penalty >= 0) or not np.all(np.isfinite(vols) & (vols >= 0)):
        raise InvalidPortfolioInputError(f"turnover penalty must be non-negative, got {penalty}")
    return np.asarray(penalty * information_ratio * vols / np.sqrt(SESSIONS_PER_YEAR), dtype=np.float64)


def _asset_classes(names: Sequence[str], asset_classes: Mapping[str, AssetClass] | None) -> list[AssetClass]:
    lookup = asset_classes if asset_classes is not None else {g: s.asset_class for g, s in GENERICS.items()}
    missing = [name for name in names if name not in lookup]
    if missing:
        raise InvalidPortfolioInputError(f"optimiser: no asset class for {missing}")
    return [lookup[name] for name in names]


def _risk_budget_rows(names: Sequence[str], budget: "RiskBudget | None") -> tuple[FloatArray, float]:
    """Bucket x generic split matrix (rows sum over buckets to 1 per generic) and the cap over z."""
    if budget is None:
        return np.zeros((0, len(names))), 1.0
    buckets = sorted({b for split in budget.splits.values() for b in split})
    rows = np.zeros((len(buckets) + 1, len(names)))
    for i, name in enumerate(names):
        split = budget.splits.get(name, {})
        for b, share in split.items():
            rows[buckets.index(b), i] = share
        rows[-1, i] = 1.0 - sum(split.values())  # the generic's unattributed part is one bucket
    return rows, budget.max_var / budget.z


def kkt_residual(gradient: FloatArray, active: FloatArray, equalities: FloatArray) -> float:
    r"""Relative residual of the KKT stationarity condition at a candidate optimum of a minimisation.

    .. math::

        r = \frac{\min_{\lambda \ge 0,\, \nu} \|\nabla f + A'\lambda + E'\nu\|_2}{\max(\|\nabla f\|_2, 1)}

    where the rows of :math:`A` are the gradients of the active inequality constraints written as
    :math:`a(x) \le 0` (bounds included) and those of :math:`E` the gradients of the equalities. A
    local optimum of a regular problem has :math:`r = 0`; a merely feasible point stopped by the line
    search has :math:`r` of order one.

    Parameters
    ----------
    gradient : array, m
        :math:`\nabla f(x)`.
    active : array, k x m
        Active inequality gradients (outward, :math:`a \le 0` form).
    equalities : array, e x m
        Equality gradients (multipliers of either sign).

    Returns
    -------
    float
    """
    from scipy.optimize import nnls

    columns = np.vstack([active, equalities, -equalities]).T if (len(active) or len(equalities)) \
        else np.zeros((gradient.size, 0))
    if columns.shape[1] == 0:
        residual = float(np.linalg.norm(gradient))
    else:
        _, residual = nnls(columns, -gradient, maxiter=50 * columns.shape[1])
    return float(residual) / max(float(np.linalg.norm(gradient)), 1.0)


@dataclass(frozen=True, slots=True)
class RiskBudget:
    r"""No bucket (strategy) with a component VaR above ``max_var`` (fraction of NAV).

    Parameters
    ----------
    splits : mapping
        Generic -> {bucket: share of the generic's position}; shares in [0, 1] summing to at most 1
        (the rest is the generic's ``unattributed`` bucket).
    max_var : float
        Cap on each bucket's Euler component of the parametric VaR,
        :math:`z\,\sum_g B_{jg} w_g (\Sigma w)_g / \sqrt{w'\Sigma w}`, in fractions of NAV (daily).
    z : float
        Normal quantile of the VaR (2.326 for 99%).
    """

    splits: Mapping[str, Mapping[str, float]]
    max_var: float
    z: float = 2.3263478740408408

    def __post_init__(self) -> None:
        if not (np.isfinite(self.max_var) and self.max_var > 0 and self.z > 0):
            raise InvalidPortfolioInputError(f"risk budget: cap and quantile must be positive, got {self.max_var}, "
                                             f"{self.z}")
        for name, split in self.splits.items():
            values = np.array(list(split.values()), dtype=np.float64)
            if values.size and (np.any(values < -1e-12) or values.sum() > 1 + 1e-9 or not np.all(np.isfinite(values))):
                raise InvalidPortfolioInputError(f"risk budget: split of {name} must be non-negative shares "
                                                 f"summing to at most 1, got {dict(split)}")


def bucket_component_var(weights: FloatArray, covariance: FloatArray, *, names: Sequence[str],
                         budget: RiskBudget) -> dict[str, float]:
    r"""Euler component of the parametric VaR of each bucket (fraction of NAV).

    .. math:: C_j = z \frac{\sum_g B_{jg}\, w_g (\Sigma w)_g}{\sqrt{w'\Sigma w}}

    Returns an empty mapping for a book without variance.
    """
    rows, _ = _risk_budget_rows(names, budget)
    w = np.asarray(weights, dtype=np.float64)
    sigma = np.asarray(covariance, dtype=np.float64)
    variance = float(w @ sigma @ w)
    if variance <= 0:
        return {}
    buckets = [*sorted({b for split in budget.splits.values() for b in split}), "unattributed"]
    components = budget.z * rows @ (w * (sigma @ w)) / np.sqrt(variance)
    return {b: float(c) for b, c in zip(buckets, components, strict=True) if rows[buckets.index(b)].any()}


def optimise(expected_returns: FloatArray, covariance: FloatArray, *, names: Sequence[str],
             risk_aversion: float = DEFAULT_RISK_AVERSION,
             constraints: PortfolioConstraints = PortfolioConstraints(),
             asset_classes: Mapping[str, AssetClass] | None = None,
             previous_weights: FloatArray | None = None, turnover_penalty: FloatArray | None = None,
             risk_budget: RiskBudget | None = None, max_iterations: int = 1000) -> OptimalPortfolio:
    r"""Mean-variance weights under bounds, gross leverage, asset-class limits, a turnover penalty and a risk budget.

    .. math::

        \max_{w} \; w'\mu - \frac{\delta}{2} w'\Sigma w - \kappa'|w - w_0|
        \quad \text{s.t.} \quad l \le w \le u, \;\; \|w\|_1 \le L, \;\;
        \|w_A\|_1 \le a L, \;\; z\frac{\sum_g B_{jg} w_g (\Sigma w)_g}{\sqrt{w'\Sigma w}} \le V_{max} \;\; \forall j

    Without binding constraints or penalty the solution is :math:`w^* = \Sigma^{-1}\mu / \delta`. The
    linear turnover penalty :math:`\kappa_i \ge 0` (return per unit of weight traded) leaves a
    no-trade band: generic :math:`i` is traded only when its marginal utility at :math:`w_0` exceeds
    :math:`\kappa_i`. The solution is accepted when SLSQP reports success (status 0) and the point is
    feasible, or, for any other status, only if it is feasible and passes the KKT check
    (:func:`kkt_residual` below ``KKT_TOLERANCE``) against the problem's own gradient.

    Parameters
    ----------
    expected_returns : array, n
        :math:`\mu`, DAILY (e.g. the Black-Litterman posterior mean).
    covariance : array, n x n
        :math:`\Sigma`, DAILY (e.g. the Black-Litterman posterior covariance).
    names : sequence of str
        Generics, in the order of ``expected_returns``.
    risk_aversion : float
        :math:`\delta` (default 2.5).
    constraints : PortfolioConstraints
        Limits.
    asset_classes : mapping, optional
        Generic -> asset class; :data:`domain.book.GENERICS` by default.
    previous_weights : array, n, optional
        :math:`w_0`, the book before the session (zeros by default).
    turnover_penalty : array, n, optional
        :math:`\kappa` (zeros by default: no penalty).
    risk_budget : RiskBudget, optional
        Bucket splits and the cap :math:`V_{max}` on each bucket's component VaR.
    max_iterations : int
        SLSQP's iteration cap (status 9 when reached; accepted only with a passed KKT check).

    Returns
    -------
    OptimalPortfolio

    Raises
    ------
    InvalidPortfolioInputError
        On invalid shapes or parameters.
    OptimisationFailedError
        When SLSQP stops at a point that is infeasible or fails the KKT check; ``reason`` says which.
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
    w0 = np.zeros(n) if previous_weights is None else np.asarray(previous_weights, dtype=np.float64)
    kappa = np.zeros(n) if turnover_penalty is None else np.asarray(turnover_penalty, dtype=np.float64)
    if w0.shape != (n,) or not np.all(np.isfinite(w0)):
        raise InvalidPortfolioInputError(f"optimiser: previous weights must be {n} finite numbers")
    if kappa.shape != (n,) or not np.all(np.isfinite(kappa) & (kappa >= 0)):
        raise InvalidPortfolioInputError(f"optimiser: turnover penalty must be {n} non-negative numbers")
    classes = _asset_classes(names, asset_classes)
    lower, upper = np.array([constraints.bounds(name) for name in names]).T
    limit = constraints.gross_leverage
    class_limit = constraints.asset_class_share * limit
    budget_rows, budget_share = _risk_budget_rows(names, risk_budget)
    budget_rows = budget_rows[[bool(np.any(r)) for r in budget_rows]]
    trading = bool(np.any(kappa > 0))

    # Scale the objective so that its curvature is O(1): SLSQP's tolerances are absolute.
    scale = risk_aversion * float(np.mean(np.diag(sigma))) or 1.0
    # Variables: x = [w+, w-] (w = w+ - w-), plus [t+, t-] (w - w0 = t+ - t-) when turnover is penalised.
    m = 4 * n if trading else 2 * n

    def weights_of(x: FloatArray) -> FloatArray:
        return np.asarray(x[:n] - x[n:2 * n], dtype=np.float64)

    def objective(x: FloatArray) -> tuple[float, FloatArray]:
        w = weights_of(x)
        slope = mu - risk_aversion * sigma @ w
        value = -(w @ mu - 0.5 * risk_aversion * w @ sigma @ w)
        grad = np.concatenate([-slope, slope])
        if trading:
            value += float(kappa @ (x[2 * n:3 * n] + x[3 * n:]))
            grad = np.concatenate([grad, kappa, kappa])
        return float(value) / scale, grad / scale

    def cap_of(cls: AssetClass) -> float:
        return min(class_limit, constraints.class_caps.get(str(cls), class_limit))

    pad = np.zeros(m - 2 * n)
    rows = [np.concatenate([np.ones(2 * n), pad])]
    caps = [limit]
    class_names = sorted(set(classes))
    for cls in class_names:
        member = np.array([c == cls for c in classes], dtype=np.float64)
        rows.append(np.concatenate([member, member, pad]))
        caps.append(cap_of(cls))
    G, h = np.vstack(rows), np.asarray(caps)
    cons: list[dict[str, object]] = [{"type": "ineq", "fun": lambda x: h - G @ x, "jac": lambda x: -G}]
    E = np.hstack([np.eye(n), -np.eye(n), -np.eye(n), np.eye(n)]) if trading else np.zeros((0, m))
    if trading:
        cons.append({"type": "eq", "fun": lambda x: E @ x - w0, "jac": lambda x: E})

    def budget_value(x: FloatArray) -> FloatArray:
        # 1 - N_j / (sqrt(D) c) >= 0 with N_j = sum_g B_jg w_g (Sigma w)_g, D = w'Sigma w and c = max_var / z:
        # dimensionless, so SLSQP's absolute tolerances mean the same whatever the scale (used away from w = 0).
        w = weights_of(x)
        sw = sigma @ w
        root = np.sqrt(max(float(w @ sw), 1e-300))
        return np.asarray(1.0 - budget_rows @ (w * sw) / (root * budget_share), dtype=np.float64)

    def budget_jac(x: FloatArray) -> FloatArray:
        w = weights_of(x)
        sw = sigma @ w
        root = np.sqrt(max(float(w @ sw), 1e-300))
        numerator = budget_rows @ (w * sw)
        d_num = budget_rows * sw[None, :] + (budget_rows * w[None, :]) @ sigma
        dw = -(d_num / root - numerator[:, None] * sw[None, :] / root ** 3) / budget_share
        return np.asarray(np.hstack([dw, -dw, np.zeros((len(budget_rows), m - 2 * n))]), dtype=np.float64)

    upper_x = np.concatenate([upper, -lower] + ([np.full(2 * n, 2 * limit + np.abs(w0).sum())] if trading else []))
    start = np.concatenate([np.clip(w0, 0, None), np.clip(-w0, 0, None)] + ([np.zeros(2 * n)] if trading else []))
    bounds = list(zip(np.zeros(m), upper_x, strict=True))

    def solve(with_budget: bool, x_start: FloatArray) -> OptimizeResult:
        extra = [{"type": "ineq", "fun": budget_value, "jac": budget_jac}] if with_budget else []
        return minimize(objective, np.minimum(x_start, upper_x), jac=True, method="SLSQP", bounds=bounds,
                        constraints=cons + extra, options={"ftol": 1e-15, "maxiter": max_iterations})

    # The convex problem first; the (non-convex) risk budget only when that optimum breaks it, started from there:
    # at w = 0 every budget constraint is 0 >= 0 with a zero gradient, a degenerate start for SLSQP.
    result = solve(False, start)
    if len(budget_rows):
        first = np.clip(result.x, 0.0, upper_x)
        w1 = weights_of(first)
        if float(w1 @ sigma @ w1) > 0 and np.any(budget_value(first) < -BUDGET_TOLERANCE):
            result = solve(True, first)
    x = np.clip(result.x, 0.0, upper_x)
    w = weights_of(x)
    w[np.abs(w) < NEGLIGIBLE_WEIGHT] = 0.0  # solver dust, not a position
    gross = float(np.abs(w).sum())
    class_gross = {cls: float(sum(abs(w[i]) for i in range(n) if classes[i] == cls)) for cls in class_names}
    variance = float(w @ sigma @ w)
    budget_slack = budget_value(x) if len(budget_rows) and variance > 0 else np.zeros(0)
    feasible = (gross <= limit * (1 + FEASIBILITY_TOLERANCE)
                and all(g <= cap_of(c) * (1 + FEASIBILITY_TOLERANCE) + FEASIBILITY_TOLERANCE
                        for c, g in class_gross.items())
                and bool(np.all(w >= lower - FEASIBILITY_TOLERANCE))
                and bool(np.all(w <= upper + FEASIBILITY_TOLERANCE))
                and bool(np.all(budget_slack >= -BUDGET_TOLERANCE)))
    if not feasible:
        raise OptimisationFailedError(f"SLSQP status {result.status} ({result.message}) at an infeasible point",
                                      status=int(result.status))
    if result.status != 0:
        _, grad = objective(x)
        active = [row for row, slack in zip(G, h - G @ x, strict=True) if slack <= ACTIVE_TOLERANCE * max(1.0, limit)]
        active += [-e for e, xi in zip(np.eye(m), x, strict=True) if xi <= ACTIVE_TOLERANCE]
        active += [e for e, xi, ui in zip(np.eye(m), x, upper_x, strict=True) if xi >= ui - ACTIVE_TOLERANCE]
        if len(budget_slack):
            jac = budget_jac(x)
            active += [-jac[j] for j in range(len(budget_rows)) if budget_slack[j] <= ACTIVE_TOLERANCE]
        residual = kkt_residual(grad, np.array(active).reshape(-1, m), E)
        if not residual <= KKT_TOLERANCE:
            raise OptimisationFailedError(f"SLSQP status {result.status} ({result.message}) and the KKT check "
                                          f"fails: stationarity residual {residual:.2e} > {KKT_TOLERANCE:.0e}",
                                          status=int(result.status))
    binding = []
    if gross >= limit - BINDING_TOLERANCE:
        binding.append("gross_leverage")
    binding += [f"asset_class:{cls}" for cls, g in class_gross.items() if g >= class_limit - BINDING_TOLERANCE]
    binding += [f"bound:{name}" for i, name in enumerate(names)
                if (w[i] >= upper[i] - BINDING_TOLERANCE and upper[i] > 0)
                or (w[i] <= lower[i] + BINDING_TOLERANCE and lower[i] < 0)]
    if len(budget_slack) and np.any(budget_slack <= BINDING_TOLERANCE):
        binding.append("risk_budget")
    expected = float(w @ mu)
    weights = np.array(w, dtype=np.float64)
    weights.setflags(write=False)
    return OptimalPortfolio(names=tuple(names), weights=weights, expected_return=expected, variance=variance,
                            utility=expected - 0.5 * risk_aversion * variance, gross=gross,
                            class_gross=class_gross, binding=tuple(binding))
