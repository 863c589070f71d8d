"""The three risk assets materialise a partition range through the risk service into the real tables."""

from datetime import date
from pathlib import Path
from types import SimpleNamespace

import dagster as dg

from adapters.storage import migrations
from adapters.storage.database import create_database_engine
from adapters.storage.unit_of_work import SqlAlchemyUnitOfWork
from application.portfolio.factors import FactorHistory
from application.risk import RiskService
from entrypoints.dagster.assets.risk import risk_assets
from entrypoints.dagster.partitions import b3_daily_partitions
from tests.integration.risk.constructed import market, sessions, write_book, write_market

HISTORY = sessions(date(2023, 1, 2), 300)
BOOK_DAYS = HISTORY[-5:]  # 2024-03-11 .. 2024-03-15


def test_risk_assets_materialise_a_partition_range_with_key_figures(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'risk.db'}"
    migrations.upgrade(url)
    engine = create_database_engine(url)
    uow = lambda: SqlAlchemyUnitOfWork(engine)  # noqa: E731
    data = market(HISTORY, seed=31)
    with uow() as u:
        write_market(u, data)
        write_book(u, data, BOOK_DAYS)
        u.commit()
    # The container's provider, as the composition root will declare it, on the real database.
    macrodesk = SimpleNamespace(risk_service=lambda: RiskService(uow, FactorHistory(uow), mc_scenarios=2_000))
    assets = risk_assets(b3_daily_partitions(HISTORY[0]), dg.RetryPolicy(max_retries=0),
                         dg.BackfillPolicy.single_run())

    result = dg.materialize(assets, resources={"macrodesk": macrodesk},
                            tags={"dagster/asset_partition_range_start": str(BOOK_DAYS[0]),
                                  "dagster/asset_partition_range_end": str(BOOK_DAYS[-1])})

    assert result.success
    metadata = {e.asset_key.path[-1]: e.step_materialization_data.materialization.metadata
                for e in result.get_asset_materialization_events()}
    assert metadata.keys() == {"risk_var", "risk_stress", "risk_limits"}
    assert metadata["risk_var"]["sessions"].value == 5
    assert metadata["risk_var"]["rows_written"].value == 5 * (12 + 10)  # metrics + components, no backtest yet
    assert 0.0 < metadata["risk_var"]["var99_1d_pct_nav"].value < 0.1
    # The domain's numerical warnings reach the metadata: "none" here, or one counted line per warning class.
    warned = metadata["risk_var"]["numerical_warnings"].value
    assert warned == "none" or all(" x" in part for part in warned.split("; "))
    assert metadata["risk_stress"]["rows_written"].value == 5 * 6
    assert metadata["risk_limits"]["rows_written"].value == 5 * 9
    assert metadata["risk_limits"]["latest_date"].value == "2024-03-15"
    with uow() as u:
        assert len(u.book.read("limit_status", BOOK_DAYS[0], BOOK_DAYS[-1])) == 45
    engine.dispose()
