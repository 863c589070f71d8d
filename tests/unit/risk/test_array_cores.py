"""The array cores behind the pandas risk functions: same numbers, to the last bit, and their own checks."""

import math

import numpy as np
import pandas as pd
import pytest

from domain.risk import (
    RiskInputError,
    component_var,
    factor_covariance,
    fit_marginals,
    pnl_history,
    update_marginals,
)
from domain.risk.component import euler_components
from domain.risk.exposure import covariance_matrix, linear_pnl
from domain.risk.garch import roll_marginals
from domain.risk.var import delta_normal_var, normal_tail, parametric_var, volatility
from tests.unit.risk.test_garch import garch_history

FACTORS = ["DI_PRE:504", "USDBRL"]


def test_linear_pnl_is_the_changes_times_the_sensitivities():
    changes = np.array([[1.0, -2.0], [0.5, 4.0]])
    assert linear_pnl(changes, np.array([100.0, 10.0])).tolist() == [80.0, 90.0]


def test_linear_pnl_rejects_a_missing_change_and_a_width_mismatch():
    with pytest.raises(RiskInputError, match="finite"):
        linear_pnl(np.array([[1.0, np.nan]]), np.array([1.0, 1.0]))
    with pytest.raises(RiskInputError, match="disagree"):
        linear_pnl(np.array([[1.0, 2.0]]), np.array([1.0]))


def test_pnl_history_and_covariance_are_their_array_cores_exactly():
    history = garch_history(300)[FACTORS]
    exposure = pd.Series([-2_500.0, 40_000.0], index=FACTORS)
    values = history.to_numpy()
    assert np.array_equal(pnl_history(history, exposure).to_numpy(), linear_pnl(values, exposure.to_numpy()))
    assert np.array_equal(factor_covariance(history).to_numpy(), covariance_matrix(values))


def test_delta_normal_var_is_z_sigma_root_h_and_matches_parametric_var():
    z, density = normal_tail(0.99)
    assert z == pytest.approx(2.3263478740408408, rel=1e-15)
    assert density == pytest.approx(math.exp(-z * z / 2) / math.sqrt(2 * math.pi), rel=1e-15)
    result = delta_normal_var(1_000_000.0, confidence=0.99, horizon_days=10)
    assert result.var == pytest.approx(z * 1_000_000.0 * math.sqrt(10), rel=1e-15)
    assert result.cvar == pytest.approx(1_000_000.0 * math.sqrt(10) * density / 0.01, rel=1e-15)
    history = garch_history(300)[FACTORS]
    exposure = pd.Series([-2_500.0, 40_000.0], index=FACTORS)
    covariance = factor_covariance(history)
    sigma = volatility(exposure.to_numpy(), covariance.to_numpy())
    assert parametric_var(exposure, covariance, confidence=0.95, horizon_days=1) == delta_normal_var(
        sigma, confidence=0.95, horizon_days=1)


def test_euler_components_are_component_var_exactly_and_sum_to_the_total():
    history = garch_history(300)[FACTORS]
    matrix = pd.DataFrame([[-2_500.0, 0.0], [0.0, 40_000.0], [-1_000.0, -5_000.0]], columns=FACTORS,
                          index=pd.Index(["DI1F27", "DOLF26", "DI1F29"], name="instrument"))
    covariance = factor_covariance(history)
    expected = component_var(matrix, covariance, confidence=0.99)
    total, by_position, by_factor = euler_components(matrix.to_numpy(), matrix.sum(axis=0).to_numpy(),
                                                     covariance.to_numpy(), confidence=0.99)
    assert total == expected.total
    assert np.array_equal(by_position, expected.by_position.to_numpy())
    assert np.array_equal(by_factor, expected.by_factor.to_numpy())
    assert by_position.sum() == pytest.approx(total, rel=1e-12)


def test_rolling_the_new_days_as_an_array_is_update_marginals_exactly():
    history = garch_history(400)[FACTORS]
    fitted = fit_marginals(history.iloc[:380])
    expected = update_marginals(fitted, history)
    rolled = roll_marginals(fitted, history.iloc[380:].to_numpy(), pd.Timestamp(history.index[-1]))
    assert np.array_equal(rolled.next_variance, expected.next_variance)
    assert rolled.as_of == expected.as_of == history.index[-1]
    assert roll_marginals(fitted, np.empty((0, 2)), pd.Timestamp(history.index[-1])) is fitted
    with pytest.raises(RiskInputError, match="missing"):
        roll_marginals(fitted, np.array([[np.nan, 1.0]]), pd.Timestamp(history.index[-1]))
