from datetime import UTC, date, datetime

from sqlalchemy import Engine

from adapters.storage.unit_of_work import SqlAlchemyUnitOfWork
from application.ports import AssetRun, ConnectorRun
from domain.market.bronze import Connector, CurvePoint, DayCount, InstrumentPrice

D = date(2026, 11, 19)


def test_prices_are_replaced_by_instrument_and_date(engine: Engine) -> None:
    with SqlAlchemyUnitOfWork(engine) as uow:
        first = uow.prices.upsert([InstrumentPrice("DI1F27", D, 98_876.54, 0.1491, "b3")])
        second = uow.prices.upsert([InstrumentPrice("DI1F27", D, 98_870.00, 0.1499, "b3")])
        uow.commit()
        frame = uow.prices.between(D, D)
    assert (first.inserted, second.updated) == (1, 1)
    assert frame[["instrument", "price", "rate"]].values.tolist() == [["DI1F27", 98_870.00, 0.1499]]


def test_replacing_a_derived_curve_leaves_no_stale_vertex(engine: Engine) -> None:
    old = [CurvePoint("DI_PRE", D, t, DayCount.BUS252, 0.15, "silver") for t in (21, 63, 126)]
    new = [CurvePoint("DI_PRE", D, t, DayCount.BUS252, 0.14, "silver") for t in (21, 63)]
    with SqlAlchemyUnitOfWork(engine) as uow:
        uow.curves.upsert(old)
        uow.curves.replace(["DI_PRE"], D, D, new)
        uow.commit()
        frame = uow.curves.between(["DI_PRE"], D, D)
    assert frame[["tenor_days", "rate", "day_count"]].values.tolist() == [[21, 0.14, "BUS/252"], [63, 0.14, "BUS/252"]]


def test_pipeline_history_keeps_failures_with_their_error_text(engine: Engine) -> None:
    t0 = datetime(2026, 11, 20, 9, 0, tzinfo=UTC)
    t1 = datetime(2026, 11, 20, 9, 0, 7, tzinfo=UTC)
    with SqlAlchemyUnitOfWork(engine) as uow:
        uow.pipeline_runs.record_asset(AssetRun("run-1", "bronze_b3", D, D, "failed", 4, t0, t1, None, "HTTP 500"))
        uow.pipeline_runs.record_connector(ConnectorRun(Connector.B3, D, "failed", 0, None, "HTTP 500", t0, t1))
        uow.commit()
        runs = uow.pipeline_runs.asset_runs("run-1")
        connectors = uow.pipeline_runs.connector_runs(Connector.B3)
    assert [(r.asset, r.status, r.attempts, r.error) for r in runs] == [("bronze_b3", "failed", 4, "HTTP 500")]
    assert runs[0].finished_at == t1
    assert [(c.connector, c.status, c.error) for c in connectors] == [(Connector.B3, "failed", "HTTP 500")]
