from datetime import date
from pathlib import Path

import dagster as dg
from dependency_injector import providers

from adapters.storage import migrations
from domain.market.bronze import Connector, InstrumentPrice, Observation
from entrypoints.container import build_container
from entrypoints.dagster.definitions import build_definitions
from entrypoints.dagster.run_history import asset_outcomes
from entrypoints.settings import Settings
from tests.fakes import ScriptedMarketSource

DAY = date(2024, 3, 1)


def _source() -> ScriptedMarketSource:
    return ScriptedMarketSource(
        observations=[Observation("BR_SELIC_TARGET", DAY, DAY, 11.25, "bcb_sgs"),
                      Observation("BR_PTAX_SELL", DAY, DAY, 4.97, "bcb_ptax"),
                      Observation("MKT_IBOVESPA", DAY, DAY, 129_000.0, "yahoo")],
        prices=[InstrumentPrice("DI1F27", DAY, 80_000.0, 0.10, "b3")],
        failing={Connector.B3},
    )


def test_a_bronze_asset_that_keeps_failing_is_retried_three_times_and_only_its_dependants_are_skipped(
        tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'd.db'}"
    migrations.upgrade(url)
    settings = Settings(database_url=url, data_dir=tmp_path, retry_delay_seconds=0.01)
    container = build_container(settings)
    source = _source()
    container.market_source.override(providers.Object(source))
    defs = build_definitions(settings)
    job = defs.resolve_job_def("daily_pipeline")
    instance = dg.DagsterInstance.ephemeral()

    result = job.execute_in_process(partition_key=DAY.isoformat(), instance=instance,
                                    resources={"macrodesk": container}, raise_on_error=False)

    assert not result.success
    b3_attempts = [c for c in source.calls if c[0] == Connector.B3]
    assert len(b3_attempts) == 4  # the first attempt and 3 retries
    retries = [e for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY]
    assert {e.step_key for e in retries} == {"bronze_b3"} and len(retries) == 3
    succeeded = {e.step_key for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_SUCCESS}
    assert succeeded == {"bronze_bcb_sgs", "bronze_bcb_ptax", "bronze_fred", "bronze_yahoo", "bronze_treasury",
                         "silver_macro"}
    failed = {e.step_key for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_FAILURE}
    assert failed == {"bronze_b3"}
    # silver_curves and silver_returns depend on bronze_b3: planned, never started.
    started = {e.step_key for e in result.all_events if e.event_type == dg.DagsterEventType.STEP_START}
    assert "silver_curves" not in started and "silver_returns" not in started
    with container.unit_of_work() as uow:
        runs = {r.connector: r for r in uow.pipeline_runs.connector_runs()}
    assert runs[Connector.B3].status == "failed"
    assert "HTTP 503" in (runs[Connector.B3].error or "")
    assert runs[Connector.BCB_SGS].status == "success" and runs[Connector.BCB_SGS].rows == 1


def test_the_run_history_holds_every_outcome_with_attempts_and_the_error_text(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'h.db'}"
    migrations.upgrade(url)
    settings = Settings(database_url=url, data_dir=tmp_path, retry_delay_seconds=0.01)
    container = build_container(settings)
    container.market_source.override(providers.Object(_source()))
    instance = dg.DagsterInstance.ephemeral()
    result = build_definitions(settings).resolve_job_def("daily_pipeline").execute_in_process(
        partition_key=DAY.isoformat(), instance=instance, resources={"macrodesk": container}, raise_on_error=False)

    container.run_history().record(asset_outcomes(instance, result.run_id))

    history = {r.asset: r for r in container.run_history().run(result.run_id)}
    assert len(history) == 9
    assert (history["bronze_b3"].status, history["bronze_b3"].attempts) == ("failed", 4)
    assert "HTTP 503" in (history["bronze_b3"].error or "")
    assert {a for a, r in history.items() if r.status == "skipped"} == {"silver_curves", "silver_returns"}
    assert history["silver_curves"].attempts == 0
    assert all(r.status == "success" and r.attempts == 1 for a, r in history.items()
               if a not in {"bronze_b3", "silver_curves", "silver_returns"})
    assert all(r.partition_start == DAY == r.partition_end for r in history.values())
    assert history["bronze_bcb_sgs"].finished_at is not None and history["bronze_bcb_sgs"].started_at is not None
