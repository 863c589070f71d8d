"""YahooConnector end to end: the real HttpFetcher against a loopback server playing v8 chart payloads."""

import json
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime
from pathlib import Path
from typing import Any
from urllib.parse import quote

import pytest

from adapters.market_data.http import HttpFetcher, RetryPolicy
from adapters.market_data.yahoo import YAHOO_HEADERS, YahooConnector
from application.errors import PayloadError, SourceUnavailableError
from domain.market.bronze import Connector, Observation
from domain.market.series import SERIES, series_for
from tests.loopback import LoopbackServer, Reply

FIXTURES = Path(__file__).parents[2] / "fixtures" / "yahoo"
BVSP_PATH, BRL_PATH = "/v8/finance/chart/%5EBVSP", "/v8/finance/chart/BRL%3DX"
FEB29, MAR5 = date(2024, 2, 29), date(2024, 3, 5)

Make = Callable[..., YahooConnector]


def unix(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> int:
    return int(datetime(year, month, day, hour, minute, tzinfo=UTC).timestamp())


def chart(name: str) -> dict[str, Any]:
    payload: dict[str, Any] = json.loads((FIXTURES / name).read_text())
    return payload


def bvsp() -> dict[str, Any]:
    return chart("bvsp_2024-02-28_2024-03-06.json")


def brl() -> dict[str, Any]:
    return chart("brlx_2024-02-28_2024-03-06.json")


def result(payload: dict[str, Any]) -> dict[str, Any]:
    first: dict[str, Any] = payload["chart"]["result"][0]
    return first


def with_bars(payload: dict[str, Any], bars: list[tuple[Any, Any]]) -> dict[str, Any]:
    """The payload with its bars replaced by (timestamp, close) pairs."""
    res = result(payload)
    res["timestamp"] = [t for t, _ in bars]
    res["indicators"] = {"quote": [{"close": [c for _, c in bars]}]}
    return payload


def reply(payload: dict[str, Any]) -> Reply:
    return Reply(body=json.dumps(payload))


@pytest.fixture
def yahoo(server: LoopbackServer) -> Iterator[Make]:
    """Builds connectors on one real HttpFetcher (with Yahoo's headers) pointed at the loopback server."""
    fetcher = HttpFetcher("yahoo", server.url, policy=RetryPolicy(attempts=3, initial_seconds=0.01),
                          headers=YAHOO_HEADERS)
    yield lambda *ids: YahooConnector(fetcher, series=[SERIES[i] for i in ids] if ids else None)
    fetcher.close()


def test_ibovespa_closes_arrive_for_the_inclusive_window_with_same_day_release(
        server: LoopbackServer, yahoo: Make) -> None:
    server.route(BVSP_PATH, reply(bvsp()))

    batch = yahoo("MKT_IBOVESPA").fetch(FEB29, MAR5)

    assert (batch.connector, batch.start, batch.end) == (Connector.YAHOO, FEB29, MAR5)
    assert batch.observations == (
        Observation("MKT_IBOVESPA", date(2024, 2, 29), date(2024, 2, 29), 129020.02, "yahoo"),
        Observation("MKT_IBOVESPA", date(2024, 3, 1), date(2024, 3, 1), 129180.17, "yahoo"),
        Observation("MKT_IBOVESPA", date(2024, 3, 4), date(2024, 3, 4), 128340.58, "yahoo"),
        Observation("MKT_IBOVESPA", date(2024, 3, 5), date(2024, 3, 5), 126802.72, "yahoo"),
    )


def test_the_request_widens_the_window_by_a_day_each_side_because_period2_is_exclusive(
        server: LoopbackServer, yahoo: Make) -> None:
    server.route(BVSP_PATH, reply(bvsp()))

    yahoo("MKT_IBOVESPA").fetch(FEB29, MAR5)

    (request,) = server.hits(BVSP_PATH)
    assert request.query == {"period1": [str(unix(2024, 2, 28))], "period2": [str(unix(2024, 3, 7))],
                             "interval": ["1d"]}
    assert request.headers["user-agent"].startswith("Mozilla/5.0")


def test_a_bvsp_bar_at_13_utc_on_1_march_2024_is_the_1_march_session(
        server: LoopbackServer, yahoo: Make) -> None:
    server.route(BVSP_PATH, reply(with_bars(bvsp(), [(unix(2024, 3, 1, 13), 129180.17)])))

    batch = yahoo("MKT_IBOVESPA").fetch(date(2024, 3, 1), date(2024, 3, 1))

    assert [(o.observation_date, o.value) for o in batch.observations] == [(date(2024, 3, 1), 129180.17)]


def test_a_brl_bar_at_midnight_utc_in_winter_is_that_days_london_session(
        server: LoopbackServer, yahoo: Make) -> None:
    server.route(BRL_PATH, reply(brl()))

    batch = yahoo("MKT_USDBRL").fetch(date(2024, 3, 1), date(2024, 3, 1))

    assert batch.observations == (
        Observation("MKT_USDBRL", date(2024, 3, 1), date(2024, 3, 1), 4.971200227737427, "yahoo"),)


def test_a_brl_bar_at_23_utc_in_british_summer_time_is_the_next_days_session(
        server: LoopbackServer, yahoo: Make) -> None:
    # The answer was fetched in March 2024 (gmtoffset 0), yet a June 2023 bar is London midnight in BST:
    # the zone's rules, not the answer's current offset, date it.
    server.route(BRL_PATH, reply(with_bars(brl(), [(unix(2023, 6, 1, 23), 4.9532)])))

    batch = yahoo("MKT_USDBRL").fetch(date(2023, 6, 2), date(2023, 6, 2))

    assert [(o.observation_date, o.value) for o in batch.observations] == [(date(2023, 6, 2), 4.9532)]


def test_a_daily_bar_stamped_an_hour_before_local_midnight_belongs_to_the_next_day(
        server: LoopbackServer, yahoo: Make) -> None:
    server.route(BRL_PATH, reply(with_bars(brl(), [(unix(2024, 2, 29, 23), 4.9712)])))

    batch = yahoo("MKT_USDBRL").fetch(date(2024, 3, 1), date(2024, 3, 1))

    assert [o.observation_date for o in batch.observations] == [date(2024, 3, 1)]


def test_without_a_zone_name_the_gmtoffset_maps_timestamps_to_local_dates(
        server: LoopbackServer, yahoo: Make) -> None:
    payload = with_bars(bvsp(), [(unix(2024, 3, 2, 0, 30), 129180.17)])  # 21:30 on 1 March in Sao Paulo
    del result(payload)["meta"]["exchangeTimezoneName"]
    server.route(BVSP_PATH, reply(payload))

    batch = yahoo("MKT_IBOVESPA").fetch(date(2024, 3, 1), date(2024, 3, 2))

    assert [o.observation_date for o in batch.observations] == [date(2024, 3, 1)]


def test_a_null_close_is_missing_and_skipped(server: LoopbackServer, yahoo: Make) -> None:
    payload = bvsp()
    result(payload)["indicators"]["quote"][0]["close"][3] = None  # 2024-03-04
    server.route(BVSP_PATH, reply(payload))

    batch = yahoo("MKT_IBOVESPA").fetch(FEB29, MAR5)

    assert [o.observation_date for o in batch.observations] == [date(2024, 2, 29), date(2024, 3, 1), MAR5]


def test_a_window_without_sessions_gives_an_empty_batch(server: LoopbackServer, yahoo: Make) -> None:
    payload = bvsp()
    del result(payload)["timestamp"]
    result(payload)["indicators"] = {"quote": [{}], "adjclose": [{}]}
    server.route(BVSP_PATH, reply(payload))

    batch = yahoo("MKT_IBOVESPA").fetch(date(2024, 3, 2), date(2024, 3, 3))

    assert batch.row_count == 0


def test_the_session_still_trading_is_left_out_even_when_yahoo_splits_its_live_row(
        server: LoopbackServer, yahoo: Make) -> None:
    payload = with_bars(bvsp(), [(unix(2024, 3, 4, 13), 128340.58), (unix(2024, 3, 5, 13), 127021.0),
                                 (unix(2024, 3, 5, 18, 4), 126950.33)])
    meta = result(payload)["meta"]
    meta["regularMarketTime"] = unix(2024, 3, 5, 18, 4)
    meta["currentTradingPeriod"]["regular"].update(start=unix(2024, 3, 5, 13), end=unix(2024, 3, 5, 20))
    server.route(BVSP_PATH, reply(payload))

    batch = yahoo("MKT_IBOVESPA").fetch(date(2024, 3, 4), MAR5)

    assert [(o.observation_date, o.value) for o in batch.observations] == [(date(2024, 3, 4), 128340.58)]


def test_a_chart_error_is_a_payload_error_naming_the_symbol(server: LoopbackServer, yahoo: Make) -> None:
    server.route(BVSP_PATH, Reply(body=(FIXTURES / "error_not_found.json").read_text()))

    with pytest.raises(PayloadError, match=r"yahoo series \^BVSP \(MKT_IBOVESPA\): Yahoo chart error for "
                                           r"\^BVSP: Not Found: No data found, symbol may be delisted"):
        yahoo("MKT_IBOVESPA").fetch(FEB29, MAR5)


def test_a_404_with_the_chart_error_fails_at_once_naming_the_symbol(
        server: LoopbackServer, yahoo: Make) -> None:
    server.route(BVSP_PATH, Reply(404, (FIXTURES / "error_not_found.json").read_text()))

    with pytest.raises(SourceUnavailableError, match=r"\^BVSP \(MKT_IBOVESPA\): HTTP 404 for /v8/finance/"):
        yahoo("MKT_IBOVESPA").fetch(FEB29, MAR5)

    assert len(server.hits(BVSP_PATH)) == 1


def test_an_html_page_instead_of_json_is_a_payload_error(server: LoopbackServer, yahoo: Make) -> None:
    server.route(BVSP_PATH, Reply(
        body="<!doctype html><html><title>Yahoo</title></html>", content_type="text/html"))

    with pytest.raises(PayloadError, match=r"\^BVSP \(MKT_IBOVESPA\): expected JSON .* an HTML page"):
        yahoo("MKT_IBOVESPA").fetch(FEB29, MAR5)


def test_an_empty_body_is_a_payload_error(server: LoopbackServer, yahoo: Make) -> None:
    server.route(BVSP_PATH, Reply(body=""))

    with pytest.raises(PayloadError, match=r"\^BVSP \(MKT_IBOVESPA\): empty body"):
        yahoo("MKT_IBOVESPA").fetch(FEB29, MAR5)


@pytest.mark.parametrize("close", ["129180.17", True, [129180.17]])
def test_a_malformed_close_is_a_payload_error_naming_symbol_and_date(
        server: LoopbackServer, yahoo: Make, close: Any) -> None:
    server.route(BVSP_PATH, reply(with_bars(bvsp(), [(unix(2024, 3, 1, 13), close)])))

    with pytest.raises(PayloadError, match="malformed close") as caught:
        yahoo("MKT_IBOVESPA").fetch(FEB29, MAR5)

    assert (caught.value.series, caught.value.day) == ("^BVSP (MKT_IBOVESPA)", date(2024, 3, 1))


def test_a_malformed_timestamp_is_a_payload_error(server: LoopbackServer, yahoo: Make) -> None:
    server.route(BVSP_PATH, reply(with_bars(bvsp(), [("2024-03-01", 129180.17)])))

    with pytest.raises(PayloadError, match="malformed timestamp '2024-03-01'"):
        yahoo("MKT_IBOVESPA").fetch(FEB29, MAR5)


def drop(*keys: str) -> Callable[[dict[str, Any]], None]:
    def edit(payload: dict[str, Any]) -> None:
        node: Any = payload
        for key in keys[:-1]:
            node = node[int(key)] if isinstance(node, list) else node[key]
        del node[keys[-1]]
    return edit


MISSING = {
    "chart": (drop("chart"), "missing the 'chart' object"),
    "result": (drop("chart", "result"), r"missing 'chart.result\[0\]'"),
    "meta": (drop("chart", "result", "0", "meta"), "missing 'meta'"),
    "zone and offset": (lambda p: [drop("chart", "result", "0", "meta", k)(p)
                                   for k in ("exchangeTimezoneName", "gmtoffset")],
                        "missing 'meta.exchangeTimezoneName' and 'meta.gmtoffset'"),
    "indicators": (drop("chart", "result", "0", "indicators"), r"missing 'indicators.quote\[0\]'"),
    "close": (drop("chart", "result", "0", "indicators", "quote", "0", "close"),
              r"missing 'timestamp' or 'indicators.quote\[0\].close'"),
    "timestamp": (drop("chart", "result", "0", "timestamp"), r"missing 'timestamp' or 'indicators"),
}


@pytest.mark.parametrize(("edit", "message"), MISSING.values(), ids=MISSING.keys())
def test_a_missing_key_is_a_payload_error_naming_it(
        server: LoopbackServer, yahoo: Make, edit: Callable[[dict[str, Any]], None], message: str) -> None:
    payload = bvsp()
    edit(payload)
    server.route(BVSP_PATH, reply(payload))

    with pytest.raises(PayloadError, match=message):
        yahoo("MKT_IBOVESPA").fetch(FEB29, MAR5)


def test_timestamps_and_closes_of_different_lengths_are_a_payload_error(
        server: LoopbackServer, yahoo: Make) -> None:
    payload = bvsp()
    result(payload)["indicators"]["quote"][0]["close"].pop()
    server.route(BVSP_PATH, reply(payload))

    with pytest.raises(PayloadError, match="6 timestamps but 5 closes"):
        yahoo("MKT_IBOVESPA").fetch(FEB29, MAR5)


def test_an_answer_for_another_symbol_is_a_payload_error(server: LoopbackServer, yahoo: Make) -> None:
    server.route(BVSP_PATH, reply(brl()))

    with pytest.raises(PayloadError, match="answer is for symbol 'BRL=X'"):
        yahoo("MKT_IBOVESPA").fetch(FEB29, MAR5)


def test_identical_duplicate_dates_collapse_to_one_observation(server: LoopbackServer, yahoo: Make) -> None:
    bars = [(unix(2024, 3, 1, 13), 129180.17), (unix(2024, 3, 1, 13), 129180.17)]
    server.route(BVSP_PATH, reply(with_bars(bvsp(), bars)))

    batch = yahoo("MKT_IBOVESPA").fetch(FEB29, MAR5)

    assert [(o.observation_date, o.value) for o in batch.observations] == [(date(2024, 3, 1), 129180.17)]


def test_conflicting_duplicate_dates_are_a_payload_error_naming_the_date(
        server: LoopbackServer, yahoo: Make) -> None:
    bars = [(unix(2024, 3, 1, 13), 129180.17), (unix(2024, 3, 1, 19), 129100.0)]
    server.route(BVSP_PATH, reply(with_bars(bvsp(), bars)))

    with pytest.raises(PayloadError, match=r"conflicting closes 129180\.17 and 129100\.0") as caught:
        yahoo("MKT_IBOVESPA").fetch(FEB29, MAR5)

    assert caught.value.day == date(2024, 3, 1)


def test_a_429_is_retried_and_the_second_answer_is_used(server: LoopbackServer, yahoo: Make) -> None:
    server.route(BVSP_PATH, Reply(429, "Too Many Requests", "text/plain"), reply(bvsp()))

    batch = yahoo("MKT_IBOVESPA").fetch(FEB29, MAR5)

    assert len(server.hits(BVSP_PATH)) == 2
    assert batch.row_count == 4


def test_three_500s_make_the_source_unavailable_after_three_requests(
        server: LoopbackServer, yahoo: Make) -> None:
    server.route(BVSP_PATH, Reply(500, "<html>Internal Server Error</html>", "text/html"))

    with pytest.raises(SourceUnavailableError, match=r"\^BVSP \(MKT_IBOVESPA\): HTTP 500 .* after 3 attempt"):
        yahoo("MKT_IBOVESPA").fetch(FEB29, MAR5)

    assert len(server.hits(BVSP_PATH)) == 3


def test_every_catalogued_yahoo_symbol_is_requested_once_in_catalogue_order(
        server: LoopbackServer, yahoo: Make) -> None:
    catalogue = series_for(Connector.YAHOO)
    for spec in catalogue:
        payload = bvsp()
        result(payload)["meta"]["symbol"] = spec.code
        server.route(f"/v8/finance/chart/{quote(spec.code, safe='')}", reply(payload))

    batch = yahoo().fetch(FEB29, MAR5)

    paths = [f"/v8/finance/chart/{quote(s.code, safe='')}" for s in catalogue]
    assert [r.path for r in server.requests] == paths
    assert len(catalogue) == 8
    assert batch.row_count == 4 * 8


def test_a_failing_second_symbol_fails_the_whole_fetch(server: LoopbackServer, yahoo: Make) -> None:
    server.route(BRL_PATH, reply(brl()))
    server.route(BVSP_PATH, Reply(body="{}"))

    with pytest.raises(PayloadError, match=r"\^BVSP \(MKT_IBOVESPA\): missing the 'chart' object"):
        yahoo("MKT_USDBRL", "MKT_IBOVESPA").fetch(FEB29, MAR5)

    assert len(server.requests) == 2


def test_a_window_ending_before_it_starts_is_refused(yahoo: Make) -> None:
    with pytest.raises(ValueError, match="start 2024-03-05 is after end 2024-02-29"):
        yahoo("MKT_IBOVESPA").fetch(MAR5, FEB29)
