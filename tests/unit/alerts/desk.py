"""A test desk: runs evaluate + advance over snapshots, keeping the state the way the service persists it."""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

from domain.alerts.evaluation import evaluate
from domain.alerts.lifecycle import AlertEvent, AlertNotification, AlertState, RuleGroup, Silence, advance
from domain.alerts.rules import DEFAULT_RULES, AlertRule, RuleId
from domain.alerts.snapshot import (
    AgentFreshness,
    ConnectorFreshness,
    DrawdownLevel,
    LimitUtilisation,
    MetricsSnapshot,
    VarLevel,
)

SP = ZoneInfo("America/Sao_Paulo")
# Tuesday 24 November 2026, 10:00 in São Paulo: Monday's session was processed at 06:00.
T0 = datetime(2026, 11, 24, 10, 0, tzinfo=SP)
CONNECTORS = ("b3", "bcb_ptax", "bcb_sgs", "fred", "treasury", "yahoo")
AGENTS = ("cross_asset", "fiscal", "fx", "inflation", "monetary")


def calm(now: datetime, **changes: object) -> MetricsSnapshot:
    """A desk where nothing fires at ``now`` (T0 or up to a day later): fresh data, low risk, clean run."""
    fresh = date(2026, 11, 23)
    base: dict[str, object] = dict(
        connectors=tuple(ConnectorFreshness(c, fresh, fresh) for c in CONNECTORS),
        agents=tuple(AgentFreshness(a, fresh) for a in AGENTS),
        var=(VarLevel(fresh, 0.95, 1.2, 1.2e6), VarLevel(fresh, 0.99, 2.0, 2.0e6)),
        drawdown=DrawdownLevel(fresh, 1.0, 99e6, 100e6),
        limits=(LimitUtilisation(fresh, "var99", "book", 0.02, 0.05, 40.0),
                LimitUtilisation(fresh, "gross_leverage", "book", 1.5, 3.0, 50.0)),
        signal_changes=(), failed_assets=(), latest_run_id="run-ok")
    base.update(changes)
    return MetricsSnapshot(as_of=now, **base)  # type: ignore[arg-type]


@dataclass
class Desk:
    """Evaluates and advances like ``AlertService.evaluate`` does, in memory."""

    rules: list[AlertRule] = field(default_factory=lambda: list(DEFAULT_RULES))
    states: dict[tuple[RuleId, str], AlertState] = field(default_factory=dict)
    groups: dict[RuleId, RuleGroup] = field(default_factory=dict)
    silences: list[Silence] = field(default_factory=list)
    events: list[AlertEvent] = field(default_factory=list)
    sent: list[AlertNotification] = field(default_factory=list)

    def run(self, snapshot: MetricsSnapshot) -> list[AlertNotification]:
        outcome = advance(self.rules, evaluate(self.rules, snapshot), self.states.values(), self.groups.values(),
                          self.silences, snapshot.as_of)
        self.states.update({s.key: s for s in outcome.states})
        self.groups.update({g.rule_id: g for g in outcome.groups})
        self.events.extend(outcome.events)
        self.sent.extend(outcome.notifications)
        return list(outcome.notifications)

    def set_rule(self, rule: AlertRule) -> None:
        self.rules = [rule if r.id == rule.id else r for r in self.rules]


def minutes(n: float) -> timedelta:
    return timedelta(minutes=n)
