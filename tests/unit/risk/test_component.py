"""Component VaR: Euler allocation by position, by factor and by any grouping."""

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from domain.risk import RiskInputError, aggregate_components, component_var, parametric_var

FACTORS = ["DI_PRE:504", "USDBRL", "IBOVESPA"]
COVARIANCE = pd.DataFrame([[36.0, 3.0, -2.0],
                           [3.0, 1.0, -0.4],
                           [-2.0, -0.4, 2.25]], index=FACTORS, columns=FACTORS)
# Positions x factors, BRL per unit: a receiver DI1, a long DOL, a long IND, and an NDF-like hedge.
MATRIX = pd.DataFrame([[-1_500.0, 0.0, 0.0],
                       [0.0, 54_000.0, 0.0],
                       [0.0, 0.0, 13_000.0],
                       [0.0, -20_000.0, 0.0]],
                      index=pd.Index(["DI1F27", "DOLZ26", "INDZ26", "DOLF27"], name="instrument"),
                      columns=FACTORS)
Z99 = stats.norm.ppf(0.99)


def hand_components() -> tuple[np.ndarray, float]:
    s = np.array([-1_500.0, 34_000.0, 13_000.0])
    sigma_s = COVARIANCE.to_numpy() @ s
    sigma = math.sqrt(s @ sigma_s)
    return Z99 * (MATRIX.to_numpy() @ sigma_s) / sigma, Z99 * sigma


def test_position_components_are_z_times_exposure_times_marginal_over_sigma():
    expected, total = hand_components()

    result = component_var(MATRIX, COVARIANCE, confidence=0.99)

    assert_allclose(result.by_position.to_numpy(), expected, rtol=1e-12)
    assert result.total == pytest.approx(total, rel=1e-12)


def test_position_components_sum_to_the_parametric_var():
    result = component_var(MATRIX, COVARIANCE, confidence=0.99)
    var = parametric_var(MATRIX.sum(axis=0), COVARIANCE, confidence=0.99).var

    assert result.by_position.sum() == pytest.approx(var, rel=1e-12)
    assert result.shares.sum() == pytest.approx(1.0, rel=1e-12)


def test_factor_components_are_s_f_times_sigma_s_f_and_sum_to_the_total():
    s = MATRIX.sum(axis=0).to_numpy()
    sigma_s = COVARIANCE.to_numpy() @ s
    sigma = math.sqrt(s @ sigma_s)

    result = component_var(MATRIX, COVARIANCE, confidence=0.95)

    assert_allclose(result.by_factor.to_numpy(), stats.norm.ppf(0.95) * s * sigma_s / sigma, rtol=1e-12)
    assert result.by_factor.sum() == pytest.approx(result.total, rel=1e-12)


def test_a_hedge_has_a_negative_component():
    result = component_var(MATRIX, COVARIANCE)

    assert result.by_position["DOLF27"] < 0.0 < result.by_position["DOLZ26"]


def test_components_aggregate_by_asset_class_and_by_strategy():
    result = component_var(MATRIX, COVARIANCE)
    c = result.by_position

    by_class = aggregate_components(c, {"DI1F27": "rates", "DOLZ26": "fx", "INDZ26": "equity", "DOLF27": "fx"})
    by_strategy = aggregate_components(c, {"DI1F27": "di_carry", "DOLZ26": "fx_carry", "INDZ26": "ibov_regime",
                                           "DOLF27": "di_carry"})

    assert list(by_class.index) == ["rates", "fx", "equity"]
    assert by_class["fx"] == pytest.approx(c["DOLZ26"] + c["DOLF27"], rel=1e-12)
    assert by_strategy["di_carry"] == pytest.approx(c["DI1F27"] + c["DOLF27"], rel=1e-12)
    assert by_class.sum() == pytest.approx(result.total, rel=1e-12)
    assert by_strategy.sum() == pytest.approx(result.total, rel=1e-12)


def test_a_position_without_a_group_is_rejected():
    result = component_var(MATRIX, COVARIANCE)

    with pytest.raises(RiskInputError, match="INDZ26"):
        aggregate_components(result.by_position, {"DI1F27": "rates", "DOLZ26": "fx", "DOLF27": "fx"})


def test_a_flat_book_has_no_components_to_allocate():
    with pytest.raises(RiskInputError, match="variance is 0"):
        component_var(MATRIX * 0.0, COVARIANCE)
