"""Trailing OLS: every row's fit equals a least-squares solve on the rows up to it."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

from domain.agents.regression import DegenerateRegressionWarning, lag, trailing_ols


def test_an_expanding_fit_on_each_row_matches_lstsq_on_the_rows_up_to_it():
    rng = np.random.default_rng(11)
    X = np.column_stack([np.ones(30), rng.normal(size=30), rng.normal(size=30)])
    y = X @ np.array([0.5, -1.0, 2.0]) + rng.normal(scale=0.1, size=30)

    fit = trailing_ols(y, X, window=None, min_obs=5)

    for t in (4, 10, 29):
        expected, *_ = np.linalg.lstsq(X[: t + 1], y[: t + 1], rcond=None)
        assert_allclose(fit.coef[t], expected, rtol=1e-10)
    assert np.isnan(fit.coef[3]).all()
    assert fit.n_obs[29] == 30


def test_a_rolling_fit_uses_only_the_last_window_rows():
    rng = np.random.default_rng(12)
    X = np.column_stack([np.ones(40), rng.normal(size=40)])
    y = 1.0 + 3.0 * X[:, 1] + rng.normal(scale=0.2, size=40)

    fit = trailing_ols(y, X, window=10, min_obs=10)

    expected, *_ = np.linalg.lstsq(X[25:35], y[25:35], rcond=None)
    assert_allclose(fit.coef[34], expected, rtol=1e-9)
    residuals = y[25:35] - X[25:35] @ expected
    assert_allclose(fit.resid_var[34], residuals @ residuals / (10 - 2), rtol=1e-8)
    centred = y[25:35] - y[25:35].mean()
    assert_allclose(fit.r2[34], 1 - residuals @ residuals / (centred @ centred), rtol=1e-8)


def test_rows_with_a_missing_value_are_skipped_not_zero_filled():
    X = np.column_stack([np.ones(6), [0.0, 1.0, 2.0, 3.0, np.nan, 5.0]])
    y = np.array([1.0, 3.0, 5.0, 100.0, 9.0, 11.0])
    y[3] = np.nan

    fit = trailing_ols(y, X, window=None, min_obs=3)

    # Rows 0, 1, 2 and 5 lie exactly on y = 1 + 2x.
    assert_allclose(fit.coef[5], [1.0, 2.0], atol=1e-12)
    assert fit.n_obs[5] == 4
    assert np.isnan(fit.coef[1]).all()


def test_a_singular_window_gives_nan_coefficients_and_a_named_warning():
    X = np.column_stack([np.ones(8), np.ones(8)])
    y = np.arange(8.0)

    with pytest.warns(DegenerateRegressionWarning):
        fit = trailing_ols(y, X, window=None, min_obs=3)

    assert np.isnan(fit.coef).all()


def test_a_well_posed_fit_raises_no_warning():
    X = np.column_stack([np.ones(8), np.arange(8.0)])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        trailing_ols(2.0 * np.arange(8.0), X, window=None, min_obs=3)


def test_predict_is_the_row_wise_product_with_that_rows_coefficients():
    X = np.column_stack([np.ones(5), np.arange(5.0)])
    fit = trailing_ols(1.0 + 0.5 * np.arange(5.0), X, window=None, min_obs=3)

    assert_allclose(fit.predict(np.array([[1.0, 10.0]] * 5))[2:], [6.0, 6.0, 6.0], rtol=1e-12)


def test_invalid_shapes_and_windows_are_rejected_with_the_reason():
    X = np.ones((5, 2))
    with pytest.raises(ValueError, match="min_obs must exceed"):
        trailing_ols(np.ones(5), X, window=None, min_obs=2)
    with pytest.raises(ValueError, match="shorter than min_obs"):
        trailing_ols(np.ones(5), X, window=3, min_obs=4)
    with pytest.raises(ValueError, match="shape"):
        trailing_ols(np.ones(4), X, window=None, min_obs=3)


def test_lag_shifts_down_and_refuses_to_look_ahead():
    assert_allclose(lag(np.array([1.0, 2.0, 3.0]), 1), [np.nan, 1.0, 2.0])
    with pytest.raises(ValueError, match="look ahead"):
        lag(np.array([1.0]), -1)
