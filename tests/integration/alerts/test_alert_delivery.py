"""AlertService on a real database with the real notifiers: loopback Slack Web API and aiosmtpd."""

from pathlib import Path

from adapters.storage.database import create_database_engine
from application.alerts.service import RuleUpdate
from domain.alerts.lifecycle import EventKind
from tests.fakes import FixedClock
from tests.integration.alerts.desk_data import (
    RECIPIENT,
    Figures,
    alert_container,
    alert_settings,
    at,
    slack_headers,
    store,
    subjects,
)
from tests.slack_server import SlackWebApi
from tests.smtp_server import SmtpSink

VAR_SUBJECT = "[macrodesk][CRITICAL] VAR_CRITICAL: VaR99 5.4% of NAV > 5.0%"


def test_alerts_reach_slack_and_email_once_then_wait_out_the_cooldown_renotify_and_resolve(
        database_url: str, tmp_path: Path, slack_api: SlackWebApi, smtp_server: SmtpSink) -> None:
    engine = create_database_engine(database_url)
    store(engine, Figures(var99=0.054, failed_assets=("bronze_b3",)))
    clock = FixedClock(at(0))
    container = alert_container(alert_settings(database_url, tmp_path, slack_api, smtp_server), clock)
    service = container.alert_service()

    report = service.evaluate(at(0))
    assert sorted(n.rule.id for n in report.notifications) == ["PIPELINE_FAILURE", "VAR_CRITICAL"]
    assert sorted(subjects(smtp_server)) == [
        "[macrodesk][CRITICAL] PIPELINE_FAILURE: bronze_b3 failed for 2026-11-23 in run run-1: "
        "SourceUnavailableError: bronze_b3: HTTP 503", VAR_SUBJECT]
    assert sorted(slack_headers(slack_api)) == ["[CRITICAL] PIPELINE_FAILURE", "[CRITICAL] VAR_CRITICAL"]
    assert all(m.recipients == [RECIPIENT] for m in smtp_server.received)
    var_post = next(p for p in slack_api.accepted if "VAR_CRITICAL" in p.payload["text"])
    assert ":red_circle: *VaR99 5.4% of NAV > 5.0%*" in var_post.payload["blocks"][1]["text"]["text"]
    assert var_post.payload["blocks"][-1]["elements"][0]["url"] == "http://desk.local/api/v1/reports/daily/latest"

    clock.instant = at(10)
    assert service.evaluate(at(10)).notifications == ()
    assert (len(smtp_server.received), len(slack_api.accepted)) == (2, 2)

    clock.instant = at(30)
    again = service.evaluate(at(30))
    assert sorted(n.kind for n in again.notifications) == ["renotify", "renotify"]
    assert (len(smtp_server.received), len(slack_api.accepted)) == (4, 4)
    assert "[macrodesk][CRITICAL] VAR_CRITICAL still firing: VaR99 5.4% of NAV > 5.0%" in subjects(smtp_server)

    store(engine, Figures(var99=0.02, run_id="run-2"))  # VaR back under 5%, a clean run
    clock.instant = at(60)
    service.evaluate(at(60))
    assert sorted(subjects(smtp_server)[4:]) == ["[macrodesk][RESOLVED] PIPELINE_FAILURE: resolved: bronze_b3",
                                                 "[macrodesk][RESOLVED] VAR_CRITICAL: resolved: book"]
    assert len(slack_api.accepted) == 6
    assert [e.kind for e in service.history(rule_id="VAR_CRITICAL")] == [
        EventKind.RESOLVED, EventKind.RENOTIFIED, EventKind.FIRED]
    assert service.active() == []
    container.shutdown_resources()
    engine.dispose()


def test_a_rule_change_is_audited_and_applies_at_the_next_evaluation(
        database_url: str, tmp_path: Path, slack_api: SlackWebApi, smtp_server: SmtpSink) -> None:
    engine = create_database_engine(database_url)
    store(engine, Figures(var95=0.025))
    clock = FixedClock(at(0))
    container = alert_container(alert_settings(database_url, tmp_path, slack_api, smtp_server), clock)
    service = container.alert_service()
    assert service.evaluate(at(0)).notifications == ()
    service.update_rule("VAR_BREACH", RuleUpdate(threshold=2.0, cooldown_minutes=60), changed_by="api")
    [n] = service.evaluate(at(5)).notifications
    assert n.firing[0].message == "VaR95 2.5% of NAV > 2.0%"
    [change] = service.audit("VAR_BREACH")
    assert (change.changed_by, dict(change.old_values), dict(change.new_values)) == (
        "api", {"threshold": 3.0, "cooldown_minutes": 30, "follows_limit": True},
        {"threshold": 2.0, "cooldown_minutes": 60, "follows_limit": False})
    container.shutdown_resources()
    engine.dispose()
