"""Bronze: the six market-data connectors, each fetching a trailing window and upserting it."""

import dagster as dg

from domain.market.bronze import Connector
from entrypoints.container import Container
from entrypoints.dagster.window import partition_dates

DESCRIPTIONS = {
    Connector.BCB_SGS: "Banco Central SGS series (Selic, IPCA and cores, activity, fiscal) and Focus expectations.",
    Connector.BCB_PTAX: "Banco Central PTAX USD/BRL closing rates.",
    Connector.FRED: "FRED US macro and market series (policy rates, Treasuries, inflation, labour, credit).",
    Connector.YAHOO: "Yahoo Finance daily closes (USD/BRL, Ibovespa, S&P 500, VIX, oil, gold, DXY, EWZ).",
    Connector.B3: "B3 daily settlement prices of DI1, DOL/WDO and IND/WIN futures.",
    Connector.TREASURY: "US Treasury nominal and real par curves; Tesouro Direto NTN-B and LTN rates.",
}


def bronze_asset(connector: Connector, partitions: dg.PartitionsDefinition, retry: dg.RetryPolicy,
                 backfill: dg.BackfillPolicy) -> dg.AssetsDefinition:
    """The Bronze asset of ``connector``."""

    @dg.asset(name=f"bronze_{connector}", group_name="bronze", partitions_def=partitions, retry_policy=retry,
              backfill_policy=backfill, description=DESCRIPTIONS[connector], kinds={"python"})
    def _asset(context: dg.AssetExecutionContext, macrodesk: dg.ResourceParam[Container]) -> dg.MaterializeResult:
        start, end = partition_dates(context)
        result = macrodesk.market_data_ingestion().ingest(connector, start, end)
        return dg.MaterializeResult(metadata={
            "rows_fetched": result.fetched,
            "rows_written": result.written.written,
            "revisions": result.written.revised,
            "fetch_window": f"{result.fetch_start}..{result.fetch_end}",
            "latest_data_date": str(result.latest_data_date) if result.latest_data_date else "none",
        })

    return _asset
