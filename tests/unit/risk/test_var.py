"""VaR and CVaR: the type-1 empirical quantile, overlapping 10-day sums, delta-normal closed forms."""

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from domain.risk import (
    RiskInputError,
    VarMethod,
    empirical_var,
    historical_var,
    parametric_var,
    portfolio_volatility,
)
from domain.risk.var import overlapping_sums, tail_count

# Ten daily P&Ls in BRL; sorted: -10, -7, -3, -1, 0, 2, 4, 5, 8, 12.
SAMPLE = [4.0, -7.0, 12.0, -1.0, 0.0, -10.0, 5.0, 2.0, -3.0, 8.0]


def test_var_is_the_kth_worst_outcome_with_k_the_ceiling_of_n_times_the_tail_probability():
    var, cvar = empirical_var(SAMPLE, 0.8)  # k = ceil(10 x 0.2) = 2

    assert var == 7.0
    assert cvar == (10.0 + 7.0) / 2


def test_a_tail_of_two_and_a_half_outcomes_rounds_up_to_three():
    var, cvar = empirical_var(SAMPLE, 0.75)  # k = ceil(2.5) = 3: -10, -7, -3

    assert var == 3.0
    assert cvar == pytest.approx((10.0 + 7.0 + 3.0) / 3)


def test_a_hundred_outcomes_at_95_percent_use_the_fifth_worst_despite_float_rounding():
    pnl = np.arange(1.0, 101.0) - 50.0  # -49, -48, ...; 100 x (1 - 0.95) = 5.000000000000004

    var, cvar = empirical_var(pnl, 0.95)

    assert tail_count(100, 0.95) == 5
    assert var == 45.0
    assert cvar == (49 + 48 + 47 + 46 + 45) / 5


def test_empirical_var_equals_minus_numpys_inverted_cdf_quantile_at_the_exact_tail_probability():
    pnl = np.random.default_rng(11).standard_t(4, size=1_000) * 1e5

    for confidence, tail in ((0.95, 0.05), (0.99, 0.01)):
        var, _ = empirical_var(pnl, confidence)
        assert var == -np.quantile(pnl, tail, method="inverted_cdf")
        assert var == -np.sort(pnl)[round(1_000 * tail) - 1]


def test_cvar_is_never_below_var():
    pnl = np.random.default_rng(3).normal(0.0, 1e6, size=500)

    var, cvar = empirical_var(pnl, 0.99)

    assert cvar >= var


def test_ninety_nine_outcomes_are_too_few_for_a_99_percent_tail():
    with pytest.raises(RiskInputError, match="too few"):
        empirical_var(np.zeros(99), 0.99)


def test_a_missing_pnl_value_is_rejected():
    with pytest.raises(RiskInputError, match="non-finite"):
        empirical_var([1.0, np.nan] * 50, 0.95)


def test_historical_one_day_var_reports_method_level_horizon_and_positive_loss():
    result = historical_var(pd.Series(SAMPLE), confidence=0.8)

    assert (result.method, result.confidence, result.horizon_days) == (VarMethod.HISTORICAL, 0.8, 1)
    assert (result.var, result.cvar) == (7.0, 8.5)


def test_overlapping_ten_day_sums_are_the_moving_sums_of_the_daily_pnl():
    pnl = np.random.default_rng(5).normal(size=40)

    sums = overlapping_sums(pnl, 10)

    assert len(sums) == 31
    assert_allclose(sums, np.convolve(pnl, np.ones(10), mode="valid"), rtol=0, atol=1e-12)


def test_historical_ten_day_var_uses_the_overlapping_ten_day_sums():
    # Thirty days of +1 with one day of -50: the ten 10-day windows holding that day sum to 9 - 50 = -41,
    # the other eleven to +10. 21 windows at 95%: k = ceil(1.05) = 2.
    pnl = np.ones(30)
    pnl[14] = -50.0

    result = historical_var(pnl, confidence=0.95, horizon_days=10)

    assert result.horizon_days == 10
    assert (result.var, result.cvar) == (41.0, 41.0)


# Two factors: DV01-like exposure to a bp factor and a delta to a pct factor.
EXPOSURE = pd.Series({"DI_PRE:504": 1_000.0, "USDBRL": -500.0})
COVARIANCE = pd.DataFrame([[4.0, 1.2], [1.2, 9.0]], index=EXPOSURE.index, columns=EXPOSURE.index)
SIGMA = math.sqrt(1_000.0**2 * 4.0 + 2 * 1_000.0 * -500.0 * 1.2 + 500.0**2 * 9.0)  # sqrt(5.05e6)


def test_portfolio_volatility_is_the_square_root_of_s_sigma_s():
    assert portfolio_volatility(EXPOSURE, COVARIANCE) == pytest.approx(SIGMA, rel=1e-14)


def test_parametric_var_and_cvar_equal_the_normal_closed_form():
    for confidence in (0.95, 0.99):
        z = stats.norm.ppf(confidence)
        result = parametric_var(EXPOSURE, COVARIANCE, confidence=confidence)

        assert result.method is VarMethod.PARAMETRIC
        assert result.var == pytest.approx(z * SIGMA, rel=1e-12)
        assert result.cvar == pytest.approx(SIGMA * math.exp(-z * z / 2) / math.sqrt(2 * math.pi)
                                            / (1 - confidence), rel=1e-12)


def test_parametric_99_percent_var_of_a_unit_volatility_book_is_2_326():
    result = parametric_var(pd.Series({"USDBRL": 1.0}), pd.DataFrame({"USDBRL": [1.0]}, index=["USDBRL"]),
                            confidence=0.99)

    assert result.var == pytest.approx(2.3263478740408408, rel=1e-12)
    assert result.cvar == pytest.approx(2.6652142203458076, rel=1e-9)


def test_parametric_ten_day_var_scales_by_the_square_root_of_ten():
    one = parametric_var(EXPOSURE, COVARIANCE, confidence=0.99)
    ten = parametric_var(EXPOSURE, COVARIANCE, confidence=0.99, horizon_days=10)

    assert ten.var == pytest.approx(one.var * math.sqrt(10), rel=1e-12)
    assert ten.cvar == pytest.approx(one.cvar * math.sqrt(10), rel=1e-12)


def test_an_included_mean_is_subtracted_once_per_day():
    mean = pd.Series({"DI_PRE:504": 0.5, "USDBRL": 0.2})  # mu_p = 500 - 100 = 400 BRL a day
    z = stats.norm.ppf(0.99)

    result = parametric_var(EXPOSURE, COVARIANCE, confidence=0.99, horizon_days=10, mean=mean)

    assert result.var == pytest.approx(z * SIGMA * math.sqrt(10) - 4_000.0, rel=1e-12)


def test_a_factor_without_exposure_may_be_absent_from_the_covariance():
    exposure = pd.Series({"DI_PRE:504": 1_000.0, "USDBRL": -500.0, "OIL": 0.0})

    assert portfolio_volatility(exposure, COVARIANCE) == pytest.approx(SIGMA, rel=1e-14)


def test_an_exposed_factor_absent_from_the_covariance_is_rejected():
    exposure = pd.Series({"DI_PRE:504": 1_000.0, "OIL": 10.0})

    with pytest.raises(RiskInputError, match="OIL"):
        parametric_var(exposure, COVARIANCE, confidence=0.99)


def test_a_confidence_level_given_in_percent_is_rejected():
    with pytest.raises(RiskInputError, match="confidence"):
        parametric_var(EXPOSURE, COVARIANCE, confidence=99.0)
