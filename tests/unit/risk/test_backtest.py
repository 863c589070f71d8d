"""VaR backtesting: exceptions, Kupiec POF, Basel traffic light."""

import math

import pandas as pd
import pytest

from domain.risk import (
    RiskInputError,
    TrafficLight,
    count_exceptions,
    kupiec_pof,
    traffic_light,
    traffic_light_bounds,
    var_exceptions,
)

DATES = pd.bdate_range("2025-06-02", periods=6)


def test_an_exception_is_a_loss_strictly_beyond_the_var():
    pnl = pd.Series([-120.0, -100.0, 50.0, -99.0, -300.0, 10.0], index=DATES)
    var = pd.Series([100.0, 100.0, 100.0, 100.0, 250.0, 5.0], index=DATES)

    flags = var_exceptions(pnl, var)

    assert flags.tolist() == [True, False, False, False, True, False]
    assert count_exceptions(pnl, var) == 2


def test_pnl_and_var_on_different_dates_are_rejected():
    with pytest.raises(RiskInputError, match="same dates"):
        count_exceptions(pd.Series([1.0], index=DATES[:1]), pd.Series([1.0], index=DATES[1:2]))


def hand_lr(x: int, t: int, p: float) -> float:
    null = (t - x) * math.log(1 - p) + (x * math.log(p) if x else 0.0)
    rate = x / t
    alternative = ((t - x) * math.log(1 - rate) if x < t else 0.0) + (x * math.log(rate) if x else 0.0)
    return -2 * null + 2 * alternative


def test_kupiec_statistic_for_5_exceptions_in_250_days_at_99_percent():
    # -2[245 ln .99 + 5 ln .01] + 2[245 ln .98 + 5 ln .02] = 1.9568...
    result = kupiec_pof(5, 250, confidence=0.99)

    assert result.statistic == pytest.approx(hand_lr(5, 250, 0.01), rel=1e-12)
    assert result.statistic == pytest.approx(1.956, abs=1e-3)
    # chi2(1) survival: P(chi2_1 >= x) = erfc(sqrt(x / 2)).
    assert result.p_value == pytest.approx(math.erfc(math.sqrt(result.statistic / 2)), rel=1e-12)
    assert result.expected_rate == pytest.approx(0.01)
    assert not result.rejects(0.05)


def test_kupiec_with_no_exceptions_reduces_to_minus_two_t_log_one_minus_p():
    result = kupiec_pof(0, 250, confidence=0.99)

    assert result.statistic == pytest.approx(-2 * 250 * math.log(0.99), rel=1e-12)
    assert result.statistic == pytest.approx(5.025, abs=1e-3)
    assert result.p_value == pytest.approx(0.0250, abs=1e-4)
    assert result.rejects(0.05)


def test_kupiec_with_every_day_an_exception_reduces_to_minus_two_t_log_p():
    result = kupiec_pof(20, 20, confidence=0.95)

    assert result.statistic == pytest.approx(-2 * 20 * math.log(0.05), rel=1e-12)


def test_kupiec_rejects_twelve_exceptions_in_250_days():
    result = kupiec_pof(12, 250, confidence=0.99)

    assert result.statistic == pytest.approx(hand_lr(12, 250, 0.01), rel=1e-12)
    assert result.rejects(0.01)


def test_more_exceptions_than_days_is_rejected():
    with pytest.raises(RiskInputError, match="exceptions"):
        kupiec_pof(251, 250, confidence=0.99)


@pytest.mark.parametrize(("exceptions", "zone"), [
    (0, TrafficLight.GREEN), (4, TrafficLight.GREEN), (5, TrafficLight.YELLOW), (9, TrafficLight.YELLOW),
    (10, TrafficLight.RED), (25, TrafficLight.RED),
])
def test_basel_zones_for_250_days_at_99_percent(exceptions, zone):
    assert traffic_light(exceptions, 250, confidence=0.99) is zone


def binomial_cdf(x: int, t: int, p: float) -> float:
    return sum(math.comb(t, k) * p**k * (1 - p) ** (t - k) for k in range(x + 1))


def test_zone_bounds_for_other_sample_sizes_follow_the_binomial_95_and_99_99_percent_points():
    first_yellow = next(x for x in range(501) if binomial_cdf(x, 500, 0.01) >= 0.95)
    first_red = next(x for x in range(501) if binomial_cdf(x, 500, 0.01) >= 0.9999)

    assert (first_yellow, first_red) == (9, 15)
    assert traffic_light_bounds(500, confidence=0.99) == (9, 15)
    assert traffic_light_bounds(250, confidence=0.95) == (18, 27)


def test_too_few_days_for_a_traffic_light_are_rejected():
    with pytest.raises(RiskInputError, match="too few"):
        traffic_light(0, 5, confidence=0.99)  # 0.99^5 = 0.951: zero exceptions would already be yellow
