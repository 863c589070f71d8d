"""The failure forms the public sources really produce transiently are retried like a 5xx.

Each form comes from a public report by users of the sources' client libraries (listed in
docs/decisions.md, "Transient answers"); each has a fixture in ``tests/fixtures/transient``. A
transient answer followed by a good one yields the good data; an answer that stays transient
becomes a ``PayloadError`` (or, for a redirect to a page, a ``SourceUnavailableError`` naming
where it landed) after the policy's attempts, never a parse of garbage.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import pytest

from adapters.market_data.bcb_ptax import PTAX_PATH, BcbPtaxConnector
from adapters.market_data.bcb_sgs import FOCUS_PATH, BcbSgsConnector, sgs_path
from adapters.market_data.fred import FredConnector
from adapters.market_data.http import HttpFetcher, RetryPolicy
from adapters.market_data.yahoo import YahooConnector
from application.errors import MarketDataError, PayloadError, SourceUnavailableError
from domain.market.bronze import BronzeBatch
from domain.market.series import SERIES
from tests.loopback import LoopbackServer, Reply

FIXTURES = Path(__file__).parents[2] / "fixtures"
ATTEMPTS = 3
CONSENT = "/v2/collectConsent"


def fixture(name: str) -> bytes:
    return (FIXTURES / name).read_bytes()


@dataclass(frozen=True)
class Form:
    """A transient answer, where it comes from, and the fetch it interrupts."""

    name: str
    reply: Callable[[], Reply]
    path: str
    good: Callable[[], Reply]
    fetch: Callable[[HttpFetcher], BronzeBatch]
    rows: int
    final: type[MarketDataError] = PayloadError


def sgs(fetcher: HttpFetcher) -> BronzeBatch:
    return BcbSgsConnector(fetcher, fetcher, series=[SERIES["BR_SELIC_TARGET"]]).fetch(date(2025, 9, 1),
                                                                                      date(2025, 10, 10))


def focus(fetcher: HttpFetcher) -> BronzeBatch:
    return BcbSgsConnector(fetcher, fetcher, series=[SERIES["BR_FOCUS_IPCA_CY"]]).fetch(date(2021, 1, 4),
                                                                                       date(2021, 1, 8))


def ptax(fetcher: HttpFetcher) -> BronzeBatch:
    return BcbPtaxConnector(fetcher).fetch(date(2025, 10, 1), date(2025, 10, 7))


def fred(fetcher: HttpFetcher) -> BronzeBatch:
    return FredConnector(fetcher, "0123456789abcdef0123456789abcdef", series=[SERIES["US_UST_10Y"]]).fetch(
        date(2024, 1, 10), date(2024, 1, 17))


def yahoo(fetcher: HttpFetcher) -> BronzeBatch:
    return YahooConnector(fetcher, series=[SERIES["MKT_IBOVESPA"]]).fetch(date(2024, 2, 28), date(2024, 3, 6))


SGS_GOOD = lambda: Reply(body=fixture("bcb/sgs_432_2025-09-01_2025-10-10.json"))  # noqa: E731
FOCUS_GOOD = lambda: Reply(body=fixture("bcb/focus_annual_ipca_2021-01-04_2021-01-08.json"))  # noqa: E731
PTAX_GOOD = lambda: Reply(body=fixture("bcb/ptax_dolar_2025-10-01_2025-10-07.json"))  # noqa: E731
FRED_GOOD = lambda: Reply(body=fixture("fred/dgs10_2024-01-10_2024-01-17.json"))  # noqa: E731
YAHOO_GOOD = lambda: Reply(body=fixture("yahoo/bvsp_2024-02-28_2024-03-06.json"))  # noqa: E731
BVSP = "/v8/finance/chart/%5EBVSP"

FORMS = [
    # rbcb #57, GetBCBData #6, python-bcb #27: BCB's "Requisição inválida!" XHTML page with HTTP 200.
    Form("bcb error page with HTTP 200 (SGS)",
         lambda: Reply(200, fixture("transient/bcb_requisicao_invalida.html"), "text/html"),
         sgs_path("432"), SGS_GOOD, sgs, 40),
    Form("bcb error page with HTTP 200 (Focus)",
         lambda: Reply(200, fixture("transient/bcb_requisicao_invalida.html"), "text/html"),
         f"{FOCUS_PATH}/ExpectativasMercadoAnuais", FOCUS_GOOD, focus, 5),
    # rbcb #59: Olinda answering 500 with Apache's HTML page; python-bcb #22: SGS 504.
    Form("olinda 500 html page",
         lambda: Reply(500, fixture("transient/bcb_olinda_500_internal_server_error.html"), "text/html"),
         PTAX_PATH.split("(")[0], PTAX_GOOD, ptax, 10, SourceUnavailableError),
    Form("sgs 504 gateway timeout", lambda: Reply(504, "", "text/html"), sgs_path("432"), SGS_GOOD, sgs, 40,
         SourceUnavailableError),
    # A body cut mid-transfer: JSON that ends inside a string.
    Form("truncated json (SGS)", lambda: Reply(200, fixture("transient/sgs_432_truncated.json")),
         sgs_path("432"), SGS_GOOD, sgs, 40),
    # pdfetch #17 (FRED answering with no content), OpenBB #7527 (FRED rate limiting: "partial,
    # incomplete, or empty data").
    Form("empty body with HTTP 200 (FRED)", lambda: Reply(200, fixture("transient/empty_body.json")),
         "/fred/series/observations", FRED_GOOD, fred, 5),
    Form("fred rate limit 429", lambda: Reply(429, fixture("fred/error_rate_limit.json")),
         "/fred/series/observations", FRED_GOOD, fred, 5, SourceUnavailableError),
    # fredapi #50, fredr #98: FRED answering XML (its error format) where JSON was asked for.
    Form("xml error body where json was expected (FRED)",
         lambda: Reply(200, fixture("transient/fred_error_internal_server_error.xml"), "text/xml"),
         "/fred/series/observations", FRED_GOOD, fred, 5),
    # yfinance #2422, #2303: Yahoo's "Too Many Requests" plain-text answer.
    Form("yahoo too many requests 429",
         lambda: Reply(429, fixture("transient/yahoo_too_many_requests.txt"), "text/plain"),
         BVSP, YAHOO_GOOD, yahoo, 6, SourceUnavailableError),
    Form("yahoo too many requests text with HTTP 200",
         lambda: Reply(200, fixture("transient/yahoo_too_many_requests.txt"), "text/plain"),
         BVSP, YAHOO_GOOD, yahoo, 6),
    # yahooquery #247, iprak/yahoofinance #97: EU visitors redirected to consent.yahoo.com.
    Form("redirect to the yahoo consent page",
         lambda: Reply(302, "", "text/html", headers={"Location": f"{CONSENT}?sessionId=3_cc-session"}),
         BVSP, YAHOO_GOOD, yahoo, 6, SourceUnavailableError),
]


@pytest.fixture
def fetcher(server: LoopbackServer) -> Iterator[HttpFetcher]:
    http = HttpFetcher("source", server.url, policy=RetryPolicy(attempts=ATTEMPTS, initial_seconds=0.01))
    yield http
    http.close()


def route(server: LoopbackServer, form: Form, *replies: Reply) -> None:
    server.route(form.path, *replies)
    server.route(CONSENT, Reply(200, fixture("transient/yahoo_consent_page.html"), "text/html"))


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
def test_a_transient_answer_then_a_good_one_yields_the_good_data(form: Form, server: LoopbackServer,
                                                                 fetcher: HttpFetcher) -> None:
    route(server, form, form.reply(), form.good())

    batch = form.fetch(fetcher)

    assert batch.row_count == form.rows
    assert len(server.hits(form.path)) == 2


@pytest.mark.parametrize("form", FORMS, ids=lambda f: f.name)
def test_an_answer_that_stays_transient_fails_after_every_attempt(form: Form, server: LoopbackServer,
                                                                  fetcher: HttpFetcher) -> None:
    route(server, form, form.reply())

    with pytest.raises(form.final) as caught:
        form.fetch(fetcher)

    assert type(caught.value) is form.final
    assert f"after {ATTEMPTS} attempts" in str(caught.value)
    assert len(server.hits(form.path)) == ATTEMPTS


def test_a_redirect_to_a_consent_page_names_where_it_landed(server: LoopbackServer, fetcher: HttpFetcher) -> None:
    form = next(f for f in FORMS if f.name == "redirect to the yahoo consent page")
    route(server, form, form.reply())

    with pytest.raises(SourceUnavailableError, match=f"redirected to {server.url}{CONSENT}, a page without data"):
        form.fetch(fetcher)
