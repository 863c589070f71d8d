"""Faults on PostgreSQL: a Slack outage loses nothing and duplicates nothing, a crash before dispatch is healed by
the next start, and two evaluations started together send one notification per key."""

import threading
from collections import Counter
from pathlib import Path

import pytest

from adapters.storage import migrations
from adapters.storage.database import create_database_engine
from application.alerts.service import EvaluationReport
from tests.fakes import FixedClock
from tests.integration.alerts.desk_data import Figures, alert_container, alert_settings, at, store
from tests.slack_server import SlackWebApi
from tests.smtp_server import SmtpSink

pytestmark = pytest.mark.postgres


@pytest.fixture
def pg(postgres_url: str) -> str:
    migrations.upgrade(postgres_url)
    return postgres_url


def _slack_keys(slack: SlackWebApi) -> Counter[str]:
    return Counter(p.payload["blocks"][-2]["elements"][0]["text"].split("key `")[1].rstrip("`")
                   for p in slack.accepted)


def _email_keys(smtp: SmtpSink) -> Counter[str]:
    return Counter(str(m.message["X-Macrodesk-Key"]) for m in smtp.received)


def test_a_slack_outage_of_an_hour_delivers_every_alert_once_when_slack_returns_and_never_blocks_email(
        pg: str, tmp_path: Path, slack_api: SlackWebApi, smtp_server: SmtpSink) -> None:
    engine = create_database_engine(pg)
    store(engine, Figures(var99=0.054))
    clock = FixedClock(at(0))
    container = alert_container(alert_settings(pg, tmp_path, slack_api, smtp_server), clock)
    service = container.alert_service()
    slack_api.script(*[SlackWebApi.server_error(503)] * 500)  # Slack is down
    for minute in range(0, 60, 5):
        if minute == 20:
            store(engine, Figures(var99=0.054, failed_assets=("bronze_b3",)))
        clock.instant = at(minute)
        service.evaluate(at(minute))
    sent_by_email = _email_keys(smtp_server)
    # VAR_CRITICAL at 0, 30; PIPELINE_FAILURE at 20, 50: e-mail kept flowing during the outage.
    assert sorted(sent_by_email) == sorted([
        "alert:VAR_CRITICAL:2026-11-24T13:00:00.000000Z", "alert:VAR_CRITICAL:2026-11-24T13:30:00.000000Z",
        "alert:PIPELINE_FAILURE:2026-11-24T13:20:00.000000Z", "alert:PIPELINE_FAILURE:2026-11-24T13:50:00.000000Z"])
    assert slack_api.accepted == []

    slack_api.reset()  # Slack is back
    for minute in (60, 65, 70, 75, 80, 90, 105, 120):
        clock.instant = at(minute)
        service.evaluate(at(minute))
    slack, email = _slack_keys(slack_api), _email_keys(smtp_server)
    assert set(sent_by_email) <= set(slack)
    assert slack == email and set(slack.values()) == {1}
    container.shutdown_resources()
    engine.dispose()


def test_a_crash_between_commit_and_dispatch_is_delivered_once_on_the_next_start(
        pg: str, tmp_path: Path, slack_api: SlackWebApi, smtp_server: SmtpSink) -> None:
    engine = create_database_engine(pg)
    store(engine, Figures(var99=0.054))
    settings = alert_settings(pg, tmp_path, slack_api, smtp_server)
    first = alert_container(settings, FixedClock(at(0)))
    report = first.alert_service().evaluate(at(0), dispatch=False)  # state and deliveries committed; then killed
    first.shutdown_resources()
    assert [n.rule.id for n in report.notifications] == ["VAR_CRITICAL"]
    assert smtp_server.received == [] and slack_api.accepted == []

    restarted = alert_container(settings, FixedClock(at(1)))
    restarted.alert_service().dispatch()
    assert restarted.alert_service().evaluate(at(2)).notifications == ()
    assert _email_keys(smtp_server) == _slack_keys(slack_api) == Counter(
        {"alert:VAR_CRITICAL:2026-11-24T13:00:00.000000Z": 1})
    restarted.shutdown_resources()
    engine.dispose()


def test_two_evaluations_started_together_send_one_notification_per_key(
        pg: str, tmp_path: Path, slack_api: SlackWebApi, smtp_server: SmtpSink) -> None:
    engine = create_database_engine(pg)
    store(engine, Figures(var99=0.054, failed_assets=("bronze_b3",)))
    settings = alert_settings(pg, tmp_path, slack_api, smtp_server)
    containers = [alert_container(settings, FixedClock(at(0))) for _ in range(2)]
    services = [c.alert_service() for c in containers]
    barrier = threading.Barrier(2)
    reports: list[EvaluationReport] = []
    errors: list[BaseException] = []

    def run(i: int) -> None:
        try:
            barrier.wait()
            reports.append(services[i].evaluate(at(0)))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(i,)) for i in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join(timeout=120)
    assert errors == []
    assert sorted(n.rule.id for r in reports for n in r.notifications) == ["PIPELINE_FAILURE", "VAR_CRITICAL"]
    assert set(_email_keys(smtp_server).values()) == {1} and len(smtp_server.received) == 2
    assert _slack_keys(slack_api) == _email_keys(smtp_server)
    fired = [e for e in services[0].history() if e.kind == "fired"]
    assert sorted((e.rule_id, e.subject) for e in fired) == [("PIPELINE_FAILURE", "bronze_b3"),
                                                             ("VAR_CRITICAL", "book")]
    for c in containers:
        c.shutdown_resources()
    engine.dispose()
