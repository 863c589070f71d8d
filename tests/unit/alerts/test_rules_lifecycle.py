"""Each of the ten rules fires, stays quiet, re-notifies after its cooldown and resolves; values in the message."""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

import pytest

from domain.alerts.lifecycle import AlertStatus, EventKind, NotificationKind
from domain.alerts.rules import RuleId
from domain.alerts.snapshot import (
    ConnectorFreshness,
    DrawdownLevel,
    FailedAsset,
    LimitUtilisation,
    MetricsSnapshot,
    SignalChange,
    VarLevel,
)
from tests.unit.alerts.desk import AGENTS, CONNECTORS, T0, Desk, calm, minutes

MON, THU = date(2026, 11, 23), date(2026, 11, 19)


@dataclass(frozen=True)
class Case:
    rule: RuleId
    firing: Callable[[datetime], MetricsSnapshot]
    subject: str
    message: str  # the instance message at T0
    value: float | None


def _stale_connector(now: datetime) -> MetricsSnapshot:
    rows = tuple(ConnectorFreshness(c, THU if c == "b3" else MON, THU, "HTTP 503 for /b3 after 4 attempts"
                                    if c == "b3" else None) for c in CONNECTORS)
    return calm(now, connectors=rows)


def _stale_agent(now: datetime) -> MetricsSnapshot:
    from domain.alerts.snapshot import AgentFreshness
    return calm(now, agents=tuple(AgentFreshness(a, THU if a == "fiscal" else MON) for a in AGENTS))


CASES = [
    # Thursday's data was processed Monday 06:00: by Tuesday 10:00 it is 28 h of open market old.
    Case(RuleId.STALE_DATA, _stale_connector, "b3",
         "b3: data for 2026-11-19 is 28.0 h old > 26 h (latest observation 2026-11-19); "
         "last error: HTTP 503 for /b3 after 4 attempts", 28.0),
    Case(RuleId.VAR_BREACH, lambda now: calm(now, var=(VarLevel(MON, 0.95, 3.4, 3.4e6), VarLevel(MON, 0.99, 4.6,
                                                                                                4.6e6))),
         "book", "VaR95 3.4% of NAV > 3.0%", 3.4),
    Case(RuleId.VAR_CRITICAL, lambda now: calm(now, var=(VarLevel(MON, 0.95, 2.9, 2.9e6),
                                                         VarLevel(MON, 0.99, 5.4, 5.4e6))),
         "book", "VaR99 5.4% of NAV > 5.0%", 5.4),
    Case(RuleId.DRAWDOWN_WARNING, lambda now: calm(now, drawdown=DrawdownLevel(MON, 6.2, 93.8e6, 100e6)),
         "book", "drawdown 6.2% from peak > 5.0% (NAV 93,800,000 vs peak 100,000,000 on 2026-11-23)", 6.2),
    Case(RuleId.DRAWDOWN_CRITICAL, lambda now: calm(now, drawdown=DrawdownLevel(MON, 11.0, 89e6, 100e6)),
         "book", "drawdown 11.0% from peak > 10.0% (NAV 89,000,000 vs peak 100,000,000 on 2026-11-23)", 11.0),
    Case(RuleId.LIMIT_BREACH, lambda now: calm(now, limits=(
        LimitUtilisation(MON, "single_position", "DI1F27", 0.26, 0.25, 104.0),
        LimitUtilisation(MON, "gross_leverage", "book", 1.5, 3.0, 50.0))),
         "single_position", "single_position on DI1F27: utilisation 104% >= 100% (value 0.26 vs limit 0.25, "
         "2026-11-23)", 104.0),
    Case(RuleId.SIGNAL_FLIP, lambda now: calm(now, signal_changes=(SignalChange(MON, "flip", "DI1", -0.21, 0.18),)),
         "DI1", "DI1 flipped short -> long (-0.21 -> +0.18) on 2026-11-23; 1 flip(s) in 24 h >= 1", 1.0),
    Case(RuleId.CONVICTION_SURGE, lambda now: calm(now, signal_changes=(
        SignalChange(MON, "conviction_surge", "DOL", 0.10, 0.52),)),
         "DOL", "DOL conviction +0.42 (+0.10 -> +0.52) on 2026-11-23 > 0.3", 0.42),
    Case(RuleId.PIPELINE_FAILURE, lambda now: calm(now, latest_run_id="run-7", failed_assets=(
        FailedAsset("run-7", "bronze_b3", MON, "SourceUnavailableError: b3: HTTP 503"),)),
         "bronze_b3", "bronze_b3 failed for 2026-11-23 in run run-7: SourceUnavailableError: b3: HTTP 503", 1.0),
    Case(RuleId.AGENT_STALE, _stale_agent, "fiscal", "fiscal: output for 2026-11-19 is 28.0 h old > 26 h", 28.0),
]


def _mine(desk: Desk, rule: RuleId) -> list:
    return [n for n in desk.sent if n.rule.id == rule]


@pytest.mark.parametrize("case", CASES, ids=[str(c.rule) for c in CASES])
def test_each_rule_fires_is_quiet_within_cooldown_renotifies_after_it_and_resolves(case: Case) -> None:
    desk = Desk()
    assert desk.run(calm(T0 - minutes(60))) == []  # a calm desk sends nothing

    [first] = desk.run(case.firing(T0))
    assert first.rule.id is case.rule and first.kind is NotificationKind.FIRING
    [state] = first.firing
    assert (state.subject, state.message) == (case.subject, case.message)
    assert state.value == pytest.approx(case.value)
    assert first.new == frozenset({case.subject})

    assert desk.run(case.firing(T0 + minutes(10))) == []  # inside the 30-minute cooldown
    assert desk.run(case.firing(T0 + minutes(29))) == []

    [again] = desk.run(case.firing(T0 + minutes(30)))
    assert again.kind is NotificationKind.RENOTIFY and [s.subject for s in again.firing] == [case.subject]
    assert again.new == frozenset()

    assert desk.run(calm(T0 + minutes(35))) == []  # resolved, announced in the rule's next window
    assert desk.states[(case.rule, case.subject)].status is AlertStatus.RESOLVED
    [done] = desk.run(calm(T0 + minutes(60)))
    assert done.kind is NotificationKind.RESOLVED and [s.subject for s in done.resolved] == [case.subject]
    assert desk.run(calm(T0 + minutes(120))) == []  # nothing left to say

    kinds = [e.kind for e in desk.events if e.rule_id is case.rule]
    assert kinds == [EventKind.FIRED, EventKind.RENOTIFIED, EventKind.RESOLVED]


@pytest.mark.parametrize("case", CASES, ids=[str(c.rule) for c in CASES])
def test_a_disabled_rule_does_not_fire(case: Case) -> None:
    desk = Desk()
    rule = next(r for r in desk.rules if r.id is case.rule)
    desk.set_rule(rule.configured(enabled=False))
    desk.run(case.firing(T0))
    assert _mine(desk, case.rule) == [] and not any(e.rule_id is case.rule for e in desk.events)


def test_values_just_at_the_threshold_follow_the_rule_comparison() -> None:
    desk = Desk()
    at_var = calm(T0, var=(VarLevel(MON, 0.95, 3.0, 3e6), VarLevel(MON, 0.99, 5.0, 5e6)))
    at_limit = calm(T0, limits=(LimitUtilisation(MON, "var99", "book", 0.05, 0.05, 100.0),))
    assert desk.run(at_var) == []  # VaR rules are strict '>'
    assert [n.rule.id for n in desk.run(at_limit)] == [RuleId.LIMIT_BREACH]  # limits fire at '>= 100%'


def test_a_lowered_threshold_makes_the_next_evaluation_fire() -> None:
    desk = Desk()
    snapshot = calm(T0, var=(VarLevel(MON, 0.95, 2.5, 2.5e6), VarLevel(MON, 0.99, 4.0, 4e6)))
    assert desk.run(snapshot) == []
    rule = next(r for r in desk.rules if r.id is RuleId.VAR_BREACH)
    desk.set_rule(rule.configured(threshold=2.0))
    [n] = desk.run(calm(T0 + minutes(5), var=snapshot.var))
    assert n.firing[0].message == "VaR95 2.5% of NAV > 2.0%"


def test_signal_flips_below_the_count_threshold_do_not_fire() -> None:
    desk = Desk()
    rule = next(r for r in desk.rules if r.id is RuleId.SIGNAL_FLIP)
    desk.set_rule(rule.configured(threshold=3))
    flips = tuple(SignalChange(MON, "flip", g, -0.1, 0.1) for g in ("DI1", "DOL"))
    assert desk.run(calm(T0, signal_changes=flips)) == []
    three = (*flips, SignalChange(MON, "flip", "IND", 0.2, -0.1))
    [n] = desk.run(calm(T0 + minutes(1), signal_changes=three))
    assert [s.subject for s in n.firing] == ["DI1", "DOL", "IND"] and {s.value for s in n.firing} == {3.0}


def test_the_seeded_var_and_drawdown_thresholds_are_the_default_limits_restated() -> None:
    from domain.alerts.rules import DEFAULT_RULES, LIMIT_LINKS, following
    from domain.risk.limits import RiskLimits
    from entrypoints.settings import Settings

    assert following(DEFAULT_RULES, RiskLimits()) == list(DEFAULT_RULES)
    assert {r.id for r in DEFAULT_RULES if r.follows_limit} == set(LIMIT_LINKS)
    settings = Settings()  # the settings' defaults are the limits the seeds give
    assert (settings.limit_var95_nav, settings.limit_var99_nav, settings.limit_drawdown) == (0.03, 0.05, 0.10)
    # A limit above 100% of NAV cannot become a percent-of-NAV threshold.
    with pytest.raises(ValueError, match=r"VAR_CRITICAL\.threshold"):
        following(DEFAULT_RULES, RiskLimits(var99_nav=1.5))
