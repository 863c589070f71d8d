"""End to end: a pipeline run on the synthetic market with one connector failing and the VaR limit rigged below the
book's VaR produces exactly the expected alerts in the loopback Slack server and the aiosmtpd mailbox, once each;
nothing more within 30 minutes; one re-notification after them; resolved messages once the conditions clear."""

import uuid
from datetime import date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

from dependency_injector import providers
from sqlalchemy import select

from adapters.market_data.synthetic import SyntheticMarket
from adapters.storage.database import create_database_engine
from adapters.storage.tables import RiskMetricRow
from application.alerts.service import RuleUpdate
from domain.market.bronze import Connector
from entrypoints.container import Container
from tests.fakes import FailingConnectors, FixedClock
from tests.integration.alerts.desk_data import alert_container, alert_settings, slack_headers, subjects
from tests.slack_server import SlackWebApi
from tests.smtp_server import SmtpSink

SP = ZoneInfo("America/Sao_Paulo")
SESSION = date(2024, 1, 2)  # the session after the bootstrapped history (29 December 2023: B3 closed)
RUN_AT = datetime(2024, 1, 3, 7, 0, tzinfo=SP)  # an hour after the 06:00 run that processes it
UNRELATED = ("VAR_BREACH", "DRAWDOWN_WARNING", "DRAWDOWN_CRITICAL", "LIMIT_BREACH", "SIGNAL_FLIP",
             "CONVICTION_SURGE")


def _run_session(container: Container, failing: set[Connector]) -> str:
    settings = container.settings()
    container.market_source.override(providers.Object(
        FailingConnectors(SyntheticMarket(seed=settings.synthetic_seed), failing=failing)))
    outcomes = container.range_pipeline().run(SESSION, SESSION)
    run_id = f"cli-{uuid.uuid4()}"
    container.run_history().record_range_run(run_id, SESSION, SESSION, outcomes)
    container.market_source.reset_override()
    return run_id


def _latest_var99(url: str) -> float:
    engine = create_database_engine(url)
    with engine.connect() as c:
        row = c.execute(select(RiskMetricRow).where(RiskMetricRow.method == "historical",
                                                    RiskMetricRow.confidence == 0.99,
                                                    RiskMetricRow.horizon_days == 1)
                        .order_by(RiskMetricRow.date.desc()).limit(1)).one()
    engine.dispose()
    return 100.0 * float(row.var_pct_nav)


def test_a_rigged_pipeline_run_alerts_once_per_channel_renotifies_after_30_minutes_and_resolves(
        book_db: str, tmp_path: Path, slack_api: SlackWebApi, smtp_server: SmtpSink) -> None:
    clock = FixedClock(RUN_AT)
    container = alert_container(alert_settings(book_db, tmp_path, slack_api, smtp_server,
                                               history_start=date(2022, 1, 3)), clock)
    service = container.alert_service()
    for rule in UNRELATED:  # only the conditions this test rigs may fire
        service.update_rule(rule, RuleUpdate(enabled=False), changed_by="test")
    run_id = _run_session(container, {Connector.B3})
    var99 = _latest_var99(book_db)
    threshold = max(0.01, round(var99 / 2, 2))  # the rig: the VaR99 limit at half the book's VaR99
    service.update_rule("VAR_CRITICAL", RuleUpdate(threshold=threshold), changed_by="test")

    assert 0.1 <= threshold < var99 < 1.0
    service.evaluate(RUN_AT)
    expected = sorted([
        # Both between 0.1% and 1%: two decimals give each its two significant digits (not "0.2% > 0.1%").
        f"[macrodesk][CRITICAL] VAR_CRITICAL: VaR99 {var99:.2f}% of NAV > {threshold:.2f}%",
        f"[macrodesk][CRITICAL] PIPELINE_FAILURE: bronze_b3 failed for {SESSION.isoformat()} in run {run_id}: "
        "SourceUnavailableError: b3: HTTP 503 for /injected after 4 attempts"])
    assert sorted(subjects(smtp_server)) == expected
    assert sorted(slack_headers(slack_api)) == ["[CRITICAL] PIPELINE_FAILURE", "[CRITICAL] VAR_CRITICAL"]

    for minutes in (10, 20, 29):
        clock.instant = RUN_AT + timedelta(minutes=minutes)
        assert service.evaluate(clock.instant).notifications == ()
    assert (len(smtp_server.received), len(slack_api.accepted)) == (2, 2)

    clock.instant = RUN_AT + timedelta(minutes=30)
    service.evaluate(clock.instant)
    assert sorted(subjects(smtp_server)[2:]) == [s.replace(": ", " still firing: ", 1) for s in expected]
    assert len(slack_api.accepted) == 4

    _run_session(container, set())  # the connector is back: a clean run
    service.update_rule("VAR_CRITICAL", RuleUpdate(threshold=max(5.0, var99 + 0.1)), changed_by="test")
    clock.instant = RUN_AT + timedelta(minutes=60)
    service.evaluate(clock.instant)
    assert sorted(subjects(smtp_server)[4:]) == [
        "[macrodesk][RESOLVED] PIPELINE_FAILURE: resolved: bronze_b3",
        "[macrodesk][RESOLVED] VAR_CRITICAL: resolved: book"]
    assert len(slack_api.accepted) == 6 and service.active() == []
    container.shutdown_resources()
