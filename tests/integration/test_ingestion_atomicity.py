from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select

from adapters.market_data.bcb_sgs import BcbSgsConnector
from adapters.market_data.http import HttpFetcher, RetryPolicy
from adapters.market_data.live import LiveMarketDataSource
from adapters.storage.tables import ObservationRow
from adapters.storage.unit_of_work import SqlAlchemyUnitOfWork
from application.errors import PayloadError
from application.market_data.ingestion import MarketDataIngestion
from domain.market.bronze import Connector
from domain.market.series import SERIES
from tests.fakes import FixedClock
from tests.loopback import Reply, loopback

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "bcb"
GOOD = (FIXTURES / "sgs_432_2025-09-01_2025-10-10.json").read_text()
# The second series answers with a malformed number on 01/10/2025.
BAD = '[{"data": "01/09/2025", "valor": "0.48"}, {"data": "01/10/2025", "valor": "0,5x"}]'


def _observations(engine: Engine) -> int:
    with engine.connect() as c:
        return int(c.execute(select(func.count()).select_from(ObservationRow)).scalar_one())


def test_an_unparseable_payload_fails_the_fetch_names_the_series_and_writes_nothing(engine: Engine) -> None:
    policy = RetryPolicy(attempts=2, initial_seconds=0.01)
    with loopback() as server:
        server.route("/dados/serie/bcdata.sgs.432/", Reply(body=GOOD))
        server.route("/dados/serie/bcdata.sgs.433/", Reply(body=BAD))
        specs = [SERIES["BR_SELIC_TARGET"], SERIES["BR_IPCA_MOM"]]
        source = LiveMarketDataSource({Connector.BCB_SGS: lambda: BcbSgsConnector(
            HttpFetcher("bcb_sgs", server.url, policy=policy), HttpFetcher("bcb_focus", server.url, policy=policy),
            series=specs)})
        ingestion = MarketDataIngestion(source, lambda: SqlAlchemyUnitOfWork(engine), FixedClock(), window_days=40)

        with pytest.raises(PayloadError) as caught:
            ingestion.ingest(Connector.BCB_SGS, date(2025, 10, 10), date(2025, 10, 10))

    message = str(caught.value)
    assert "bcb_sgs" in message and "BR_IPCA_MOM" in message and "2025-10-01" in message
    assert _observations(engine) == 0  # the good Selic series was not half-written either
    with SqlAlchemyUnitOfWork(engine) as uow:
        [run] = uow.pipeline_runs.connector_runs(Connector.BCB_SGS)
    assert (run.status, run.rows, run.partition_date) == ("failed", 0, date(2025, 10, 10))
    assert run.error == message
