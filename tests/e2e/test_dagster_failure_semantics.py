from dataclasses import dataclass
from datetime import date

import dagster as dg
import pytest
from dependency_injector import providers

from adapters.market_data.synthetic import SyntheticMarket
from adapters.storage import migrations
from application.ports import AssetRun
from domain.market.bronze import Connector
from entrypoints.container import build_container
from entrypoints.dagster.checks import CHECK_NAMES
from entrypoints.dagster.definitions import build_definitions
from entrypoints.dagster.run_history import asset_outcomes
from entrypoints.settings import Settings
from tests.fakes import FailingConnectors

DAY = date(2024, 3, 1)
DEPEND_ON_B3 = {"silver_curves", "silver_returns", "agent_monetary", "agent_fiscal", "agent_fx",
                "signal_aggregation", "signal_monitor", "portfolio_optimization", "portfolio_sizing",
                "risk_var", "risk_stress", "risk_limits", "daily_report"}


@dataclass
class Scenario:
    result: dg.ExecuteInProcessResult
    source: FailingConnectors
    history: dict[str, AssetRun]
    connector_status: dict[Connector, tuple[str, int, str | None]]


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Scenario:
    tmp = tmp_path_factory.mktemp("fault")
    url = f"sqlite:///{tmp / 'd.db'}"
    migrations.upgrade(url)
    settings = Settings(database_url=url, data_dir=tmp, retry_delay_seconds=0.01, history_start=date(2023, 1, 2))
    container = build_container(settings)
    # A year of history through the services, then the day itself through Dagster with B3 down.
    bootstrap = container.range_pipeline().run(date(2023, 1, 2), date(2024, 2, 29))
    assert all(o.status == "success" for o in bootstrap), bootstrap
    source = FailingConnectors(SyntheticMarket(), failing={Connector.B3})
    container.market_source.override(providers.Object(source))
    instance = dg.DagsterInstance.ephemeral()
    result = build_definitions(settings).resolve_job_def("daily_pipeline").execute_in_process(
        partition_key=DAY.isoformat(), instance=instance, resources={"macrodesk": container}, raise_on_error=False)
    container.run_history().record(asset_outcomes(instance, result.run_id))
    history = {r.asset: r for r in container.run_history().run(result.run_id)}
    with container.unit_of_work() as uow:
        status = {r.connector: (r.status, r.rows, r.error) for r in uow.pipeline_runs.connector_runs()
                  if r.partition_date == DAY}
    container.shutdown_resources()
    return Scenario(result, source, history, status)


def _steps(result: dg.ExecuteInProcessResult, kind: dg.DagsterEventType) -> set[str]:
    """Asset steps with an event of ``kind`` (asset-check steps, named '<asset>_<check>', are left out)."""
    return {e.step_key for e in result.all_events
            if e.event_type == kind and e.step_key and not e.step_key.endswith(tuple(f"_{c}" for c in CHECK_NAMES))}


def test_a_failing_connector_is_tried_four_times_three_of_them_retries(scenario: Scenario) -> None:
    assert not scenario.result.success
    assert [c[0] for c in scenario.source.calls].count(Connector.B3) == 4
    retries = [e for e in scenario.result.all_events if e.event_type == dg.DagsterEventType.STEP_UP_FOR_RETRY]
    assert [e.step_key for e in retries] == ["bronze_b3"] * 3


def test_its_dependants_are_skipped_and_every_independent_asset_materializes(scenario: Scenario) -> None:
    result = scenario.result
    assert _steps(result, dg.DagsterEventType.STEP_FAILURE) == {"bronze_b3"}
    assert _steps(result, dg.DagsterEventType.STEP_START) & DEPEND_ON_B3 == set()
    assert _steps(result, dg.DagsterEventType.STEP_SUCCESS) == {
        "bronze_bcb_sgs", "bronze_bcb_ptax", "bronze_fred", "bronze_yahoo", "bronze_treasury",
        "silver_macro", "agent_inflation", "agent_cross_asset"}


def test_the_run_history_holds_every_outcome_with_attempts_and_the_error_text(scenario: Scenario) -> None:
    history = scenario.history
    assert (history["bronze_b3"].status, history["bronze_b3"].attempts) == ("failed", 4)
    assert "HTTP 503 for /injected" in (history["bronze_b3"].error or "")
    assert {a for a, r in history.items() if r.status == "skipped"} == DEPEND_ON_B3
    assert all(history[a].attempts == 0 and history[a].error == "not run: an upstream asset failed"
               for a in DEPEND_ON_B3)
    succeeded = {a for a, r in history.items() if r.status == "success"}
    assert all(history[a].attempts == 1 and history[a].finished_at is not None for a in succeeded)
    assert all(r.partition_start == DAY == r.partition_end for r in history.values())
    assert scenario.connector_status[Connector.B3][0] == "failed"
    assert "HTTP 503" in (scenario.connector_status[Connector.B3][2] or "")
    assert scenario.connector_status[Connector.BCB_SGS][0] == "success"


def test_the_freshness_checks_of_the_healthy_connectors_pass(scenario: Scenario) -> None:
    evaluations = {e.asset_key.to_user_string(): e.passed for e in scenario.result.get_asset_check_evaluations()}
    assert evaluations == {f"bronze_{c}": True for c in ("bcb_sgs", "bcb_ptax", "fred", "yahoo", "treasury")}
