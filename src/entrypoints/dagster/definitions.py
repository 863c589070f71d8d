"""The Dagster code location: ``dagster dev -m entrypoints.dagster.definitions``."""

import dagster as dg

from domain.market.bronze import Connector
from entrypoints.dagster.alerts import AlertServiceResource, alert_sensors
from entrypoints.dagster.assets.agents import agent_assets
from entrypoints.dagster.assets.bronze import bronze_asset
from entrypoints.dagster.assets.portfolio import portfolio_assets
from entrypoints.dagster.assets.report import report_assets
from entrypoints.dagster.assets.risk import risk_assets
from entrypoints.dagster.assets.signals import signal_assets
from entrypoints.dagster.assets.silver import silver_assets
from entrypoints.dagster.checks import asset_checks
from entrypoints.dagster.partitions import b3_daily_partitions
from entrypoints.dagster.resources import macrodesk_container
from entrypoints.dagster.schedules import daily_schedule
from entrypoints.dagster.sensors import history_sensors
from entrypoints.settings import Settings


def build_definitions(settings: Settings | None = None) -> dg.Definitions:
    """Assemble assets, jobs and resources from settings (the environment by default)."""
    settings = settings or Settings()
    partitions = b3_daily_partitions(settings.history_start)
    retry = dg.RetryPolicy(max_retries=3, delay=settings.retry_delay_seconds, backoff=dg.Backoff.EXPONENTIAL)
    backfill = dg.BackfillPolicy.multi_run(max_partitions_per_run=settings.backfill_chunk_sessions)
    assets = [bronze_asset(c, partitions, retry, backfill) for c in Connector]
    assets += silver_assets(partitions, retry, backfill)
    assets += agent_assets(partitions, retry, backfill)
    assets += signal_assets(partitions, retry, backfill)
    assets += portfolio_assets(partitions, retry, backfill)
    assets += risk_assets(partitions, retry, backfill)
    assets += report_assets(partitions, retry, backfill)
    daily_pipeline = dg.define_asset_job("daily_pipeline", selection=dg.AssetSelection.all(),
                                         description="Every asset of the daily pipeline for one B3 session.")
    bronze_ingest = dg.define_asset_job("bronze_ingest", selection=dg.AssetSelection.groups("bronze"),
                                        description="The six market-data connectors only.")
    return dg.Definitions(assets=assets, asset_checks=asset_checks(), jobs=[daily_pipeline, bronze_ingest],
                          schedules=[daily_schedule(daily_pipeline)],
                          sensors=history_sensors() + alert_sensors(daily_pipeline),
                          resources={"macrodesk": macrodesk_container, "alerts": AlertServiceResource()})


defs = build_definitions()
