"""Portfolio: Black-Litterman targets and the model book in contracts."""

import dagster as dg

from entrypoints.container import Container
from entrypoints.dagster.window import partition_dates


def portfolio_assets(partitions: dg.PartitionsDefinition, retry: dg.RetryPolicy,
                     backfill: dg.BackfillPolicy) -> list[dg.AssetsDefinition]:
    """``portfolio_optimization`` and ``portfolio_sizing``."""
    common = {"group_name": "portfolio", "partitions_def": partitions, "retry_policy": retry,
              "backfill_policy": backfill, "kinds": {"python"}}

    @dg.asset(deps=["signal_aggregation", "silver_returns", "silver_curves"], **common)
    def portfolio_optimization(context: dg.AssetExecutionContext,
                               macrodesk: dg.ResourceParam[Container]) -> dg.MaterializeResult:
        """Target weights per instrument from Black-Litterman views and the constrained optimiser."""
        start, end = partition_dates(context)
        result = macrodesk.portfolio_service().optimise_targets(start, end)
        return dg.MaterializeResult(metadata={"rows_written": result.rows, "sessions": result.sessions,
                                              "numerical_warnings": "; ".join(result.warnings) or "none",
                                              "optimiser_fallbacks": "; ".join(result.fallbacks) or "none"})

    @dg.asset(deps=[portfolio_optimization, "bronze_b3", "bronze_treasury", "silver_returns", "signal_aggregation"],
              **common)
    def portfolio_sizing(context: dg.AssetExecutionContext,
                         macrodesk: dg.ResourceParam[Container]) -> dg.MaterializeResult:
        """The model book in whole contracts, its NAV and P&L, attribution and the day's trade list."""
        start, end = partition_dates(context)
        result = macrodesk.portfolio_service().size_book(start, end)
        return dg.MaterializeResult(metadata={"rows_written": result.rows, "sessions": result.sessions,
                                              "nav_brl": round(result.nav or 0.0, 2), "trades": result.trades})

    return [portfolio_optimization, portfolio_sizing]
