from datetime import date

import numpy as np
import pytest

from domain.errors import InvalidInstrumentError
from domain.market.calendar import business_days
from domain.market.di1 import di1_dv01, di1_pu, di1_rate
from domain.market.instruments import future_ticker, parse_future


def test_pu_at_14_percent_over_one_year_of_business_days_is_87719_30() -> None:
    # 100000 / 1.14 = 87719.2982...
    assert di1_pu(0.14, 252) == pytest.approx(87_719.30, abs=0.005)


def test_dv01_per_contract_at_14_percent_one_year_is_about_7_69() -> None:
    # 100000/1.14 - 100000/1.1401 = 7.6940
    assert di1_dv01(0.14, 252) == pytest.approx(7.694, abs=0.001)


@pytest.mark.parametrize(("du", "expected"), [(504, 13.50), (1260, 22.77)])
def test_dv01_grows_with_maturity_as_the_domain_notes_say(du: int, expected: float) -> None:
    assert di1_dv01(0.14, du) == pytest.approx(expected, abs=0.01)


def test_rate_inverts_pu_on_arrays() -> None:
    rates = np.array([0.02, 0.1075, 0.15])
    du = np.array([21, 300, 2520])
    np.testing.assert_allclose(di1_rate(di1_pu(rates, du), du), rates, rtol=0, atol=1e-14)


def test_non_positive_business_days_are_rejected() -> None:
    with pytest.raises(InvalidInstrumentError, match="business days to maturity must be positive"):
        di1_pu(0.1, 0)


def test_di1f27_matures_on_the_first_business_day_of_january_2027() -> None:
    contract = parse_future("DI1F27")
    assert (contract.root, contract.month, contract.year) == ("DI1", 1, 2027)
    assert contract.maturity == date(2027, 1, 4)  # 1 Jan is a holiday and 2-3 Jan a weekend


def test_ibovespa_futures_expire_on_the_wednesday_nearest_the_15th() -> None:
    assert parse_future("INDJ26").maturity == date(2026, 4, 15)
    assert parse_future("WINQ26").maturity == date(2026, 8, 12)  # 15 Aug 2026 is a Saturday


def test_malformed_tickers_are_rejected_with_the_expected_shape() -> None:
    with pytest.raises(InvalidInstrumentError, match=r"expected e\.g\. 'DI1F27'"):
        parse_future("DI1A27")
    with pytest.raises(InvalidInstrumentError, match="even months"):
        parse_future("INDF27")


def test_future_ticker_round_trips() -> None:
    assert future_ticker("DI1", 2031, 1) == "DI1F31"
    assert parse_future(future_ticker("DOL", 2026, 12)).ticker == "DOLZ26"


def test_pricing_a_listed_contract_uses_anbima_business_days() -> None:
    du = business_days(date(2026, 11, 19), parse_future("DI1F27").maturity)
    assert du == 29  # 19 Nov 2026 (included) .. 4 Jan 2027 (excluded), without 20 Nov, 25 Dec and 1 Jan
    assert di1_pu(0.15, du) == pytest.approx(100_000 / 1.15 ** (29 / 252), rel=1e-15)
