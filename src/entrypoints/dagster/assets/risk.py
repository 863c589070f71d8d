"""Risk: VaR and its backtest, stress tests, and the risk limits of the model book."""

import dagster as dg

from entrypoints.container import Container
from entrypoints.dagster.window import partition_dates


def risk_assets(partitions: dg.PartitionsDefinition, retry: dg.RetryPolicy,
                backfill: dg.BackfillPolicy) -> list[dg.AssetsDefinition]:
    """``risk_var``, ``risk_stress`` and ``risk_limits``."""
    common = {"group_name": "risk", "partitions_def": partitions, "retry_policy": retry,
              "backfill_policy": backfill, "kinds": {"python"}}

    @dg.asset(deps=["portfolio_sizing", "silver_returns"], **common)
    def risk_var(context: dg.AssetExecutionContext, macrodesk: dg.ResourceParam[Container]) -> dg.MaterializeResult:
        """Historical, parametric and Monte Carlo VaR/CVaR, component VaR and the rolling 99% VaR backtest."""
        start, end = partition_dates(context)
        result = macrodesk.risk_service().compute_var(start, end)
        return dg.MaterializeResult(metadata={
            "rows_written": result.rows, "sessions": result.sessions, "latest_date": str(result.latest),
            "var99_1d_pct_nav": result.var99_pct_nav, "backtest_zone": result.traffic_light,
            "monte_carlo_fits": result.model_fits, "numerical_warnings": "; ".join(result.warnings) or "none"})

    @dg.asset(deps=["portfolio_sizing"], **common)
    def risk_stress(context: dg.AssetExecutionContext,
                    macrodesk: dg.ResourceParam[Container]) -> dg.MaterializeResult:
        """The six stress scenarios on the book, with the multiple of each that would lose 10% of NAV."""
        start, end = partition_dates(context)
        result = macrodesk.risk_service().run_stress(start, end)
        return dg.MaterializeResult(metadata={
            "rows_written": result.rows, "sessions": result.sessions, "latest_date": str(result.latest),
            "worst_scenario": result.worst_scenario, "worst_pnl_pct_nav": result.worst_pnl_pct_nav})

    @dg.asset(deps=[risk_var, risk_stress, "portfolio_sizing"], **common)
    def risk_limits(context: dg.AssetExecutionContext,
                    macrodesk: dg.ResourceParam[Container]) -> dg.MaterializeResult:
        """Utilisation of the nine risk limits and the drawdown circuit-breaker state."""
        start, end = partition_dates(context)
        result = macrodesk.risk_service().evaluate_limits(start, end)
        return dg.MaterializeResult(metadata={
            "rows_written": result.rows, "sessions": result.sessions, "latest_date": str(result.latest),
            "breaches": result.breaches, "latest_breaches": ", ".join(result.latest_breaches) or "none",
            "circuit_breaker": result.circuit_breaker})

    return [risk_var, risk_stress, risk_limits]
