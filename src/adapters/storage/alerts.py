"""Alert rules, rule groups, per-key states, events, silences and the rule audit log."""

import json
from collections.abc import Sequence
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, insert, select, update

from adapters.storage.instants import utc
from adapters.storage.tables import (
    AlertEventRow,
    AlertGroupRow,
    AlertRuleAuditRow,
    AlertRuleRow,
    AlertSilenceRow,
    AlertStateRow,
)
from adapters.storage.upsert import upsert_rows
from application.ports import RuleChange
from domain.alerts.lifecycle import AlertEvent, AlertState, AlertStatus, EventKind, Mute, RuleGroup, Silence
from domain.alerts.rules import AlertRule, Comparison, RuleId, Severity, ThresholdUnit

_R = AlertRuleRow.__table__
_G = AlertGroupRow.__table__
_S = AlertStateRow.__table__
_E = AlertEventRow.__table__
_X = AlertSilenceRow.__table__
_A = AlertRuleAuditRow.__table__
_ORDER = {rule_id: i for i, rule_id in enumerate(RuleId)}


def _rule(row: Any) -> AlertRule:
    return AlertRule(RuleId(row.rule_id), row.description, Severity(row.severity), Comparison(row.comparison),
                     row.threshold, ThresholdUnit(row.unit), bool(row.enabled),
                     timedelta(minutes=row.cooldown_minutes), bool(row.follows_limit))


def _state(row: Any) -> AlertState:
    since = utc(row.since)
    updated = utc(row.updated_at)
    assert since is not None and updated is not None
    return AlertState(RuleId(row.rule_id), row.subject, AlertStatus(row.status), row.value, row.threshold,
                      row.message, since, updated, utc(row.notified_at),
                      Mute(row.muted) if row.muted else None, utc(row.resolved_at),
                      bool(row.resolution_announced))


def _silence(row: Any) -> Silence:
    starts, ends = utc(row.starts_at), utc(row.ends_at)
    assert starts is not None and ends is not None
    return Silence(row.id, RuleId(row.rule_id), row.subject, starts, ends, row.reason, row.created_by)


class SqlAlchemyAlertRepository:
    """The alert tables over one connection (the unit of work's transaction)."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def lock(self, now: datetime) -> None:
        """Write every group row first: PostgreSQL holds the row locks, SQLite the write lock, until commit."""
        self._connection.execute(update(_G).values(last_evaluated_at=utc(now)))

    def rules(self) -> list[AlertRule]:
        """The rules in the canonical order of :class:`RuleId`."""
        rules = [_rule(r) for r in self._connection.execute(select(_R))]
        return sorted(rules, key=lambda r: _ORDER[r.id])

    def rule(self, rule_id: RuleId) -> AlertRule | None:
        """One rule, or None."""
        row = self._connection.execute(select(_R).where(_R.c.rule_id == str(rule_id))).first()
        return _rule(row) if row is not None else None

    def save_rule(self, rule: AlertRule, change: RuleChange) -> None:
        """Update the rule's settings and append the audit entry (same transaction)."""
        self._connection.execute(update(_R).where(_R.c.rule_id == str(rule.id)).values(
            threshold=rule.threshold, enabled=rule.enabled, follows_limit=rule.follows_limit,
            cooldown_minutes=int(rule.cooldown.total_seconds() // 60),
            updated_at=utc(change.changed_at), updated_by=change.changed_by))
        self._connection.execute(insert(_A).values(
            rule_id=str(change.rule_id), changed_at=utc(change.changed_at), changed_by=change.changed_by,
            old_values=json.dumps(dict(change.old_values), sort_keys=True),
            new_values=json.dumps(dict(change.new_values), sort_keys=True)))

    def audit(self, rule_id: RuleId | None = None, limit: int = 100) -> list[RuleChange]:
        """Rule changes, newest first."""
        stmt = select(_A).order_by(_A.c.id.desc()).limit(limit)
        if rule_id is not None:
            stmt = stmt.where(_A.c.rule_id == str(rule_id))
        out = []
        for r in self._connection.execute(stmt):
            changed_at = utc(r.changed_at)
            assert changed_at is not None
            out.append(RuleChange(RuleId(r.rule_id), changed_at, r.changed_by, json.loads(r.old_values),
                                  json.loads(r.new_values)))
        return out

    def states(self, status: AlertStatus | None = None) -> list[AlertState]:
        """Every (rule, subject) state, or those with ``status``."""
        stmt = select(_S).order_by(_S.c.rule_id, _S.c.subject)
        if status is not None:
            stmt = stmt.where(_S.c.status == str(status))
        return [_state(r) for r in self._connection.execute(stmt)]

    def save_states(self, states: Sequence[AlertState]) -> None:
        """Insert or replace by (rule, subject)."""
        upsert_rows(self._connection, _S, [{
            "rule_id": str(s.rule_id), "subject": s.subject, "status": str(s.status), "value": s.value,
            "threshold": s.threshold, "message": s.message, "since": utc(s.since), "updated_at": utc(s.updated_at),
            "notified_at": utc(s.notified_at) if s.notified_at else None,
            "muted": str(s.muted) if s.muted else None,
            "resolved_at": utc(s.resolved_at) if s.resolved_at else None,
            "resolution_announced": s.resolution_announced} for s in states], ["rule_id", "subject"])

    def groups(self) -> list[RuleGroup]:
        """Every rule's notification state."""
        return [RuleGroup(RuleId(r.rule_id), utc(r.last_notified_at)) for r in self._connection.execute(select(_G))]

    def save_groups(self, groups: Sequence[RuleGroup]) -> None:
        """Record each rule's last message time."""
        for g in groups:
            self._connection.execute(update(_G).where(_G.c.rule_id == str(g.rule_id)).values(
                last_notified_at=utc(g.last_notified_at) if g.last_notified_at else None))

    def add_events(self, events: Sequence[AlertEvent]) -> None:
        """Append to the history."""
        if events:
            self._connection.execute(insert(_E), [{
                "rule_id": str(e.rule_id), "subject": e.subject, "kind": str(e.kind), "at": utc(e.at),
                "value": e.value, "threshold": e.threshold, "message": e.message,
                "notification_key": e.notification_key} for e in events])

    def events(self, *, rule_id: RuleId | None = None, kind: EventKind | None = None,
               since: datetime | None = None, limit: int = 100) -> list[AlertEvent]:
        """History, newest first."""
        stmt = select(_E).order_by(_E.c.at.desc(), _E.c.id.desc()).limit(limit)
        if rule_id is not None:
            stmt = stmt.where(_E.c.rule_id == str(rule_id))
        if kind is not None:
            stmt = stmt.where(_E.c.kind == str(kind))
        if since is not None:
            stmt = stmt.where(_E.c.at >= utc(since))
        out = []
        for r in self._connection.execute(stmt):
            at = utc(r.at)
            assert at is not None
            out.append(AlertEvent(RuleId(r.rule_id), r.subject, EventKind(r.kind), at, r.value, r.threshold,
                                  r.message, r.notification_key))
        return out

    def silences(self, *, active_at: datetime | None = None) -> list[Silence]:
        """Unexpired silences, or only those in force at ``active_at``."""
        stmt = select(_X).where(_X.c.expired_at.is_(None)).order_by(_X.c.starts_at, _X.c.id)
        if active_at is not None:
            stmt = stmt.where(_X.c.starts_at <= utc(active_at), _X.c.ends_at > utc(active_at))
        return [_silence(r) for r in self._connection.execute(stmt)]

    def add_silence(self, rule_id: RuleId, subject: str | None, starts_at: datetime, ends_at: datetime,
                    reason: str, created_by: str, created_at: datetime) -> Silence:
        """Store a silence and return it with its id."""
        result = self._connection.execute(insert(_X).values(
            rule_id=str(rule_id), subject=subject, starts_at=utc(starts_at), ends_at=utc(ends_at), reason=reason,
            created_by=created_by, created_at=utc(created_at)).returning(_X.c.id))
        silence_id = int(result.scalar_one())
        return Silence(silence_id, rule_id, subject, starts_at, ends_at, reason, created_by)

    def expire_silence(self, silence_id: int, at: datetime) -> Silence | None:
        """Expire an unexpired silence (it ends at ``at`` if it was still running)."""
        row = self._connection.execute(select(_X).where(_X.c.id == silence_id, _X.c.expired_at.is_(None))).first()
        if row is None:
            return None
        self._connection.execute(update(_X).where(_X.c.id == silence_id).values(expired_at=utc(at)))
        return _silence(row).expired(utc(at))
