"""The ten alert rules: identity, severity, comparison, threshold with its unit, cooldown and valid ranges.

Thresholds are stored in the unit a risk manager reads: hours for staleness, percent of NAV for VaR
and drawdown, percent utilisation for limits, a count for flips, signal units for conviction changes.
"""

import math
from dataclasses import dataclass, replace
from datetime import timedelta
from enum import StrEnum

from domain.errors import DomainError


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
    """

    id: RuleId
    description: str
    severity: Severity
    comparison: Comparison
    threshold: float | None
    unit: ThresholdUnit
    enabled: bool = True
    cooldown: timedelta = DEFAULT_COOLDOWN

    def __post_init__(self) -> None:
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
                   cooldown: timedelta | None = None) -> "AlertRule":
        """A copy with the given settings changed (validated: raises :class:`InvalidRuleError`)."""
        return replace(self, enabled=self.enabled if enabled is None else enabled,
                       threshold=self.threshold if threshold is None else float(threshold),
                       cooldown=self.cooldown if cooldown is None else cooldown)


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
              Severity.WARNING, Comparison.GT, 3.0, ThresholdUnit.PERCENT_NAV),
    AlertRule(RuleId.VAR_CRITICAL, "1-day historical VaR99 of the book as % of NAV above the threshold",
              Severity.CRITICAL, Comparison.GT, 5.0, ThresholdUnit.PERCENT_NAV),
    AlertRule(RuleId.DRAWDOWN_WARNING, "Drawdown of the book from its peak NAV above the threshold",
              Severity.WARNING, Comparison.GT, 5.0, ThresholdUnit.PERCENT_NAV),
    AlertRule(RuleId.DRAWDOWN_CRITICAL, "Drawdown of the book from its peak NAV above the threshold",
              Severity.CRITICAL, Comparison.GT, 10.0, ThresholdUnit.PERCENT_NAV),
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

DEFAULTS: dict[RuleId, AlertRule] = {rule.id: rule for rule in DEFAULT_RULES}

# Inhibition (Alertmanager's inhibit_rules): while the key rule fires for a subject, the value rule's
# alert for the same subject (the same book) is recorded as inhibited and not sent.
INHIBITIONS: dict[RuleId, RuleId] = {
    RuleId.VAR_BREACH: RuleId.VAR_CRITICAL,
    RuleId.DRAWDOWN_WARNING: RuleId.DRAWDOWN_CRITICAL,
}
