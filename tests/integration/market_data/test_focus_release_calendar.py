"""Focus medians are known from the BCB's publication day, never the day after their survey date.

The Expectativas service publishes each week's statistics on the first business day of the
following week. ``focus_annual_ipca_2021-01-04_2021-01-08.json`` is the real-format answer for
IPCA 2021 surveyed Monday 2021-01-04 to Friday 2021-01-08 (../shared/cases/focus-weekly): all five
medians are public on Monday 2021-01-11 and none before. Read through the connector and the real
point-in-time store.
"""

import json
from collections.abc import Iterator
from datetime import date, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine

from adapters.market_data.bcb_sgs import FOCUS_PATH, BcbSgsConnector
from adapters.market_data.http import HttpFetcher, RetryPolicy
from adapters.storage.unit_of_work import SqlAlchemyUnitOfWork
from domain.market.series import SERIES
from tests.loopback import LoopbackServer, Reply

FIXTURE = Path(__file__).resolve().parents[2] / "fixtures" / "bcb" / "focus_annual_ipca_2021-01-04_2021-01-08.json"
ANNUAL = f"{FOCUS_PATH}/ExpectativasMercadoAnuais"
POLICY = RetryPolicy(attempts=3, initial_seconds=0.01)
SERIES_ID = "BR_FOCUS_IPCA_CY"


@pytest.fixture
def connector(server: LoopbackServer) -> Iterator[BcbSgsConnector]:
    sgs, olinda = HttpFetcher("bcb_sgs", server.url, policy=POLICY), HttpFetcher("bcb_focus", server.url, policy=POLICY)
    yield BcbSgsConnector(sgs, olinda, series=[SERIES[SERIES_ID]])
    sgs.close()
    olinda.close()


def known_on(engine: Engine, day: date) -> dict[date, float]:
    with SqlAlchemyUnitOfWork(engine) as uow:
        frame = uow.observations.as_of([SERIES_ID], date(2020, 12, 1), date(2023, 12, 31), as_of=day)
    return dict(zip(frame["observation_date"], frame["value"], strict=True))


def store(engine: Engine, connector: BcbSgsConnector, start: date, end: date) -> None:
    batch = connector.fetch(start, end)
    with SqlAlchemyUnitOfWork(engine) as uow:
        uow.observations.upsert(batch.observations)
        uow.commit()


def test_the_week_of_2021_01_04_is_known_from_monday_2021_01_11_and_not_before(
        server: LoopbackServer, connector: BcbSgsConnector, sqlite_engine: Engine) -> None:
    server.route(ANNUAL, Reply(body=FIXTURE.read_text(encoding="utf-8")))

    # A fetch whose window ends on the Friday of the survey week (as a backfill partition would).
    batch = connector.fetch(date(2021, 1, 4), date(2021, 1, 8))
    store(sqlite_engine, connector, date(2021, 1, 4), date(2021, 1, 8))

    assert {(o.observation_date, o.release_date) for o in batch.observations} == {
        (date(2021, 1, d), date(2021, 1, 11)) for d in range(4, 9)}
    for day in (date(2021, 1, 4), date(2021, 1, 8), date(2021, 1, 10)):
        assert known_on(sqlite_engine, day) == {}, day
    assert known_on(sqlite_engine, date(2021, 1, 11)) == {
        date(2021, 1, 4): 3.32, date(2021, 1, 5): 3.3, date(2021, 1, 6): 3.29, date(2021, 1, 7): 3.28,
        date(2021, 1, 8): 3.35}


def test_when_the_next_monday_is_a_holiday_the_week_is_known_from_the_next_business_day(
        server: LoopbackServer, connector: BcbSgsConnector, sqlite_engine: Engine) -> None:
    # The same payload moved to the week of 2023-04-24: Monday 2023-05-01 is Labour Day.
    payload = json.loads(FIXTURE.read_text(encoding="utf-8"))
    for offset, row in enumerate(payload["value"]):
        row["Data"], row["DataReferencia"] = (date(2023, 4, 24) + timedelta(days=offset)).isoformat(), "2023"
    server.route(ANNUAL, Reply(body=json.dumps(payload)))

    store(sqlite_engine, connector, date(2023, 4, 24), date(2023, 4, 28))

    assert known_on(sqlite_engine, date(2023, 5, 1)) == {}
    assert sorted(known_on(sqlite_engine, date(2023, 5, 2))) == [date(2023, 4, 24) + timedelta(days=d)
                                                                  for d in range(5)]
