"""FredConnector end to end: the real HttpFetcher against a loopback server playing FRED's payloads."""

import json
import logging
import traceback
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest

from adapters.market_data.fred import FRED_BASE_URL, FredConnector, MissingApiKeyError
from adapters.market_data.http import HttpFetcher, RetryPolicy
from application.errors import MarketDataError, PayloadError, SourceUnavailableError
from domain.market.bronze import Connector, Observation
from domain.market.series import SERIES, series_for
from tests.loopback import LoopbackServer, Reply

FIXTURES = Path(__file__).parents[2] / "fixtures" / "fred"
PATH = "/fred/series/observations"
API_KEY = "0123456789abcdef0123456789abcdef"
DGS10, CPI = SERIES["US_UST_10Y"], SERIES["US_CORE_CPI"]
JAN10, JAN17 = date(2024, 1, 10), date(2024, 1, 17)


def fixture(name: str) -> str:
    return (FIXTURES / name).read_text()


def dgs10_with(rows: list[dict[str, str]]) -> str:
    payload = json.loads(fixture("dgs10_2024-01-10_2024-01-17.json"))
    payload["observations"], payload["count"] = rows, len(rows)
    return json.dumps(payload)


def row(day: str, value: str) -> dict[str, str]:
    return {"realtime_start": "2024-03-05", "realtime_end": "2024-03-05", "date": day, "value": value}


Make = Callable[..., FredConnector]


@pytest.fixture
def fred(server: LoopbackServer) -> Iterator[Make]:
    """Builds connectors on one real HttpFetcher pointed at the loopback server."""
    fetcher = HttpFetcher("fred", server.url, policy=RetryPolicy(attempts=3, initial_seconds=0.01))
    yield lambda *ids: FredConnector(fetcher, API_KEY, series=[SERIES[i] for i in ids] if ids else None)
    fetcher.close()


def assert_key_absent(exc: BaseException) -> None:
    text = str(exc) + repr(exc) + "".join(traceback.format_exception(exc))
    assert API_KEY not in text
    chained = exc.__cause__ or (None if exc.__suppress_context__ else exc.__context__)
    assert chained is None


def test_a_daily_series_arrives_with_values_dates_and_lagged_release_dates(
        server: LoopbackServer, fred: Make) -> None:
    server.route(PATH, Reply(body=fixture("dgs10_2024-01-10_2024-01-17.json")))

    batch = fred("US_UST_10Y").fetch(JAN10, JAN17)

    assert (batch.connector, batch.start, batch.end) == (Connector.FRED, JAN10, JAN17)
    assert batch.observations == (
        Observation("US_UST_10Y", date(2024, 1, 10), date(2024, 1, 11), 4.04, "fred"),
        Observation("US_UST_10Y", date(2024, 1, 11), date(2024, 1, 12), 3.98, "fred"),
        Observation("US_UST_10Y", date(2024, 1, 12), date(2024, 1, 13), 3.96, "fred"),
        Observation("US_UST_10Y", date(2024, 1, 16), date(2024, 1, 17), 4.07, "fred"),
        # Published the next day (H.15), even though the window ends on the 17th.
        Observation("US_UST_10Y", date(2024, 1, 17), date(2024, 1, 18), 4.10, "fred"),
    )
    (request,) = server.hits(PATH)
    assert request.query == {"series_id": ["DGS10"], "api_key": [API_KEY], "file_type": ["json"],
                             "observation_start": ["2024-01-10"], "observation_end": ["2024-01-17"]}


def test_the_dot_for_a_market_holiday_is_skipped_not_stored(server: LoopbackServer, fred: Make) -> None:
    server.route(PATH, Reply(body=fixture("dgs10_2024-01-10_2024-01-17.json")))

    batch = fred("US_UST_10Y").fetch(JAN10, JAN17)

    assert date(2024, 1, 15) not in {o.observation_date for o in batch.observations}
    assert batch.row_count == 5


def test_monthly_release_dates_follow_the_catalogue_lag_even_past_the_window_end(
        server: LoopbackServer, fred: Make) -> None:
    server.route(PATH, Reply(body=fixture("cpilfesl_2023-12-01_2024-02-10.json")))

    batch = fred("US_CORE_CPI").fetch(date(2023, 12, 1), date(2024, 2, 10))

    assert [(o.observation_date, o.release_date, o.value) for o in batch.observations] == [
        (date(2023, 12, 1), date(2024, 1, 15), 313.209),  # 45 days after the 1st of the month
        # Not capped at the window's end: February's CPI was published in March, whatever window asked for it.
        (date(2024, 1, 1), date(2024, 2, 15), 314.438),
        (date(2024, 2, 1), date(2024, 3, 17), 315.565),
    ]


def test_every_catalogued_fred_series_is_requested_once_in_catalogue_order(
        server: LoopbackServer, fred: Make) -> None:
    server.route(PATH, Reply(body=fixture("cpilfesl_2023-12-01_2024-02-10.json")))
    batch = fred().fetch(date(2023, 12, 1), date(2024, 2, 10))

    catalogue = series_for(Connector.FRED)
    assert [r.query["series_id"][0] for r in server.hits(PATH)] == [s.code for s in catalogue]
    assert len(catalogue) == 16
    assert batch.row_count == 3 * 16
    assert {o.series_id for o in batch.observations} == {s.series_id for s in catalogue}


def test_an_html_page_instead_of_json_is_a_payload_error_naming_the_series(
        server: LoopbackServer, fred: Make) -> None:
    page = (f"<html><body><h1>Service maintenance</h1><p>{PATH}?series_id=DGS10&amp;api_key={API_KEY}"
            "</p></body></html>")
    server.route(PATH, Reply(body=page, content_type="text/html"))

    with pytest.raises(PayloadError, match=r"DGS10 \(US_UST_10Y\): expected JSON .* an HTML page") as caught:
        fred("US_UST_10Y").fetch(JAN10, JAN17)

    assert_key_absent(caught.value)


def test_an_empty_body_is_a_payload_error(server: LoopbackServer, fred: Make) -> None:
    server.route(PATH, Reply(body=""))

    with pytest.raises(PayloadError, match=r"series DGS10 \(US_UST_10Y\): empty body"):
        fred("US_UST_10Y").fetch(JAN10, JAN17)


@pytest.mark.parametrize("value", ["4,04", "n/a", "nan", "1e3", ""])
def test_a_malformed_number_is_a_payload_error_naming_series_and_date(
        server: LoopbackServer, fred: Make, value: str) -> None:
    server.route(PATH, Reply(body=dgs10_with([row("2024-01-10", "4.04"), row("2024-01-11", value)])))

    with pytest.raises(PayloadError) as caught:
        fred("US_UST_10Y").fetch(JAN10, JAN17)

    assert (caught.value.series, caught.value.day) == ("DGS10 (US_UST_10Y)", date(2024, 1, 11))
    assert "malformed value" in str(caught.value)


def test_a_payload_without_observations_is_a_payload_error(server: LoopbackServer, fred: Make) -> None:
    server.route(PATH, Reply(body=json.dumps({"realtime_start": "2024-03-05", "count": 0})))

    with pytest.raises(PayloadError, match="missing the 'observations' list"):
        fred("US_UST_10Y").fetch(JAN10, JAN17)


def test_an_observation_without_a_value_is_a_payload_error(server: LoopbackServer, fred: Make) -> None:
    server.route(PATH, Reply(body=dgs10_with([{"realtime_start": "2024-03-05", "date": "2024-01-10"}])))

    with pytest.raises(PayloadError, match="observation without 'date' and 'value'"):
        fred("US_UST_10Y").fetch(JAN10, JAN17)


def test_an_observation_outside_the_requested_window_is_a_payload_error(
        server: LoopbackServer, fred: Make) -> None:
    server.route(PATH, Reply(body=dgs10_with([row("2024-01-09", "4.02")])))

    with pytest.raises(PayloadError, match="outside the requested window") as caught:
        fred("US_UST_10Y").fetch(JAN10, JAN17)

    assert caught.value.day == date(2024, 1, 9)


def test_an_answer_cut_short_by_the_row_limit_is_a_payload_error(server: LoopbackServer, fred: Make) -> None:
    payload = json.loads(dgs10_with([row("2024-01-10", "4.04")]))
    payload["count"] = 2
    server.route(PATH, Reply(body=json.dumps(payload)))

    with pytest.raises(PayloadError, match="truncated answer: 1 of 2 observations"):
        fred("US_UST_10Y").fetch(JAN10, JAN17)


def test_identical_duplicate_dates_collapse_to_one_observation(server: LoopbackServer, fred: Make) -> None:
    server.route(PATH, Reply(body=dgs10_with([row("2024-01-10", "4.04"), row("2024-01-10", "4.04")])))

    batch = fred("US_UST_10Y").fetch(JAN10, JAN17)

    assert [(o.observation_date, o.value) for o in batch.observations] == [(date(2024, 1, 10), 4.04)]


def test_conflicting_duplicate_dates_are_a_payload_error_naming_the_date(
        server: LoopbackServer, fred: Make) -> None:
    server.route(PATH, Reply(body=dgs10_with([row("2024-01-10", "4.04"), row("2024-01-10", "4.05")])))

    with pytest.raises(PayloadError, match=r"conflicting values 4\.04 and 4\.05") as caught:
        fred("US_UST_10Y").fetch(JAN10, JAN17)

    assert caught.value.day == date(2024, 1, 10)


def test_a_429_is_retried_and_the_second_answer_is_used(server: LoopbackServer, fred: Make) -> None:
    server.route(PATH, Reply(429, fixture("error_rate_limit.json")),
                 Reply(body=fixture("dgs10_2024-01-10_2024-01-17.json")))

    batch = fred("US_UST_10Y").fetch(JAN10, JAN17)

    assert len(server.hits(PATH)) == 2
    assert batch.row_count == 5


def test_three_500s_make_the_source_unavailable_after_three_requests(
        server: LoopbackServer, fred: Make) -> None:
    server.route(PATH, Reply(500, "<html>Internal Server Error</html>", "text/html"))

    with pytest.raises(SourceUnavailableError, match=r"DGS10 \(US_UST_10Y\): HTTP 500 .* after 3 attempts"):
        fred("US_UST_10Y").fetch(JAN10, JAN17)

    assert len(server.hits(PATH)) == 3


def test_freds_error_json_for_a_bad_key_fails_at_once_without_the_key(
        server: LoopbackServer, fred: Make) -> None:
    server.route(PATH, Reply(400, fixture("error_api_key_not_registered.json")))

    with pytest.raises(SourceUnavailableError, match=r"fred series DGS10 \(US_UST_10Y\): HTTP 400") as caught:
        fred("US_UST_10Y").fetch(JAN10, JAN17)

    assert len(server.hits(PATH)) == 1
    assert_key_absent(caught.value)


def test_freds_error_json_in_a_200_answer_is_a_payload_error_quoting_freds_message(
        server: LoopbackServer, fred: Make) -> None:
    server.route(PATH, Reply(body=fixture("error_api_key_not_registered.json")))

    with pytest.raises(PayloadError, match=r"FRED error 400: Bad Request\.  The value for variable api_key"):
        fred("US_UST_10Y").fetch(JAN10, JAN17)


def test_a_failing_second_series_fails_the_whole_fetch(server: LoopbackServer, fred: Make) -> None:
    server.route(PATH, Reply(body=fixture("dgs10_2024-01-10_2024-01-17.json")), Reply(body="{}"))

    with pytest.raises(PayloadError, match=r"series CPILFESL \(US_CORE_CPI\)"):
        fred("US_UST_10Y", "US_CORE_CPI").fetch(JAN10, JAN17)

    assert len(server.hits(PATH)) == 2


FAILURES = {
    "html page echoing the url": [Reply(200, f"<html>{PATH}?api_key={API_KEY}</html>", "text/html")],
    "error json": [Reply(400, fixture("error_api_key_not_registered.json"))],
    "error json echoing the key": [
        Reply(200, json.dumps({"error_code": 400, "error_message": f"Bad Request. api_key={API_KEY}"}))],
    "three 500s": [Reply(500, "busy", "text/plain")],
    "malformed number": [Reply(body=dgs10_with([row("2024-01-10", API_KEY)]))],
    "empty body": [Reply(body="")],
}


@pytest.mark.parametrize("replies", FAILURES.values(), ids=FAILURES.keys())
def test_the_api_key_appears_in_no_exception_message_and_no_log_line(
        server: LoopbackServer, fred: Make, replies: list[Reply], caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str]) -> None:
    server.route(PATH, *replies)
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")  # the app's logging set-up quietens httpx; here we want its lines

    with pytest.raises(MarketDataError) as caught:
        fred("US_UST_10Y").fetch(JAN10, JAN17)

    assert_key_absent(caught.value)
    printed = capsys.readouterr()
    assert API_KEY not in caplog.text + printed.out + printed.err
    assert "api_key=***" in caplog.text  # httpx logged each request, with the key redacted


def test_a_successful_fetch_after_a_retry_logs_no_api_key(
        server: LoopbackServer, fred: Make, caplog: pytest.LogCaptureFixture,
        capsys: pytest.CaptureFixture[str]) -> None:
    server.route(PATH, Reply(503, "busy", "text/plain"),
                 Reply(body=fixture("dgs10_2024-01-10_2024-01-17.json")))
    caplog.set_level(logging.DEBUG)
    caplog.set_level(logging.DEBUG, logger="httpx")  # the app's logging set-up quietens httpx; here we want its lines

    fred("US_UST_10Y").fetch(JAN10, JAN17)

    printed = capsys.readouterr()
    assert "source.retry" in printed.out + printed.err + caplog.text
    assert API_KEY not in caplog.text + printed.out + printed.err
    assert caplog.text.count("api_key=***") == 2


@pytest.mark.parametrize("key", ["", "   "])
def test_an_empty_api_key_is_a_configuration_error_at_construction(key: str) -> None:
    fetcher = HttpFetcher("fred", FRED_BASE_URL)
    try:
        with pytest.raises(MissingApiKeyError, match="FRED api_key is empty: set FRED_API_KEY"):
            FredConnector(fetcher, key)
    finally:
        fetcher.close()


def test_a_non_fred_series_is_refused_at_construction() -> None:
    fetcher = HttpFetcher("fred", FRED_BASE_URL)
    try:
        with pytest.raises(ValueError, match="not FRED series: MKT_IBOVESPA"):
            FredConnector(fetcher, API_KEY, series=[DGS10, SERIES["MKT_IBOVESPA"]])
    finally:
        fetcher.close()


def test_the_connector_repr_does_not_show_the_key() -> None:
    fetcher = HttpFetcher("fred", FRED_BASE_URL)
    try:
        assert repr(FredConnector(fetcher, API_KEY)) == "FredConnector(series=16)"
    finally:
        fetcher.close()
