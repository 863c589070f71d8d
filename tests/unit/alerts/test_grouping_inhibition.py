"""Grouping per rule within the cooldown, inhibition of the milder rule for the same book, and silences."""

from datetime import date

from domain.alerts.lifecycle import AlertStatus, EventKind, Mute, NotificationKind, Silence
from domain.alerts.rules import RuleId
from domain.alerts.snapshot import ConnectorFreshness, DrawdownLevel, VarLevel
from tests.unit.alerts.desk import CONNECTORS, T0, Desk, calm, minutes

MON, THU = date(2026, 11, 23), date(2026, 11, 19)


def _stale(*names: str):
    return tuple(ConnectorFreshness(c, THU if c in names else MON) for c in CONNECTORS)


def test_six_stale_connectors_make_one_message_listing_each_with_its_age() -> None:
    desk = Desk()
    [n] = desk.run(calm(T0, connectors=_stale(*CONNECTORS)))
    assert n.rule.id is RuleId.STALE_DATA and n.kind is NotificationKind.FIRING
    assert [s.subject for s in n.firing] == list(CONNECTORS)
    assert all(s.value == 28.0 for s in n.firing)
    assert n.headline == "6 subjects firing: b3; bcb_ptax; bcb_sgs; fred; treasury; yahoo"


def test_a_subject_that_starts_firing_inside_the_window_goes_out_in_the_rules_next_message() -> None:
    desk = Desk()
    desk.run(calm(T0, connectors=_stale("b3")))
    assert desk.run(calm(T0 + minutes(10), connectors=_stale("b3", "fred"))) == []
    assert desk.states[(RuleId.STALE_DATA, "fred")].status is AlertStatus.FIRING
    [second] = desk.run(calm(T0 + minutes(30), connectors=_stale("b3", "fred")))
    assert second.kind is NotificationKind.FIRING and second.new == frozenset({"fred"})
    assert [s.subject for s in second.firing] == ["b3", "fred"]


def test_a_resolution_is_announced_with_the_subjects_still_firing() -> None:
    desk = Desk()
    desk.run(calm(T0, connectors=_stale("b3", "fred")))
    assert desk.run(calm(T0 + minutes(5), connectors=_stale("fred"))) == []
    [n] = desk.run(calm(T0 + minutes(30), connectors=_stale("fred")))
    assert n.kind is NotificationKind.RENOTIFY
    assert [s.subject for s in n.firing] == ["fred"] and [s.subject for s in n.resolved] == ["b3"]


def test_var_critical_inhibits_var_breach_for_the_same_book_until_it_resolves() -> None:
    desk = Desk()
    both = (VarLevel(MON, 0.95, 4.0, 4e6), VarLevel(MON, 0.99, 6.0, 6e6))
    sent = desk.run(calm(T0, var=both))
    assert [n.rule.id for n in sent] == [RuleId.VAR_CRITICAL]
    breach = desk.states[(RuleId.VAR_BREACH, "book")]
    assert breach.status is AlertStatus.FIRING and breach.muted is Mute.INHIBITED and breach.notified_at is None
    assert [e.kind for e in desk.events if e.rule_id is RuleId.VAR_BREACH] == [EventKind.INHIBITED]
    # VaR99 falls below 5% while VaR95 stays above 3%: the breach is no longer inhibited and goes out.
    [n] = desk.run(calm(T0 + minutes(5), var=(VarLevel(MON, 0.95, 4.0, 4e6), VarLevel(MON, 0.99, 4.5, 4.5e6))))
    assert n.rule.id is RuleId.VAR_BREACH and n.firing[0].message == "VaR95 4.0% of NAV > 3.0%"


def test_drawdown_critical_inhibits_drawdown_warning() -> None:
    desk = Desk()
    sent = desk.run(calm(T0, drawdown=DrawdownLevel(MON, 12.0, 88e6, 100e6)))
    assert [n.rule.id for n in sent] == [RuleId.DRAWDOWN_CRITICAL]
    assert desk.states[(RuleId.DRAWDOWN_WARNING, "book")].muted is Mute.INHIBITED


def test_a_silenced_alert_is_recorded_as_suppressed_and_fires_when_the_silence_ends() -> None:
    desk = Desk(silences=[Silence(1, RuleId.STALE_DATA, "b3", T0 - minutes(1), T0 + minutes(45), "B3 maintenance")])
    assert desk.run(calm(T0, connectors=_stale("b3"))) == []
    assert [e.kind for e in desk.events] == [EventKind.SUPPRESSED]
    assert desk.run(calm(T0 + minutes(40), connectors=_stale("b3"))) == []
    [n] = desk.run(calm(T0 + minutes(45), connectors=_stale("b3")))
    assert n.kind is NotificationKind.FIRING and [s.subject for s in n.firing] == ["b3"]


def test_a_silence_of_one_subject_leaves_the_others_of_the_rule_firing() -> None:
    desk = Desk(silences=[Silence(1, RuleId.STALE_DATA, "b3", T0 - minutes(1), T0 + minutes(60), "known")])
    [n] = desk.run(calm(T0, connectors=_stale("b3", "fred")))
    assert [s.subject for s in n.firing] == ["fred"]
