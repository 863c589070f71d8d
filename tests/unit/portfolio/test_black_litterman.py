"""Black-Litterman: closed forms, no-view prior, confidence mapping, views from signals."""

import warnings

import numpy as np
import pytest
from numpy.testing import assert_allclose

from domain.portfolio.black_litterman import GenericSignal, Views, black_litterman, views_from_signals
from domain.portfolio.errors import IllConditionedCovarianceWarning, InvalidPortfolioInputError, NoMarketPriorWarning

NAMES = ("DI1_2Y", "USDBRL", "IBOV")
# Daily covariance of returns per BRL of notional: vols 0.3%, 0.9%, 1.4%, with correlations.
VOLS = np.array([0.003, 0.009, 0.014])
CORR = np.array([[1.0, 0.4, -0.3], [0.4, 1.0, -0.5], [-0.3, -0.5, 1.0]])
SIGMA = CORR * np.outer(VOLS, VOLS)
W_REF = np.array([0.2, -0.1, 0.3])


def two_views() -> Views:
    # View 1: DI1_2Y returns 0.02% a day (confidence 0.6); view 2: IBOV outperforms USDBRL by 0.05% (0.3).
    return Views(np.array([[1.0, 0.0, 0.0], [0.0, -1.0, 1.0]]), np.array([0.0002, 0.0005]),
                 np.array([0.6, 0.3]), ("di", "ibov-vs-usd"))


def test_posterior_mean_and_covariance_match_the_precision_form_closed_form() -> None:
    delta, tau = 2.5, 0.05
    views = two_views()
    result = black_litterman(SIGMA, views, names=NAMES, reference_weights=W_REF, risk_aversion=delta, tau=tau)

    pi = delta * SIGMA @ W_REF
    P, Q, c = views.picks, views.returns, views.confidence
    omega = np.diag((1 / c - 1) * np.diag(P @ (tau * SIGMA) @ P.T))
    precision = np.linalg.inv(tau * SIGMA) + P.T @ np.linalg.inv(omega) @ P
    M = np.linalg.inv(precision)
    mu = M @ (np.linalg.inv(tau * SIGMA) @ pi + P.T @ np.linalg.inv(omega) @ Q)
    # The other textbook form of the mean must agree as well.
    mu_alt = pi + tau * SIGMA @ P.T @ np.linalg.inv(P @ (tau * SIGMA) @ P.T + omega) @ (Q - P @ pi)

    assert_allclose(result.prior_mean, pi, rtol=1e-12)
    assert_allclose(result.posterior_mean, mu, rtol=1e-9)
    assert_allclose(result.posterior_mean, mu_alt, rtol=1e-9)
    assert_allclose(result.uncertainty, M, rtol=1e-8, atol=1e-20)
    assert_allclose(result.posterior_covariance, SIGMA + M, rtol=1e-9)
    assert_allclose(result.omega, np.diag(omega), rtol=1e-12)


def test_without_views_the_posterior_mean_is_the_equilibrium_return() -> None:
    result = black_litterman(SIGMA, Views.none(3), names=NAMES, reference_weights=W_REF)
    assert_allclose(result.posterior_mean, 2.5 * SIGMA @ W_REF, rtol=1e-12)
    assert_allclose(result.posterior_covariance, 1.05 * SIGMA, rtol=1e-12)


def test_a_neutral_reference_book_has_zero_equilibrium_returns_and_warns_that_there_is_no_market_prior() -> None:
    with pytest.warns(NoMarketPriorWarning, match="prior mean is zero"):
        result = black_litterman(SIGMA, Views.none(3), names=NAMES)
    assert_allclose(result.prior_mean, np.zeros(3), atol=0)


def test_explicit_market_weights_raise_no_prior_warning() -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error", NoMarketPriorWarning)
        black_litterman(SIGMA, Views.none(3), names=NAMES, reference_weights=W_REF)


@pytest.mark.parametrize("confidence", [0.1, 0.5, 0.9])
def test_confidence_is_the_share_of_the_way_a_single_view_moves_the_posterior(confidence: float) -> None:
    p = np.array([[0.0, 1.0, 1.0]])
    q = np.array([0.001])
    result = black_litterman(SIGMA, Views(p, q, np.array([confidence])), names=NAMES, reference_weights=W_REF)
    prior_view = float(p[0] @ result.prior_mean)
    assert float(p[0] @ result.posterior_mean) == pytest.approx(prior_view + confidence * (0.001 - prior_view),
                                                               rel=1e-10)


def test_certain_views_are_matched_exactly() -> None:
    views = Views(two_views().picks, two_views().returns, np.array([1.0, 1.0]))
    result = black_litterman(SIGMA, views, names=NAMES, reference_weights=W_REF)
    assert_allclose(views.picks @ result.posterior_mean, views.returns, rtol=1e-10)


def test_redundant_certain_views_are_rejected() -> None:
    views = Views(np.array([[1.0, 0, 0], [2.0, 0, 0]]), np.array([0.001, 0.002]), np.array([1.0, 1.0]))
    with pytest.raises(InvalidPortfolioInputError, match="redundant"):
        black_litterman(SIGMA, views, names=NAMES)


def test_views_from_signals_expect_an_information_ratio_per_unit_of_daily_volatility() -> None:
    signals = [GenericSignal("IBOV", 0.5, 0.8), GenericSignal("DI1_2Y", -1.0, 0.4),
               GenericSignal("USDBRL", 0.7, 0.0)]
    views = views_from_signals(signals, NAMES, VOLS, information_ratio=0.3)
    # Q = s * 0.3 / sqrt(252) * sigma_daily; the zero-confidence USDBRL signal gives no view.
    assert views.labels == ("IBOV", "DI1_2Y")
    assert_allclose(views.returns, [0.5 * 0.3 / np.sqrt(252) * 0.014, -1.0 * 0.3 / np.sqrt(252) * 0.003])
    assert_allclose(views.picks, [[0, 0, 1], [1, 0, 0]])
    assert_allclose(views.confidence, [0.8, 0.4])


def test_signals_on_unknown_generics_or_out_of_range_are_rejected() -> None:
    with pytest.raises(InvalidPortfolioInputError, match="not among"):
        views_from_signals([GenericSignal("UST10", 0.2, 0.5)], NAMES, VOLS)
    with pytest.raises(InvalidPortfolioInputError, match=r"strength must be in \[-1, 1\]"):
        GenericSignal("IBOV", 1.5, 0.5)
    with pytest.raises(InvalidPortfolioInputError, match="two signals on IBOV"):
        views_from_signals([GenericSignal("IBOV", 0.2, 0.5), GenericSignal("IBOV", 0.1, 0.5)], NAMES, VOLS)


def test_view_confidence_outside_zero_one_is_rejected() -> None:
    with pytest.raises(InvalidPortfolioInputError, match=r"confidences must be in \(0, 1\]"):
        Views(np.eye(1, 3), np.array([0.001]), np.array([0.0]))


def test_an_asymmetric_covariance_is_rejected_and_a_near_singular_one_warns() -> None:
    bad = SIGMA.copy()
    bad[0, 1] *= 2
    with pytest.raises(InvalidPortfolioInputError, match="not symmetric"):
        black_litterman(bad, Views.none(3), names=NAMES)
    singular = np.outer(VOLS, VOLS)  # rank one
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        black_litterman(singular, Views.none(3), names=NAMES)
    assert any(issubclass(w.category, IllConditionedCovarianceWarning) for w in caught)
