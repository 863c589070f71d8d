"""Staleness on the B3 calendar: no alert over weekends, holidays, Carnival or before Monday's run; a missed
Tuesday run alerts."""

from datetime import date, datetime, timedelta

import pytest

from domain.alerts.evaluation import evaluate, in_signal_window
from domain.alerts.rules import DEFAULT_RULES, RuleId
from domain.alerts.snapshot import AgentFreshness, ConnectorFreshness, MetricsSnapshot
from domain.alerts.staleness import SAO_PAULO, data_age, schedule_age, scheduled_run_at
from tests.unit.alerts.desk import AGENTS, CONNECTORS


def _at(y: int, m: int, d: int, hh: int, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SAO_PAULO)


def _stale_rules(latest_session: date, now: datetime) -> set[tuple[RuleId, str]]:
    snap = MetricsSnapshot(as_of=now, connectors=tuple(ConnectorFreshness(c, latest_session) for c in CONNECTORS),
                           agents=tuple(AgentFreshness(a, latest_session) for a in AGENTS))
    return {i.key for i in evaluate(DEFAULT_RULES, snap)}


@pytest.mark.parametrize(("now", "latest_session", "age_hours"), [
    # Saturday afternoon: Friday's run processed Thursday; the weekend does not age it.
    (_at(2026, 11, 28, 15), date(2026, 11, 26), 18.0),
    # Monday 05:30, before the 06:00 run that will process Friday.
    (_at(2026, 11, 30, 5, 30), date(2026, 11, 26), 23.5),
    # Carnival Tuesday 2027 (8-9 February closed): Friday's run processed Thursday 4 February.
    (_at(2027, 2, 9, 15), date(2027, 2, 4), 18.0),
    # Ash Wednesday before its run: still within 26 h of open market.
    (_at(2027, 2, 10, 5, 30), date(2027, 2, 4), 23.5),
    # 20 November 2026 (Black Consciousness, a Friday): Thursday's run processed Wednesday.
    (_at(2026, 11, 20, 12), date(2026, 11, 18), 18.0),
    # ...and Monday 23 November before the run.
    (_at(2026, 11, 23, 5, 30), date(2026, 11, 18), 23.5),
], ids=["saturday", "monday-before-run", "carnival", "ash-wednesday-before-run", "20-november",
        "monday-after-20-november"])
def test_closed_market_days_do_not_make_data_stale(now: datetime, latest_session: date, age_hours: float) -> None:
    assert data_age(latest_session, now) == timedelta(hours=age_hours)
    assert _stale_rules(latest_session, now) == set()


def test_a_missed_tuesday_run_makes_every_connector_and_agent_stale() -> None:
    # Monday 23 November processed Thursday 19 (20 was a holiday); Tuesday's run (for Monday) never happened.
    now = _at(2026, 11, 24, 9)
    assert data_age(date(2026, 11, 19), now) == timedelta(hours=27)
    fired = _stale_rules(date(2026, 11, 19), now)
    assert fired == {(RuleId.STALE_DATA, c) for c in CONNECTORS} | {(RuleId.AGENT_STALE, a) for a in AGENTS}


def test_the_scheduled_run_of_a_session_is_0600_sao_paulo_on_the_next_session() -> None:
    assert scheduled_run_at(date(2026, 11, 19)) == _at(2026, 11, 23, 6)  # skips the holiday and the weekend
    assert scheduled_run_at(date(2027, 2, 5)) == _at(2027, 2, 10, 6)  # skips Carnival


def test_schedule_age_counts_only_session_days_and_rejects_naive_instants() -> None:
    assert schedule_age(_at(2026, 11, 27, 6), _at(2026, 11, 30, 6)) == timedelta(hours=18 + 6)
    assert schedule_age(_at(2026, 11, 30, 6), _at(2026, 11, 27, 6)) == timedelta(0)
    with pytest.raises(ValueError, match="timezone-aware"):
        schedule_age(datetime(2026, 11, 27, 6), _at(2026, 11, 30, 6))


def test_a_never_successful_connector_is_stale_without_a_value() -> None:
    snap = MetricsSnapshot(as_of=_at(2026, 11, 24, 9), connectors=(ConnectorFreshness("fred", None),))
    [alert] = evaluate(DEFAULT_RULES, snap)
    assert (alert.subject, alert.value, alert.message) == ("fred", None, "fred: no successful data recorded")


def test_fridays_flips_still_count_as_the_last_24_hours_on_monday_morning() -> None:
    assert in_signal_window(date(2026, 11, 26), _at(2026, 11, 30, 5))  # Friday's run: 23 h of open market ago
    assert not in_signal_window(date(2026, 11, 26), _at(2026, 11, 30, 7))  # 25 h
    assert not in_signal_window(date(2026, 11, 27), _at(2026, 11, 30, 5))  # its run has not happened yet
