"""Silver: curves, returns and macro features derived from Bronze."""

import dagster as dg

from entrypoints.container import Container
from entrypoints.dagster.window import partition_dates


def silver_assets(partitions: dg.PartitionsDefinition, retry: dg.RetryPolicy,
                  backfill: dg.BackfillPolicy) -> list[dg.AssetsDefinition]:
    """The three Silver assets."""
    common = {"group_name": "silver", "partitions_def": partitions, "retry_policy": retry,
              "backfill_policy": backfill, "kinds": {"python"}}

    @dg.asset(deps=["bronze_b3", "bronze_treasury"], **common)
    def silver_curves(context: dg.AssetExecutionContext,
                      macrodesk: dg.ResourceParam[Container]) -> dg.MaterializeResult:
        """DI pre, NTN-B real and breakeven curves (BUS/252) and standard US Treasury curves (ACT/365)."""
        start, end = partition_dates(context)
        result = macrodesk.silver_transforms().build_curves(start, end)
        return dg.MaterializeResult(metadata={"rows_written": result.rows, "sessions": result.sessions,
                                              "latest_curve_date": str(result.latest),
                                              "sessions_without_di1": len(result.gaps)})

    @dg.asset(deps=["bronze_b3", "bronze_treasury", "bronze_yahoo", "bronze_bcb_ptax", silver_curves], **common)
    def silver_returns(context: dg.AssetExecutionContext,
                       macrodesk: dg.ResourceParam[Container]) -> dg.MaterializeResult:
        """Daily price returns and rate changes of every tradable instrument, curve tenor and market series."""
        start, end = partition_dates(context)
        result = macrodesk.silver_transforms().compute_returns(start, end)
        return dg.MaterializeResult(metadata={"rows_written": result.rows, "latest_date": str(result.latest)})

    @dg.asset(deps=["bronze_bcb_sgs", "bronze_fred"], **common)
    def silver_macro(context: dg.AssetExecutionContext, macrodesk: dg.ResourceParam[Container]) -> dg.MaterializeResult:
        """Point-in-time macro features (inflation 12m and 3m SAAR, activity gap, labour, fiscal), event-dated."""
        start, end = partition_dates(context)
        result = macrodesk.silver_transforms().compute_macro(start, end)
        return dg.MaterializeResult(metadata={"rows_written": result.rows, "latest_known_from": str(result.latest)})

    return [silver_curves, silver_returns, silver_macro]
