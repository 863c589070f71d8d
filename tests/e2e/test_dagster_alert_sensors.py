"""The alert sensors: real Dagster runs on an ephemeral instance, sensors evaluated with their resource, messages
in the loopback Slack Web API and the aiosmtpd mailbox."""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import dagster as dg
import pytest

from adapters.storage import migrations
from domain.alerts.lifecycle import EventKind
from entrypoints.container import build_container
from entrypoints.dagster.alerts import AlertServiceResource
from entrypoints.dagster.definitions import build_definitions
from entrypoints.settings import Settings
from tests.integration.alerts.desk_data import RECIPIENT, subjects
from tests.slack_server import SlackWebApi
from tests.smtp_server import SmtpSink

DAY = date(2024, 3, 1)


@dg.resource
def broken_container(_context: dg.InitResourceContext) -> None:
    raise ConnectionError("database unreachable at start-up")


@dg.op
def fine() -> int:
    return 1


@dg.job
def tiny_job() -> None:
    fine()


@pytest.fixture
def url(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, slack_api: SlackWebApi,
        smtp_server: SmtpSink) -> Iterator[str]:
    url = f"sqlite:///{tmp_path / 'alerts.db'}"
    migrations.upgrade(url)
    # The resource builds its settings from the environment, as in the daemon.
    for name, value in {"DATA_DIR": str(tmp_path), "SLACK_BOT_TOKEN": "xoxb-test",
                        "SLACK_BASE_URL": slack_api.base_url, "SMTP_HOST": smtp_server.host,
                        "SMTP_PORT": str(smtp_server.port), "SMTP_SECURITY": "none",
                        "EMAIL_RECIPIENTS": RECIPIENT}.items():
        monkeypatch.setenv(f"MACRODESK_{name}", value)
    yield url


def test_the_code_location_has_the_alert_sensors_and_their_resource() -> None:
    defs = build_definitions(Settings())
    for name in ("alerts_after_pipeline_success", "alerts_after_pipeline_failure", "alerts_clock"):
        assert defs.resolve_sensor_def(name).name == name
    assert defs.resolve_sensor_def("alerts_clock").minimum_interval_seconds == 300


def test_a_failed_daily_pipeline_run_alerts_with_its_failure_and_a_later_success_resolves_it(
        url: str, tmp_path: Path, slack_api: SlackWebApi, smtp_server: SmtpSink) -> None:
    defs = build_definitions(Settings(database_url=url, data_dir=tmp_path, retry_delay_seconds=0.01))
    instance = dg.DagsterInstance.ephemeral()
    result = defs.resolve_job_def("daily_pipeline").execute_in_process(
        partition_key=DAY.isoformat(), instance=instance, resources={"macrodesk": broken_container},
        raise_on_error=False)
    run = instance.get_run_by_id(result.run_id)
    assert run is not None and not result.success
    failure = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_FAILURE)
    resource = AlertServiceResource(database_url=url)

    sensor = defs.resolve_sensor_def("alerts_after_pipeline_failure")
    context = dg.build_run_status_sensor_context(sensor_name=sensor.name, dagster_event=failure,
                                                 dagster_instance=instance, dagster_run=run,
                                                 resources={"alerts": resource}).for_run_failure()
    sensor(context)
    pipeline = [s for s in subjects(smtp_server) if "PIPELINE_FAILURE" in s]
    assert pipeline == [f"[macrodesk][CRITICAL] PIPELINE_FAILURE: __run__ failed for {DAY.isoformat()} in run "
                        f'{result.run_id}: Execution of run for "daily_pipeline" failed. An exception was thrown '
                        "during execution."]
    assert sum("PIPELINE_FAILURE" in p.payload["text"] for p in slack_api.accepted) == 1

    ok = tiny_job.execute_in_process(instance=instance)
    success = next(e for e in ok.all_events if e.event_type == dg.DagsterEventType.RUN_SUCCESS)
    ok_run = instance.get_run_by_id(ok.run_id)
    sensor = defs.resolve_sensor_def("alerts_after_pipeline_success")
    sensor(dg.build_run_status_sensor_context(sensor_name=sensor.name, dagster_event=success,
                                              dagster_instance=instance, dagster_run=ok_run,
                                              resources={"alerts": resource}))
    container = build_container(Settings(database_url=url, data_dir=tmp_path))
    service = container.alert_service()
    resolved = service.history(rule_id="PIPELINE_FAILURE", kind=EventKind.RESOLVED)
    assert [e.subject for e in resolved] == ["__run__"]
    assert [r.status for r in container.run_history().run(ok.run_id)] == ["success"]
    container.shutdown_resources()


def test_the_clock_sensor_evaluates_and_says_what_fired(url: str, smtp_server: SmtpSink) -> None:
    defs = build_definitions(Settings())
    sensor = defs.resolve_sensor_def("alerts_clock")
    result = sensor(dg.build_sensor_context(resources={"alerts": AlertServiceResource(database_url=url)}))
    # An empty database: every connector and agent has no output at all.
    assert isinstance(result, dg.SkipReason)
    assert result.skip_message.startswith("11 alert(s) firing; sent: alert:STALE_DATA:")
    assert sorted(s.split(":")[0] for s in subjects(smtp_server)) == [
        "[macrodesk][WARNING] AGENT_STALE", "[macrodesk][WARNING] STALE_DATA"]
    again = sensor(dg.build_sensor_context(resources={"alerts": AlertServiceResource(database_url=url)}))
    assert isinstance(again, dg.SkipReason) and again.skip_message.endswith("sent: no message")
