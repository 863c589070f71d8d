"""Hand-computed values of the agents' models: Kalman step, Taylor rule, targets, debt, Phillips, BEER."""

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from domain.agents.beer import beer_fair_value
from domain.agents.debt import (
    STRESS,
    DominanceScales,
    debt_path,
    dominance_components,
    fiscal_dominance_score,
    next_debt,
    stabilising_primary_balance,
)
from domain.agents.kalman import LocalLevelParams, filter_local_level, local_level_step
from domain.agents.phillips import ar1_persistence, phillips_curve
from domain.agents.selic_path import focus_average_selic, model_average_selic, year_fraction_left
from domain.agents.targets import inflation_target, target_12m_ahead, tolerance
from domain.agents.taylor import TaylorRule, okun_gap, taylor_rate


def test_one_kalman_step_predicts_then_updates_with_the_gain():
    # Prior r* 4% with variance 1e-4; state noise 1e-6; observation 6% with variance 9e-4.
    mean, variance, gain = local_level_step(0.04, 1e-4, 0.06, obs_var=9e-4, level_var=1e-6)

    predicted = 1e-4 + 1e-6
    assert gain == pytest.approx(1.01e-4 / 1.001e-3)                          # 0.1008991
    assert mean == pytest.approx(0.04 + 0.1008991 * 0.02, abs=1e-9)           # 0.0420180
    assert variance == pytest.approx((1 - 0.1008991) * predicted, rel=1e-6)   # 9.0809e-5


def test_a_missing_observation_only_predicts():
    assert local_level_step(0.05, 1e-4, math.nan, obs_var=9e-4, level_var=1e-6) == (0.05, 1e-4 + 1e-6, 0.0)


def test_the_filter_is_nan_before_the_first_observation_and_carries_through_gaps():
    params = LocalLevelParams(obs_sd=0.03, level_sd_annual=0.0025, initial_mean=0.045, initial_sd=0.02)
    y = np.array([np.nan, 0.05, np.nan, 0.055])

    level = filter_local_level(y, params)

    assert np.isnan(level.mean[0])
    q, r = 0.0025 ** 2 / 252, 0.03 ** 2
    m1, p1, _ = local_level_step(0.045, 0.02 ** 2 + q, 0.05, r, q)  # row 0 predicted once before
    assert_allclose(level.mean[1], m1, rtol=1e-12)
    assert_allclose([level.mean[2], level.variance[2], level.gain[2]], [m1, p1 + q, 0.0], rtol=1e-12)


def test_the_taylor_rule_adds_half_the_inflation_gap_and_half_the_output_gap():
    rate = taylor_rate(0.045, 0.04, 0.03, 0.01)

    assert float(rate) == pytest.approx(0.045 + 0.04 + 0.5 * 0.01 + 0.5 * 0.01)  # 9.5%


def test_taylor_coefficients_are_parameters_and_must_be_non_negative():
    assert float(taylor_rate(0.0, 0.03, 0.02, -0.02, TaylorRule(1.0, 0.0))) == pytest.approx(0.04)
    with pytest.raises(ValueError, match="non-negative"):
        TaylorRule(-0.5, 0.5)


def test_okun_gap_is_minus_two_per_point_of_unemployment_above_nairu():
    assert float(okun_gap(0.05, 0.045)) == pytest.approx(-0.01)


def test_cmn_targets_follow_the_published_schedule():
    assert [inflation_target(y) for y in (2010, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2026, 2030)] == [
        0.045, 0.045, 0.0425, 0.04, 0.0375, 0.035, 0.0325, 0.03, 0.03, 0.03]
    assert tolerance(2016) == 0.02 and tolerance(2017) == 0.015
    with pytest.raises(ValueError, match="2009"):
        inflation_target(2009)


def test_the_12_month_ahead_target_weights_this_and_next_year_by_months():
    dates = pd.DatetimeIndex(["2019-06-14", "2018-12-03", "2024-01-02"])

    assert_allclose(target_12m_ahead(dates), [0.5 * 0.0425 + 0.5 * 0.04, 0.0425, 11 / 12 * 0.03 + 1 / 12 * 0.03])


def test_one_step_of_the_debt_path():
    # d' = 0.75 * 1.11 / 1.09 - 0.005
    assert float(next_debt(0.75, 0.11, 0.09, 0.005)) == pytest.approx(0.75 * 1.11 / 1.09 - 0.005)  # 0.758761


def test_the_stress_path_compounds_the_shocked_inputs_every_year():
    path = debt_path([0.75], [0.11], [0.09], [0.005], years=2, scenario=STRESS)

    d1 = 0.75 * 1.14 / 1.07 - (-0.005)
    assert_allclose(path[0], [0.75, d1, d1 * 1.14 / 1.07 + 0.005])


def test_the_stabilising_primary_balance_holds_debt_constant():
    pb = stabilising_primary_balance(0.75, 0.11, 0.09)

    assert float(pb) == pytest.approx(0.75 * 0.02 / 1.09)
    assert float(next_debt(0.75, 0.11, 0.09, pb)) == pytest.approx(0.75)


def test_fiscal_dominance_is_the_logistic_of_the_mean_standardised_reading():
    parts = dominance_components([0.80], [0.03], [0.01], [np.nan], DominanceScales())

    assert_allclose(parts[0, :3], [1.0, 1.0, 0.5])
    assert_allclose(fiscal_dominance_score(parts), [1 / (1 + math.exp(-2.5 / 3))])


def test_the_phillips_curve_recovers_exact_coefficients_and_forecasts_from_todays_regressors():
    rng = np.random.default_rng(3)
    n, lag = 80, 5
    expectations, core12, gap = rng.normal(0.04, 0.01, n), rng.normal(0.05, 0.01, n), rng.normal(0, 0.02, n)
    core3 = np.full(n, np.nan)
    core3[lag:] = 0.002 + 0.6 * expectations[:-lag] + 0.3 * core12[:-lag] + 0.2 * gap[:-lag]

    fit = phillips_curve(core3, expectations, core12, gap, lag_sessions=lag, window=None, min_obs=20)

    assert_allclose(fit.coef[-1], [0.002, 0.6, 0.3, 0.2], atol=1e-9)
    expected = 0.002 + 0.6 * expectations[-1] + 0.3 * core12[-1] + 0.2 * gap[-1]
    assert_allclose(fit.forecast[-1], expected, atol=1e-10)
    assert_allclose(fit.r2[-1], 1.0, atol=1e-9)


def test_ar1_persistence_of_an_exact_autoregression_is_its_coefficient():
    x = np.empty(60)
    x[:2] = [0.06, 0.05]
    for t in range(2, 60):
        x[t] = 0.01 + 0.8 * x[t - 2]

    fit = ar1_persistence(x, step=2, window=30, min_obs=10)

    assert_allclose([fit.rho[-1], fit.intercept[-1]], [0.8, 0.01], atol=1e-6)


def test_beer_misalignment_on_a_tiny_regression():
    # log s = 0.5 + 0.2 f on rows 0..3; row 4 is 10% above that line.
    f = np.array([[0.0], [1.0], [2.0], [3.0], [4.0]])
    spot = np.exp(0.5 + 0.2 * f[:, 0])
    spot[4] *= 1.10

    fit = beer_fair_value(spot, f, min_obs=3)

    design = np.column_stack([np.ones(5), f[:, 0]])
    beta, *_ = np.linalg.lstsq(design, np.log(spot), rcond=None)  # the row-4 fit includes row 4 itself
    assert_allclose(fit.misalignment[4], np.log(spot[4]) - design[4] @ beta, rtol=1e-10)
    assert_allclose(fit.misalignment[3], 0.0, atol=1e-12)
    assert_allclose(fit.fair_value[3], math.exp(0.5 + 0.6), rtol=1e-12)
    assert np.isnan(fit.misalignment[1])


def test_the_focus_selic_path_average_over_five_years():
    # Half a year to go: 14.25% -> 15.00% by December, 12.50% a year later, flat after.
    average = focus_average_selic(0.1425, 0.15, 0.125, 0.5, horizon_years=5.0)

    area = 0.5 * (0.1425 + 0.15) / 2 + (0.15 + 0.125) / 2 + 3.5 * 0.125
    assert float(average) == pytest.approx(area / 5)  # 13.0375%


def test_the_model_path_closes_half_the_gap_on_average_over_a_year():
    assert float(model_average_selic(0.10, 0.12)) == pytest.approx(0.11)
    assert_allclose(year_fraction_left(pd.DatetimeIndex(["2025-12-31", "2025-07-02"])), [0.0, 182 / 365])
