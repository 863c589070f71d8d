"""Constrained mean-variance optimiser: known solutions with and without binding limits."""

import numpy as np
import pytest
from numpy.testing import assert_allclose

from domain.portfolio.errors import InvalidPortfolioInputError, OptimisationFailedError
from domain.portfolio.optimiser import PortfolioConstraints, RiskBudget, bucket_component_var, kkt_residual, optimise

LOOSE = PortfolioConstraints(gross_leverage=1e3, asset_class_share=1.0, max_weight=1e3)
DELTA = 2.5


def test_without_binding_limits_the_solution_is_sigma_inverse_mu_over_delta() -> None:
    names = ["DI1_2Y", "DI1_5Y", "USDBRL", "IBOV"]
    rng = np.random.default_rng(7)
    a = rng.normal(size=(4, 4)) * 0.005
    sigma = a @ a.T + np.diag([1e-6, 2e-6, 1e-5, 2e-5])
    mu = np.array([0.0002, -0.0001, 0.0003, 0.0004])
    result = optimise(mu, sigma, names=names, constraints=LOOSE)
    expected = np.linalg.solve(sigma, mu) / DELTA
    assert_allclose(result.weights, expected, rtol=1e-6, atol=1e-9)
    assert result.binding == ()
    assert result.utility == pytest.approx(0.5 * mu @ expected, rel=1e-9)


def test_a_binding_gross_limit_soft_thresholds_the_unconstrained_weights() -> None:
    names = ["DI1_2Y", "USDBRL"]
    var = np.array([0.003, 0.009]) ** 2
    mu = np.array([0.0003, -0.0004])
    unconstrained = mu / (DELTA * var)  # [13.33, -1.98]
    limit = 4.0
    # KKT with diagonal Sigma: w_i = sign(mu_i)(|mu_i| - lambda) / (delta var_i), sum |w_i| = L.
    lam = (np.sum(np.abs(mu) / var) - DELTA * limit) / np.sum(1 / var)
    assert 0 < lam < np.abs(mu).min()  # both generics stay active
    expected = np.sign(mu) * (np.abs(mu) - lam) / (DELTA * var)
    result = optimise(mu, np.diag(var), names=names,
                      constraints=PortfolioConstraints(gross_leverage=limit, asset_class_share=1.0, max_weight=100))
    assert np.abs(unconstrained).sum() > limit
    assert_allclose(result.weights, expected, rtol=1e-6)
    assert result.gross == pytest.approx(limit, rel=1e-9)
    assert result.binding == ("gross_leverage",)


def test_equal_risks_and_equal_alphas_scale_down_proportionally_under_the_gross_limit() -> None:
    names = ["DI1_2Y", "USDBRL", "IBOV"]
    sigma = np.eye(3) * 0.01 ** 2
    mu = np.array([0.0005, -0.0005, 0.0005])  # unconstrained 2 each, gross 6
    result = optimise(mu, sigma, names=names, constraints=PortfolioConstraints(gross_leverage=3.0, max_weight=5))
    assert_allclose(result.weights, [1.0, -1.0, 1.0], rtol=1e-7)


def test_a_binding_asset_class_limit_caps_the_class_gross_and_leaves_the_others_alone() -> None:
    names = ["DI1_1Y", "DI1_2Y", "USDBRL"]
    var = np.array([0.002, 0.003, 0.009]) ** 2
    mu = np.array([0.0004, 0.00041, 0.0002])
    constraints = PortfolioConstraints(gross_leverage=10.0, asset_class_share=0.2, max_weight=100)  # rates <= 2
    rates_var, rates_mu = var[:2], mu[:2]
    # Soft threshold within the class; lambda < min(mu) keeps both rates generics active.
    lam = (np.sum(rates_mu / rates_var) - DELTA * 2.0) / np.sum(1 / rates_var)
    assert 0 < lam < rates_mu.min()
    expected = np.concatenate([(rates_mu - lam) / (DELTA * rates_var), mu[2:] / (DELTA * var[2:])])
    result = optimise(mu, np.diag(var), names=names, constraints=constraints)
    assert_allclose(result.weights, expected, rtol=1e-6)
    assert result.binding == ("asset_class:rates",)
    assert result.class_gross["rates"] == pytest.approx(2.0, rel=1e-9)


def test_weight_bounds_clip_a_diagonal_problem() -> None:
    names = ["DI1_2Y", "USDBRL", "IBOV"]
    var = np.array([0.003, 0.009, 0.014]) ** 2
    mu = np.array([-0.0004, 0.0001, 0.0008])
    constraints = PortfolioConstraints(gross_leverage=100, asset_class_share=1.0, max_weight=1.5,
                                       weight_bounds={"IBOV": (0.0, 0.5)})
    result = optimise(mu, np.diag(var), names=names, constraints=constraints)
    expected = np.clip(mu / (DELTA * var), [-1.5, -1.5, 0.0], [1.5, 1.5, 0.5])
    assert_allclose(result.weights, expected, rtol=1e-7, atol=1e-10)
    assert result.binding == ("bound:DI1_2Y", "bound:IBOV")


def test_the_optimiser_is_deterministic() -> None:
    names = ["DI1_1Y", "DI1_2Y", "DI1_5Y", "USDBRL", "IBOV", "UST10"]
    rng = np.random.default_rng(11)
    a = rng.normal(size=(6, 6)) * 0.004
    sigma = a @ a.T / 6 + np.eye(6) * 1e-6
    mu = rng.normal(size=6) * 0.0003
    first = optimise(mu, sigma, names=names)
    second = optimise(mu, sigma, names=names)
    assert np.array_equal(first.weights, second.weights)
    assert first.gross <= 3.0 + 1e-9
    assert all(g <= 1.5 + 1e-9 for g in first.class_gross.values())


def test_bounds_that_exclude_zero_are_rejected() -> None:
    with pytest.raises(InvalidPortfolioInputError, match="lower <= 0 <= upper"):
        PortfolioConstraints(weight_bounds={"IBOV": (0.1, 0.5)})


def test_a_solver_stop_short_of_the_optimum_fails_loudly_with_the_status_and_the_kkt_residual() -> None:
    names = ["DI1_2Y", "USDBRL", "IBOV"]
    rng = np.random.default_rng(3)
    a = rng.normal(size=(3, 3)) * 0.01
    sigma = a @ a.T + np.diag([1e-5, 2e-5, 3e-5])
    mu = np.array([0.0004, -0.0003, 0.0005])
    with pytest.raises(OptimisationFailedError) as failure:
        optimise(mu, sigma, names=names, constraints=PortfolioConstraints(gross_leverage=3.0, max_weight=5),
                 max_iterations=1)
    assert failure.value.status == 9
    assert "KKT check fails" in failure.value.reason
    assert "session 2021-06-30" in str(failure.value.for_session("2021-06-30"))


def test_the_kkt_residual_is_zero_at_the_known_optimum_and_large_at_a_feasible_non_optimal_point() -> None:
    # min -mu'w + delta/2 w'Sw on one generic, bound w <= 1 binding: gradient -mu + delta s2 w < 0 there.
    mu, var = 0.001, 0.01 ** 2
    at_bound = np.array([-mu + DELTA * var * 1.0])
    assert kkt_residual(at_bound / 1e-6, np.array([[1.0]]), np.zeros((0, 1))) == pytest.approx(0.0, abs=1e-12)
    inside = np.array([-mu + DELTA * var * 0.5]) / 1e-6  # w = 0.5, nothing active, gradient not zero
    assert kkt_residual(inside, np.zeros((0, 1)), np.zeros((0, 1))) > 1e-2


def test_a_turnover_penalty_leaves_a_no_trade_band_around_the_previous_weights() -> None:
    names = ["DI1_2Y", "USDBRL"]
    var = np.array([0.003, 0.009]) ** 2
    mu = np.array([0.0003, -0.0004])
    loose = PortfolioConstraints(gross_leverage=1e3, asset_class_share=1.0, max_weight=1e3)
    free = mu / (DELTA * var)
    previous = free * np.array([0.98, 0.5])  # the first close to its optimum, the second far from it
    kappa = np.array([0.00005, 0.00005])
    result = optimise(mu, np.diag(var), names=names, constraints=loose, previous_weights=previous,
                      turnover_penalty=kappa)
    # Diagonal KKT: stay at w0 while |mu - delta var w0| <= kappa, else move to (mu -+ kappa)/(delta var).
    assert abs(mu[0] - DELTA * var[0] * previous[0]) <= kappa[0]
    expected_second = (mu[1] + kappa[1]) / (DELTA * var[1])
    assert_allclose(result.weights, [previous[0], expected_second], rtol=1e-6)


def test_a_risk_budget_caps_every_strategy_component_var() -> None:
    names = ["DI1_2Y", "USDBRL", "IBOV", "UST10"]
    sigma = np.diag(np.array([0.004, 0.009, 0.015, 0.006]) ** 2)
    mu = np.array([0.0008, 0.0001, 0.0001, 0.0001])  # DI1 alone would carry most of the risk
    budget = RiskBudget({"DI1_2Y": {"carry": 1.0}, "USDBRL": {"fx": 1.0}, "IBOV": {"equity": 1.0},
                         "UST10": {"us": 1.0}}, max_var=0.01)
    loose = PortfolioConstraints(gross_leverage=1e3, asset_class_share=1.0, max_weight=1e3)
    free = optimise(mu, sigma, names=names, constraints=loose)
    assert bucket_component_var(free.weights, sigma, names=names, budget=budget)["carry"] > 0.02
    result = optimise(mu, sigma, names=names, constraints=loose, risk_budget=budget)
    components = bucket_component_var(result.weights, sigma, names=names, budget=budget)
    assert max(components.values()) <= 0.01 * (1 + 1e-6)
    assert components["carry"] == pytest.approx(0.01, rel=1e-6)
    assert "risk_budget" in result.binding
    # Better than the naive fix (the free book scaled down until carry fits): the optimiser re-balances.
    naive = free.weights * 0.01 / bucket_component_var(free.weights, sigma, names=names, budget=budget)["carry"]
    assert result.utility > float(naive @ mu - 0.5 * DELTA * naive @ sigma @ naive)
