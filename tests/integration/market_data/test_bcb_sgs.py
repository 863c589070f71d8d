"""BcbSgsConnector end to end: real HttpFetcher against the loopback server serving BCB-format fixtures."""

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from adapters.market_data.bcb_payload import olinda_query
from adapters.market_data.bcb_sgs import FOCUS_PATH, BcbSgsConnector, sgs_path
from adapters.market_data.http import HttpFetcher, RetryPolicy
from application.errors import PayloadError, SourceUnavailableError
from domain.market.bronze import BronzeBatch, Connector
from domain.market.series import SERIES, series_for
from tests.loopback import LoopbackServer, Reply

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "bcb"
POLICY = RetryPolicy(attempts=3, initial_seconds=0.01)
ANNUAL = f"{FOCUS_PATH}/ExpectativasMercadoAnuais"
TWELVE = f"{FOCUS_PATH}/ExpectativasMercadoInflacao12Meses"
SELIC, IPCA = SERIES["BR_SELIC_TARGET"], SERIES["BR_IPCA_MOM"]
START, END = date(2025, 9, 1), date(2025, 10, 10)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text(encoding="utf-8")


def fixture_json(name: str) -> Any:
    return json.loads(fixture(name))


def values(batch: BronzeBatch, series_id: str) -> dict[date, float]:
    return {o.observation_date: o.value for o in batch.observations if o.series_id == series_id}


def releases(batch: BronzeBatch, series_id: str) -> dict[date, date]:
    return {o.observation_date: o.release_date for o in batch.observations if o.series_id == series_id}


@pytest.fixture
def fetchers(server: LoopbackServer) -> Iterator[tuple[HttpFetcher, HttpFetcher]]:
    sgs = HttpFetcher("bcb_sgs", server.url, policy=POLICY)
    olinda = HttpFetcher("bcb_olinda", server.url, policy=POLICY)
    yield sgs, olinda
    sgs.close()
    olinda.close()


def only(fetchers: tuple[HttpFetcher, HttpFetcher], *series_ids: str) -> BcbSgsConnector:
    return BcbSgsConnector(*fetchers, series=[SERIES[s] for s in series_ids])


def serve_selic(server: LoopbackServer, body: Any, status: int = 200) -> None:
    server.route(sgs_path("432"), Reply(status, body if isinstance(body, str) else json.dumps(body)))


# --- normal fetches -------------------------------------------------------------------------------------


def test_a_multi_series_fetch_returns_sgs_and_focus_values_with_their_release_dates(server, fetchers):
    server.route(sgs_path("432"), Reply(body=fixture("sgs_432_2025-09-01_2025-10-10.json")))
    server.route(sgs_path("433"), Reply(body=fixture("sgs_433_2025-08_2025-09.json")))
    server.route(ANNUAL, Reply(body=fixture("focus_annual_2025-10.json")))
    server.route(TWELVE, Reply(body=fixture("focus_ipca_12m_2025-10.json")))
    connector = only(fetchers, "BR_SELIC_TARGET", "BR_IPCA_MOM", "BR_FOCUS_IPCA_12M", "BR_FOCUS_IPCA_CY",
                     "BR_FOCUS_IPCA_NY", "BR_FOCUS_SELIC_CY", "BR_FOCUS_SELIC_NY")

    batch = connector.fetch(START, END)

    assert (batch.connector, batch.start, batch.end) == (Connector.BCB_SGS, START, END)
    assert batch.row_count == 40 + 1 + 2 + 4 * 2
    assert {o.source for o in batch.observations} == {"bcb_sgs"}
    selic = values(batch, "BR_SELIC_TARGET")
    assert len(selic) == 40 and set(selic.values()) == {15.0}
    assert releases(batch, "BR_SELIC_TARGET")[date(2025, 9, 7)] == date(2025, 9, 7)  # lag 0
    # August precedes the window and is dropped; monthly values are dated the 1st; the 40-day lag is capped
    # at the fetch's as-of date, when the value was known at the latest.
    assert values(batch, "BR_IPCA_MOM") == {date(2025, 9, 1): 0.48}
    assert releases(batch, "BR_IPCA_MOM") == {date(2025, 9, 1): date(2025, 10, 11)}
    assert values(batch, "BR_FOCUS_IPCA_CY") == {date(2025, 10, 3): 4.8, date(2025, 10, 10): 4.72}
    assert values(batch, "BR_FOCUS_IPCA_NY") == {date(2025, 10, 3): 4.28, date(2025, 10, 10): 4.28}
    assert values(batch, "BR_FOCUS_SELIC_CY") == {date(2025, 10, 3): 15.0, date(2025, 10, 10): 15.0}
    assert values(batch, "BR_FOCUS_SELIC_NY") == {date(2025, 10, 3): 12.25, date(2025, 10, 10): 12.25}
    assert values(batch, "BR_FOCUS_IPCA_12M") == {date(2025, 10, 3): 4.33, date(2025, 10, 10): 4.29}
    # Focus is published on the first business day of the following week.
    assert releases(batch, "BR_FOCUS_IPCA_CY") == {date(2025, 10, 3): date(2025, 10, 6),
                                                   date(2025, 10, 10): date(2025, 10, 13)}


def test_sgs_requests_carry_the_window_in_brazilian_date_format(server, fetchers):
    server.route(sgs_path("433"), Reply(body=fixture("sgs_433_2025-08_2025-09.json")))

    only(fetchers, "BR_IPCA_MOM").fetch(START, END)

    (request,) = server.hits(sgs_path("433"))
    assert request.query == {"formato": ["json"], "dataInicial": ["01/09/2025"], "dataFinal": ["10/10/2025"]}


def test_focus_queries_filter_indicators_dates_base_and_smoothing(server, fetchers):
    server.route(ANNUAL, Reply(body=fixture("focus_annual_2025-10.json")))
    server.route(TWELVE, Reply(body=fixture("focus_ipca_12m_2025-10.json")))

    only(fetchers, "BR_FOCUS_IPCA_CY", "BR_FOCUS_SELIC_NY", "BR_FOCUS_IPCA_12M").fetch(START, END)

    (annual,) = server.hits(ANNUAL)
    assert annual.query == {
        "$filter": ["(Indicador eq 'IPCA' or Indicador eq 'Selic') and Data ge '2025-09-01' and "
                    "Data le '2025-10-10' and baseCalculo eq 0"],
        "$select": ["Indicador,IndicadorDetalhe,Data,DataReferencia,Mediana,baseCalculo"],
        "$orderby": ["Data,Indicador,DataReferencia"], "$format": ["json"], "$top": ["1000"], "$skip": ["0"],
    }
    (twelve,) = server.hits(TWELVE)
    assert twelve.query["$filter"] == ["(Indicador eq 'IPCA') and Data ge '2025-09-01' and "
                                       "Data le '2025-10-10' and baseCalculo eq 0 and Suavizada eq 'S'"]
    assert twelve.query["$select"] == ["Indicador,Data,Suavizada,Mediana,baseCalculo"]


def test_olinda_queries_encode_spaces_as_percent_20_never_plus():
    query = olinda_query([("$filter", "Indicador eq 'Câmbio' and Data ge '2025-01-01'"), ("$format", "json")])

    assert query == "$filter=Indicador%20eq%20'C%C3%A2mbio'%20and%20Data%20ge%20'2025-01-01'&$format=json"


def test_by_default_every_catalogued_series_is_requested(server, fetchers):
    server.route("/dados/serie/", Reply(404, fixture("sgs_no_values_404.json")))
    server.route(ANNUAL, Reply(body=fixture("olinda_empty.json")))
    server.route(TWELVE, Reply(body=fixture("olinda_empty.json")))

    batch = BcbSgsConnector(*fetchers).fetch(date(2025, 10, 6), date(2025, 10, 10))

    assert batch.row_count == 0
    sgs_codes = {s.code for s in series_for(Connector.BCB_SGS) if s.code.isdigit()}
    assert {r.path for r in server.hits("/dados/serie/")} == {sgs_path(code) for code in sgs_codes}
    assert len(server.hits("/dados/serie/")) == len(sgs_codes) == 17
    (annual,) = server.hits(ANNUAL)
    assert annual.query["$filter"][0].startswith(
        "(Indicador eq 'Câmbio' or Indicador eq 'IPCA' or Indicador eq 'PIB Total' or Indicador eq 'Selic')")


def test_a_window_longer_than_ten_years_is_split_into_two_sgs_requests_for_a_daily_series(server, fetchers):
    server.route(sgs_path("432"), Reply(body=fixture("sgs_432_2014-01-01_2023-12-31.json")),
                 Reply(body=fixture("sgs_432_2024-01-01_2025-06-30.json")))
    server.route(sgs_path("433"), Reply(body=fixture("sgs_433_2014-01_2025-06.json")))

    batch = only(fetchers, "BR_SELIC_TARGET", "BR_IPCA_MOM").fetch(date(2014, 1, 1), date(2025, 6, 30))

    windows = [(r.query["dataInicial"], r.query["dataFinal"]) for r in server.hits(sgs_path("432"))]
    assert windows == [(["01/01/2014"], ["31/12/2023"]), (["01/01/2024"], ["30/06/2025"])]
    monthly = [(r.query["dataInicial"], r.query["dataFinal"]) for r in server.hits(sgs_path("433"))]
    assert monthly == [(["01/01/2014"], ["30/06/2025"])]  # the ten-year limit binds daily series only
    assert values(batch, "BR_SELIC_TARGET") == {date(2014, 1, 1): 10.0, date(2023, 12, 31): 11.75,
                                                date(2024, 1, 1): 11.75, date(2025, 6, 30): 15.0}
    assert values(batch, "BR_IPCA_MOM") == {date(2014, 1, 1): 0.55, date(2025, 6, 1): 0.24}


def test_the_sgs_not_found_answer_for_a_window_without_values_is_an_empty_series(server, fetchers):
    server.route(sgs_path("432"), Reply(body=fixture("sgs_432_2025-09-01_2025-10-10.json")))
    server.route(sgs_path("433"), Reply(404, fixture("sgs_no_values_404.json")))

    batch = only(fetchers, "BR_SELIC_TARGET", "BR_IPCA_MOM").fetch(START, END)

    assert values(batch, "BR_IPCA_MOM") == {}
    assert len(values(batch, "BR_SELIC_TARGET")) == 40
    assert len(server.hits(sgs_path("433"))) == 1  # a 404 is an answer, not retried


def test_missing_values_are_skipped_and_the_rest_kept(server, fetchers):
    serve_selic(server, [{"data": "01/10/2025", "valor": ""}, {"data": "02/10/2025", "valor": "."},
                         {"data": "03/10/2025", "valor": None}, {"data": "06/10/2025", "valor": "15.00"}])

    batch = only(fetchers, "BR_SELIC_TARGET").fetch(START, END)

    assert values(batch, "BR_SELIC_TARGET") == {date(2025, 10, 6): 15.0}


def test_identical_duplicate_dates_are_kept_once(server, fetchers):
    serve_selic(server, [{"data": "01/10/2025", "valor": "15.00"}, {"data": "01/10/2025", "valor": "15.00"}])

    batch = only(fetchers, "BR_SELIC_TARGET").fetch(START, END)

    assert values(batch, "BR_SELIC_TARGET") == {date(2025, 10, 1): 15.0}
    assert batch.row_count == 1


# --- failures: the fetch raises and returns nothing --------------------------------------------------------


def test_an_html_error_page_where_json_was_expected_is_a_payload_error(server, fetchers):
    serve_selic(server, "<html><head><title>Requisição inválida!</title></head><body>Erro</body></html>")

    with pytest.raises(PayloadError, match="HTML page"):
        only(fetchers, "BR_SELIC_TARGET").fetch(START, END)


def test_an_empty_body_is_a_payload_error(server, fetchers):
    serve_selic(server, "")

    with pytest.raises(PayloadError, match="empty body"):
        only(fetchers, "BR_SELIC_TARGET").fetch(START, END)


def test_an_sgs_error_object_with_status_200_is_a_payload_error(server, fetchers):
    serve_selic(server, fixture("sgs_window_too_long_406.json"))

    with pytest.raises(PayloadError, match="10 anos") as caught:
        only(fetchers, "BR_SELIC_TARGET").fetch(START, END)
    assert caught.value.series == "BR_SELIC_TARGET"


def test_a_refused_query_is_source_unavailable_without_retry(server, fetchers):
    serve_selic(server, fixture("sgs_window_too_long_406.json"), status=406)

    with pytest.raises(SourceUnavailableError, match="HTTP 406"):
        only(fetchers, "BR_SELIC_TARGET").fetch(START, END)
    assert len(server.hits(sgs_path("432"))) == 1


def test_a_malformed_number_is_a_payload_error_naming_source_series_and_date(server, fetchers):
    serve_selic(server, [{"data": "01/10/2025", "valor": "15.00"}, {"data": "02/10/2025", "valor": "12,2x"}])

    with pytest.raises(PayloadError, match="12,2x") as caught:
        only(fetchers, "BR_SELIC_TARGET").fetch(START, END)
    assert (caught.value.source, caught.value.series, caught.value.day) == ("bcb_sgs", "BR_SELIC_TARGET",
                                                                            date(2025, 10, 2))


def test_a_decimal_comma_is_a_payload_error_because_sgs_json_uses_a_dot(server, fetchers):
    serve_selic(server, [{"data": "01/10/2025", "valor": "15,00"}])

    with pytest.raises(PayloadError, match="dot-decimal"):
        only(fetchers, "BR_SELIC_TARGET").fetch(START, END)


def test_an_impossible_date_is_a_payload_error_naming_the_series(server, fetchers):
    serve_selic(server, [{"data": "32/13/2025", "valor": "15.00"}])

    with pytest.raises(PayloadError, match="32/13/2025") as caught:
        only(fetchers, "BR_SELIC_TARGET").fetch(START, END)
    assert caught.value.series == "BR_SELIC_TARGET"


def test_a_record_without_valor_is_a_payload_error(server, fetchers):
    serve_selic(server, [{"data": "01/10/2025"}])

    with pytest.raises(PayloadError, match="without 'valor'") as caught:
        only(fetchers, "BR_SELIC_TARGET").fetch(START, END)
    assert caught.value.series == "BR_SELIC_TARGET"


def test_different_values_for_one_date_are_a_payload_error(server, fetchers):
    serve_selic(server, [{"data": "01/10/2025", "valor": "15.00"}, {"data": "01/10/2025", "valor": "14.75"}])

    with pytest.raises(PayloadError, match="two different values") as caught:
        only(fetchers, "BR_SELIC_TARGET").fetch(START, END)
    assert (caught.value.series, caught.value.day) == ("BR_SELIC_TARGET", date(2025, 10, 1))


def test_a_defect_in_one_series_fails_the_whole_fetch(server, fetchers):
    server.route(sgs_path("432"), Reply(body=fixture("sgs_432_2025-09-01_2025-10-10.json")))
    server.route(sgs_path("433"), Reply(body=json.dumps([{"data": "01/09/2025", "valor": "0,48"}])))

    with pytest.raises(PayloadError) as caught:
        only(fetchers, "BR_SELIC_TARGET", "BR_IPCA_MOM").fetch(START, END)
    assert caught.value.series == "BR_IPCA_MOM"


# --- retries ---------------------------------------------------------------------------------------------


def test_a_429_then_success_is_retried_and_succeeds(server, fetchers):
    server.route(sgs_path("432"), Reply(429, "Too Many Requests", "text/plain"),
                 Reply(body=fixture("sgs_432_2025-09-01_2025-10-10.json")))

    batch = only(fetchers, "BR_SELIC_TARGET").fetch(START, END)

    assert len(server.hits(sgs_path("432"))) == 2
    assert len(values(batch, "BR_SELIC_TARGET")) == 40


def test_a_500_three_times_is_source_unavailable_after_three_requests(server, fetchers):
    server.route(sgs_path("432"), Reply(500, "Internal Server Error", "text/plain"))

    with pytest.raises(SourceUnavailableError, match="HTTP 500"):
        only(fetchers, "BR_SELIC_TARGET").fetch(START, END)
    assert len(server.hits(sgs_path("432"))) == 3


# --- Focus ----------------------------------------------------------------------------------------------


def test_focus_current_and_next_year_follow_the_survey_dates_year(server, fetchers):
    server.route(ANNUAL, Reply(body=fixture("focus_annual_year_turn.json")))

    connector = only(fetchers, "BR_FOCUS_IPCA_CY", "BR_FOCUS_IPCA_NY")

    batch = connector.fetch(date(2024, 12, 20), date(2025, 1, 10))

    # Surveyed in 2024: CY is 2024 and NY 2025; surveyed in 2025: CY is 2025 and NY 2026.
    assert values(batch, "BR_FOCUS_IPCA_CY") == {date(2024, 12, 27): 4.91, date(2025, 1, 3): 4.99}
    assert values(batch, "BR_FOCUS_IPCA_NY") == {date(2024, 12, 27): 4.96, date(2025, 1, 3): 4.03}
    assert releases(batch, "BR_FOCUS_IPCA_NY") == {date(2024, 12, 27): date(2024, 12, 30),
                                                   date(2025, 1, 3): date(2025, 1, 6)}


def test_focus_rows_of_another_base_or_a_detail_breakdown_are_not_mixed_in(server, fetchers):
    payload = fixture_json("focus_annual_2025-10.json")
    extra = dict(payload["value"][0], Mediana=4.95, baseCalculo=1)
    detail = dict(payload["value"][0], Mediana=1.11, IndicadorDetalhe="Administrados")
    payload["value"] += [extra, detail]
    server.route(ANNUAL, Reply(body=json.dumps(payload)))

    batch = only(fetchers, "BR_FOCUS_IPCA_CY").fetch(START, END)

    assert values(batch, "BR_FOCUS_IPCA_CY") == {date(2025, 10, 3): 4.8, date(2025, 10, 10): 4.72}


def test_a_malformed_focus_median_is_a_payload_error_naming_series_and_date(server, fetchers):
    payload = fixture_json("focus_annual_2025-10.json")
    payload["value"][1]["Mediana"] = "4,2x"  # IPCA 2026 surveyed 2025-10-03
    server.route(ANNUAL, Reply(body=json.dumps(payload)))

    with pytest.raises(PayloadError, match="4,2x") as caught:
        only(fetchers, "BR_FOCUS_IPCA_CY", "BR_FOCUS_IPCA_NY").fetch(START, END)
    assert (caught.value.series, caught.value.day) == ("BR_FOCUS_IPCA_NY", date(2025, 10, 3))


def test_a_focus_row_without_mediana_is_a_payload_error(server, fetchers):
    payload = fixture_json("focus_ipca_12m_2025-10.json")
    del payload["value"][0]["Mediana"]
    server.route(TWELVE, Reply(body=json.dumps(payload)))

    with pytest.raises(PayloadError, match="without 'Mediana'"):
        only(fetchers, "BR_FOCUS_IPCA_12M").fetch(START, END)


def test_a_focus_answer_without_the_odata_envelope_is_a_payload_error(server, fetchers):
    server.route(TWELVE, Reply(body=json.dumps(fixture_json("focus_ipca_12m_2025-10.json")["value"])))

    with pytest.raises(PayloadError, match="OData envelope") as caught:
        only(fetchers, "BR_FOCUS_IPCA_12M").fetch(START, END)
    assert caught.value.series == "BR_FOCUS_IPCA_12M"


def test_two_different_focus_medians_for_one_survey_date_are_a_payload_error(server, fetchers):
    payload = fixture_json("focus_ipca_12m_2025-10.json")
    payload["value"].append(dict(payload["value"][0], Mediana=4.5))
    server.route(TWELVE, Reply(body=json.dumps(payload)))

    with pytest.raises(PayloadError, match="two different values") as caught:
        only(fetchers, "BR_FOCUS_IPCA_12M").fetch(START, END)
    assert (caught.value.series, caught.value.day) == ("BR_FOCUS_IPCA_12M", date(2025, 10, 3))


def test_an_impossible_focus_reference_year_is_a_payload_error(server, fetchers):
    payload = fixture_json("focus_annual_year_turn.json")
    payload["value"][0]["DataReferencia"] = "2o24"
    server.route(ANNUAL, Reply(body=json.dumps(payload)))

    with pytest.raises(PayloadError, match="2o24"):
        only(fetchers, "BR_FOCUS_IPCA_CY").fetch(date(2024, 12, 20), date(2025, 1, 10))


# --- construction ---------------------------------------------------------------------------------------


def test_series_of_another_connector_are_refused(fetchers):
    with pytest.raises(ValueError, match="BR_PTAX_BUY"):
        BcbSgsConnector(*fetchers, series=[SELIC, SERIES["BR_PTAX_BUY"]])


def test_a_window_ending_before_it_starts_is_refused(fetchers):
    with pytest.raises(ValueError, match="before it starts"):
        only(fetchers, "BR_IPCA_MOM").fetch(END, START)
