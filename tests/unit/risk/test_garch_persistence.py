import warnings

import numpy as np
import pandas as pd
import pytest

from domain.risk import fit_marginals
from domain.risk.errors import IntegratedGarchWarning
from domain.risk.garch import MAX_PERSISTENCE, update_marginals


def _persistent_series(seed: int, n: int = 1000) -> np.ndarray:
    rng = np.random.default_rng(seed)
    shocks = rng.standard_t(5, n) * np.sqrt(3 / 5)
    x, v = np.empty(n), 1.0
    for t in range(n):
        x[t] = np.sqrt(v) * shocks[t]
        v = 0.02 + 0.08 * x[t] ** 2 + 0.90 * v
    return x


def test_a_fit_at_the_integrated_boundary_is_kept_stationary_with_a_named_warning() -> None:
    index = pd.bdate_range("2015-01-01", periods=1000)
    fitted_any_capped = False
    for seed in range(20):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            fitted = fit_marginals(pd.DataFrame({"f": _persistent_series(seed)}, index=index))
        assert float(fitted.alpha[0] + fitted.beta[0]) <= MAX_PERSISTENCE + 1e-12
        if any(issubclass(w.category, IntegratedGarchWarning) for w in caught):
            fitted_any_capped = True
            assert float(fitted.alpha[0] + fitted.beta[0]) == pytest.approx(MAX_PERSISTENCE, abs=1e-12)
    assert fitted_any_capped  # seeds 0..19 include fits that land on alpha + beta = 1


def test_rolling_the_variance_forward_reuses_the_copula_and_its_quantile_map() -> None:
    rng = np.random.default_rng(3)
    index = pd.bdate_range("2020-01-01", periods=600)
    history = pd.DataFrame(rng.standard_normal((600, 2)), index=index, columns=["a", "b"])
    fitted = fit_marginals(history.iloc[:500])
    advanced = update_marginals(fitted, history)
    assert advanced.innovation_map is fitted.innovation_map and advanced.cholesky is fitted.cholesky
    assert advanced.as_of == index[-1]
    expected = fitted.next_variance.copy()
    for row in history.iloc[500:].to_numpy() / fitted.scale:
        expected = fitted.omega + fitted.alpha * (row - fitted.mean) ** 2 + fitted.beta * expected
    np.testing.assert_allclose(advanced.next_variance, expected, rtol=1e-12)
