"""Return space: bond arithmetic, return scales, generic returns and covariance estimation."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from domain.market.di1 import di1_pu
from domain.portfolio.bonds import (
    generic_coupon_days,
    ntnb_dv01,
    ntnb_modified_duration,
    ntnb_quote,
    par_bond_modified_duration,
    zero_modified_duration,
)
from domain.portfolio.covariance import covariance_matrix
from domain.portfolio.errors import InvalidPortfolioInputError
from domain.portfolio.exposure import generic_returns, return_scale, return_scales


def test_zero_duration_is_the_relative_di1_pu_sensitivity() -> None:
    h = 1e-7
    numeric = -(di1_pu(0.14 + h, 504) - di1_pu(0.14 - h, 504)) / (2 * h) / di1_pu(0.14, 504)
    assert zero_modified_duration(0.14, 504) == pytest.approx(2 / 1.14, rel=1e-12)
    assert zero_modified_duration(0.14, 504) == pytest.approx(numeric, rel=1e-7)


def test_an_ntnb_yielding_its_own_coupon_on_a_regular_schedule_prices_at_par() -> None:
    # Coupons every 126 business days at (1.06)^(1/2) - 1, discounted at 6% a year: exactly the VNA.
    days = generic_coupon_days(1260)
    assert days.tolist() == [126, 252, 378, 504, 630, 756, 882, 1008, 1134, 1260]
    assert ntnb_quote(0.06, days) == pytest.approx(1.0, abs=1e-14)


def test_ntnb_dv01_is_vna_times_the_quote_change_over_one_basis_point() -> None:
    days = generic_coupon_days(1260)
    c = np.sqrt(1.06) - 1
    quote = lambda y: sum(c / (1 + y) ** (d / 252) for d in days) + 1 / (1 + y) ** (1260 / 252)  # noqa: E731
    assert ntnb_dv01(0.07, days, 4_300.0) == pytest.approx(4_300.0 * (quote(0.07) - quote(0.0701)), rel=1e-12)
    assert ntnb_modified_duration(0.07, days) == pytest.approx((quote(0.07) - quote(0.0701)) / 1e-4 / quote(0.07),
                                                               rel=1e-12)


def test_par_bond_duration_matches_a_finite_difference_of_the_par_bond_price() -> None:
    y = 0.045
    price = lambda r: sum(y / 2 / (1 + r / 2) ** k for k in range(1, 21)) + 1 / (1 + r / 2) ** 20  # noqa: E731
    numeric = -(price(y + 1e-6) - price(y - 1e-6)) / 2e-6
    assert par_bond_modified_duration(y, 10) == pytest.approx(numeric, rel=1e-8)
    assert par_bond_modified_duration(0.0, 10) == 10.0


def test_return_scales_follow_the_book_sign_convention() -> None:
    scales = return_scales({"DI1_1Y": 0.14, "DI1_2Y": 0.14, "DI1_3Y": 0.14, "DI1_5Y": 0.14, "DI1_10Y": 0.14,
                            "NTNB_5Y": 0.07, "UST10": 0.045})
    assert scales["DI1_2Y"] == pytest.approx(2 / 1.14 * 1e-4)  # long DI1 = long rate: gains when rates rise
    assert scales["NTNB_5Y"] == pytest.approx(-ntnb_modified_duration(0.07, generic_coupon_days(1260)) * 1e-4)
    assert scales["UST10"] == pytest.approx(-par_bond_modified_duration(0.045, 10) * 1e-4)
    assert scales["USDBRL"] == scales["IBOV"] == 0.01
    with pytest.raises(InvalidPortfolioInputError, match="needs its yield"):
        return_scale("DI1_5Y")


def test_generic_returns_are_factor_changes_times_scales() -> None:
    index = pd.to_datetime(["2025-01-02", "2025-01-03"])
    changes = pd.DataFrame({"DI_PRE:504": [10.0, -4.0], "USDBRL": [0.5, np.nan]}, index=index)
    returns = generic_returns(changes, {"DI1_2Y": 1.5e-4, "USDBRL": 0.01})
    assert_allclose(returns["DI1_2Y"], [1.5e-3, -6e-4])
    assert returns["USDBRL"].iloc[0] == pytest.approx(0.005)
    assert np.isnan(returns["USDBRL"].iloc[1])
    with pytest.raises(InvalidPortfolioInputError, match="lacks column 'IBOVESPA'"):
        generic_returns(changes, {"IBOV": 0.01})


def test_equal_weight_covariance_is_the_sample_covariance_on_complete_rows() -> None:
    rng = np.random.default_rng(3)
    data = rng.normal(size=(100, 3)) * [0.01, 0.02, 0.005]
    frame = pd.DataFrame(data, columns=["a", "b", "c"])
    frame.iloc[5, 1] = np.nan
    expected = np.cov(np.delete(data, 5, axis=0), rowvar=False)
    assert_allclose(covariance_matrix(frame), expected, rtol=1e-12)


def test_exponential_weights_halve_every_halflife() -> None:
    frame = pd.DataFrame({"x": [1.0, 2.0, 4.0], "y": [0.0, 1.0, 0.0]})
    # halflife 1: weights proportional to 1/4, 1/2, 1 -> 1/7, 2/7, 4/7.
    w = np.array([1, 2, 4]) / 7
    centred = frame.to_numpy() - w @ frame.to_numpy()
    expected = (centred * w[:, None]).T @ centred / (1 - np.sum(w ** 2))
    assert_allclose(covariance_matrix(frame, halflife=1.0, min_observations=3), expected, rtol=1e-12)


def test_too_short_a_history_is_rejected() -> None:
    with pytest.raises(InvalidPortfolioInputError, match="2 complete rows, need at least 60"):
        covariance_matrix(pd.DataFrame({"x": [0.1, 0.2]}))
