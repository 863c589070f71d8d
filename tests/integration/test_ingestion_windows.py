"""B3 settlement files are final on the day: a daily partition re-fetches a week of them, not four months."""

from datetime import date
from pathlib import Path

from dependency_injector import providers
from sqlalchemy import Engine

from adapters.storage import migrations
from adapters.storage.unit_of_work import SqlAlchemyUnitOfWork
from application.market_data.ingestion import MarketDataIngestion
from domain.market.bronze import Connector
from entrypoints.container import build_container
from entrypoints.settings import Settings
from tests.fakes import FixedClock, ScriptedMarketSource


def test_b3_has_its_own_trailing_window_and_other_connectors_keep_theirs(sqlite_engine: Engine) -> None:
    source = ScriptedMarketSource()
    ingestion = MarketDataIngestion(source, lambda: SqlAlchemyUnitOfWork(sqlite_engine), FixedClock(),
                                    window_days=120, window_days_by_connector={Connector.B3: 7})

    ingestion.ingest(Connector.B3, date(2026, 9, 14), date(2026, 9, 14))
    ingestion.ingest(Connector.FRED, date(2026, 9, 14), date(2026, 9, 14))

    assert source.calls == [(Connector.B3, date(2026, 9, 7), date(2026, 9, 14)),
                            (Connector.FRED, date(2026, 5, 17), date(2026, 9, 14))]


def test_the_container_takes_the_b3_window_from_settings(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'x.db'}"
    migrations.upgrade(url)
    container = build_container(Settings(database_url=url, data_dir=tmp_path, b3_fetch_window_days=3))
    source = ScriptedMarketSource()
    container.market_source.override(providers.Object(source))

    for connector in (Connector.B3, Connector.FRED, Connector.BCB_SGS, Connector.YAHOO):
        container.market_data_ingestion().ingest(connector, date(2026, 9, 14), date(2026, 9, 14))
    container.shutdown_resources()

    # Revised series (FRED, BCB SGS) go back 200 days: a quarter's third GDP estimate (~180 days after the
    # quarter's first day) is still inside the window; the others keep 120.
    assert source.calls == [(Connector.B3, date(2026, 9, 11), date(2026, 9, 14)),
                            (Connector.FRED, date(2026, 2, 26), date(2026, 9, 14)),
                            (Connector.BCB_SGS, date(2026, 2, 26), date(2026, 9, 14)),
                            (Connector.YAHOO, date(2026, 5, 17), date(2026, 9, 14))]
