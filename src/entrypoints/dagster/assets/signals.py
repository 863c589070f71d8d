"""Signals: strategy signals aggregated per instrument, and the monitor's events."""

import dagster as dg

from entrypoints.container import Container
from entrypoints.dagster.assets.agents import AGENT_DESCRIPTIONS
from entrypoints.dagster.window import partition_dates


def signal_assets(partitions: dg.PartitionsDefinition, retry: dg.RetryPolicy,
                  backfill: dg.BackfillPolicy) -> list[dg.AssetsDefinition]:
    """``signal_aggregation`` and ``signal_monitor``."""
    common = {"group_name": "signals", "partitions_def": partitions, "retry_policy": retry,
              "backfill_policy": backfill, "kinds": {"python"}}

    @dg.asset(deps=[f"agent_{a}" for a in AGENT_DESCRIPTIONS], **common)
    def signal_aggregation(context: dg.AssetExecutionContext,
                           macrodesk: dg.ResourceParam[Container]) -> dg.MaterializeResult:
        """Strategy signals in [-1, +1] aggregated per instrument (Bayesian with a regime prior), with regimes."""
        start, end = partition_dates(context)
        result = macrodesk.signal_service().aggregate_signals(start, end)
        return dg.MaterializeResult(metadata={"rows_written": result.rows, "sessions": result.dates,
                                              "latest_date": str(result.latest)})

    @dg.asset(deps=[signal_aggregation], **common)
    def signal_monitor(context: dg.AssetExecutionContext,
                       macrodesk: dg.ResourceParam[Container]) -> dg.MaterializeResult:
        """Signal flips, conviction surges and strategy divergences, as dated events."""
        start, end = partition_dates(context)
        result = macrodesk.signal_service().monitor_signals(start, end)
        return dg.MaterializeResult(metadata={"rows_written": result.rows, "event_days": result.dates})

    return [signal_aggregation, signal_monitor]
