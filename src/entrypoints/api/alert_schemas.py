"""Request and response models of the alert API (unknown fields are rejected; types are strict)."""

from datetime import datetime
from typing import Annotated, Literal

from pydantic import BaseModel, ConfigDict, Field, StrictBool, StrictFloat, StrictInt

from application.messages import Delivery
from application.ports import RuleChange
from domain.alerts.lifecycle import AlertEvent, AlertState, Silence
from domain.alerts.rules import LIMIT_LINKS, THRESHOLD_RANGES, AlertRule
from entrypoints.api.schemas import ReadableText, SaneNumber, UtcInstant


class RuleOut(BaseModel):
    """A rule as configured now, with its default and its valid threshold range."""

    id: str
    description: str
    severity: str
    comparison: str
    threshold: float | None
    unit: str
    enabled: bool
    cooldown_minutes: int
    default_threshold: float | None
    threshold_range: str | None
    follows_limit: bool = Field(description="The threshold is set by the risk limit named in `limit` (settings)")
    limit: str | None = Field(description="The risk limit this rule restates, e.g. `100% of var95`; null if none")

    @classmethod
    def of(cls, rule: AlertRule, default: AlertRule) -> "RuleOut":
        """``rule`` as configured now; ``default`` its seeded configuration under the limits in force."""
        bounds = THRESHOLD_RANGES.get(rule.id)
        span = None if bounds is None else \
            f"{'[' if bounds.low_inclusive else '('}{bounds.low:g}, {bounds.high:g}]"
        link = LIMIT_LINKS.get(rule.id)
        return cls(id=rule.id, description=rule.description, severity=rule.severity, comparison=rule.comparison,
                   threshold=rule.threshold, unit=rule.unit, enabled=rule.enabled,
                   cooldown_minutes=int(rule.cooldown.total_seconds() // 60),
                   default_threshold=default.threshold, threshold_range=span, follows_limit=rule.follows_limit,
                   limit=None if link is None else f"{link.share:.0%} of {link.limit}")


class RulePatch(BaseModel):
    """Settings to change; omitted ones stay. Per-rule threshold ranges are checked by the rule itself."""

    model_config = ConfigDict(extra="forbid")

    enabled: StrictBool | None = None
    threshold: Annotated[StrictFloat | StrictInt | None, SaneNumber] = Field(
        default=None, ge=0, allow_inf_nan=False, description="Overrides the limit a rule followed")
    cooldown_minutes: StrictInt | None = Field(default=None, ge=1, le=1440)
    follow_limit: StrictBool | None = Field(default=None, description="true: the threshold follows the risk limit "
                                            "again (VaR and drawdown rules); not together with threshold")


class RuleChangeOut(BaseModel):
    """An audit-log entry."""

    rule_id: str
    changed_at: datetime
    changed_by: str
    old_values: dict[str, object]
    new_values: dict[str, object]

    @classmethod
    def of(cls, c: RuleChange) -> "RuleChangeOut":
        return cls(rule_id=c.rule_id, changed_at=c.changed_at, changed_by=c.changed_by,
                   old_values=dict(c.old_values), new_values=dict(c.new_values))


class AlertEventOut(BaseModel):
    """An alert-history entry."""

    rule_id: str
    subject: str
    status: str
    at: datetime
    value: float | None
    threshold: float | None
    message: str
    notification_key: str | None

    @classmethod
    def of(cls, e: AlertEvent) -> "AlertEventOut":
        return cls(rule_id=e.rule_id, subject=e.subject, status=e.kind, at=e.at, value=e.value,
                   threshold=e.threshold, message=e.message, notification_key=e.notification_key)


class ActiveAlertOut(BaseModel):
    """An alert firing now; ``muted`` says whether it is silenced or inhibited."""

    rule_id: str
    subject: str
    value: float | None
    threshold: float | None
    message: str
    since: datetime
    last_notified_at: datetime | None
    muted: str | None

    @classmethod
    def of(cls, s: AlertState) -> "ActiveAlertOut":
        return cls(rule_id=s.rule_id, subject=s.subject, value=s.value, threshold=s.threshold, message=s.message,
                   since=s.since, last_notified_at=s.notified_at, muted=s.muted)


class SilenceIn(BaseModel):
    """A silence: a rule, optionally one subject, a window and a reason."""

    model_config = ConfigDict(extra="forbid")

    rule: str
    subject: ReadableText | None = Field(default=None, min_length=1, max_length=64)
    start: UtcInstant
    end: UtcInstant
    reason: ReadableText = Field(min_length=1, max_length=500)


class SilenceOut(BaseModel):
    """A stored silence."""

    id: int
    rule: str
    subject: str | None
    start: datetime
    end: datetime
    reason: str
    created_by: str

    @classmethod
    def of(cls, s: Silence) -> "SilenceOut":
        return cls(id=s.id, rule=s.rule_id, subject=s.subject, start=s.starts_at, end=s.ends_at, reason=s.reason,
                   created_by=s.created_by)


class ChannelOutcome(BaseModel):
    """What happened to a test alert on one channel."""

    channel: str
    status: Literal["pending", "sent", "failed"]
    attempts: int
    error: str | None
    provider_message_id: str | None

    @classmethod
    def of(cls, d: Delivery) -> "ChannelOutcome":
        return cls(channel=d.channel, status=d.status.value, attempts=d.attempts, error=d.last_error,  # type: ignore[arg-type]
                   provider_message_id=d.provider_message_id)
