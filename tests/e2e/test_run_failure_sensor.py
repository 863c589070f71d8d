"""A run that dies outside any asset still lands in the run history, through the run-failure sensor."""

from datetime import date
from pathlib import Path

import dagster as dg

from adapters.storage import migrations
from entrypoints.container import build_container
from entrypoints.dagster.definitions import build_definitions
from entrypoints.settings import Settings

DAY = date(2024, 3, 1)


@dg.resource
def broken_container(_context: dg.InitResourceContext) -> None:
    raise ConnectionError("database unreachable at start-up")


def test_a_run_that_fails_before_any_asset_is_recorded_with_its_failure_and_skipped_assets(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    migrations.upgrade(url)
    settings = Settings(database_url=url, data_dir=tmp_path, retry_delay_seconds=0.01)
    defs = build_definitions(settings)
    instance = dg.DagsterInstance.ephemeral()
    result = defs.resolve_job_def("daily_pipeline").execute_in_process(
        partition_key=DAY.isoformat(), instance=instance, resources={"macrodesk": broken_container},
        raise_on_error=False)
    assert not result.success
    run = instance.get_run_by_id(result.run_id)
    assert run is not None
    failure = next(e for e in result.all_events if e.event_type == dg.DagsterEventType.RUN_FAILURE)

    container = build_container(settings)
    sensor = defs.resolve_sensor_def("record_failed_runs")
    context = dg.build_run_status_sensor_context(sensor_name="record_failed_runs", dagster_event=failure,
                                                 dagster_instance=instance, dagster_run=run,
                                                 resources={"macrodesk": container}).for_run_failure()
    sensor(context)

    history = {r.asset: r for r in container.run_history().run(result.run_id)}
    container.shutdown_resources()
    assert history["__run__"].status == "failed"
    assert history["__run__"].error
    assert history["__run__"].partition_start == DAY
    assets = {a: r for a, r in history.items() if a != "__run__"}
    assert len(assets) == 22
    assert {r.status for r in assets.values()} <= {"skipped", "failed"}
