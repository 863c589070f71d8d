from datetime import date

from sqlalchemy import Engine, func, select

from adapters.storage.tables import Base
from entrypoints.container import build_container
from entrypoints.settings import Settings

DAY = date(2024, 6, 14)


def _counts(engine: Engine) -> dict[str, int]:
    with engine.connect() as connection:
        return {name: int(connection.execute(select(func.count()).select_from(table)).scalar_one())
                for name, table in Base.metadata.tables.items()}


def test_rerunning_a_partition_leaves_every_table_row_count_unchanged(database_url: str, tmp_path) -> None:  # type: ignore[no-untyped-def]
    container = build_container(Settings(database_url=database_url, data_dir=tmp_path, fetch_window_days=60,
                                         history_start=date(2023, 1, 2)))
    pipeline = container.range_pipeline()
    history = pipeline.run(date(2023, 1, 2), date(2024, 6, 13))
    assert [o.status for o in history] == ["success"] * len(history), history
    first = pipeline.run(DAY, DAY)
    assert [o.status for o in first] == ["success"] * len(first), first
    engine = container.engine()
    after_first = _counts(engine)
    second = pipeline.run(DAY, DAY)
    assert [o.status for o in second] == ["success"] * len(second), second
    assert _counts(engine) == after_first
    assert all(after_first[t] > 0 for t in ("observations", "instrument_prices", "curve_points", "returns",
                                            "macro_features", "connector_runs", "agent_signals", "strategy_signals",
                                            "aggregated_signals", "portfolio_weights", "positions", "book_nav",
                                            "trades", "risk_metrics", "risk_components", "stress_results",
                                            "limit_status", "daily_reports"))
    container.shutdown_resources()
