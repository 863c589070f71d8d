"""Alerting use cases: evaluate the rules, keep their state, queue and dispatch the messages, manage rules and
silences at runtime.

``evaluate`` persists alert states, events and the queued deliveries in ONE transaction (under a lock that
serialises concurrent evaluations), then dispatches after the commit: a crash between the two leaves the
deliveries pending, and the next evaluation (or any dispatcher) sends them.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Protocol

from application.alerts.messages import alert_message, probe_message
from application.errors import NotFoundError
from application.messages import Channel, Delivery, OutboundMessage
from application.ports import AssetRun, Clock, RuleChange, UnitOfWork
from domain.agents.outputs import AGENTS
from domain.alerts.evaluation import AlertInstance, evaluate, in_signal_window
from domain.alerts.lifecycle import (
    AlertEvent,
    AlertNotification,
    AlertState,
    AlertStatus,
    EventKind,
    Silence,
    advance,
)
from domain.alerts.rules import DEFAULT_RULES, AlertRule, InvalidRuleError, RuleId, following
from domain.alerts.snapshot import AgentFreshness, ConnectorFreshness, MetricsSnapshot
from domain.market.bronze import Connector
from domain.risk.limits import RiskLimits

_SIGNAL_LOOKBACK = timedelta(days=10)  # covers the longest B3 closure (Carnival plus a weekend) before 24 h


class AlertDeliveries(Protocol):
    """What alerting needs from the delivery service: queue inside our transaction, dispatch after commit."""

    def enqueue_in(self, uow: UnitOfWork, message: OutboundMessage, channels: Sequence[Channel] | None = None, *,
                   force: bool = False) -> list[Delivery]: ...

    def dispatch_pending(self) -> object: ...

    def deliver(self, message: OutboundMessage, channels: Sequence[Channel] | None = None, *,
                force: bool = False) -> list[Delivery]: ...


class UnknownRuleError(NotFoundError):
    """No rule has this id."""


class UnknownSilenceError(NotFoundError):
    """No unexpired silence has this id."""


@dataclass(frozen=True, slots=True)
class EvaluationReport:
    """What one evaluation did."""

    at: datetime
    firing: tuple[AlertInstance, ...]
    events: tuple[AlertEvent, ...]
    notifications: tuple[AlertNotification, ...]

    @property
    def sent_keys(self) -> tuple[str, ...]:
        """Keys of the messages queued by this evaluation."""
        return tuple(n.key for n in self.notifications)


@dataclass(frozen=True, slots=True)
class RuleUpdate:
    """A validated change request; None leaves a setting as it is."""

    enabled: bool | None = None
    threshold: float | None = None
    cooldown_minutes: int | None = None
    follow_limit: bool | None = None


def _settings(rule: AlertRule) -> dict[str, object]:
    return {"enabled": rule.enabled, "threshold": rule.threshold,
            "cooldown_minutes": int(rule.cooldown.total_seconds() // 60), "follows_limit": rule.follows_limit}


class AlertService:
    """Evaluates the ten rules over the stored figures and manages rules, silences and history.

    The VaR and drawdown rules that follow a limit take their thresholds from ``limits`` (the one settings-backed
    definition the optimiser, the checks and the limit evaluation read) each time rules are read.
    """

    def __init__(self, uow: Callable[[], UnitOfWork], deliveries: AlertDeliveries, clock: Clock, *,
                 base_url: str, limits: RiskLimits) -> None:
        self._uow = uow
        self._deliveries = deliveries
        self._clock = clock
        self._base_url = base_url
        self._limits = limits

    # evaluation -----------------------------------------------------------------------------------------------

    def _snapshot(self, uow: UnitOfWork, now: datetime) -> MetricsSnapshot:
        metrics = uow.alert_metrics
        seen = {c.connector: c for c in metrics.connector_freshness()}
        # A connector that never ran is as stale as one that never succeeded: list every connector.
        connectors = tuple(seen.get(str(c), ConnectorFreshness(str(c), None)) for c in Connector)
        outputs = metrics.agent_freshness()
        agents = tuple(AgentFreshness(a, outputs.get(a)) for a in sorted(set(AGENTS) | set(outputs)))
        local_day = now.date()
        changes = tuple(c for c in metrics.signal_changes(local_day - _SIGNAL_LOOKBACK)
                        if in_signal_window(c.session, now))
        run_id, failed = metrics.latest_run_failures()
        return MetricsSnapshot(as_of=now, connectors=connectors, agents=agents, var=tuple(metrics.latest_var()),
                               drawdown=metrics.latest_drawdown(), limits=tuple(metrics.latest_limits()),
                               signal_changes=changes, failed_assets=tuple(failed), latest_run_id=run_id)

    def evaluate(self, now: datetime | None = None, *, run_outcomes: Sequence[AssetRun] = (),
                 dispatch: bool = True) -> EvaluationReport:
        """Evaluate every enabled rule at ``now`` (default: the clock), persist, queue messages, then dispatch.

        ``run_outcomes`` (a finished run's asset outcomes) are recorded first, idempotently, in the same
        transaction, so the after-run evaluation sees the run whichever sensor the daemon ticks first.
        """
        now = now or self._clock.now()
        with self._uow() as uow:
            uow.alerts.lock(now)
            for asset_run in run_outcomes:
                uow.pipeline_runs.record_asset(asset_run)
            rules = following(uow.alerts.rules(), self._limits)
            instances = evaluate(rules, self._snapshot(uow, now))
            outcome = advance(rules, instances, uow.alerts.states(), uow.alerts.groups(),
                              uow.alerts.silences(active_at=now), now)
            uow.alerts.save_states(outcome.states)
            uow.alerts.save_groups(outcome.groups)
            uow.alerts.add_events(outcome.events)
            for notification in outcome.notifications:
                self._deliveries.enqueue_in(uow, alert_message(notification, base_url=self._base_url))
            uow.commit()
        if dispatch:
            self._deliveries.dispatch_pending()
        return EvaluationReport(now, tuple(instances), outcome.events, outcome.notifications)

    def dispatch(self) -> object:
        """Send every queued delivery that is due (what a restart does first)."""
        return self._deliveries.dispatch_pending()

    def send_test(self, *, requested_by: str, channels: Sequence[Channel] | None = None) -> list[Delivery]:
        """Send a test alert to every channel now; returns each channel's delivery row."""
        message = probe_message(self._clock.now(), base_url=self._base_url, requested_by=requested_by)
        return self._deliveries.deliver(message, channels)

    # rules ----------------------------------------------------------------------------------------------------

    def rules(self) -> list[AlertRule]:
        """The ten rules as configured now."""
        with self._uow() as uow:
            return following(uow.alerts.rules(), self._limits)

    def defaults(self) -> dict[RuleId, AlertRule]:
        """The seeded configuration of each rule, its limit-following thresholds set from the limits in force."""
        return {r.id: r for r in following(DEFAULT_RULES, self._limits)}

    def rule(self, rule_id: str) -> AlertRule:
        """One rule; raises :class:`UnknownRuleError`."""
        parsed = self._rule_id(rule_id)
        with self._uow() as uow:
            rule = uow.alerts.rule(parsed)
        if rule is None:
            raise UnknownRuleError(f"no alert rule {rule_id}")
        return following([rule], self._limits)[0]

    @staticmethod
    def _rule_id(rule_id: str) -> RuleId:
        try:
            return RuleId(rule_id)
        except ValueError:
            raise UnknownRuleError(f"no alert rule {rule_id!r}; rules: {', '.join(RuleId)}") from None

    def update_rule(self, rule_id: str, change: RuleUpdate, *, changed_by: str) -> AlertRule:
        """Apply ``change`` and audit it in one transaction; a no-op change is not audited.

        Raises :class:`UnknownRuleError` or :class:`InvalidRuleError` (nothing changed, nothing audited).
        """
        parsed = self._rule_id(rule_id)
        with self._uow() as uow:
            stored = uow.alerts.rule(parsed)
            if stored is None:
                raise UnknownRuleError(f"no alert rule {rule_id}")
            old = following([stored], self._limits)[0]
            if change.threshold is not None and old.threshold is None:
                raise InvalidRuleError(parsed, "threshold", "is not configurable for this rule")
            cooldown = None if change.cooldown_minutes is None else timedelta(minutes=change.cooldown_minutes)
            new = following([old.configured(enabled=change.enabled, threshold=change.threshold, cooldown=cooldown,
                                            follow_limit=change.follow_limit)], self._limits)[0]
            before, after = _settings(old), _settings(new)
            diff_old = {k: v for k, v in before.items() if after[k] != v}
            if diff_old:
                uow.alerts.save_rule(new, RuleChange(parsed, self._clock.now(), changed_by, diff_old,
                                                     {k: after[k] for k in diff_old}))
                uow.commit()
            return new

    def audit(self, rule_id: str | None = None, limit: int = 100) -> list[RuleChange]:
        """Rule changes, newest first."""
        parsed = self._rule_id(rule_id) if rule_id is not None else None
        with self._uow() as uow:
            return uow.alerts.audit(parsed, limit)

    # history, silences ----------------------------------------------------------------------------------------

    def history(self, *, rule_id: str | None = None, kind: EventKind | None = None, since: datetime | None = None,
                limit: int = 100) -> list[AlertEvent]:
        """Alert events, newest first."""
        parsed = self._rule_id(rule_id) if rule_id is not None else None
        with self._uow() as uow:
            return uow.alerts.events(rule_id=parsed, kind=kind, since=since, limit=limit)

    def active(self) -> list[AlertState]:
        """Every alert firing now (muted ones included, with why)."""
        with self._uow() as uow:
            return uow.alerts.states(AlertStatus.FIRING)

    def silences(self) -> list[Silence]:
        """Unexpired silences."""
        with self._uow() as uow:
            return uow.alerts.silences()

    def add_silence(self, rule_id: str, subject: str | None, starts_at: datetime, ends_at: datetime, reason: str,
                    *, created_by: str) -> Silence:
        """Mute (rule, subject or all subjects) during [starts_at, ends_at)."""
        parsed = self._rule_id(rule_id)
        if ends_at <= starts_at:
            raise InvalidRuleError(parsed, "end", "must be after start")
        with self._uow() as uow:
            silence = uow.alerts.add_silence(parsed, subject, starts_at, ends_at, reason, created_by,
                                             self._clock.now())
            uow.commit()
        return silence

    def expire_silence(self, silence_id: int) -> Silence:
        """End a silence now; raises :class:`UnknownSilenceError`."""
        with self._uow() as uow:
            silence = uow.alerts.expire_silence(silence_id, self._clock.now())
            if silence is None:
                raise UnknownSilenceError(f"no unexpired silence {silence_id}")
            uow.commit()
        return silence
