"""BcbPtaxConnector end to end: the real HttpFetcher against the loopback server serving Olinda fixtures."""

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from adapters.market_data.bcb_payload import olinda_rows
from adapters.market_data.bcb_ptax import PTAX_PATH, BcbPtaxConnector
from adapters.market_data.http import HttpFetcher, RetryPolicy
from application.errors import PayloadError, SourceUnavailableError
from domain.market.bronze import BronzeBatch, Connector
from tests.loopback import LoopbackServer, Reply

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "bcb"
POLICY = RetryPolicy(attempts=3, initial_seconds=0.01)
ROUTE = "/olinda/servico/PTAX/versao/v1/odata/CotacaoDolarPeriodo"
START, END = date(2025, 10, 1), date(2025, 10, 7)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def fixture_json(name: str) -> Any:
    return json.loads(fixture(name))


def values(batch: BronzeBatch, series_id: str) -> dict[date, float]:
    return {o.observation_date: o.value for o in batch.observations if o.series_id == series_id}


@pytest.fixture
def olinda(server: LoopbackServer) -> Iterator[HttpFetcher]:
    fetcher = HttpFetcher("bcb_olinda", server.url, policy=POLICY)
    yield fetcher
    fetcher.close()


def serve(server: LoopbackServer, payload: Any) -> None:
    server.route(ROUTE, Reply(body=payload if isinstance(payload, str) else json.dumps(payload)))


def test_ptax_returns_closing_buy_and_sell_dated_and_released_on_the_bulletin_day(server, olinda):
    serve(server, fixture("ptax_dolar_2025-10-01_2025-10-07.json"))

    batch = BcbPtaxConnector(olinda).fetch(START, END)

    assert (batch.connector, batch.start, batch.end, batch.row_count) == (Connector.BCB_PTAX, START, END, 10)
    assert values(batch, "BR_PTAX_BUY") == {date(2025, 10, 1): 5.3246, date(2025, 10, 2): 5.3349,
                                            date(2025, 10, 3): 5.3378, date(2025, 10, 6): 5.3281,
                                            date(2025, 10, 7): 5.3439}
    assert values(batch, "BR_PTAX_SELL") == {date(2025, 10, 1): 5.3252, date(2025, 10, 2): 5.3355,
                                             date(2025, 10, 3): 5.3384, date(2025, 10, 6): 5.3287,
                                             date(2025, 10, 7): 5.3445}
    assert all(o.release_date == o.observation_date for o in batch.observations)
    assert {o.source for o in batch.observations} == {"bcb_ptax"}


def test_the_request_names_the_window_in_month_day_year_parameters(server, olinda):
    serve(server, fixture("ptax_dolar_2025-10-01_2025-10-07.json"))

    BcbPtaxConnector(olinda).fetch(START, END)

    (request,) = server.hits(ROUTE)
    assert request.path == PTAX_PATH
    assert request.query == {"@dataInicial": ["'10-01-2025'"], "@dataFinalCotacao": ["'10-07-2025'"],
                             "$orderby": ["dataHoraCotacao"], "$format": ["json"], "$top": ["1000"],
                             "$skip": ["0"]}


def test_of_labelled_bulletins_only_the_closing_one_is_kept(server, olinda):
    serve(server, fixture("ptax_moeda_bulletins_2025-10-01.json"))

    batch = BcbPtaxConnector(olinda).fetch(START, END)

    # The last intermediate bulletin (5.3309/5.3315) precedes the closing one by 15 ms.
    assert values(batch, "BR_PTAX_BUY") == {date(2025, 10, 1): 5.3246}
    assert values(batch, "BR_PTAX_SELL") == {date(2025, 10, 1): 5.3252}


def test_of_several_unlabelled_bulletins_a_day_the_last_one_is_the_closing(server, olinda):
    serve(server, fixture("ptax_dolar_1984-12-03_1984-12-04.json"))

    batch = BcbPtaxConnector(olinda).fetch(date(1984, 12, 3), date(1984, 12, 4))

    assert values(batch, "BR_PTAX_BUY") == {date(1984, 12, 3): 2814.0, date(1984, 12, 4): 2870.0}
    assert values(batch, "BR_PTAX_SELL") == {date(1984, 12, 3): 2828.0, date(1984, 12, 4): 2885.0}


def test_an_identical_repeated_bulletin_is_kept_once(server, olinda):
    payload = fixture_json("ptax_dolar_2025-10-01_2025-10-07.json")
    payload["value"].append(dict(payload["value"][0]))
    serve(server, payload)

    batch = BcbPtaxConnector(olinda).fetch(START, END)

    assert batch.row_count == 10


def test_two_different_closing_bulletins_at_one_instant_are_a_payload_error(server, olinda):
    payload = fixture_json("ptax_dolar_2025-10-01_2025-10-07.json")
    payload["value"].append(dict(payload["value"][0], cotacaoVenda=5.4))
    serve(server, payload)

    with pytest.raises(PayloadError, match="different closing bulletins") as caught:
        BcbPtaxConnector(olinda).fetch(START, END)
    assert caught.value.day == date(2025, 10, 1)


def test_a_missing_rate_is_skipped_and_the_other_side_kept(server, olinda):
    payload = fixture_json("ptax_dolar_2025-10-01_2025-10-07.json")
    payload["value"][0]["cotacaoCompra"] = None
    serve(server, payload)

    batch = BcbPtaxConnector(olinda).fetch(START, END)

    assert date(2025, 10, 1) not in values(batch, "BR_PTAX_BUY")
    assert values(batch, "BR_PTAX_SELL")[date(2025, 10, 1)] == 5.3252


def test_a_decimal_comma_rate_is_a_payload_error_naming_series_and_date(server, olinda):
    payload = fixture_json("ptax_dolar_2025-10-01_2025-10-07.json")
    payload["value"][2]["cotacaoCompra"] = "5,3378"
    serve(server, payload)

    with pytest.raises(PayloadError, match="5,3378") as caught:
        BcbPtaxConnector(olinda).fetch(START, END)
    assert (caught.value.source, caught.value.series, caught.value.day) == ("bcb_ptax", "BR_PTAX_BUY",
                                                                            date(2025, 10, 3))


def test_a_bulletin_without_the_sell_rate_is_a_payload_error(server, olinda):
    payload = fixture_json("ptax_dolar_2025-10-01_2025-10-07.json")
    del payload["value"][1]["cotacaoVenda"]
    serve(server, payload)

    with pytest.raises(PayloadError, match="without 'cotacaoVenda'") as caught:
        BcbPtaxConnector(olinda).fetch(START, END)
    assert caught.value.series == "BR_PTAX_SELL"


def test_an_impossible_bulletin_time_is_a_payload_error(server, olinda):
    payload = fixture_json("ptax_dolar_2025-10-01_2025-10-07.json")
    payload["value"][3]["dataHoraCotacao"] = "2025-13-06 13:09:02.0"
    serve(server, payload)

    with pytest.raises(PayloadError, match="2025-13-06"):
        BcbPtaxConnector(olinda).fetch(START, END)


def test_a_window_without_bulletins_is_an_empty_batch(server, olinda):
    serve(server, fixture("olinda_empty.json"))

    batch = BcbPtaxConnector(olinda).fetch(date(2025, 10, 11), date(2025, 10, 12))

    assert batch.row_count == 0


def test_an_html_page_is_a_payload_error(server, olinda):
    serve(server, "<!DOCTYPE html><html><body><h1>Serviço indisponível</h1></body></html>")

    with pytest.raises(PayloadError, match="HTML page"):
        BcbPtaxConnector(olinda).fetch(START, END)


def test_an_empty_body_is_a_payload_error(server, olinda):
    serve(server, "")

    with pytest.raises(PayloadError, match="empty body"):
        BcbPtaxConnector(olinda).fetch(START, END)


def test_a_429_then_success_is_retried_and_succeeds(server, olinda):
    server.route(ROUTE, Reply(429, "Too Many Requests", "text/plain"),
                 Reply(body=fixture("ptax_dolar_2025-10-01_2025-10-07.json")))

    batch = BcbPtaxConnector(olinda).fetch(START, END)

    assert len(server.hits(ROUTE)) == 2
    assert batch.row_count == 10


def test_a_500_three_times_is_source_unavailable_after_three_requests(server, olinda):
    server.route(ROUTE, Reply(500, "Internal Server Error", "text/plain"))

    with pytest.raises(SourceUnavailableError, match="HTTP 500"):
        BcbPtaxConnector(olinda).fetch(START, END)
    assert len(server.hits(ROUTE)) == 3


def test_olinda_rows_are_read_page_by_page_until_a_short_page(server, olinda):
    rows = fixture_json("ptax_dolar_2025-10-01_2025-10-07.json")["value"]
    pages = [{"@odata.context": "ctx", "value": rows[i:i + 2]} for i in (0, 2, 4)]
    server.route(ROUTE, *(Reply(body=json.dumps(page)) for page in pages))

    read = olinda_rows(olinda, PTAX_PATH, [("$format", "json")], source="bcb_ptax", what="PTAX", series="x",
                       page_size=2)

    assert read == rows
    assert [r.query["$skip"] for r in server.hits(ROUTE)] == [["0"], ["2"], ["4"]]
    assert {r.query["$top"][0] for r in server.hits(ROUTE)} == {"2"}
