"""Alert lifecycle: a state machine per (rule, subject), grouping per rule within its cooldown, silences
and inhibition (the Alertmanager model, without escalation).

Per key: inactive -> firing -> resolved (-> firing again). Per rule: at most one message per cooldown
window; a message lists every unmuted firing subject with its value (new ones marked) and announces the
resolutions recorded since the rule's previous message. A rule with nothing new re-notifies its firing
subjects once the cooldown has passed. Silenced and inhibited alerts are recorded, not sent; once the
silence ends or the inhibiting alert resolves they go out in the rule's next message.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import UTC, datetime
from enum import StrEnum

from domain.alerts.evaluation import AlertInstance
from domain.alerts.rules import INHIBITIONS, AlertRule, RuleId


class AlertStatus(StrEnum):
    """Where one (rule, subject) stands."""

    INACTIVE = "inactive"
    FIRING = "firing"
    RESOLVED = "resolved"


class Mute(StrEnum):
    """Why a firing alert is not sent."""

    SILENCED = "silenced"
    INHIBITED = "inhibited"


class EventKind(StrEnum):
    """What happened to an alert (the alert history)."""

    FIRED = "fired"
    RENOTIFIED = "renotified"
    RESOLVED = "resolved"
    SUPPRESSED = "suppressed"
    INHIBITED = "inhibited"


class NotificationKind(StrEnum):
    """What a rule's message says."""

    FIRING = "firing"
    RENOTIFY = "renotify"
    RESOLVED = "resolved"


@dataclass(frozen=True, slots=True)
class AlertState:
    """The persisted state of one (rule, subject).

    ``notified_at`` is when the alert last went out while firing (None: never since it started firing);
    ``resolution_announced`` is False for a resolution still to be announced.
    """

    rule_id: RuleId
    subject: str
    status: AlertStatus
    value: float | None
    threshold: float | None
    message: str
    since: datetime
    updated_at: datetime
    notified_at: datetime | None = None
    muted: Mute | None = None
    resolved_at: datetime | None = None
    resolution_announced: bool = True

    @property
    def key(self) -> tuple[RuleId, str]:
        """Rule and subject."""
        return self.rule_id, self.subject


@dataclass(frozen=True, slots=True)
class RuleGroup:
    """The notification state of one rule: when its last message went out."""

    rule_id: RuleId
    last_notified_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class Silence:
    """Mutes a rule (one subject, or all when ``subject`` is None) during [starts_at, ends_at)."""

    id: int
    rule_id: RuleId
    subject: str | None
    starts_at: datetime
    ends_at: datetime
    reason: str
    created_by: str = "api"

    def __post_init__(self) -> None:
        if self.ends_at <= self.starts_at:
            raise ValueError("a silence must end after it starts")

    def matches(self, rule_id: RuleId, subject: str, now: datetime) -> bool:
        """Whether this silence mutes (rule, subject) at ``now``."""
        return (self.rule_id == rule_id and (self.subject is None or self.subject == subject)
                and self.starts_at <= now < self.ends_at)

    def expired(self, at: datetime) -> "Silence":
        """This silence expired at ``at``: a running one now ends then; one not yet started or already over keeps
        its window (it applies at no instant from ``at`` on either way)."""
        return replace(self, ends_at=at) if self.starts_at < at < self.ends_at else self


@dataclass(frozen=True, slots=True)
class AlertEvent:
    """One entry of the alert history, with the values at the time."""

    rule_id: RuleId
    subject: str
    kind: EventKind
    at: datetime
    value: float | None
    threshold: float | None
    message: str
    notification_key: str | None = None


@dataclass(frozen=True, slots=True)
class AlertNotification:
    """One message of one rule: the firing subjects (``new`` marks those never sent) and the resolutions."""

    key: str
    rule: AlertRule
    kind: NotificationKind
    at: datetime
    firing: tuple[AlertState, ...]
    new: frozenset[str]
    resolved: tuple[AlertState, ...]

    @property
    def headline(self) -> str:
        """One line: the single subject's message, or a count with the first messages."""
        if self.kind is NotificationKind.RESOLVED:
            names = ", ".join(s.subject for s in self.resolved)
            return f"resolved: {names}"
        if len(self.firing) == 1:
            return self.firing[0].message
        return f"{len(self.firing)} subjects firing: " + "; ".join(s.subject for s in self.firing)


@dataclass(frozen=True, slots=True)
class EvaluationOutcome:
    """What one evaluation changed: states and groups to persist, events to record, messages to send."""

    states: tuple[AlertState, ...]
    groups: tuple[RuleGroup, ...]
    events: tuple[AlertEvent, ...]
    notifications: tuple[AlertNotification, ...]


def notification_key(rule_id: RuleId, at: datetime) -> str:
    """Idempotency key of a rule's message: ``alert:<RULE>:<UTC instant>``."""
    return f"alert:{rule_id}:{at.astimezone(UTC).strftime('%Y-%m-%dT%H:%M:%S.%fZ')}"


def _event(state: AlertState, kind: EventKind, at: datetime, key: str | None = None) -> AlertEvent:
    return AlertEvent(state.rule_id, state.subject, kind, at, state.value, state.threshold, state.message, key)


def _mute(key: tuple[RuleId, str], inhibitors: set[tuple[RuleId, str]], silences: Sequence[Silence],
          now: datetime) -> Mute | None:
    rule_id, subject = key
    if any(s.matches(rule_id, subject, now) for s in silences):
        return Mute.SILENCED
    source = INHIBITIONS.get(rule_id)
    if source is not None and (source, subject) in inhibitors:
        return Mute.INHIBITED
    return None


def _muted_event(mute: Mute) -> EventKind:
    return EventKind.SUPPRESSED if mute is Mute.SILENCED else EventKind.INHIBITED


def advance(rules: Sequence[AlertRule], instances: Iterable[AlertInstance], states: Iterable[AlertState],
            groups: Iterable[RuleGroup], silences: Sequence[Silence], now: datetime) -> EvaluationOutcome:
    """Move every key's state machine to ``now`` and decide each rule's message.

    Parameters
    ----------
    rules : sequence of AlertRule
        All ten rules with their current configuration (disabled rules resolve silently).
    instances : iterable of AlertInstance
        What fires now (from :func:`domain.alerts.evaluation.evaluate`).
    states, groups : iterables of AlertState, RuleGroup
        Persisted state from the previous evaluation.
    silences : sequence of Silence
    now : datetime
        Timezone-aware evaluation instant.

    Returns
    -------
    EvaluationOutcome
        Only the states and groups that changed, the events, and at most one notification per rule.
    """
    if now.tzinfo is None:
        raise ValueError("advance needs a timezone-aware 'now'")
    rule_by_id = {r.id: r for r in rules}
    current = {i.key: i for i in instances if rule_by_id.get(i.rule_id) is not None and rule_by_id[i.rule_id].enabled}
    before = {s.key: s for s in states}
    after = dict(before)
    events: list[AlertEvent] = []
    inhibitors = {k for k in current if k[0] in INHIBITIONS.values()}

    for key in sorted(set(current) | {k for k, s in before.items() if s.status is AlertStatus.FIRING}):
        inst, old = current.get(key), before.get(key)
        if inst is not None:
            mute = _mute(key, inhibitors, silences, now)
            if old is None or old.status is not AlertStatus.FIRING:
                new = AlertState(key[0], key[1], AlertStatus.FIRING, inst.value, inst.threshold, inst.message,
                                 since=now, updated_at=now, muted=mute)
                events.append(_event(new, EventKind.FIRED if mute is None else _muted_event(mute), now))
            else:
                new = replace(old, value=inst.value, threshold=inst.threshold, message=inst.message,
                              updated_at=now, muted=mute)
                if mute is not None and old.muted is not mute:
                    events.append(_event(new, _muted_event(mute), now))
            after[key] = new
        elif old is not None:
            rule = rule_by_id.get(key[0])
            announce = rule is not None and rule.enabled and old.notified_at is not None
            new = replace(old, status=AlertStatus.RESOLVED, updated_at=now, resolved_at=now, muted=None,
                          resolution_announced=not announce,
                          message=old.message if rule is None or rule.enabled else f"{old.message} (rule disabled)")
            events.append(_event(new, EventKind.RESOLVED, now))
            after[key] = new

    group_by_rule = {g.rule_id: g for g in groups}
    changed_groups: list[RuleGroup] = []
    notifications: list[AlertNotification] = []
    for rule in rules:
        if not rule.enabled:
            continue
        group = group_by_rule.get(rule.id, RuleGroup(rule.id))
        if group.last_notified_at is not None and now - group.last_notified_at < rule.cooldown:
            continue
        mine = sorted((s for s in after.values() if s.rule_id == rule.id), key=lambda s: s.subject)
        firing = [s for s in mine if s.status is AlertStatus.FIRING and s.muted is None]
        resolved = [s for s in mine if s.status is AlertStatus.RESOLVED and not s.resolution_announced]
        if not firing and not resolved:
            continue
        fresh = frozenset(s.subject for s in firing if s.notified_at is None)
        kind = (NotificationKind.FIRING if fresh else NotificationKind.RENOTIFY if firing
                else NotificationKind.RESOLVED)
        message_key = notification_key(rule.id, now)
        sent_firing = tuple(replace(s, notified_at=now) for s in firing)
        sent_resolved = tuple(replace(s, resolution_announced=True) for s in resolved)
        for s in sent_firing:
            after[s.key] = s
            if s.subject not in fresh:
                events.append(_event(s, EventKind.RENOTIFIED, now, message_key))
        for s in sent_resolved:
            after[s.key] = s
        notifications.append(AlertNotification(message_key, rule, kind, now, sent_firing, fresh, sent_resolved))
        changed_groups.append(replace(group, last_notified_at=now))

    changed = tuple(s for k, s in sorted(after.items()) if before.get(k) != s)
    return EvaluationOutcome(changed, tuple(changed_groups), tuple(events), tuple(notifications))
