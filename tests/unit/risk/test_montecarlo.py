"""Monte Carlo VaR: Gaussian check against the closed form, copula-to-innovation map, simulation."""

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from domain.risk import (
    FittedMarginals,
    RiskInputError,
    VarMethod,
    copula_to_innovations,
    gaussian_marginals,
    monte_carlo_var,
    parametric_var,
    scenario_pnl,
    simulate,
    to_horizon,
)

FACTORS = ["DI_PRE:252", "DI_PRE:1260", "USDBRL", "IBOVESPA", "UST:3652"]
VOLS = np.array([8.0, 12.0, 1.1, 1.6, 6.0])  # bp and % a day
CORR = np.array([[1.0, 0.8, 0.4, -0.3, 0.2],
                 [0.8, 1.0, 0.5, -0.4, 0.3],
                 [0.4, 0.5, 1.0, -0.6, 0.1],
                 [-0.3, -0.4, -0.6, 1.0, -0.1],
                 [0.2, 0.3, 0.1, -0.1, 1.0]])
COVARIANCE = pd.DataFrame(CORR * np.outer(VOLS, VOLS), index=FACTORS, columns=FACTORS)
EXPOSURE = pd.Series([-400.0, 900.0, 54_000.0, 13_000.0, -300.0], index=FACTORS)


def t_model(copula_dof: float = 4.0, marginal_dof: tuple[float, ...] = (5.0, math.inf, 8.0)) -> FittedMarginals:
    n = len(marginal_dof)
    corr = np.array([[1.0, 0.5, -0.2], [0.5, 1.0, 0.1], [-0.2, 0.1, 1.0]])[:n, :n]
    return FittedMarginals(
        factors=("USDBRL", "DI_PRE:504", "IBOVESPA")[:n], as_of=pd.Timestamp("2025-06-30"),
        scale=np.array([1.0, 10.0, 1.5])[:n], mean=np.zeros(n), omega=np.full(n, 0.05),
        alpha=np.full(n, 0.08), beta=np.full(n, 0.9), marginal_dof=np.array(marginal_dof),
        next_variance=np.array([1.2, 0.8, 1.0])[:n], correlation=corr, copula_dof=copula_dof)


def test_gaussian_monte_carlo_var_is_within_two_percent_of_the_closed_form():
    fitted = gaussian_marginals(COVARIANCE)
    pnl = scenario_pnl(simulate(fitted, 100_000, np.random.default_rng(42)), fitted, EXPOSURE)

    for confidence in (0.95, 0.99):
        mc = monte_carlo_var(pnl, confidence=confidence)
        exact = parametric_var(EXPOSURE, COVARIANCE, confidence=confidence)
        assert mc.method is VarMethod.MONTE_CARLO
        assert mc.var == pytest.approx(exact.var, rel=0.02)
        assert mc.cvar == pytest.approx(exact.cvar, rel=0.02)


def test_gaussian_scenarios_have_the_given_covariance():
    fitted = gaussian_marginals(COVARIANCE)

    scenarios = simulate(fitted, 100_000, np.random.default_rng(7))

    assert scenarios.shape == (100_000, 5)
    assert_allclose(np.corrcoef(scenarios, rowvar=False), CORR, atol=0.01)
    assert_allclose(scenarios.std(axis=0), VOLS, rtol=0.01)


def test_the_same_seed_gives_the_same_scenarios_and_another_seed_different_ones():
    fitted = t_model()

    first = simulate(fitted, 1_000, np.random.default_rng(3))
    again = simulate(fitted, 1_000, np.random.default_rng(3))
    other = simulate(fitted, 1_000, np.random.default_rng(4))

    assert np.array_equal(first, again)
    assert not np.array_equal(first, other)


def test_the_innovation_map_matches_the_exact_quantile_composition_in_core_and_tails():
    fitted = t_model()
    scores = np.column_stack([np.linspace(-40.0, 40.0, 801)] * 3)  # |x| > 12 exercises the tail table
    p = stats.t.cdf(scores[:, 0], 4.0)
    exact = np.column_stack([stats.t.ppf(p, 5.0) * math.sqrt(3.0 / 5.0), stats.norm.ppf(p),
                             stats.t.ppf(p, 8.0) * math.sqrt(6.0 / 8.0)])

    innovations = copula_to_innovations(fitted, scores)

    core = np.abs(scores[:, 0]) <= 12.0
    assert_allclose(innovations[core], exact[core], rtol=0, atol=1e-6)
    assert_allclose(innovations[~core], exact[~core], rtol=1e-3)


def test_a_gaussian_copula_with_normal_marginals_maps_scores_to_themselves():
    fitted = gaussian_marginals(COVARIANCE)
    scores = np.random.default_rng(0).standard_normal((10, 5))

    assert np.array_equal(copula_to_innovations(fitted, scores), scores)


def test_simulated_moves_have_the_one_step_ahead_volatility_and_the_copula_tails():
    fitted = t_model()

    scenarios = simulate(fitted, 200_000, np.random.default_rng(11))

    # Unit-variance innovations scaled by s_i sigma_{T+1,i}.
    assert_allclose(fitted.next_volatility, [math.sqrt(1.2), 10 * math.sqrt(0.8), 1.5])
    assert_allclose(scenarios.std(axis=0), fitted.next_volatility, rtol=0.02)
    # Marginal 1% quantile of the t(5) factor: s sigma t5^{-1}(0.01) sqrt(3/5).
    expected = math.sqrt(1.2) * stats.t.ppf(0.01, 5.0) * math.sqrt(3.0 / 5.0)
    assert np.quantile(scenarios[:, 0], 0.01) == pytest.approx(expected, rel=0.02)


def test_the_mean_is_added_only_when_asked():
    fitted = FittedMarginals(
        factors=("USDBRL",), as_of=None, scale=np.array([2.0]), mean=np.array([0.1]), omega=np.array([1.0]),
        alpha=np.array([0.0]), beta=np.array([0.0]), marginal_dof=np.array([math.inf]),
        next_variance=np.array([1.0]), correlation=np.eye(1), copula_dof=math.inf)

    without = simulate(fitted, 10, np.random.default_rng(1))
    with_mean = simulate(fitted, 10, np.random.default_rng(1), include_mean=True)

    assert_allclose(with_mean - without, 0.2)


def test_ten_day_monte_carlo_var_of_a_gaussian_garch_matches_the_closed_form_of_its_variance_term_structure():
    # One factor, Gaussian GARCH(1,1) in standardised units: omega 0.05, alpha 0.10, beta 0.85 (long-run variance
    # 1.0), today's one-step variance 2.5 (a stressed day), scale 3 factor units.
    fitted = FittedMarginals(
        factors=("DI_PRE:504",), as_of=None, scale=np.array([3.0]), mean=np.array([0.0]), omega=np.array([0.05]),
        alpha=np.array([0.10]), beta=np.array([0.85]), marginal_dof=np.array([math.inf]),
        next_variance=np.array([2.5]), correlation=np.eye(1), copula_dof=math.inf)
    # sigma^2_{T+k} = 1 + 0.95^(k-1) (2.5 - 1); sum over k = 1..10 = 10 + 1.5 (1 - 0.95^10) / 0.05.
    ten_day_variance = 10 + 1.5 * (1 - 0.95 ** 10) / 0.05
    assert fitted.horizon_volatility(10) == pytest.approx([3.0 * math.sqrt(ten_day_variance)], rel=1e-12)
    assert fitted.horizon_volatility(1) == pytest.approx(fitted.next_volatility, rel=1e-12)
    exposure = pd.Series({"DI_PRE:504": -25_000.0})  # BRL per bp
    draws = simulate(fitted, 400_000, np.random.default_rng(5))
    pnl = scenario_pnl(to_horizon(draws, fitted, 10), fitted, exposure)
    ten = monte_carlo_var(pnl, confidence=0.99, horizon_days=10)
    closed = stats.norm.ppf(0.99) * 25_000.0 * 3.0 * math.sqrt(ten_day_variance)
    assert ten.var == pytest.approx(closed, rel=0.01)
    # Square-root-of-time on today's stressed variance would overstate it by about 6.5%.
    assert 3.0 * math.sqrt(2.5 * 10) * stats.norm.ppf(0.99) * 25_000.0 > 1.05 * ten.var


def test_scenario_pnl_rejects_an_exposed_factor_the_model_does_not_simulate():
    fitted = gaussian_marginals(COVARIANCE)
    scenarios = simulate(fitted, 10, np.random.default_rng(0))

    with pytest.raises(RiskInputError, match="OIL"):
        scenario_pnl(scenarios, fitted, pd.Series({"USDBRL": 1.0, "OIL": 2.0}))


def test_a_non_stationary_garch_state_is_rejected():
    with pytest.raises(RiskInputError, match="alpha \\+ beta < 1"):
        FittedMarginals(
            factors=("USDBRL",), as_of=None, scale=np.array([1.0]), mean=np.zeros(1), omega=np.array([0.1]),
            alpha=np.array([0.2]), beta=np.array([0.8]), marginal_dof=np.array([5.0]),
            next_variance=np.array([1.0]), correlation=np.eye(1), copula_dof=5.0)


def test_a_covariance_that_is_not_positive_definite_is_rejected_for_gaussian_marginals():
    cov = pd.DataFrame([[1.0, 2.0], [2.0, 1.0]], index=["a", "b"], columns=["a", "b"])

    with pytest.raises(RiskInputError, match="positive definite"):
        gaussian_marginals(cov)
