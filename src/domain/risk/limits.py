"""Risk limits: the nine limits of the fund with their defaults, and drawdown circuit breakers.

Each limit compares a measured value with a threshold; utilisation is value / threshold and a limit
is breached at utilisation >= 100%. Definitions (values are fractions, thresholds likewise):

=========================  ====================================================================  ========
limit                      value                                                                 default
=========================  ====================================================================  ========
var95                      1-day VaR95 / NAV                                                     3%
var99                      1-day VaR99 / NAV                                                     5%
drawdown                   current drawdown from the NAV peak                                    10%
gross_leverage             :math:`\\sum_i |N_i|` / NAV (times)                                    3x
single_position            :math:`\\max_i |N_i|` / NAV                                            25%
asset_class_concentration  :math:`\\max_c G_c / (\\bar L \\cdot NAV)` (share of the gross limit)         50%
risk_budget_share          :math:`\\max_j C_j / (\\overline{VaR}_{99} \\cdot NAV)` (share of the VaR limit)   20%
strategy_daily_loss        :math:`\\max(0, \\max_s -\\mathrm{P\\&L}_s)` / NAV                          2%
asset_class_daily_loss     :math:`\\max(0, \\max_c -\\mathrm{P\\&L}_c)` / NAV                          3%
=========================  ====================================================================  ========

:math:`N_i` is position i's gross notional (BRL), :math:`G_c = \\sum_{i \\in c}|N_i|`, :math:`C_j` strategy j's
component 99% VaR (BRL) and :math:`\\overline{VaR}_{99}` the var99 threshold. The risk budget is a slice of the VaR
*limit*, not a share of the day's VaR: a share of the realised VaR cannot stay under 20% on a day when fewer than
five strategies hold risk (the shares sum to one), which is most days of the synthetic history, so that definition
breached every day; a slice of the limit is always reachable by scaling a sleeve down (docs/decisions.md). The
asset-class concentration is likewise measured against the gross-leverage limit :math:`\\bar L` (a class may use
half of it): a share of the realised gross is 100% for any book whose views sit in one asset class, so it forced
either a flat book or positions without views in other classes to dilute it.

Circuit breakers act on the drawdown before the 10% limit is reached: at 3% cut gross exposure by
25%, at 5% cut it by 50%, at 8% flatten the book (cut by 100%); the most severe triggered breaker
applies, and re-risking is a human decision once the drawdown recovers.
"""

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from types import MappingProxyType

from domain.risk.errors import RiskInputError

# Utilisation this close below 1 counts as reached: value / threshold of equal decimals can round down.
BREACH_ROUNDING = 1e-12


class LimitName(StrEnum):
    """The nine risk limits."""

    VAR95 = "var95"
    VAR99 = "var99"
    DRAWDOWN = "drawdown"
    GROSS_LEVERAGE = "gross_leverage"
    SINGLE_POSITION = "single_position"
    ASSET_CLASS_CONCENTRATION = "asset_class_concentration"
    RISK_BUDGET_SHARE = "risk_budget_share"
    STRATEGY_DAILY_LOSS = "strategy_daily_loss"
    ASSET_CLASS_DAILY_LOSS = "asset_class_daily_loss"


class BreakerAction(StrEnum):
    """What a drawdown circuit breaker orders."""

    REDUCE_GROSS_25 = "reduce_gross_25"
    REDUCE_GROSS_50 = "reduce_gross_50"
    FLATTEN = "flatten"


@dataclass(frozen=True, slots=True)
class CircuitBreaker:
    """Cut gross exposure by ``gross_reduction`` once the drawdown reaches ``drawdown``."""

    drawdown: float
    action: BreakerAction
    gross_reduction: float

    def __post_init__(self) -> None:
        if not 0.0 < self.drawdown < 1.0 or not 0.0 < self.gross_reduction <= 1.0:
            raise RiskInputError(f"circuit breaker: need 0 < drawdown < 1 and 0 < reduction <= 1, got {self}")


DEFAULT_CIRCUIT_BREAKERS = (
    CircuitBreaker(0.03, BreakerAction.REDUCE_GROSS_25, 0.25),
    CircuitBreaker(0.05, BreakerAction.REDUCE_GROSS_50, 0.50),
    CircuitBreaker(0.08, BreakerAction.FLATTEN, 1.00),
)


@dataclass(frozen=True, slots=True)
class RiskLimits:
    """Thresholds of the nine limits (fractions of NAV unless stated) and the circuit breakers."""

    var95_nav: float = 0.03
    var99_nav: float = 0.05
    drawdown: float = 0.10
    gross_leverage: float = 3.0
    single_position_nav: float = 0.25
    asset_class_concentration: float = 0.50
    risk_budget_share: float = 0.20
    strategy_daily_loss_nav: float = 0.02
    asset_class_daily_loss_nav: float = 0.03
    circuit_breakers: tuple[CircuitBreaker, ...] = DEFAULT_CIRCUIT_BREAKERS

    def __post_init__(self) -> None:
        for name in LimitName:
            value = self.threshold(name)
            if not (math.isfinite(value) and value > 0.0):
                raise RiskInputError(f"risk limits: {name} threshold must be positive, got {value}")
        levels = [b.drawdown for b in self.circuit_breakers]
        if levels != sorted(levels) or len(set(levels)) != len(levels):
            raise RiskInputError(f"risk limits: circuit-breaker drawdowns must increase, got {levels}")

    def threshold(self, limit: LimitName) -> float:
        """Threshold of ``limit``."""
        return {
            LimitName.VAR95: self.var95_nav, LimitName.VAR99: self.var99_nav,
            LimitName.DRAWDOWN: self.drawdown, LimitName.GROSS_LEVERAGE: self.gross_leverage,
            LimitName.SINGLE_POSITION: self.single_position_nav,
            LimitName.ASSET_CLASS_CONCENTRATION: self.asset_class_concentration,
            LimitName.RISK_BUDGET_SHARE: self.risk_budget_share,
            LimitName.STRATEGY_DAILY_LOSS: self.strategy_daily_loss_nav,
            LimitName.ASSET_CLASS_DAILY_LOSS: self.asset_class_daily_loss_nav,
        }[limit]


def _frozen(mapping: Mapping[str, float], what: str) -> Mapping[str, float]:
    for key, value in mapping.items():
        if not math.isfinite(value):
            raise RiskInputError(f"limit inputs: {what} of {key} is not finite ({value})")
    return MappingProxyType(dict(mapping))


@dataclass(frozen=True)
class LimitInputs:
    """Measured quantities the limits are checked against (BRL unless stated).

    Parameters
    ----------
    nav : float
        Net asset value, positive.
    var95, var99 : float
        1-day VaR at 95% and 99% (positive losses).
    drawdown : float
        Current drawdown from the NAV peak, a positive fraction.
    gross_notional_by_position : mapping
        Instrument -> gross notional (its absolute value is used).
    gross_notional_by_asset_class : mapping
        Asset class -> sum of its positions' absolute notionals; totals must match the positions'.
    var_contribution_by_strategy : mapping
        Strategy -> component 99% VaR in BRL (Euler; they sum to the book's parametric VaR).
    daily_pnl_by_strategy, daily_pnl_by_asset_class : mapping
        Today's P&L per strategy / asset class (gains positive).
    """

    nav: float
    var95: float
    var99: float
    drawdown: float
    gross_notional_by_position: Mapping[str, float] = field(default_factory=dict)
    gross_notional_by_asset_class: Mapping[str, float] = field(default_factory=dict)
    var_contribution_by_strategy: Mapping[str, float] = field(default_factory=dict)
    daily_pnl_by_strategy: Mapping[str, float] = field(default_factory=dict)
    daily_pnl_by_asset_class: Mapping[str, float] = field(default_factory=dict)

    def __post_init__(self) -> None:
        if not (math.isfinite(self.nav) and self.nav > 0.0):
            raise RiskInputError(f"limit inputs: NAV must be positive, got {self.nav}")
        for name in ("var95", "var99", "drawdown"):
            if not math.isfinite(getattr(self, name)):
                raise RiskInputError(f"limit inputs: {name} must be finite")
        if not 0.0 <= self.drawdown < 1.0:
            raise RiskInputError(f"limit inputs: drawdown must be in [0, 1), got {self.drawdown}")
        for name in ("gross_notional_by_position", "gross_notional_by_asset_class", "var_contribution_by_strategy",
                     "daily_pnl_by_strategy", "daily_pnl_by_asset_class"):
            object.__setattr__(self, name, _frozen(getattr(self, name), name))
        by_position = sum(abs(v) for v in self.gross_notional_by_position.values())
        by_class = sum(abs(v) for v in self.gross_notional_by_asset_class.values())
        if not math.isclose(by_position, by_class, rel_tol=1e-9, abs_tol=1e-6):
            raise RiskInputError(f"limit inputs: gross notional by position ({by_position:,.2f}) and by "
                                 f"asset class ({by_class:,.2f}) disagree")


@dataclass(frozen=True, slots=True)
class LimitStatus:
    """One limit checked: ``utilisation = value / threshold``, breached at >= 1."""

    limit: LimitName
    value: float
    threshold: float
    utilisation: float
    breached: bool
    subject: str | None = None  # the position / class / strategy that sets the value, when one does


def _largest(values: Mapping[str, float], *, sign: float = 1.0) -> tuple[float, str | None]:
    if not values:
        return 0.0, None
    key = max(values, key=lambda k: sign * values[k])
    return sign * values[key], key


def _status(limit: LimitName, value: float, limits: RiskLimits, subject: str | None = None) -> LimitStatus:
    threshold = limits.threshold(limit)
    utilisation = value / threshold
    return LimitStatus(limit, value, threshold, utilisation, utilisation >= 1.0 - BREACH_ROUNDING, subject)


def evaluate_limits(inputs: LimitInputs, limits: RiskLimits | None = None) -> tuple[LimitStatus, ...]:
    """Check the nine limits; one :class:`LimitStatus` per limit in :class:`LimitName` order.

    .. math:: u_\\ell = v_\\ell / \\bar v_\\ell, \\qquad \\text{breached} \\iff u_\\ell \\ge 1

    with :math:`v_\\ell` as defined in the module table (losses floored at zero, so a day of gains
    uses none of the daily-loss limits).

    Parameters
    ----------
    inputs : LimitInputs
        Measured quantities.
    limits : RiskLimits, optional
        Thresholds; the defaults when omitted.

    Returns
    -------
    tuple of LimitStatus
    """
    limits = RiskLimits() if limits is None else limits
    nav = inputs.nav
    gross = {k: abs(v) for k, v in inputs.gross_notional_by_position.items()}
    by_class = {k: abs(v) for k, v in inputs.gross_notional_by_asset_class.items()}
    total_gross = sum(gross.values())
    largest_position, position = _largest(gross)
    largest_class, asset_class = _largest(by_class)
    component, share_key = _largest(inputs.var_contribution_by_strategy)
    strategy_loss, strategy = _largest(inputs.daily_pnl_by_strategy, sign=-1.0)
    class_loss, loss_class = _largest(inputs.daily_pnl_by_asset_class, sign=-1.0)
    return (
        _status(LimitName.VAR95, inputs.var95 / nav, limits),
        _status(LimitName.VAR99, inputs.var99 / nav, limits),
        _status(LimitName.DRAWDOWN, inputs.drawdown, limits),
        _status(LimitName.GROSS_LEVERAGE, total_gross / nav, limits),
        _status(LimitName.SINGLE_POSITION, largest_position / nav, limits, position),
        _status(LimitName.ASSET_CLASS_CONCENTRATION, largest_class / (limits.gross_leverage * nav), limits,
                asset_class),
        _status(LimitName.RISK_BUDGET_SHARE, component / (limits.var99_nav * nav), limits, share_key),
        _status(LimitName.STRATEGY_DAILY_LOSS, max(0.0, strategy_loss) / nav, limits,
                strategy if strategy_loss > 0.0 else None),
        _status(LimitName.ASSET_CLASS_DAILY_LOSS, max(0.0, class_loss) / nav, limits,
                loss_class if class_loss > 0.0 else None),
    )


def circuit_breaker(drawdown: float, limits: RiskLimits | None = None) -> CircuitBreaker | None:
    """The most severe circuit breaker the drawdown triggers (drawdown >= its level), if any.

    .. math:: b^* = \\arg\\max_b \\{ d_b : DD \\ge d_b \\}

    Defaults: 3% -> cut gross 25%, 5% -> cut gross 50%, 8% -> flatten.
    """
    if not (math.isfinite(drawdown) and 0.0 <= drawdown < 1.0):
        raise RiskInputError(f"circuit breaker: drawdown must be in [0, 1), got {drawdown}")
    limits = RiskLimits() if limits is None else limits
    triggered = [b for b in limits.circuit_breakers if drawdown >= b.drawdown]
    return triggered[-1] if triggered else None


def breaker_rationale(breaker: CircuitBreaker | None, drawdown: float) -> str:
    """The sentence a trade carries when a circuit breaker shaped it ('' when none did).

    E.g. ``"Circuit breaker reduce_gross_50 (drawdown 5.2% >= 5%): gross cut 50%. "``.
    """
    if breaker is None:
        return ""
    action = "book flattened" if breaker.action is BreakerAction.FLATTEN else f"gross cut {breaker.gross_reduction:.0%}"
    return f"Circuit breaker {breaker.action} (drawdown {drawdown:.1%} >= {breaker.drawdown:.0%}): {action}. "
