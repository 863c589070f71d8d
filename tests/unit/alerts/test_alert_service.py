"""AlertService on fakes with mock time: snapshot building, one transaction per evaluation, delivery after commit,
rule changes validated and audited."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from application.alerts.service import AlertService, RuleUpdate, UnknownRuleError
from application.delivery import DeliveryService
from application.messages import Channel
from domain.alerts.rules import InvalidRuleError
from domain.alerts.snapshot import ConnectorFreshness, SignalChange, VarLevel
from domain.delivery import RetrySchedule
from domain.risk.limits import RiskLimits
from tests.fakes import FixedClock, InMemoryUnitOfWork, RecordingNotifier

SP = ZoneInfo("America/Sao_Paulo")
MON = date(2026, 11, 23)
T0 = datetime(2026, 11, 24, 10, 0, tzinfo=SP)


@pytest.fixture
def desk() -> tuple[AlertService, InMemoryUnitOfWork, RecordingNotifier, RecordingNotifier]:
    return _desk(RiskLimits())


def _desk(limits: RiskLimits) -> tuple[AlertService, InMemoryUnitOfWork, RecordingNotifier, RecordingNotifier]:
    uow = InMemoryUnitOfWork()
    slack, email = RecordingNotifier(Channel.SLACK), RecordingNotifier(Channel.EMAIL)
    clock = FixedClock(T0)
    deliveries = DeliveryService(lambda: uow, [slack, email], clock, RetrySchedule(max_attempts=3, initial_seconds=30,
                                                                                  cap_seconds=60))
    uow.alert_metrics.connectors = [ConnectorFreshness(c, MON) for c in
                                    ("b3", "bcb_ptax", "bcb_sgs", "fred", "treasury", "yahoo")]
    uow.alert_metrics.agents = {a: MON for a in ("cross_asset", "fiscal", "fx", "inflation", "monetary")}
    service = AlertService(lambda: uow, deliveries, clock, base_url="http://desk.local", limits=limits)
    return service, uow, slack, email


def test_an_evaluation_locks_commits_once_and_sends_each_rule_message_on_both_channels(desk) -> None:
    service, uow, slack, email = desk
    uow.alert_metrics.var = [VarLevel(MON, 0.95, 3.5, 3.5e6), VarLevel(MON, 0.99, 4.0, 4e6)]
    report = service.evaluate(T0)
    assert uow.alerts.locks == 1
    assert [n.rule.id for n in report.notifications] == ["VAR_BREACH"]
    assert [m.email.subject for m in email.sent] == ["[macrodesk][WARNING] VAR_BREACH: VaR95 3.5% of NAV > 3.0%"]
    assert [m.key for m in slack.sent] == [m.key for m in email.sent]
    assert service.active()[0].notified_at == T0


def test_connectors_and_agents_missing_from_storage_are_reported_stale(desk) -> None:
    service, uow, _, _ = desk
    uow.alert_metrics.connectors = uow.alert_metrics.connectors[1:]  # b3 never ran
    uow.alert_metrics.agents.pop("fiscal")
    report = service.evaluate(T0)
    assert sorted((i.rule_id, i.subject) for i in report.firing) == [("AGENT_STALE", "fiscal"),
                                                                     ("STALE_DATA", "b3")]


def test_signal_events_outside_the_last_24_hours_of_open_market_are_left_out(desk) -> None:
    service, uow, _, _ = desk
    uow.alert_metrics.changes = [SignalChange(date(2026, 11, 19), "flip", "DOL", -0.1, 0.2),  # run Monday 06:00
                                 SignalChange(MON, "flip", "DI1", 0.1, -0.2)]  # run Tuesday 06:00
    report = service.evaluate(T0 + timedelta(hours=1))
    assert [i.subject for i in report.firing] == ["DI1"]


def test_rule_changes_are_validated_audited_and_no_op_changes_leave_no_trace(desk) -> None:
    service, uow, _, _ = desk
    with pytest.raises(InvalidRuleError) as too_high:
        service.update_rule("VAR_CRITICAL", RuleUpdate(threshold=300.0), changed_by="api")
    assert too_high.value.field == "threshold"
    with pytest.raises(InvalidRuleError, match="not configurable"):
        service.update_rule("PIPELINE_FAILURE", RuleUpdate(threshold=1.0), changed_by="api")
    with pytest.raises(UnknownRuleError):
        service.update_rule("VAR", RuleUpdate(enabled=False), changed_by="api")
    service.update_rule("VAR_CRITICAL", RuleUpdate(enabled=True, cooldown_minutes=30), changed_by="api")  # no change
    assert uow.alerts.changes == []
    rule = service.update_rule("VAR_CRITICAL", RuleUpdate(enabled=False), changed_by="api")
    assert rule.enabled is False
    [change] = service.audit("VAR_CRITICAL")
    assert (dict(change.old_values), dict(change.new_values)) == ({"enabled": True}, {"enabled": False})


def test_the_var_and_drawdown_thresholds_follow_the_limits_until_overridden_and_follow_again_on_request() -> None:
    service, uow, _, _ = _desk(RiskLimits(var95_nav=0.025, var99_nav=0.04, drawdown=0.08))
    thresholds = {r.id: r.threshold for r in service.rules()}
    # 2.5% and 4% of NAV for the VaR rules, the 8% drawdown limit and halfway to it for the warning.
    assert (thresholds["VAR_BREACH"], thresholds["VAR_CRITICAL"]) == (2.5, 4.0)
    assert (thresholds["DRAWDOWN_WARNING"], thresholds["DRAWDOWN_CRITICAL"]) == (4.0, 8.0)
    assert thresholds["STALE_DATA"] == 26.0  # restates no limit
    uow.alert_metrics.var = [VarLevel(MON, 0.95, 2.6, 2.6e6), VarLevel(MON, 0.99, 3.0, 3e6)]
    assert [i.rule_id for i in service.evaluate(T0, dispatch=False).firing] == ["VAR_BREACH"]  # 2.6% > 2.5%

    overridden = service.update_rule("VAR_BREACH", RuleUpdate(threshold=2.8), changed_by="api")
    assert (overridden.threshold, overridden.follows_limit) == (2.8, False)
    [change] = service.audit("VAR_BREACH")
    assert dict(change.old_values) == {"threshold": 2.5, "follows_limit": True}
    assert dict(change.new_values) == {"threshold": 2.8, "follows_limit": False}
    assert service.defaults()["VAR_BREACH"].threshold == 2.5

    back = service.update_rule("VAR_BREACH", RuleUpdate(follow_limit=True), changed_by="api")
    assert (back.threshold, back.follows_limit) == (2.5, True)
    with pytest.raises(InvalidRuleError) as both:
        service.update_rule("VAR_BREACH", RuleUpdate(threshold=2.0, follow_limit=True), changed_by="api")
    assert both.value.field == "threshold"
    with pytest.raises(InvalidRuleError) as unlinked:
        service.update_rule("STALE_DATA", RuleUpdate(follow_limit=True), changed_by="api")
    assert unlinked.value.field == "follow_limit"
