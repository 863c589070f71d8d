"""Aggregation per generic, against hand-computed posteriors and weighted means."""

import math

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from domain.signals import (
    AGGREGATE_COLUMNS,
    AggregationParams,
    aggregate,
    bayesian_update,
    correlated_precision,
    observation_variance,
    prior_means,
    staleness_factor,
)

D0, D1, D2, D3 = pd.bdate_range("2025-06-02", periods=4)
STAGFLATION = pd.DataFrame({"goldilocks": [0.0], "reflation": [0.0], "stagflation": [1.0], "deflation": [0.0]},
                           index=[D0])


def rows(*items: tuple) -> pd.DataFrame:
    """(date, strategy, asset class, generic, signal, confidence[, age]) tuples as a signal table."""
    columns = ["date", "strategy_id", "asset_class", "generic", "signal", "confidence", "age_days"]
    frame = pd.DataFrame([(*i, 0.0) if len(i) == 6 else i for i in items], columns=columns)
    return frame


# Two strategies on DI1_2Y: x = 0.6 with c = 0.8 (v = 0.25 * 0.2 / 0.8 = 0.0625, precision 16) and
# x = -0.2 with c = 0.5 (v = 0.25, precision 4).
TWO = rows((D0, "a", "rates", "DI1_2Y", 0.6, 0.8), (D0, "b", "rates", "DI1_2Y", -0.2, 0.5))


def test_observation_variance_follows_confidence():
    assert_allclose(observation_variance([0.8, 0.5, 0.2], 0.25), [0.0625, 0.25, 1.0])


def test_the_normal_update_by_hand():
    mean, variance = bayesian_update(0.4, 0.25, [0.6, -0.2], [0.0625, 0.25])

    assert (mean, variance) == pytest.approx(((0.4 * 4 + 0.6 * 16 - 0.2 * 4) / 24, 1 / 24))  # 0.43333, 0.041667


def test_with_a_flat_prior_the_bayesian_signal_is_the_precision_weighted_mean():
    result = aggregate(TWO, STAGFLATION, params=AggregationParams(prior_variance=math.inf))

    row = result.iloc[0]
    assert row["signal"] == pytest.approx((0.6 * 16 - 0.2 * 4) / 20)  # 0.44
    assert row["posterior_variance"] == pytest.approx(1 / 20)
    assert row["confidence"] == pytest.approx(0.25 / (0.25 + 0.05))
    assert row["n_strategies"] == 2


def test_a_regime_prior_pulls_the_posterior_by_its_share_of_the_precision():
    flat = 0.44
    prior = 0.4  # rates in stagflation
    result = aggregate(TWO, STAGFLATION, params=AggregationParams(prior_variance=0.25))

    # The prior holds 4 of the 24 units of precision: the posterior moves 4/24 of the way to it.
    assert result.iloc[0]["signal"] == pytest.approx(flat + (prior - flat) * 4 / 24)  # 0.433333
    assert result.iloc[0]["posterior_variance"] == pytest.approx(1 / 24)


def test_regime_priors_are_probability_weighted_per_asset_class():
    probs = pd.DataFrame({"goldilocks": [0.5, np.nan], "reflation": [0.5, np.nan], "stagflation": [0.0, np.nan],
                          "deflation": [0.0, np.nan]}, index=[D0, D1])

    means = prior_means(probs, pd.DatetimeIndex([D0, D1, D2]))

    assert means.loc[D0, "rates"] == pytest.approx(0.5 * -0.2 + 0.5 * 0.3)
    assert means.loc[D0, "equity"] == pytest.approx(0.3)
    assert (means.loc[[D1, D2]] == 0.0).all().all()  # unknown regime: neutral prior


def test_without_regime_probabilities_the_prior_is_neutral():
    result = aggregate(TWO)

    assert result.iloc[0]["signal"] == pytest.approx(8.8 / 24)


def test_stale_inputs_halve_confidence_every_half_life():
    assert_allclose(staleness_factor([0.0, 5.0, 10.0, -1.0], 5.0), [1.0, 0.5, 0.25, 1.0])
    stale = rows((D0, "a", "rates", "DI1_2Y", 0.6, 0.8, 5.0), (D0, "b", "rates", "DI1_2Y", -0.2, 0.5, 0.0))

    result = aggregate(stale, params=AggregationParams(prior_variance=math.inf, half_life_days=5.0))

    # a: confidence 0.4 -> v = 0.375 (precision 8/3); b: precision 4.
    assert result.iloc[0]["signal"] == pytest.approx((0.6 * 8 / 3 - 0.2 * 4) / (8 / 3 + 4))


def test_confidence_weighted_aggregation():
    result = aggregate(TWO, method="confidence_weighted")

    row = result.iloc[0]
    assert row["signal"] == pytest.approx((0.8 * 0.6 - 0.5 * 0.2) / 1.3)
    assert row["confidence"] == pytest.approx((0.64 + 0.25) / 1.3)
    assert math.isnan(row["posterior_variance"])


def test_rank_aggregation_uses_each_strategys_own_expanding_percentile():
    history = rows(*[(d, "a", "fx", "USDBRL", x, 0.5) for d, x in zip((D0, D1, D2, D3), (0.1, 0.3, 0.2, -0.4),
                                                                       strict=True)])

    result = aggregate(history, method="rank", params=AggregationParams(rank_min_history=1))
    later = aggregate(history, method="rank", params=AggregationParams(rank_min_history=3))

    assert_allclose(result["signal"], [1.0, 1.0, 2 / 3, -1.0])
    assert list(later["date"]) == [D2, D3]


def test_nearly_unanimous_strategies_in_an_asset_class_are_discounted():
    crowded = rows((D0, "a", "rates", "DI1_1Y", 0.6, 0.5), (D0, "b", "rates", "DI1_1Y", 0.2, 0.5),
                   (D0, "c", "rates", "DI1_5Y", 0.4, 0.9))
    split = crowded.assign(signal=[0.6, 0.2, -0.4])

    assert aggregate(crowded, method="confidence_weighted").iloc[0]["signal"] == pytest.approx(0.4 * 0.75)
    assert aggregate(split, method="confidence_weighted").iloc[0]["signal"] == pytest.approx(0.4)


def test_the_output_has_one_row_per_date_and_generic_in_book_order():
    table = rows((D0, "x", "fx", "USDBRL", 0.1, 0.5), (D0, "y", "rates", "DI1_10Y", 0.1, 0.5),
                 (D0, "z", "rates", "DI1_1Y", 0.1, 0.5), (D1, "z", "rates", "DI1_1Y", 0.1, 0.0))

    result = aggregate(table)

    assert list(result.columns) == AGGREGATE_COLUMNS
    assert list(result["generic"]) == ["DI1_1Y", "DI1_10Y", "USDBRL"]  # zero confidence contributes nothing
    assert list(result["asset_class"]) == ["rates", "rates", "fx"]


def test_bad_inputs_are_rejected_with_the_reason():
    with pytest.raises(ValueError, match="lack columns"):
        aggregate(TWO.drop(columns=["confidence"]))
    with pytest.raises(ValueError, match="unknown generics"):
        aggregate(TWO.assign(generic="DI1_7Y"))
    with pytest.raises(ValueError, match="signal must be in"):
        aggregate(TWO.assign(signal=1.5))
    with pytest.raises(ValueError):
        aggregate(TWO, method="median")
    with pytest.raises(ValueError, match="prior_variance"):
        AggregationParams(prior_variance=0.0)


def _history(strategies: list[str], days: int = 120, seed: int = 11) -> pd.DataFrame:
    rng = np.random.default_rng(seed)
    dates = pd.bdate_range("2024-01-01", periods=days)
    signal = np.clip(rng.normal(0.3, 0.3, days), -1, 1)
    confidence = rng.uniform(0.3, 0.8, days)
    return pd.DataFrame([(d, s, "rates", "DI1_10Y", x, c) for s in strategies
                         for d, x, c in zip(dates, signal, confidence, strict=True)],
                        columns=["date", "strategy_id", "asset_class", "generic", "signal", "confidence"])


def test_two_identical_strategies_carry_the_weight_of_one():
    one = aggregate(_history(["di1_term_premium"]))
    two = aggregate(_history(["di1_term_premium", "di1_fiscal_premium"]))
    late = one["date"] >= one["date"].iloc[70]  # once 63 shared dates give the correlation (1)
    columns = ["signal", "confidence", "posterior_variance"]
    assert_allclose(two.loc[late, columns].to_numpy(), one.loc[late, columns].to_numpy(), rtol=1e-9)
    # Before the correlation is estimable they count as independent: the posterior is more confident.
    assert (two.loc[~late, "confidence"].iloc[:60].to_numpy() > one.loc[~late, "confidence"].iloc[:60].to_numpy()).all()


def test_correlated_observations_follow_the_gls_closed_form():
    x, v, rho = np.array([0.6, 0.2]), np.array([0.0625, 0.25]), 0.5
    precision, weighted = correlated_precision(x, v, np.array([[1.0, rho], [rho, 1.0]]))
    cov = np.array([[v[0], rho * np.sqrt(v[0] * v[1])], [rho * np.sqrt(v[0] * v[1]), v[1]]])
    inverse = np.linalg.inv(cov)
    assert precision == pytest.approx(inverse.sum())
    assert weighted == pytest.approx((inverse @ x).sum())
    independent = correlated_precision(x, v, np.eye(2))
    assert independent == pytest.approx((1 / v[0] + 1 / v[1], x[0] / v[0] + x[1] / v[1]))
