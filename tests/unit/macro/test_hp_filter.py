"""HP filter: the banded solve matches the textbook filter, and the one-sided trend is real-time."""

import numpy as np
import pytest
from numpy.testing import assert_allclose
from statsmodels.tsa.filters.hp_filter import hpfilter

from domain.macro import HpFilterError, hp_trend, one_sided_hp_trend


def random_walk(n: int, seed: int) -> np.ndarray:
    return np.cumsum(np.random.default_rng(seed).normal(0.1, 1.0, size=n))


def test_a_three_point_trend_is_the_hand_computed_one():
    # (I + D'D) tau = y with D = (1, -2, 1): tau = y - D' (D y) / 7 for y = (0, 0, 3).
    trend = hp_trend(np.array([0.0, 0.0, 3.0]), lamb=1.0)

    assert_allclose(trend, [-3 / 7, 6 / 7, 18 / 7], rtol=0, atol=1e-14)


def test_a_straight_line_is_its_own_trend_even_with_a_missing_point():
    line = 2.0 + 0.5 * np.arange(30.0)
    line[12] = np.nan

    trend = hp_trend(line, lamb=14_400.0)

    assert_allclose(trend, 2.0 + 0.5 * np.arange(30.0), rtol=0, atol=1e-8)


def test_the_two_sided_trend_matches_the_statsmodels_filter():
    y = random_walk(200, seed=7)

    _, expected = hpfilter(y, lamb=14_400)

    assert_allclose(hp_trend(y, lamb=14_400.0), expected, rtol=0, atol=1e-8)


def test_each_one_sided_value_is_the_last_point_of_the_filter_on_data_up_to_then():
    y = random_walk(80, seed=11)

    one_sided = one_sided_hp_trend(y, lamb=14_400.0, min_obs=24)

    assert np.isnan(one_sided[:23]).all()
    expected = [hpfilter(y[: t + 1], lamb=14_400)[1][-1] for t in range(23, 80)]
    assert_allclose(one_sided[23:], expected, rtol=0, atol=1e-8)


def test_appending_data_does_not_change_earlier_one_sided_values():
    y = random_walk(100, seed=3)

    assert_allclose(one_sided_hp_trend(y)[:70], one_sided_hp_trend(y[:70]), rtol=0, atol=0)


def test_invalid_smoothing_settings_are_refused():
    with pytest.raises(HpFilterError, match="lambda must be positive"):
        hp_trend(np.arange(5.0), lamb=0.0)
    with pytest.raises(HpFilterError, match="min_obs"):
        one_sided_hp_trend(np.arange(5.0), min_obs=1)
    with pytest.raises(HpFilterError, match="at least 2 observed"):
        hp_trend(np.array([1.0, np.nan, np.nan]))
