"""B3 settlement connector, end to end through HttpFetcher against the loopback server.

Fixtures are B3 "ajustes do pregão" pages in the portal's latin-1 HTML; the 13/02/2025 page
carries that session's published settlements.
"""

from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest

from adapters.market_data.b3 import B3_SETTLEMENTS_PATH, B3Connector
from adapters.market_data.http import HttpFetcher, RetryPolicy
from application.errors import PayloadError, SourceUnavailableError
from domain.market.bronze import Connector
from tests.loopback import LoopbackServer, Reply

FIXTURES = Path(__file__).parents[2] / "fixtures" / "b3"
SESSION = date(2025, 2, 13)


def page(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


def html(body: bytes) -> Reply:
    # No charset in Content-Type, like the portal: only the <meta> tag says iso-8859-1.
    return Reply(200, body, "text/html")


def with_extra_di1f27_row(settlement: str, variation: str) -> bytes:
    """The 13/02/2025 page with a second DI1 F27 row inserted before F28, inside the DI1 group."""
    row = (f'<tr class="odd">\n<td></td>\n<td class="text-center">F27 </td>\n'
           f'<td class="text-right">76.945,89</td>\n<td class="text-right">{settlement}</td>\n'
           f'<td class="text-right">{variation}</td>\n<td class="text-right">{variation}</td>\n</tr>\n')
    body = page("ajustes_20250213.html")
    row_start = body.rindex(b"<tr", 0, body.index(b"F28 </td>"))
    return body[:row_start] + row.encode("latin-1") + body[row_start:]


@pytest.fixture
def fetcher(server: LoopbackServer) -> Iterator[HttpFetcher]:
    http = HttpFetcher("b3", server.url, policy=RetryPolicy(attempts=3, initial_seconds=0.01))
    yield http
    http.close()


def requested_dates(server: LoopbackServer) -> list[str]:
    return [r.query["dData1"][0] for r in server.hits(B3_SETTLEMENTS_PATH)]


def prices_by_ticker(connector: B3Connector, start: date, end: date) -> dict[str, tuple[float, float | None]]:
    batch = connector.fetch(start, end)
    return {p.instrument: (p.price, p.rate) for p in batch.prices}


def test_a_session_page_gives_di1_pu_and_the_rate_it_implies(server: LoopbackServer,
                                                            fetcher: HttpFetcher) -> None:
    server.route(B3_SETTLEMENTS_PATH, html(page("ajustes_20250213.html")))

    batch = B3Connector(fetcher).fetch(SESSION, SESSION)

    assert batch.connector == Connector.B3
    assert requested_dates(server) == ["13/02/2025"]
    f27 = next(p for p in batch.prices if p.instrument == "DI1F27")
    assert f27.trade_date == SESSION and f27.source == "b3"
    assert f27.price == 77078.65
    # DI1F27 matures on 04/01/2027 (1 Jan is a holiday, 2-3 Jan a weekend). From 13/02/2025
    # (included) to 04/01/2027 (excluded) there are 492 weekdays, of which 21 are ANBIMA holidays
    # (9 in 2025 from Carnival on, 11 in 2026, 1 Jan 2027): du = 471.
    du = 471
    assert f27.rate == pytest.approx((100_000 / 77_078.65) ** (252 / du) - 1, rel=1e-12)
    assert f27.rate == pytest.approx(0.14946, abs=5e-5)
    h25 = next(p for p in batch.prices if p.instrument == "DI1H25")
    assert h25.price == 99412.96
    # DI1H25 matures on Ash Wednesday 05/03/2025: 14 weekdays minus Carnival Monday and Tuesday.
    assert h25.rate == pytest.approx((100_000 / 99_412.96) ** (252 / 12) - 1, rel=1e-12)


def test_only_the_configured_roots_are_returned_and_other_commodities_are_ignored(
        server: LoopbackServer, fetcher: HttpFetcher) -> None:
    server.route(B3_SETTLEMENTS_PATH, html(page("ajustes_20250213.html")))

    every_root = prices_by_ticker(B3Connector(fetcher), SESSION, SESSION)
    dollar_only = prices_by_ticker(B3Connector(fetcher, roots=("DOL",)), SESSION, SESSION)

    di1 = {"DI1H25", "DI1J25", "DI1K25", "DI1N25", "DI1F26", "DI1J26", "DI1F27", "DI1F28", "DI1F29",
           "DI1F31", "DI1F33", "DI1F35"}
    others = {"DOLH25", "DOLJ25", "DOLK25", "INDJ25", "INDM25", "WDOH25", "WDOJ25", "WINJ25", "WINM25"}
    assert set(every_root) == di1 | others  # DAP, AFS and ZAR rows are not ours
    assert set(dollar_only) == {"DOLH25", "DOLJ25", "DOLK25"}


def test_decimal_commas_and_thousands_dots_are_read_as_numbers(server: LoopbackServer,
                                                               fetcher: HttpFetcher) -> None:
    server.route(B3_SETTLEMENTS_PATH, html(page("ajustes_20250213.html")))

    prices = prices_by_ticker(B3Connector(fetcher), SESSION, SESSION)

    assert prices["DOLH25"] == (5796.901, None)  # "5.796,9010"
    assert prices["WDOJ25"] == (5828.877, None)  # "5.828,8770"
    assert prices["INDJ25"] == (127231.0, None)  # "127.231": dots only, no decimals
    assert prices["WINM25"] == (129793.0, None)
    assert prices["DI1F35"][0] == 25966.94  # "25.966,94"


def test_the_latin1_page_is_decoded_so_dolar_and_the_accented_headers_are_read(
        server: LoopbackServer, fetcher: HttpFetcher) -> None:
    body = page("ajustes_20250213.html")
    assert b"D\xf3lar comercial" in body and b"Pre\xe7o de ajuste Atual" in body  # latin-1 bytes
    server.route(B3_SETTLEMENTS_PATH, html(body))

    prices = prices_by_ticker(B3Connector(fetcher, roots=("DOL", "WDO")), SESSION, SESSION)

    # Decoded as UTF-8 the header "Preço de ajuste Atual" would not be found and the fetch would fail.
    assert prices == {"DOLH25": (5796.901, None), "DOLJ25": (5828.877, None), "DOLK25": (5860.637, None),
                      "WDOH25": (5796.901, None), "WDOJ25": (5828.877, None)}


def test_holidays_are_never_requested(server: LoopbackServer, fetcher: HttpFetcher) -> None:
    server.route(B3_SETTLEMENTS_PATH, html(page("ajustes_sem_dados.html")))

    batch = B3Connector(fetcher).fetch(date(2025, 2, 28), date(2025, 3, 5))

    # 1-2 Mar is a weekend, 3-4 Mar Carnival: only Friday 28 Feb and Ash Wednesday 5 Mar trade.
    assert requested_dates(server) == ["28/02/2025", "05/03/2025"]
    assert "03/03/2025" not in requested_dates(server) and "04/03/2025" not in requested_dates(server)
    assert batch.row_count == 0


def test_a_no_data_page_gives_no_rows_for_its_session_only(server: LoopbackServer,
                                                           fetcher: HttpFetcher) -> None:
    server.route(B3_SETTLEMENTS_PATH, html(page("ajustes_20250213.html")),
                 html(page("ajustes_sem_dados.html")))

    batch = B3Connector(fetcher).fetch(SESSION, date(2025, 2, 14))

    assert requested_dates(server) == ["13/02/2025", "14/02/2025"]
    assert {p.trade_date for p in batch.prices} == {SESSION}
    assert len(batch.prices) == 21


def test_the_di1_expiring_on_the_trade_date_is_left_out(server: LoopbackServer, fetcher: HttpFetcher) -> None:
    server.route(B3_SETTLEMENTS_PATH, html(page("ajustes_20250203_vencimento_di1g25.html")))

    batch = B3Connector(fetcher).fetch(date(2025, 2, 3), date(2025, 2, 3))

    assert requested_dates(server) == ["03/02/2025"]
    assert batch.prices == ()


def test_an_empty_body_is_a_payload_error_naming_the_session(server: LoopbackServer,
                                                            fetcher: HttpFetcher) -> None:
    server.route(B3_SETTLEMENTS_PATH, html(b""))

    with pytest.raises(PayloadError, match="empty body") as caught:
        B3Connector(fetcher).fetch(SESSION, SESSION)

    assert caught.value.source == "b3" and caught.value.day == SESSION


def test_a_malformed_settlement_number_names_the_contract_and_the_date(server: LoopbackServer,
                                                                      fetcher: HttpFetcher) -> None:
    body = page("ajustes_20250213.html").replace(b"77.078,65", b"77,078.65")
    server.route(B3_SETTLEMENTS_PATH, html(body))

    with pytest.raises(PayloadError) as caught:
        B3Connector(fetcher).fetch(SESSION, SESSION)

    assert (caught.value.source, caught.value.series, caught.value.day) == ("b3", "DI1F27", SESSION)
    assert "77,078.65" in str(caught.value) and "2025-02-13" in str(caught.value)


def test_a_table_without_the_settlement_column_is_a_payload_error(server: LoopbackServer,
                                                                  fetcher: HttpFetcher) -> None:
    body = page("ajustes_20250213.html").replace("<th>Preço de ajuste Atual</th>".encode("latin-1"), b"")
    server.route(B3_SETTLEMENTS_PATH, html(body))

    with pytest.raises(PayloadError, match=r"lacks column\(s\) \['settlement'\]") as caught:
        B3Connector(fetcher).fetch(SESSION, SESSION)

    assert caught.value.day == SESSION


def test_an_identical_repeated_row_counts_once(server: LoopbackServer, fetcher: HttpFetcher) -> None:
    server.route(B3_SETTLEMENTS_PATH, html(with_extra_di1f27_row("77.078,65", "132,76")))

    batch = B3Connector(fetcher, roots=("DI1",)).fetch(SESSION, SESSION)

    assert [p.price for p in batch.prices if p.instrument == "DI1F27"] == [77078.65]
    assert len(batch.prices) == 12


def test_a_repeated_row_with_another_price_is_a_payload_error(server: LoopbackServer,
                                                              fetcher: HttpFetcher) -> None:
    server.route(B3_SETTLEMENTS_PATH, html(with_extra_di1f27_row("77.080,00", "134,11")))

    with pytest.raises(PayloadError, match=r"conflicting settlements 77078\.65 and 77080\.0") as caught:
        B3Connector(fetcher).fetch(SESSION, SESSION)

    assert (caught.value.series, caught.value.day) == ("DI1F27", SESSION)


def test_a_page_about_another_session_is_refused(server: LoopbackServer, fetcher: HttpFetcher) -> None:
    server.route(B3_SETTLEMENTS_PATH, html(page("ajustes_20250213.html")))

    with pytest.raises(PayloadError, match="reports session 2025-02-13") as caught:
        B3Connector(fetcher).fetch(date(2025, 2, 14), date(2025, 2, 14))

    assert caught.value.day == date(2025, 2, 14)


def test_an_unrelated_html_page_is_a_payload_error(server: LoopbackServer, fetcher: HttpFetcher) -> None:
    server.route(B3_SETTLEMENTS_PATH, html(b"<html><body><h1>Sistema em manuten\xe7\xe3o</h1></body></html>"))

    with pytest.raises(PayloadError, match="neither the settlement table"):
        B3Connector(fetcher).fetch(SESSION, SESSION)


def test_a_429_is_retried_and_then_succeeds(server: LoopbackServer, fetcher: HttpFetcher) -> None:
    server.route(B3_SETTLEMENTS_PATH, Reply(429, "slow down", "text/plain", headers={"Retry-After": "0"}),
                 html(page("ajustes_20250213.html")))

    batch = B3Connector(fetcher).fetch(SESSION, SESSION)

    assert len(server.hits(B3_SETTLEMENTS_PATH)) == 2
    assert len(batch.prices) == 21


def test_three_500s_raise_source_unavailable_after_three_requests(server: LoopbackServer,
                                                                  fetcher: HttpFetcher) -> None:
    server.route(B3_SETTLEMENTS_PATH, Reply(500, "erro interno", "text/plain"))

    with pytest.raises(SourceUnavailableError, match="HTTP 500") as caught:
        B3Connector(fetcher).fetch(SESSION, SESSION)

    assert len(server.hits(B3_SETTLEMENTS_PATH)) == 3
    assert caught.value.day == SESSION


def test_a_failure_on_a_later_session_returns_nothing_from_earlier_ones(server: LoopbackServer,
                                                                       fetcher: HttpFetcher) -> None:
    server.route(B3_SETTLEMENTS_PATH, html(page("ajustes_20250213.html")), Reply(503, "", "text/plain"))
    connector = B3Connector(fetcher)

    with pytest.raises(SourceUnavailableError) as caught:
        connector.fetch(SESSION, date(2025, 2, 14))

    assert caught.value.day == date(2025, 2, 14)
    assert requested_dates(server) == ["13/02/2025", "14/02/2025", "14/02/2025", "14/02/2025"]


def test_unknown_roots_and_reversed_windows_are_rejected(fetcher: HttpFetcher) -> None:
    with pytest.raises(ValueError, match="unsupported B3 roots"):
        B3Connector(fetcher, roots=("DI1", "DAP"))
    with pytest.raises(ValueError, match="before start"):
        B3Connector(fetcher).fetch(date(2025, 2, 14), SESSION)
