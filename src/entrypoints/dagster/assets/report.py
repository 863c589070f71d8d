"""Report: the seven sections of the daily report, assembled and stored per session."""

import dagster as dg

from application.pipeline import REPORT_INPUTS
from entrypoints.container import Container
from entrypoints.dagster.window import partition_dates


def report_assets(partitions: dg.PartitionsDefinition, retry: dg.RetryPolicy,
                  backfill: dg.BackfillPolicy) -> list[dg.AssetsDefinition]:
    """``daily_report``."""

    @dg.asset(deps=list(REPORT_INPUTS), group_name="report", partitions_def=partitions, retry_policy=retry,
              backfill_policy=backfill, kinds={"python"})
    def daily_report(context: dg.AssetExecutionContext,
                     macrodesk: dg.ResourceParam[Container]) -> dg.MaterializeResult:
        """The daily report (Market Snapshot, Regime, Agent Views, Signals, Portfolio, Risk, Actions) as stored data."""
        start, end = partition_dates(context)
        result = macrodesk.report_service().assemble(start, end)
        return dg.MaterializeResult(metadata={"rows_written": result.rows, "sessions": result.sessions,
                                              "latest_report": str(result.latest),
                                              "gaps_in_latest": len(result.latest_gaps)})

    return [daily_report]
