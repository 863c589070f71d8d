from datetime import datetime
from zoneinfo import ZoneInfo

import dagster as dg

from entrypoints.dagster.definitions import defs

SAO_PAULO = ZoneInfo("America/Sao_Paulo")


def _evaluate(day: datetime) -> list[dg.RunRequest]:
    schedule = defs.resolve_schedule_def("daily_pipeline_schedule")
    context = dg.build_schedule_context(scheduled_execution_time=day, repository_def=defs.get_repository_def())
    result = schedule.evaluate_tick(context)
    return list(result.run_requests or [])


ASSETS = {
    "bronze_bcb_sgs", "bronze_bcb_ptax", "bronze_fred", "bronze_yahoo", "bronze_b3", "bronze_treasury",
    "silver_curves", "silver_returns", "silver_macro",
    "agent_inflation", "agent_monetary", "agent_fiscal", "agent_fx", "agent_cross_asset",
    "signal_aggregation", "signal_monitor", "portfolio_optimization", "portfolio_sizing",
    "risk_var", "risk_stress", "risk_limits", "daily_report",
}


def test_the_code_location_has_exactly_the_22_assets_two_jobs_and_the_schedule() -> None:
    keys = {k.to_user_string() for k in defs.resolve_asset_graph().get_all_asset_keys()}
    assert keys == ASSETS
    jobs = {job.name for job in defs.resolve_all_job_defs() if not job.name.startswith("__")}
    assert jobs == {"daily_pipeline", "bronze_ingest"}
    assert len(defs.resolve_job_def("daily_pipeline").asset_layer.executable_asset_keys) == 22
    schedule = defs.resolve_schedule_def("daily_pipeline_schedule")
    assert schedule.cron_schedule == "0 6 * * 1-5"
    assert schedule.execution_timezone == "America/Sao_Paulo"
    assert schedule.job_name == "daily_pipeline"


def test_no_run_is_launched_on_b3_holidays() -> None:
    assert _evaluate(datetime(2026, 2, 16, 6, 0, tzinfo=SAO_PAULO)) == []
    assert _evaluate(datetime(2026, 4, 21, 6, 0, tzinfo=SAO_PAULO)) == []


def test_monday_23_november_2026_processes_thursday_the_19th() -> None:
    requests = _evaluate(datetime(2026, 11, 23, 6, 0, tzinfo=SAO_PAULO))
    assert [r.partition_key for r in requests] == ["2026-11-19"]


def test_the_partitions_are_b3_sessions() -> None:
    partitions = defs.resolve_job_def("daily_pipeline").partitions_def
    assert partitions is not None
    keys = partitions.get_partition_keys_in_range(dg.PartitionKeyRange("2024-01-02", "2024-12-30"))
    assert len(keys) == 251
    assert "2024-11-20" not in keys and "2024-02-12" not in keys
