"""GARCH(1,1) marginals with arch: parameters, one-step-ahead variance, the daily variance update."""

import math

import numpy as np
import pandas as pd
import pytest
from arch import arch_model
from numpy.testing import assert_allclose

from domain.risk import RiskInputError, fit_marginals, update_marginals

OMEGA, ALPHA, BETA, NU = 0.05, 0.08, 0.90, 6.0


def garch_history(days: int = 2_000, seed: int = 9) -> pd.DataFrame:
    """Three factors with GARCH(1,1)-t volatility and correlated shocks, in bp / % scales."""
    rng = np.random.default_rng(seed)
    corr = np.array([[1.0, 0.6, -0.3], [0.6, 1.0, -0.2], [-0.3, -0.2, 1.0]])
    shocks = rng.standard_normal((days, 3)) @ np.linalg.cholesky(corr).T
    shocks /= np.sqrt(rng.chisquare(NU, days) / NU)[:, None]
    shocks *= math.sqrt((NU - 2) / NU)
    changes = np.empty((days, 3))
    variance = np.full(3, OMEGA / (1 - ALPHA - BETA))
    for t in range(days):
        changes[t] = np.sqrt(variance) * shocks[t]
        variance = OMEGA + ALPHA * changes[t] ** 2 + BETA * variance
    changes *= [8.0, 1.2, 1.5]
    return pd.DataFrame(changes, index=pd.bdate_range("2017-01-02", periods=days),
                        columns=["DI_PRE:504", "USDBRL", "IBOVESPA"])


@pytest.fixture(scope="module")
def history() -> pd.DataFrame:
    return garch_history()


@pytest.fixture(scope="module")
def fitted(history):
    return fit_marginals(history)


def test_the_fit_recovers_the_garch_persistence_of_each_factor(fitted):
    assert fitted.factors == ("DI_PRE:504", "USDBRL", "IBOVESPA")
    assert_allclose(fitted.alpha, ALPHA, atol=0.03)
    assert_allclose(fitted.beta, BETA, atol=0.04)
    assert_allclose(fitted.alpha + fitted.beta, ALPHA + BETA, atol=0.02)


def test_the_one_step_variance_is_arch_s_recursion_on_the_standardised_history(history, fitted):
    z = history["USDBRL"].to_numpy() / history["USDBRL"].std(ddof=1)
    result = arch_model(z, mean="Constant", vol="GARCH", p=1, q=1, dist="t", rescale=False).fit(disp="off")
    p = result.params
    by_hand = p["omega"] + p["alpha[1]"] * result.resid[-1] ** 2 + p["beta[1]"] * result.conditional_volatility[-1] ** 2

    assert fitted.next_variance[1] == pytest.approx(by_hand, rel=1e-8)
    assert fitted.next_volatility[1] == pytest.approx(history["USDBRL"].std(ddof=1) * math.sqrt(by_hand), rel=1e-8)
    assert fitted.marginal_dof[1] == pytest.approx(p["nu"], rel=1e-12)
    assert fitted.as_of == history.index[-1]


def test_the_copula_captures_the_shock_correlation_and_fat_tails(fitted):
    assert fitted.correlation[0, 1] == pytest.approx(0.6, abs=0.06)
    assert fitted.correlation[0, 2] == pytest.approx(-0.3, abs=0.06)
    assert 3.0 < fitted.copula_dof < 12.0


def test_a_fixed_copula_dof_is_used_as_given(history):
    assert fit_marginals(history.iloc[:400], copula_dof=7.0, dist="normal").copula_dof == 7.0


def test_normal_innovations_have_infinite_marginal_dof(history):
    assert np.all(np.isinf(fit_marginals(history.iloc[:400], dist="normal", copula_dof=math.inf).marginal_dof))


def test_the_daily_update_rolls_the_variance_recursion_with_fixed_parameters(fitted):
    new = pd.DataFrame({"DI_PRE:504": [12.0, -3.0], "USDBRL": [2.0, 0.5], "IBOVESPA": [-1.0, 0.0]},
                       index=pd.DatetimeIndex([fitted.as_of + pd.offsets.BDay(1), fitted.as_of + pd.offsets.BDay(2)]))

    updated = update_marginals(fitted, new)

    variance = fitted.next_variance.copy()
    for row in new.to_numpy():
        shock = row / fitted.scale - fitted.mean
        variance = fitted.omega + fitted.alpha * shock**2 + fitted.beta * variance
    assert_allclose(updated.next_variance, variance, rtol=1e-14)
    assert updated.as_of == new.index[-1]
    assert np.array_equal(updated.alpha, fitted.alpha) and updated.copula_dof == fitted.copula_dof


def test_the_update_ignores_days_already_in_the_state(history, fitted):
    assert update_marginals(fitted, history.iloc[-20:]) is fitted


def test_a_history_shorter_than_250_days_is_rejected(history):
    with pytest.raises(RiskInputError, match="at least 250"):
        fit_marginals(history.iloc[:249])


def test_a_gap_in_the_history_names_the_factor_and_date(history):
    gappy = history.iloc[:300].copy()
    gappy.iloc[120, 1] = np.nan

    with pytest.raises(RiskInputError, match=f"USDBRL is missing on {gappy.index[120]}"):
        fit_marginals(gappy)


def test_a_history_without_dates_is_rejected(history):
    with pytest.raises(RiskInputError, match="DatetimeIndex"):
        fit_marginals(history.reset_index(drop=True))


def test_the_constraint_jacobian_replica_is_scipys_finite_difference_to_the_last_bit():
    """arch's SLSQP fits take their linear-constraint gradients from the replica: same bits as scipy's own."""
    import warnings

    from scipy.optimize import _slsqp_py
    from scipy.optimize._numdiff import approx_derivative

    from domain.risk.garch import _FD_STEP, _forward_difference

    assert _slsqp_py._epsilon == _FD_STEP
    rng = np.random.default_rng(3)
    lower = np.array([-np.inf, 1e-8, 0.0, 0.0, 2.05])
    upper = np.array([np.inf, 1e3, 1.0, 1.0, 500.0])
    for _ in range(500):
        coeff, val = rng.standard_normal(5) * rng.choice([1e-3, 1.0, 1e3]), float(rng.standard_normal())

        def constraint(p, c=coeff, v=val):
            return np.dot(c, p) - v

        # Inside, on and just inside the bounds, and beyond them (SLSQP clips those first).
        x = np.array([rng.standard_normal(), 10 ** rng.uniform(-9, 3.1), rng.choice([1.0 - 1e-9, rng.uniform()]),
                      rng.choice([0.0, 1.0, 1.2, rng.uniform()]), rng.choice([2.05, 500.0, 2.05 + 1e-9, 600.0])])
        with warnings.catch_warnings():
            warnings.simplefilter("ignore", RuntimeWarning)
            clipped = _slsqp_py._check_clip_x(x, (lower, upper))
        expected = approx_derivative(constraint, clipped, method="2-point", abs_step=_slsqp_py._epsilon,
                                     bounds=(lower, upper))
        assert np.array_equal(_forward_difference(constraint, lower, upper)(x), expected)
