"""Student-t copula: Kendall-implied correlation, PD repair, log-likelihood, dof estimation."""

import math

import numpy as np
import pytest
from numpy.testing import assert_allclose
from scipy import stats

from domain.risk import CorrelationRepairWarning, copula_correlation, estimate_copula_dof, t_copula_loglik
from domain.risk.copula import nearest_correlation

R = np.array([[1.0, 0.6, 0.3, 0.0],
              [0.6, 1.0, 0.4, -0.2],
              [0.3, 0.4, 1.0, 0.1],
              [0.0, -0.2, 0.1, 1.0]])


def t_copula_sample(dof: float, n: int, seed: int) -> np.ndarray:
    """Uniforms of a t copula with correlation R: multivariate-t draws through the t CDF."""
    rng = np.random.default_rng(seed)
    z = rng.standard_normal((n, 4)) @ np.linalg.cholesky(R).T
    if math.isinf(dof):
        return stats.norm.cdf(z)
    return stats.t.cdf(z / np.sqrt(rng.chisquare(dof, n) / dof)[:, None], dof)


def test_the_kendall_correlation_is_sin_of_half_pi_tau():
    u = t_copula_sample(5.0, 500, seed=1)
    tau = stats.kendalltau(u[:, 0], u[:, 1]).statistic

    assert copula_correlation(u)[0, 1] == pytest.approx(math.sin(math.pi / 2 * tau), rel=1e-12)


def test_the_kendall_correlation_recovers_the_copula_correlation():
    u = t_copula_sample(5.0, 4_000, seed=2)

    assert_allclose(copula_correlation(u), R, atol=0.03)


def test_the_correlation_depends_only_on_ranks():
    u = t_copula_sample(5.0, 300, seed=3)
    transformed = np.column_stack([np.exp(10 * u[:, 0]), u[:, 1] ** 3, stats.norm.ppf(u[:, 2]), u[:, 3]])

    assert_allclose(copula_correlation(transformed), copula_correlation(u), rtol=0, atol=1e-15)


def test_a_matrix_that_is_not_positive_definite_is_repaired_with_a_warning():
    bad = np.array([[1.0, 0.9, 0.9], [0.9, 1.0, -0.9], [0.9, -0.9, 1.0]])

    with pytest.warns(CorrelationRepairWarning, match="not positive definite"):
        fixed = nearest_correlation(bad)

    assert np.linalg.eigvalsh(fixed).min() > 0.0
    assert_allclose(np.diag(fixed), 1.0)
    assert_allclose(fixed, fixed.T)


def test_the_copula_loglik_is_the_multivariate_t_density_over_its_marginals():
    u = t_copula_sample(6.0, 20, seed=4)
    dof = 4.5
    x = stats.t.ppf(u, dof)
    expected = (stats.multivariate_t(loc=np.zeros(4), shape=R, df=dof).logpdf(x).sum()
                - stats.t.logpdf(x, dof).sum())

    assert t_copula_loglik(u, R, dof) == pytest.approx(expected, rel=1e-10)


def test_the_dof_estimate_recovers_a_fat_tailed_copula():
    u = t_copula_sample(4.0, 3_000, seed=5)

    assert estimate_copula_dof(u, R) == pytest.approx(4.0, abs=0.8)


def test_a_gaussian_copula_gets_a_large_dof():
    u = t_copula_sample(math.inf, 3_000, seed=6)

    assert estimate_copula_dof(u, R) > 30.0
