"""Agents: five analytical agents over the point-in-time panel, one asset each."""

import dagster as dg

from application.signals.service import agent_dependencies
from domain.agents import cross_asset, fiscal, fx, inflation, monetary
from entrypoints.container import Container
from entrypoints.dagster.window import partition_dates

AGENT_DESCRIPTIONS = {
    inflation.AGENT: "Inflation agent: Phillips curve, surprise against Focus and persistence.",
    monetary.AGENT: "Monetary agent: Taylor rule with a Kalman-filtered neutral rate, market-implied Selic path "
                    "and term premium.",
    fiscal.AGENT: "Fiscal agent: debt-sustainability paths under scenarios and fiscal-dominance score.",
    fx.AGENT: "FX agent: BEER fair-value misalignment, carry-to-risk and flows.",
    cross_asset.AGENT: "Cross-asset agent: regime probabilities and risk appetite.",
}


def agent_asset(agent: str, partitions: dg.PartitionsDefinition, retry: dg.RetryPolicy,
                backfill: dg.BackfillPolicy) -> dg.AssetsDefinition:
    """The asset of one agent, depending on exactly the layers its panel columns come from."""
    @dg.asset(name=f"agent_{agent}", group_name="agents", deps=list(agent_dependencies(agent)),
              partitions_def=partitions, retry_policy=retry, backfill_policy=backfill,
              description=AGENT_DESCRIPTIONS[agent], kinds={"python"})
    def _asset(context: dg.AssetExecutionContext, macrodesk: dg.ResourceParam[Container]) -> dg.MaterializeResult:
        start, end = partition_dates(context)
        result = macrodesk.agent_service().run_agent(agent, start, end)
        return dg.MaterializeResult(metadata={"rows_written": result.rows, "sessions": result.dates,
                                              "latest_signal_date": str(result.latest)})

    return _asset


def agent_assets(partitions: dg.PartitionsDefinition, retry: dg.RetryPolicy,
                 backfill: dg.BackfillPolicy) -> list[dg.AssetsDefinition]:
    """The five agent assets."""
    return [agent_asset(agent, partitions, retry, backfill) for agent in AGENT_DESCRIPTIONS]
