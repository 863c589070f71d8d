"""The ten alert rules: identity, severity, comparison, threshold with its unit, cooldown and valid ranges.

Thresholds are stored in the unit a risk manager reads: hours for staleness, percent of NAV for VaR
and drawdown, percent utilisation for limits, a count for flips, signal units for conviction changes.

The VaR and drawdown rules restate risk limits: by default they follow the one definition of the limits
(:class:`~domain.risk.limits.RiskLimits`, from settings), so changing a limit moves its alert; a threshold set
through the API overrides that until the rule is told to follow its limit again.
"""

import math
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum

from domain.errors import DomainError
from domain.risk.limits import LimitName, RiskLimits


class RuleId(StrEnum):
    """The ten rules of the seeds."""

    STALE_DATA = "STALE_DATA"
    VAR_BREACH = "VAR_BREACH"
    VAR_CRITICAL = "VAR_CRITICAL"
    DRAWDOWN_WARNING = "DRAWDOWN_WARNING"
    DRAWDOWN_CRITICAL = "DRAWDOWN_CRITICAL"
    LIMIT_BREACH = "LIMIT_BREACH"
    SIGNAL_FLIP = "SIGNAL_FLIP"
    CONVICTION_SURGE = "CONVICTION_SURGE"
    PIPELINE_FAILURE = "PIPELINE_FAILURE"
    AGENT_STALE = "AGENT_STALE"


class Severity(StrEnum):
    """How urgent an alert is; every severity goes to both channels (no escalation)."""

    INFO = "INFO"
    WARNING = "WARNING"
    CRITICAL = "CRITICAL"


class Comparison(StrEnum):
    """How the observed value is compared with the threshold."""

    GT = ">"
    GE = ">="

    def holds(self, value: float, threshold: float) -> bool:
        """``value > threshold`` or ``value >= threshold``."""
        return value > threshold if self is Comparison.GT else value >= threshold


class ThresholdUnit(StrEnum):
    """The unit of a rule's threshold and observed values."""

    HOURS = "hours"
    PERCENT_NAV = "percent_of_nav"
    PERCENT_UTILISATION = "percent_utilisation"
    COUNT = "count"
    SIGNAL = "signal_units"
    NONE = "none"


@dataclass(frozen=True, slots=True)
class ThresholdRange:
    """Valid thresholds of a rule: ``low < t <= high`` (or ``low <= t`` when ``low_inclusive``)."""

    low: float
    high: float
    low_inclusive: bool = False
    integer: bool = False

    def check(self, value: float) -> str | None:
        """None when ``value`` is valid, else the reason it is not."""
        if not math.isfinite(value):
            return "must be a finite number"
        if self.integer and value != int(value):
            return "must be a whole number"
        above_low = value >= self.low if self.low_inclusive else value > self.low
        if not above_low or value > self.high:
            bracket = "[" if self.low_inclusive else "("
            return f"must be in {bracket}{self.low:g}, {self.high:g}]"
        return None


MIN_COOLDOWN = timedelta(minutes=1)
MAX_COOLDOWN = timedelta(days=1)
DEFAULT_COOLDOWN = timedelta(minutes=30)


class InvalidRuleError(DomainError, ValueError):
    """A rule change that would leave the rule invalid; ``field`` names what is wrong."""

    def __init__(self, rule_id: str, field: str, reason: str) -> None:
        super().__init__(f"{rule_id}.{field} {reason}")
        self.rule_id = rule_id
        self.field = field
        self.reason = reason


@dataclass(frozen=True, slots=True)
class AlertRule:
    """One rule with its current configuration.

    Attributes
    ----------
    id : RuleId
    description : str
        What fires it, in desk words.
    severity : Severity
    comparison : Comparison
        Observed ``comparison`` threshold fires (``>`` or ``>=``).
    threshold : float or None
        In ``unit``; None for PIPELINE_FAILURE, which fires on any failed asset.
    unit : ThresholdUnit
    enabled : bool
    cooldown : timedelta
        At most one message per rule per cooldown window (1 minute .. 1 day).
    follows_limit : bool
        The threshold is the rule's :data:`LIMIT_LINKS` entry applied to the risk limits in force (see
        :func:`following`), not a value of its own; only the rules in :data:`LIMIT_LINKS` can follow a limit.
    """

    id: RuleId
    description: str
    severity: Severity
    comparison: Comparison
    threshold: float | None
    unit: ThresholdUnit
    enabled: bool = True
    cooldown: timedelta = DEFAULT_COOLDOWN
    follows_limit: bool = False

    def __post_init__(self) -> None:
        if self.follows_limit and self.id not in LIMIT_LINKS:
            raise InvalidRuleError(self.id, "follow_limit", "is not possible: this rule restates no risk limit")
        bounds = THRESHOLD_RANGES.get(self.id)
        if bounds is None:
            if self.threshold is not None:
                raise InvalidRuleError(self.id, "threshold", "is not configurable for this rule")
        else:
            if self.threshold is None:
                raise InvalidRuleError(self.id, "threshold", "is required")
            reason = bounds.check(self.threshold)
            if reason is not None:
                raise InvalidRuleError(self.id, "threshold", f"{reason} ({self.unit})")
        if not MIN_COOLDOWN <= self.cooldown <= MAX_COOLDOWN:
            raise InvalidRuleError(self.id, "cooldown_minutes", "must be between 1 minute and 1 day (1440)")

    def fires(self, value: float) -> bool:
        """Whether an observed ``value`` (in ``unit``) fires the rule; rules without a threshold fire on any value."""
        if self.threshold is None:
            return True
        return self.comparison.holds(value, self.threshold)

    def configured(self, *, enabled: bool | None = None, threshold: float | None = None,
                   cooldown: timedelta | None = None, follow_limit: bool | None = None) -> "AlertRule":
        """A copy with the given settings changed (validated: raises :class:`InvalidRuleError`).

        A threshold given here overrides the limit the rule followed; ``follow_limit=True`` makes it follow
        again (its threshold is then set by :func:`following`), and cannot come with a threshold.
        """
        if threshold is not None and follow_limit:
            raise InvalidRuleError(self.id, "threshold", "cannot be set while the rule is told to follow its limit")
        follows = follow_limit if follow_limit is not None else (False if threshold is not None
                                                                 else self.follows_limit)
        return replace(self, enabled=self.enabled if enabled is None else enabled,
                       threshold=self.threshold if threshold is None else float(threshold),
                       cooldown=self.cooldown if cooldown is None else cooldown, follows_limit=follows)


@dataclass(frozen=True, slots=True)
class LimitLink:
    """How a rule's threshold restates a risk limit: ``threshold = 100 * share * limit`` (% of NAV)."""

    limit: LimitName
    share: float

    def threshold(self, limits: RiskLimits) -> float:
        """The threshold in percent of NAV for ``limits`` (rounded to 1e-9 so that 0.03 gives 3.0, not 3.0000000004).
        """
        return round(100.0 * self.share * limits.threshold(self.limit), 9)


# VaR95 and VaR99 alerts fire at their limits, the critical drawdown alert at the drawdown limit, and the
# drawdown warning halfway to it (the seeds' 5% against a 10% limit): an early warning at 50% utilisation.
LIMIT_LINKS: dict["RuleId", LimitLink] = {
    RuleId.VAR_BREACH: LimitLink(LimitName.VAR95, 1.0),
    RuleId.VAR_CRITICAL: LimitLink(LimitName.VAR99, 1.0),
    RuleId.DRAWDOWN_WARNING: LimitLink(LimitName.DRAWDOWN, 0.5),
    RuleId.DRAWDOWN_CRITICAL: LimitLink(LimitName.DRAWDOWN, 1.0),
}


def following(rules: "list[AlertRule] | tuple[AlertRule, ...]", limits: RiskLimits) -> list[AlertRule]:
    """The rules with each limit-following threshold set from ``limits``.

    Parameters
    ----------
    rules : sequence of AlertRule
    limits : RiskLimits
        The limits in force (fractions of NAV).

    Returns
    -------
    list of AlertRule
        Same order; a rule with ``follows_limit`` gets ``LIMIT_LINKS[rule.id].threshold(limits)`` (% of NAV).

    Raises
    ------
    InvalidRuleError
        When a limit puts a threshold outside the rule's valid range (e.g. a VaR limit above 100% of NAV).
    """
    return [replace(r, threshold=LIMIT_LINKS[r.id].threshold(limits)) if r.follows_limit else r for r in rules]


# Valid ranges per rule (the edges validate against these too): a percentage above 100 is a unit mistake,
# a staleness above two weeks is no longer an alert, CONVICTION_SURGE cannot go below the signal monitor's
# 0.3 because the monitor records no smaller change.
THRESHOLD_RANGES: dict[RuleId, ThresholdRange] = {
    RuleId.STALE_DATA: ThresholdRange(0.0, 336.0),
    RuleId.AGENT_STALE: ThresholdRange(0.0, 336.0),
    RuleId.VAR_BREACH: ThresholdRange(0.0, 100.0),
    RuleId.VAR_CRITICAL: ThresholdRange(0.0, 100.0),
    RuleId.DRAWDOWN_WARNING: ThresholdRange(0.0, 100.0),
    RuleId.DRAWDOWN_CRITICAL: ThresholdRange(0.0, 100.0),
    RuleId.LIMIT_BREACH: ThresholdRange(0.0, 200.0),
    RuleId.SIGNAL_FLIP: ThresholdRange(1.0, 1000.0, low_inclusive=True, integer=True),
    RuleId.CONVICTION_SURGE: ThresholdRange(0.3, 2.0, low_inclusive=True),
}

DEFAULT_RULES: tuple[AlertRule, ...] = (
    AlertRule(RuleId.STALE_DATA, "A connector's latest successful data is older than the threshold "
              "(hours of open market since its scheduled run)", Severity.WARNING, Comparison.GT, 26.0,
              ThresholdUnit.HOURS),
    AlertRule(RuleId.VAR_BREACH, "1-day historical VaR95 of the book as % of NAV above the threshold",
              Severity.WARNING, Comparison.GT, 3.0, ThresholdUnit.PERCENT_NAV, follows_limit=True),
    AlertRule(RuleId.VAR_CRITICAL, "1-day historical VaR99 of the book as % of NAV above the threshold",
              Severity.CRITICAL, Comparison.GT, 5.0, ThresholdUnit.PERCENT_NAV, follows_limit=True),
    AlertRule(RuleId.DRAWDOWN_WARNING, "Drawdown of the book from its peak NAV above the threshold",
              Severity.WARNING, Comparison.GT, 5.0, ThresholdUnit.PERCENT_NAV, follows_limit=True),
    AlertRule(RuleId.DRAWDOWN_CRITICAL, "Drawdown of the book from its peak NAV above the threshold",
              Severity.CRITICAL, Comparison.GT, 10.0, ThresholdUnit.PERCENT_NAV, follows_limit=True),
    AlertRule(RuleId.LIMIT_BREACH, "A risk limit's utilisation at or above the threshold",
              Severity.CRITICAL, Comparison.GE, 100.0, ThresholdUnit.PERCENT_UTILISATION),
    AlertRule(RuleId.SIGNAL_FLIP, "Number of aggregated-signal flips in the last 24 h at or above the threshold",
              Severity.INFO, Comparison.GE, 1.0, ThresholdUnit.COUNT),
    AlertRule(RuleId.CONVICTION_SURGE, "An aggregated signal's conviction change in the last 24 h above the "
              "threshold", Severity.INFO, Comparison.GT, 0.3, ThresholdUnit.SIGNAL),
    AlertRule(RuleId.PIPELINE_FAILURE, "Any asset of the latest pipeline run failed",
              Severity.CRITICAL, Comparison.GE, None, ThresholdUnit.NONE),
    AlertRule(RuleId.AGENT_STALE, "An agent's latest output is older than the threshold "
              "(hours of open market since its scheduled run)", Severity.WARNING, Comparison.GT, 26.0,
              ThresholdUnit.HOURS),
)


# Inhibition (Alertmanager's inhibit_rules): while the key rule fires for a subject, the value rule's
# alert for the same subject (the same book) is recorded as inhibited and not sent.
INHIBITIONS: dict[RuleId, RuleId] = {
    RuleId.VAR_BREACH: RuleId.VAR_CRITICAL,
    RuleId.DRAWDOWN_WARNING: RuleId.DRAWDOWN_CRITICAL,
}
