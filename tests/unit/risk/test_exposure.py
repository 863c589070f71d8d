"""Exposures from Sensitivity records, linear P&L on a factor history, factor covariance."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from domain.book import FACTORS, Sensitivity
from domain.risk import RiskInputError, exposure_matrix, factor_covariance, pnl_history, portfolio_exposure

RECORDS = [
    Sensitivity("DI1F27", "DI_PRE:504", -1_350.0),
    Sensitivity("DOLZ26", "USDBRL", 54_000.0),
    Sensitivity("DI1F27", "DI_PRE:252", -200.0),
    Sensitivity("DI1F27", "DI_PRE:504", -150.0),  # a second record of the same pair is summed
]
DATES = pd.DatetimeIndex(["2025-03-10", "2025-03-11", "2025-03-12"])


def test_the_exposure_matrix_has_one_row_per_position_and_one_column_per_factor():
    matrix = exposure_matrix(RECORDS)

    assert list(matrix.index) == ["DI1F27", "DOLZ26"]
    assert list(matrix.columns) == list(FACTORS)
    assert matrix.loc["DI1F27", "DI_PRE:504"] == -1_500.0
    assert matrix.loc["DI1F27", "DI_PRE:252"] == -200.0
    assert matrix.loc["DOLZ26", "USDBRL"] == 54_000.0
    assert matrix.to_numpy().sum() == -1_500.0 - 200.0 + 54_000.0


def test_the_exposure_matrix_can_be_restricted_to_chosen_factors():
    matrix = exposure_matrix(RECORDS, factors=["USDBRL", "DI_PRE:252", "DI_PRE:504"])

    assert list(matrix.columns) == ["USDBRL", "DI_PRE:252", "DI_PRE:504"]


def test_a_sensitivity_to_a_factor_outside_the_columns_is_rejected():
    with pytest.raises(RiskInputError, match="DOLZ26 is sensitive to 'USDBRL'"):
        exposure_matrix(RECORDS, factors=["DI_PRE:252", "DI_PRE:504"])


def test_an_unknown_factor_is_rejected():
    with pytest.raises(RiskInputError, match="CDS:1800"):
        exposure_matrix([], factors=["CDS:1800"])


def test_the_portfolio_exposure_sums_the_positions():
    s = portfolio_exposure(exposure_matrix(RECORDS))

    assert s["DI_PRE:504"] == -1_500.0
    assert s["USDBRL"] == 54_000.0
    assert s["IBOVESPA"] == 0.0


def test_daily_pnl_is_the_sum_of_sensitivity_times_factor_change():
    s = pd.Series({"DI_PRE:504": -1_500.0, "USDBRL": 54_000.0, "IBOVESPA": 0.0})
    history = pd.DataFrame({"DI_PRE:504": [10.0, -4.0, 0.5], "USDBRL": [0.8, -1.2, 0.0],
                            "IBOVESPA": [np.nan, 1.0, 2.0]}, index=DATES)  # unexposed: NaN allowed

    pnl = pnl_history(history, s)

    assert_allclose(pnl.to_numpy(), [-15_000.0 + 43_200.0, 6_000.0 - 64_800.0, -750.0], rtol=1e-15)
    assert pnl.index.equals(DATES)


def test_a_missing_change_of_an_exposed_factor_names_the_factor_and_the_date():
    s = pd.Series({"USDBRL": 54_000.0})
    history = pd.DataFrame({"USDBRL": [0.8, np.nan, 0.0]}, index=DATES)

    with pytest.raises(RiskInputError, match="USDBRL is missing on 2025-03-11"):
        pnl_history(history, s)


def test_an_exposed_factor_absent_from_the_history_is_rejected():
    with pytest.raises(RiskInputError, match="OIL"):
        pnl_history(pd.DataFrame({"USDBRL": [0.1]}, index=DATES[:1]), pd.Series({"OIL": 5.0}))


def test_the_sample_covariance_matches_numpy():
    history = pd.DataFrame(np.random.default_rng(1).normal(size=(50, 3)), columns=["a", "b", "c"])

    assert_allclose(factor_covariance(history).to_numpy(), np.cov(history.to_numpy().T), rtol=1e-14)


def test_the_ewma_covariance_weights_recent_days_geometrically():
    # lambda = 0.5, three days: weights 0.5 x (0.25, 0.5, 1) / (1 - 0.125) = (1/7, 2/7, 4/7).
    history = pd.DataFrame({"a": [1.0, 2.0, 3.0], "b": [1.0, 0.0, -1.0]})

    cov = factor_covariance(history, ewma_lambda=0.5)

    assert cov.loc["a", "a"] == pytest.approx((1 * 1 + 2 * 4 + 4 * 9) / 7, rel=1e-14)
    assert cov.loc["a", "b"] == pytest.approx((1 * 1 + 2 * 0 + 4 * -3) / 7, rel=1e-14)
    assert cov.loc["b", "b"] == pytest.approx((1 + 0 + 4) / 7, rel=1e-14)


def test_an_ewma_decay_outside_zero_one_is_rejected():
    with pytest.raises(RiskInputError, match="ewma_lambda"):
        factor_covariance(pd.DataFrame({"a": [1.0, 2.0]}), ewma_lambda=1.0)
