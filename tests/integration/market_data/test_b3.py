"""B3 settlement connector, end to end through HttpFetcher against the loopback server.

Fixtures follow B3's current formats: ``TradeInformationConsolidatedFile_20260911_1.csv`` is the
real row of DI1F27 for 2026-09-11 (from ../shared/cases/b3-settlements), with the request-name
answer that names it and the portal page the retired "Ajustes do pregão" address redirects to.
``TradeInformationConsolidatedFile_20260914_1.csv`` holds rows of every root in the same layout,
and ``PR190701.zip`` is a BVBG.086.01 price report (a zip holding a zip holding the XML) for a
session older than the consolidated-file service keeps.
"""

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from adapters.market_data.b3 import (
    B3_DOWNLOAD_PATH,
    B3_PRICE_REPORT_PATH,
    B3_REQUEST_NAME_PATH,
    B3Connector,
)
from adapters.market_data.http import HttpFetcher, RetryPolicy
from application.errors import PayloadError, SourceUnavailableError
from domain.market.bronze import Connector
from domain.market.calendar import business_days
from domain.market.di1 import di1_rate
from tests.loopback import LoopbackServer, Reply

FIXTURES = Path(__file__).parents[2] / "fixtures" / "b3"
PORTAL = "/pt_br/market-data-e-indices/servicos-de-dados/market-data/consultas/boletim-diario/"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def request_name(day: date) -> Reply:
    answer = json.loads(fixture("requestname_20260911.json"))
    answer["token"] = f"example-token-{day:%Y%m%d}"
    answer["file"]["name"] = f"TradeInformationConsolidatedFile_{day:%Y%m%d}_1"
    return Reply(200, json.dumps(answer))


def csv_reply(name: str) -> Reply:
    return Reply(200, fixture(name), "application/octet-stream")


@pytest.fixture
def fetchers(server: LoopbackServer) -> Iterator[tuple[HttpFetcher, HttpFetcher]]:
    policy = RetryPolicy(attempts=3, initial_seconds=0.01)
    files, reports = HttpFetcher("b3", server.url, policy=policy), HttpFetcher("b3", server.url, policy=policy)
    yield files, reports
    files.close()
    reports.close()


@pytest.fixture
def connector(fetchers: tuple[HttpFetcher, HttpFetcher]) -> B3Connector:
    return B3Connector(*fetchers)


def prices(connector: B3Connector, start: date, end: date) -> dict[str, tuple[float, float | None]]:
    return {p.instrument: (p.price, p.rate) for p in connector.fetch(start, end).prices}


def test_the_real_consolidated_row_gives_di1f27_at_pu_96230_69_and_13_587_percent(
        server: LoopbackServer, connector: B3Connector) -> None:
    session = date(2026, 9, 11)
    server.route(B3_REQUEST_NAME_PATH, request_name(session))
    server.route(B3_DOWNLOAD_PATH, csv_reply("TradeInformationConsolidatedFile_20260911_1.csv"))

    batch = connector.fetch(session, session)

    assert batch.connector == Connector.B3
    (f27,) = batch.prices
    assert (f27.instrument, f27.trade_date, f27.source) == ("DI1F27", session, "b3")
    assert f27.price == 96230.69
    # 76 ANBIMA business days from 2026-09-11 (included) to 2027-01-04 (excluded).
    assert business_days(session, date(2027, 1, 4)) == 76
    assert f27.rate == pytest.approx((100_000 / 96_230.69) ** (252 / 76) - 1, rel=1e-12)
    assert round(f27.rate * 100, 3) == 13.587
    (ask,) = server.hits(B3_REQUEST_NAME_PATH)
    assert ask.query == {"fileName": ["TradeInformationConsolidated"], "date": ["2026-09-11"]}
    assert [r.query["token"] for r in server.hits(B3_DOWNLOAD_PATH) if r.path == B3_DOWNLOAD_PATH] == [
        ["example-token-20260911"]]


def test_dol_wdo_ind_and_win_settle_from_the_same_file_and_other_rows_are_ignored(
        server: LoopbackServer, connector: B3Connector) -> None:
    session = date(2026, 9, 14)
    server.route(B3_REQUEST_NAME_PATH, request_name(session))
    server.route(B3_DOWNLOAD_PATH, csv_reply("TradeInformationConsolidatedFile_20260914_1.csv"))

    got = prices(connector, session, session)

    # PETR4 (equity), DR1V26X26 (a roll) and DI1J27 (listed, no settlement) are not records.
    assert set(got) == {"DI1F27", "DI1F28", "DOLV26", "DOLX26", "WDOV26", "INDV26", "WINV26"}
    assert got["DOLV26"] == (5412.35, None) and got["WDOV26"] == (5412.35, None)
    assert got["DOLX26"] == (5437.82, None)
    assert got["INDV26"] == (143575.0, None) and got["WINV26"] == (143575.0, None)
    assert got["DI1F28"][0] == 85136.98
    assert got["DI1F28"][1] == pytest.approx(di1_rate(85136.98, 326), rel=1e-12)
    assert got["DI1F28"][1] == pytest.approx(0.13245, abs=5e-6)


def test_a_session_the_consolidated_service_does_not_hold_comes_from_the_price_report(
        server: LoopbackServer, connector: B3Connector) -> None:
    session = date(2019, 7, 1)
    server.route(B3_REQUEST_NAME_PATH, Reply(400, '{"message":"Arquivo não encontrado"}'))
    server.route(B3_PRICE_REPORT_PATH, Reply(200, fixture("PR190701.zip"), "application/zip"))

    got = prices(connector, session, session)

    (report,) = server.hits(B3_PRICE_REPORT_PATH)
    assert report.query == {"filelist": ["PR190701.zip"]}
    # DI1N19 expires that day (settles at 100,000 by definition) and PETR4 is not a future.
    assert set(got) == {"DI1F20", "DI1F21", "DOLQ19", "WDOQ19", "INDQ19", "WINQ19"}
    assert got["DI1F21"][0] == 91956.47
    assert got["DI1F21"][1] == pytest.approx((100_000 / 91_956.47) ** (252 / 381) - 1, rel=1e-12)
    assert got["DOLQ19"] == (3836.218, None)
    assert got["WINQ19"] == (101450.0, None)


def test_a_session_neither_file_holds_is_source_unavailable_naming_both(
        server: LoopbackServer, connector: B3Connector) -> None:
    server.route(B3_REQUEST_NAME_PATH, Reply(400, "{}"))
    server.route(B3_PRICE_REPORT_PATH, Reply(404, "not found", "text/plain"))

    with pytest.raises(SourceUnavailableError) as err:
        connector.fetch(date(2009, 7, 1), date(2009, 7, 1))

    assert err.value.day == date(2009, 7, 1)
    assert "consolidated file service" in err.value.detail and "PR090701.zip" in err.value.detail


def test_a_redirect_to_the_data_less_portal_page_is_source_unavailable_naming_where_it_landed(
        server: LoopbackServer, connector: B3Connector) -> None:
    server.route(B3_REQUEST_NAME_PATH, Reply(302, "", "text/html", headers={"Location": PORTAL}))
    server.route(PORTAL, Reply(200, fixture("boletim_diario_do_mercado.html"), "text/html; charset=utf-8"))

    with pytest.raises(SourceUnavailableError) as err:
        connector.fetch(date(2026, 9, 11), date(2026, 9, 11))

    assert f"{server.url}{PORTAL}" in str(err.value)
    assert "a page without data" in str(err.value)
    assert err.value.day == date(2026, 9, 11)
    assert len(server.hits(B3_REQUEST_NAME_PATH)) == 3  # retried like a 5xx before giving up


def test_weekends_and_holidays_are_never_requested(server: LoopbackServer, connector: B3Connector) -> None:
    server.route(B3_REQUEST_NAME_PATH, Reply(400, "{}"))
    server.route(B3_PRICE_REPORT_PATH, Reply(404, "", "text/plain"))

    # 5-6 September 2026 is a weekend and 7 September Independence Day: no session to ask for.
    assert connector.fetch(date(2026, 9, 5), date(2026, 9, 7)).prices == ()
    assert server.hits() == []
    # Friday 4 .. Tuesday 8 September: only the two sessions are asked for.
    with pytest.raises(SourceUnavailableError):
        connector.fetch(date(2026, 9, 4), date(2026, 9, 8))
    assert [r.query["date"] for r in server.hits(B3_REQUEST_NAME_PATH)] == [["2026-09-04"]]


def test_a_rate_the_pu_does_not_imply_is_a_payload_error(server: LoopbackServer, connector: B3Connector) -> None:
    body = fixture("TradeInformationConsolidatedFile_20260911_1.csv").replace(b";13,587;", b";13,687;")
    server.route(B3_REQUEST_NAME_PATH, request_name(date(2026, 9, 11)))
    server.route(B3_DOWNLOAD_PATH, Reply(200, body, "text/csv"))

    with pytest.raises(PayloadError, match="business-day count disagrees"):
        connector.fetch(date(2026, 9, 11), date(2026, 9, 11))


def test_a_request_name_answer_for_another_session_is_refused(server: LoopbackServer,
                                                              connector: B3Connector) -> None:
    server.route(B3_REQUEST_NAME_PATH, Reply(200, fixture("requestname_20260911.json")))

    with pytest.raises(PayloadError, match="names file 'TradeInformationConsolidatedFile_20260911_1'"):
        connector.fetch(date(2026, 9, 14), date(2026, 9, 14))
    assert server.hits(B3_DOWNLOAD_PATH) == server.hits(B3_REQUEST_NAME_PATH)  # nothing downloaded


def test_a_file_reporting_another_session_is_refused(server: LoopbackServer, connector: B3Connector) -> None:
    server.route(B3_REQUEST_NAME_PATH, request_name(date(2026, 9, 14)))
    server.route(B3_DOWNLOAD_PATH, csv_reply("TradeInformationConsolidatedFile_20260911_1.csv"))

    with pytest.raises(PayloadError, match="reports session 2026-09-11"):
        connector.fetch(date(2026, 9, 14), date(2026, 9, 14))


def test_a_csv_without_the_header_is_a_payload_error(server: LoopbackServer, connector: B3Connector) -> None:
    server.route(B3_REQUEST_NAME_PATH, request_name(date(2026, 9, 11)))
    server.route(B3_DOWNLOAD_PATH, Reply(200, "Arquivo em processamento;\n", "text/csv"))

    with pytest.raises(PayloadError, match="header"):
        connector.fetch(date(2026, 9, 11), date(2026, 9, 11))


def test_a_5xx_on_the_download_is_retried(server: LoopbackServer, connector: B3Connector) -> None:
    server.route(B3_REQUEST_NAME_PATH, request_name(date(2026, 9, 11)))
    server.route(B3_DOWNLOAD_PATH, Reply(503, "", "text/plain"),
                 csv_reply("TradeInformationConsolidatedFile_20260911_1.csv"))

    assert set(prices(connector, date(2026, 9, 11), date(2026, 9, 11))) == {"DI1F27"}
    assert len(server.hits(B3_DOWNLOAD_PATH)) - len(server.hits(B3_REQUEST_NAME_PATH)) == 2


def test_unsupported_roots_are_refused_at_construction(fetchers: tuple[HttpFetcher, HttpFetcher]) -> None:
    with pytest.raises(ValueError, match="unsupported"):
        B3Connector(*fetchers, roots=("DI1", "CCM"))
