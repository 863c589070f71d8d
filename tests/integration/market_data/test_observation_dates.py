"""Every connector dates an observation by the day it refers to, never by when it was published or fetched.

Each fixture carries a second date that a careless parser could pick up (FRED's ``realtime_start``,
PTAX's time of day, the fetch window's end, Focus's reference year); the records carry the day
the value refers to.
"""

from datetime import date
from pathlib import Path

from adapters.market_data.bcb_ptax import PTAX_PATH, BcbPtaxConnector
from adapters.market_data.bcb_sgs import FOCUS_PATH, BcbSgsConnector, sgs_path
from adapters.market_data.fred import FredConnector
from adapters.market_data.http import HttpFetcher, RetryPolicy
from domain.market.series import SERIES
from tests.loopback import LoopbackServer, Reply

FIXTURES = Path(__file__).parents[2] / "fixtures"
POLICY = RetryPolicy(attempts=2, initial_seconds=0.01)


def fetcher(server: LoopbackServer) -> HttpFetcher:
    return HttpFetcher("source", server.url, policy=POLICY)


def test_sgs_values_are_dated_by_their_data_field_not_by_the_window_end(server: LoopbackServer) -> None:
    server.route(sgs_path("433"), Reply(body=(FIXTURES / "bcb" / "sgs_433_2025-08_2025-09.json").read_bytes()))
    http = fetcher(server)
    batch = BcbSgsConnector(http, http, series=[SERIES["BR_IPCA_MOM"]]).fetch(date(2025, 8, 1), date(2025, 10, 10))
    assert [o.observation_date for o in batch.observations] == [date(2025, 8, 1), date(2025, 9, 1)]


def test_focus_medians_are_dated_by_their_survey_date_not_their_reference_year(server: LoopbackServer) -> None:
    server.route(f"{FOCUS_PATH}/ExpectativasMercadoAnuais",
                 Reply(body=(FIXTURES / "bcb" / "focus_annual_ipca_2021-01-04_2021-01-08.json").read_bytes()))
    http = fetcher(server)
    batch = BcbSgsConnector(http, http, series=[SERIES["BR_FOCUS_IPCA_CY"]]).fetch(date(2021, 1, 4), date(2021, 1, 8))
    assert [o.observation_date for o in batch.observations] == [date(2021, 1, d) for d in range(4, 9)]


def test_ptax_is_dated_by_its_bulletin_day(server: LoopbackServer) -> None:
    server.route(PTAX_PATH.split("(")[0],
                 Reply(body=(FIXTURES / "bcb" / "ptax_dolar_2025-10-01_2025-10-07.json").read_bytes()))
    batch = BcbPtaxConnector(fetcher(server)).fetch(date(2025, 10, 1), date(2025, 10, 7))
    buy = {o.observation_date: o.value for o in batch.observations if o.series_id == "BR_PTAX_BUY"}
    assert min(buy) == date(2025, 10, 1) and buy[date(2025, 10, 1)] == 5.3246


def test_fred_values_are_dated_by_date_not_by_the_vintage_realtime_start(server: LoopbackServer) -> None:
    server.route("/fred/series/observations",
                 Reply(body=(FIXTURES / "fred" / "dgs10_2024-01-10_2024-01-17.json").read_bytes()))
    batch = FredConnector(fetcher(server), "0123456789abcdef0123456789abcdef",
                          series=[SERIES["US_UST_10Y"]]).fetch(date(2024, 1, 10), date(2024, 1, 17))
    dates = [o.observation_date for o in batch.observations]
    assert dates[0] == date(2024, 1, 10) and date(2024, 3, 5) not in dates  # 2024-03-05 is realtime_start
