"""Trailing statistics and the regime HMM, against hand computations."""

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from domain.agents.regime import REGIMES, Regime, RegimeModel, filter_regimes, regime_log_likelihood
from domain.agents.rolling import (
    log_level,
    rate_vol,
    realised_vol,
    row_mean,
    sign_consistency,
    squash,
    trailing_zscore,
)


def series(values: list[float]) -> pd.Series:
    return pd.Series(values, index=pd.bdate_range("2024-01-01", periods=len(values)), dtype=float)


def test_trailing_zscore_uses_the_window_ending_on_the_row():
    z = trailing_zscore(series([1.0, 2.0, 3.0, 10.0]), window=3)

    window = np.array([2.0, 3.0, 10.0])
    assert_allclose(z.iloc[3], (10.0 - window.mean()) / window.std(ddof=1))
    assert z.iloc[:2].isna().all()


def test_sign_consistency_is_the_share_of_the_window_with_todays_sign():
    kappa = sign_consistency(series([1.0, -1.0, 2.0, 3.0, np.nan, 0.0]), window=4)

    # Row 3 (3.0): window 1, -1, 2, 3 -> 3 of 4 positive. Row 1: one negative in a window of 4.
    assert_allclose(kappa.iloc[:4], [0.25, 0.25, 0.5, 0.75])
    assert math.isnan(kappa.iloc[4]) and kappa.iloc[5] == 0.0


def test_realised_vol_annualises_the_sample_sd_of_log_returns():
    levels = series([100.0, 101.0, 99.0, 100.5])

    vol = realised_vol(levels, window=3)

    returns = np.diff(np.log(levels.to_numpy()))
    assert_allclose(vol.iloc[3], returns.std(ddof=1) * math.sqrt(252))


def test_rate_vol_scales_daily_changes_by_the_square_root_of_the_horizon():
    rates = series([0.10, 0.101, 0.0995, 0.1002])

    assert_allclose(rate_vol(rates, 3, 4).iloc[3], np.diff(rates.to_numpy()).std(ddof=1) * 2.0)


def test_squash_is_tanh_of_the_value_over_its_scale():
    assert_allclose(squash(series([0.01, -0.02]), 0.01), [math.tanh(1.0), math.tanh(-2.0)])
    with pytest.raises(ValueError, match="positive"):
        squash(series([1.0]), 0.0)


def test_row_mean_averages_whatever_is_present():
    assert_allclose(row_mean(series([1.0, np.nan, np.nan]), series([3.0, 2.0, np.nan])), [2.0, 2.0, np.nan])


def test_log_level_is_nan_for_non_positive_levels():
    assert_allclose(log_level(series([math.e, 0.0, -1.0])), [1.0, np.nan, np.nan])


def test_the_transition_matrix_is_sticky_with_equal_switches():
    a = RegimeModel(stay_probability=0.97).transition()

    assert_allclose(a.diagonal(), 0.97)
    assert_allclose(a[0, 1:], 0.01)
    assert_allclose(a.sum(axis=1), 1.0)


def test_regime_log_likelihood_is_the_tempered_squared_distance_to_each_corner():
    model = RegimeModel(emission_sd=1.0, evidence_weight=0.5)

    ll = regime_log_likelihood(np.array([1.0]), np.array([1.0]), model)

    # Distances^2 to Goldilocks (1,-1), Reflation (1,1), Stagflation (-1,1), Deflation (-1,-1): 4, 0, 4, 8.
    assert_allclose(ll[0], [-0.5 * 4 / 2, 0.0, -0.5 * 4 / 2, -0.5 * 8 / 2])


def test_one_forward_step_of_the_regime_filter():
    model = RegimeModel(stay_probability=0.9, emission_sd=1.0, evidence_weight=1.0)
    ll = np.array([[0.0, -1.0, -2.0, -3.0], [-3.0, -2.0, -1.0, 0.0]])

    probs = filter_regimes(ll, model)

    first = np.exp(ll[0]) / np.exp(ll[0]).sum()
    predicted = model.transition().T @ first
    second = predicted * np.exp(ll[1]) / (predicted * np.exp(ll[1])).sum()
    assert_allclose(probs, [first, second], rtol=1e-12)


def test_the_regime_filter_only_predicts_through_missing_rows_and_is_nan_before_data():
    model = RegimeModel(stay_probability=0.9)
    ll = np.array([[np.nan] * 4, [0.0, -1.0, -1.0, -1.0], [np.nan] * 4])

    probs = filter_regimes(ll, model)

    assert np.isnan(probs[0]).all()
    assert_allclose(probs[2], model.transition().T @ probs[1])
    assert list(REGIMES) == [Regime.GOLDILOCKS, Regime.REFLATION, Regime.STAGFLATION, Regime.DEFLATION]


def test_invalid_regime_parameters_are_rejected():
    with pytest.raises(ValueError, match="stay_probability"):
        RegimeModel(stay_probability=1.0)
    with pytest.raises(ValueError, match="evidence_weight"):
        RegimeModel(evidence_weight=0.0)
