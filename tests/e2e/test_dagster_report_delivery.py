"""The report-delivery sensor after a real daily_pipeline run: sends once, skips ranges, survives a bad channel."""

import shutil
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import dagster as dg
import pytest
from dependency_injector import providers

from adapters.storage import migrations
from application.messages import Channel, DeliveryStatus
from application.reporting import report_message_key
from entrypoints.container import Container, build_container
from entrypoints.dagster.definitions import build_definitions
from entrypoints.dagster.delivery import RANGE_TAGS, ReportDeliveryResource
from entrypoints.settings import Settings
from tests.conftest import BOOTSTRAP_START
from tests.fakes import FakeReportRenderer
from tests.slack_server import SlackWebApi
from tests.smtp_server import SmtpSink

DAY = date(2024, 1, 2)  # the first session after the bootstrapped history (2022-01-03..2023-12-28)
BASE = "http://desk.example:8000"


@dataclass
class DailyRun:
    db: Path
    instance: dg.DagsterInstance
    result: dg.ExecuteInProcessResult
    defs: dg.Definitions


@pytest.fixture(scope="module")
def daily_run(bootstrapped_db: Path, tmp_path_factory: pytest.TempPathFactory) -> DailyRun:
    folder = tmp_path_factory.mktemp("daily_run")
    db = folder / "macrodesk.db"
    shutil.copyfile(bootstrapped_db, db)
    url = f"sqlite:///{db}"
    migrations.upgrade(url)
    settings = Settings(database_url=url, data_dir=folder, history_start=BOOTSTRAP_START, retry_delay_seconds=0.01)
    container = build_container(settings)
    defs = build_definitions(settings)
    instance = dg.DagsterInstance.ephemeral()
    result = defs.resolve_job_def("daily_pipeline").execute_in_process(
        partition_key=DAY.isoformat(), instance=instance, resources={"macrodesk": container}, raise_on_error=False)
    container.shutdown_resources()
    return DailyRun(db, instance, result, defs)


@pytest.fixture
def env(daily_run: DailyRun, tmp_path: Path, smtp_server: SmtpSink, slack_api: SlackWebApi,
        monkeypatch: pytest.MonkeyPatch) -> Iterator[Settings]:
    """A private copy of the run's database and MACRODESK_* settings pointing at the loopback channels."""
    db = tmp_path / "macrodesk.db"
    shutil.copyfile(daily_run.db, db)
    values = {"DATABASE_URL": f"sqlite:///{db}", "DATA_DIR": str(tmp_path),
              "HISTORY_START": BOOTSTRAP_START.isoformat(),
              "PUBLIC_BASE_URL": BASE, "SLACK_BOT_TOKEN": "xoxb-test", "SLACK_BASE_URL": slack_api.base_url,
              "SMTP_HOST": smtp_server.host, "SMTP_PORT": str(smtp_server.port), "SMTP_SECURITY": "none",
              "EMAIL_RECIPIENTS": "pm@desk.example"}
    for name, value in values.items():
        monkeypatch.setenv(f"MACRODESK_{name}", value)
    with Container.report_renderer.override(providers.Object(FakeReportRenderer())):
        yield Settings()


def _evaluate(daily_run: DailyRun, run: dg.DagsterRun) -> object:
    success = next(e for e in daily_run.result.all_events if e.event_type == dg.DagsterEventType.RUN_SUCCESS)
    sensor = daily_run.defs.resolve_sensor_def("deliver_daily_report")
    context = dg.build_run_status_sensor_context(
        sensor_name="deliver_daily_report", dagster_event=success, dagster_instance=daily_run.instance,
        dagster_run=run, resources={"report_delivery": ReportDeliveryResource()})
    return sensor(context)


def _run(daily_run: DailyRun) -> dg.DagsterRun:
    run = daily_run.instance.get_run_by_id(daily_run.result.run_id)
    assert run is not None
    return run


def _deliveries(settings: Settings) -> dict[Channel, object]:
    container = build_container(settings)
    try:
        return {d.channel: d for d in container.delivery_service().status(report_message_key(DAY))}
    finally:
        container.shutdown_resources()


def test_the_daily_run_of_the_22_assets_succeeds_without_any_delivery_step(daily_run: DailyRun) -> None:
    assert daily_run.result.success
    materialized = {e.asset_key.to_user_string() for e in daily_run.result.get_asset_materialization_events()
                    if e.asset_key is not None}
    assert len(materialized) == 22 and "daily_report" in materialized


def test_the_sensor_sends_the_sessions_report_once(daily_run: DailyRun, env: Settings, smtp_server: SmtpSink,
                                                    slack_api: SlackWebApi) -> None:
    assert _evaluate(daily_run, _run(daily_run)) is None
    assert _evaluate(daily_run, _run(daily_run)) is None  # the sensor seeing the run again sends nothing
    [received] = smtp_server.received
    assert received.message["Subject"] == f"macrodesk daily report {DAY}"
    [post] = slack_api.accepted
    assert post.payload["blocks"][-1]["elements"][0]["url"] == f"{BASE}/api/v1/reports/daily/{DAY}"
    assert {c: d.status for c, d in _deliveries(env).items()} == {  # type: ignore[attr-defined]
        Channel.SLACK: DeliveryStatus.SENT, Channel.EMAIL: DeliveryStatus.SENT}


def test_a_backfill_range_run_sends_nothing(daily_run: DailyRun, env: Settings, smtp_server: SmtpSink,
                                            slack_api: SlackWebApi) -> None:
    run = _run(daily_run)
    tags = {k: v for k, v in run.tags.items() if k != "dagster/partition"}
    ranged = run.with_tags({**tags, RANGE_TAGS[0]: "2023-12-27", RANGE_TAGS[1]: DAY.isoformat()})
    skipped = _evaluate(daily_run, ranged)
    assert isinstance(skipped, dg.SkipReason) and "backfill" in (skipped.skip_message or "")
    assert smtp_server.received == [] and slack_api.posts == [] and _deliveries(env) == {}


def test_a_failing_channel_neither_fails_the_sensor_nor_blocks_the_email(daily_run: DailyRun, env: Settings,
                                                                         smtp_server: SmtpSink,
                                                                         slack_api: SlackWebApi) -> None:
    slack_api.script(SlackWebApi.error("channel_not_found"))
    assert _evaluate(daily_run, _run(daily_run)) is None
    rows = _deliveries(env)
    assert rows[Channel.SLACK].status == DeliveryStatus.FAILED  # type: ignore[attr-defined]
    assert rows[Channel.EMAIL].status == DeliveryStatus.SENT  # type: ignore[attr-defined]
    assert len(smtp_server.received) == 1
    assert daily_run.result.success
