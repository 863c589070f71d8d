"""Treasury connector (US par curves, Tesouro Direto) end to end through HttpFetcher and the loopback server.

US Treasury serves the nominal and the real curve of one year at the same path (the curve is in the
query string), so each year's route answers the nominal CSV first and the real CSV second, the
order in which the connector asks; every test also asserts which ``type`` was requested.
"""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from adapters.market_data.http import HttpFetcher, RetryPolicy
from adapters.market_data.treasury import TESOURO_CSV_PATH, US_TREASURY_CSV_PATH, TreasuryConnector
from application.errors import PayloadError, SourceUnavailableError
from domain.market.bronze import Connector, DayCount
from tests.loopback import LoopbackServer, Reply

FIXTURES = Path(__file__).parents[2] / "fixtures" / "treasury"
NOMINAL, REAL = "daily_treasury_yield_curve", "daily_treasury_real_yield_curve"


def csv(name: str) -> Reply:
    return Reply(200, (FIXTURES / name).read_bytes(), "text/csv")


def us_year(server: LoopbackServer, year: int) -> None:
    """Route one year's nominal then real CSV fixtures."""
    server.route(us_path(year), csv(f"{NOMINAL}_{year}.csv"), csv(f"{REAL}_{year}.csv"))


def us_path(year: int) -> str:
    return US_TREASURY_CSV_PATH.format(year=year)


@pytest.fixture
def connector(server: LoopbackServer) -> Iterator[TreasuryConnector]:
    policy = RetryPolicy(attempts=3, initial_seconds=0.01)
    us = HttpFetcher("treasury", server.url, policy=policy)
    tesouro = HttpFetcher("treasury", server.url, policy=policy)
    yield TreasuryConnector(us, tesouro)
    us.close()
    tesouro.close()


def route_year_end(server: LoopbackServer) -> None:
    """The fixtures of a fetch over the 2024/2025 year end."""
    us_year(server, 2024)
    us_year(server, 2025)
    server.route(TESOURO_CSV_PATH, csv("PrecoTaxaTesouroDireto.csv"))


def requested(server: LoopbackServer) -> list[tuple[str, str, str]]:
    return [(r.path, r.query.get("type", [""])[0], r.query.get("field_tdr_date_value", [""])[0])
            for r in server.requests]


def test_a_year_end_window_gives_both_us_curves_in_decimals_and_act365_tenors(
        server: LoopbackServer, connector: TreasuryConnector) -> None:
    route_year_end(server)

    batch = connector.fetch(date(2024, 12, 27), date(2025, 1, 2))

    assert batch.connector == Connector.TREASURY
    assert requested(server) == [(us_path(2024), NOMINAL, "2024"), (us_path(2024), REAL, "2024"),
                                 (us_path(2025), NOMINAL, "2025"), (us_path(2025), REAL, "2025"),
                                 (TESOURO_CSV_PATH, "", "")]
    assert server.requests[0].query["_format"] == ["csv"]
    curve = {(p.curve_id, p.curve_date, p.tenor_days): p.rate for p in batch.curve_points}
    assert curve[("UST_NOMINAL", date(2024, 12, 31), 3652)] == pytest.approx(0.0458)  # "10 Yr" 4.58
    assert curve[("UST_NOMINAL", date(2024, 12, 31), 30)] == pytest.approx(0.0440)  # "1 Mo" 4.40
    assert curve[("UST_NOMINAL", date(2024, 12, 31), 10957)] == pytest.approx(0.0478)  # "30 Yr" 4.78
    assert curve[("UST_REAL", date(2024, 12, 31), 3652)] == pytest.approx(0.0223)  # "10 YR" 2.23
    assert curve[("UST_NOMINAL", date(2025, 1, 2), 730)] == pytest.approx(0.0425)  # "2 Yr" 4.25
    assert {p.day_count for p in batch.curve_points} == {DayCount.ACT365}
    assert {p.source for p in batch.curve_points} == {"treasury"}
    # 12/27, 12/30, 12/31 and 01/02 are in the window; 12/26 and 01/03 are not. The 2025 file's
    # "1.5 Month" column is blank on those days and has no tenor mapping.
    nominal_dates = {p.curve_date for p in batch.curve_points if p.curve_id == "UST_NOMINAL"}
    assert nominal_dates == {date(2024, 12, 27), date(2024, 12, 30), date(2024, 12, 31), date(2025, 1, 2)}
    assert sum(p.curve_id == "UST_NOMINAL" for p in batch.curve_points) == 4 * 13
    assert sum(p.curve_id == "UST_REAL" for p in batch.curve_points) == 4 * 5


def test_tesouro_ntnb_and_ltn_come_with_base_pu_and_buy_rate_in_the_window_only(
        server: LoopbackServer, connector: TreasuryConnector) -> None:
    route_year_end(server)

    batch = connector.fetch(date(2024, 12, 27), date(2025, 1, 2))

    prices = {(p.instrument, p.trade_date): (p.price, p.rate) for p in batch.prices}
    ntnb = prices[("NTNB_20350515", date(2024, 12, 30))]
    assert ntnb[0] == 4082.32 and ntnb[1] == pytest.approx(0.0727)  # "4082,32" and "7,27"
    ltn = prices[("LTN_20270101", date(2025, 1, 2))]
    assert ltn[0] == 750.77 and ltn[1] == pytest.approx(0.1539)
    # LTN 2026 was closed to purchases (buy rate and buy PU 0,00): its price stays, its rate is None.
    assert prices[("LTN_20260101", date(2024, 12, 30))] == (874.31, None)
    # Selic, IPCA+ principal, Prefixado com Juros Semestrais, Renda+, Educa+ and 2023 rows are out.
    assert {i for i, _ in prices} == {"NTNB_20350515", "NTNB_20500815", "LTN_20260101", "LTN_20270101",
                                      "LTN_20310101"}
    assert {d for _, d in prices} == {date(2024, 12, 27), date(2024, 12, 30), date(2025, 1, 2)}
    assert len(batch.prices) == 5 * 3
    assert [p.trade_date for p in batch.prices] == sorted(p.trade_date for p in batch.prices)


def test_blank_cells_are_tenors_that_were_not_published(server: LoopbackServer,
                                                        connector: TreasuryConnector) -> None:
    us_year(server, 2005)
    server.route(TESOURO_CSV_PATH, csv("PrecoTaxaTesouroDireto.csv"))

    batch = connector.fetch(date(2005, 6, 1), date(2005, 6, 2))

    nominal = [p for p in batch.curve_points if p.curve_id == "UST_NOMINAL"]
    # 2005 had no 2- or 4-month bill columns and a blank 30-year (not issued 2002-2006).
    assert sorted({p.tenor_days for p in nominal}) == [30, 91, 182, 365, 730, 1095, 1826, 2557, 3652, 7305]
    assert len(nominal) == 2 * 10
    real = {(p.curve_date, p.tenor_days): p.rate for p in batch.curve_points if p.curve_id == "UST_REAL"}
    assert real[(date(2005, 6, 2), 1826)] == pytest.approx(0.0124)
    assert batch.prices == ()


def test_years_before_a_curve_existed_are_not_requested(server: LoopbackServer,
                                                        connector: TreasuryConnector) -> None:
    header_only = Reply(200, 'Date,"5 YR","7 YR","10 YR"\n', "text/csv")
    server.route(us_path(2002), Reply(200, 'Date,"3 Mo","6 Mo","1 Yr","10 Yr"\n', "text/csv"))
    server.route(us_path(2003), Reply(200, 'Date,"3 Mo","6 Mo","1 Yr","10 Yr"\n', "text/csv"), header_only)
    server.route(TESOURO_CSV_PATH, csv("PrecoTaxaTesouroDireto.csv"))

    batch = connector.fetch(date(2002, 12, 30), date(2003, 1, 2))

    # The real curve starts in 2003: Treasury answers an empty body for 2002, so it is not asked.
    assert requested(server)[:3] == [(us_path(2002), NOMINAL, "2002"), (us_path(2003), NOMINAL, "2003"),
                                     (us_path(2003), REAL, "2003")]
    assert batch.row_count == 0


def test_an_html_page_where_a_csv_was_expected_is_a_payload_error(server: LoopbackServer,
                                                                  connector: TreasuryConnector) -> None:
    maintenance = Reply(200, "<!DOCTYPE html>\n<html><head><title>Site Maintenance</title></head>"
                        "<body>Treasury.gov is undergoing maintenance.</body></html>", "text/html")
    server.route(us_path(2024), maintenance)

    with pytest.raises(PayloadError, match="got an HTML page") as caught:
        connector.fetch(date(2024, 12, 27), date(2024, 12, 31))

    assert (caught.value.source, caught.value.series) == ("treasury", "UST_NOMINAL")
    assert len(server.hits(us_path(2024))) == 3  # a maintenance page is transient: retried like a 5xx


def test_an_html_page_from_tesouro_is_a_payload_error(server: LoopbackServer,
                                                      connector: TreasuryConnector) -> None:
    route_year_end(server)
    server.route(TESOURO_CSV_PATH, Reply(200, "<html><body><h1>Tesouro Transparente</h1></body></html>",
                                         "text/html"))

    with pytest.raises(PayloadError, match="got an HTML page") as caught:
        connector.fetch(date(2024, 12, 27), date(2024, 12, 31))

    assert caught.value.series == "TESOURO_DIRETO"
    assert len(server.hits(TESOURO_CSV_PATH)) == 3


def test_empty_bodies_are_payload_errors(server: LoopbackServer, connector: TreasuryConnector) -> None:
    server.route(us_path(2024), Reply(200, "", "text/csv"))
    with pytest.raises(PayloadError, match="empty body") as us_error:
        connector.fetch(date(2024, 12, 27), date(2024, 12, 31))

    route_year_end(server)
    server.route(TESOURO_CSV_PATH, Reply(200, "\r\n", "text/csv"))
    with pytest.raises(PayloadError, match="empty body") as tesouro_error:
        connector.fetch(date(2024, 12, 27), date(2024, 12, 31))

    assert us_error.value.series == "UST_NOMINAL" and tesouro_error.value.series == "TESOURO_DIRETO"


def test_a_malformed_yield_names_curve_tenor_and_date(server: LoopbackServer,
                                                      connector: TreasuryConnector) -> None:
    body = (FIXTURES / f"{NOMINAL}_2024.csv").read_bytes().replace(b"4.58,4.86", b"4.5.8,4.86")
    route_year_end(server)
    server.route(us_path(2024), Reply(200, body, "text/csv"))

    with pytest.raises(PayloadError, match=r"tenor '10 Yr': unreadable yield '4\.5\.8'") as caught:
        connector.fetch(date(2024, 12, 27), date(2024, 12, 31))

    assert (caught.value.series, caught.value.day) == ("UST_NOMINAL", date(2024, 12, 31))


def test_a_malformed_tesouro_number_names_the_bond_and_the_date(server: LoopbackServer,
                                                                connector: TreasuryConnector) -> None:
    original = (FIXTURES / "PrecoTaxaTesouroDireto.csv").read_bytes()
    body = original.replace(b"4082,32;4082,32", b"4082,32;4O82,32")
    route_year_end(server)
    server.route(TESOURO_CSV_PATH, Reply(200, body, "text/csv"))

    with pytest.raises(PayloadError, match="PU Base Manha: unreadable number '4O82,32'") as caught:
        connector.fetch(date(2024, 12, 27), date(2024, 12, 31))

    assert (caught.value.series, caught.value.day) == ("NTNB_20350515", date(2024, 12, 30))


def test_missing_columns_are_payload_errors(server: LoopbackServer, connector: TreasuryConnector) -> None:
    route_year_end(server)
    lines = (FIXTURES / "PrecoTaxaTesouroDireto.csv").read_text().splitlines()
    without_base_pu = "\n".join(line.rsplit(";", 1)[0] for line in lines)
    server.route(TESOURO_CSV_PATH, Reply(200, without_base_pu, "text/csv"))
    with pytest.raises(PayloadError, match=r"lacks column\(s\) \['PU Base Manha'\]"):
        connector.fetch(date(2024, 12, 27), date(2024, 12, 31))

    server.route(us_path(2024), Reply(200, '"1 Mo","2 Mo"\n4.40,4.39\n', "text/csv"))
    with pytest.raises(PayloadError, match="lacks the Date column") as caught:
        connector.fetch(date(2024, 12, 27), date(2024, 12, 31))
    assert caught.value.series == "UST_NOMINAL"


def test_an_identical_repeated_row_counts_once(server: LoopbackServer, connector: TreasuryConnector) -> None:
    route_year_end(server)
    nominal = (FIXTURES / "daily_treasury_yield_curve_2024.csv").read_text()
    first_row = nominal.splitlines()[1]
    server.route(us_path(2024), Reply(200, nominal + first_row + "\r\n", "text/csv"),
                 csv("daily_treasury_real_yield_curve_2024.csv"))
    tesouro = (FIXTURES / "PrecoTaxaTesouroDireto.csv").read_text()
    repeated = "Tesouro IPCA+ com Juros Semestrais;15/05/2035;30/12/2024;7,27;7,39;4117,46;4082,32;4082,32\n"
    server.route(TESOURO_CSV_PATH, Reply(200, tesouro + repeated, "text/csv"))

    batch = connector.fetch(date(2024, 12, 27), date(2024, 12, 31))

    assert sum(p.curve_id == "UST_NOMINAL" and p.curve_date == date(2024, 12, 31)
               for p in batch.curve_points) == 13
    assert [p.price for p in batch.prices
            if (p.instrument, p.trade_date) == ("NTNB_20350515", date(2024, 12, 30))] == [4082.32]


def test_conflicting_rows_for_one_date_are_payload_errors(server: LoopbackServer,
                                                          connector: TreasuryConnector) -> None:
    route_year_end(server)
    nominal = (FIXTURES / "daily_treasury_yield_curve_2024.csv").read_text()
    revised = nominal.splitlines()[1].replace("4.58,4.86", "4.61,4.86")
    server.route(us_path(2024), Reply(200, nominal + revised + "\r\n", "text/csv"))
    with pytest.raises(PayloadError, match="conflicting rows") as us_error:
        connector.fetch(date(2024, 12, 27), date(2024, 12, 31))
    assert (us_error.value.series, us_error.value.day) == ("UST_NOMINAL", date(2024, 12, 31))

    route_year_end(server)
    tesouro = (FIXTURES / "PrecoTaxaTesouroDireto.csv").read_text()
    clash = "Tesouro Prefixado;01/01/2027;30/12/2024;15,49;15,61;750,08;748,52;748,52\n"
    server.route(TESOURO_CSV_PATH, Reply(200, tesouro + clash, "text/csv"))
    with pytest.raises(PayloadError, match="conflicting rows") as tesouro_error:
        connector.fetch(date(2024, 12, 27), date(2024, 12, 31))
    assert (tesouro_error.value.series, tesouro_error.value.day) == ("LTN_20270101", date(2024, 12, 30))


def test_a_429_is_retried_and_then_succeeds(server: LoopbackServer, connector: TreasuryConnector) -> None:
    route_year_end(server)
    server.route(us_path(2024), Reply(429, "Too Many Requests", "text/plain", headers={"Retry-After": "0"}),
                 csv("daily_treasury_yield_curve_2024.csv"), csv("daily_treasury_real_yield_curve_2024.csv"))

    batch = connector.fetch(date(2024, 12, 27), date(2024, 12, 31))

    assert [t for _, t, _ in requested(server)[:3]] == [NOMINAL, NOMINAL, REAL]
    assert sum(p.curve_id == "UST_NOMINAL" for p in batch.curve_points) == 3 * 13
    assert len(batch.prices) == 5 * 2


def test_three_500s_raise_source_unavailable_and_return_nothing(server: LoopbackServer,
                                                                connector: TreasuryConnector) -> None:
    route_year_end(server)
    server.route(TESOURO_CSV_PATH, Reply(500, "Internal Server Error", "text/plain"))

    with pytest.raises(SourceUnavailableError, match="HTTP 500") as caught:
        connector.fetch(date(2024, 12, 27), date(2024, 12, 31))

    assert len(server.hits(TESOURO_CSV_PATH)) == 3
    assert caught.value.series == "TESOURO_DIRETO"


def test_a_reversed_window_is_rejected(connector: TreasuryConnector) -> None:
    with pytest.raises(ValueError, match="before start"):
        connector.fetch(date(2025, 1, 2), date(2024, 12, 27))
