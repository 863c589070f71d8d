"""Monthly changes, inflation compounding, trailing z-scores and the real-time output gap."""

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from domain.macro import (
    InvalidSeriesError,
    change_12m,
    compounded_12m,
    mom_change,
    output_gap,
    saar_3m,
    trailing_zscore,
    yoy_change,
)

# IPCA % m/m, January..December 2024 (IBGE): the year compounds to the published 4.83%.
IPCA_2024 = [0.42, 0.83, 0.16, 0.38, 0.46, 0.21, 0.38, -0.02, 0.44, 0.56, 0.39, 0.52]


def monthly(values: list[float], start: str = "2024-01-01", name: str = "x") -> pd.Series:
    index = [d.date() for d in pd.date_range(start, periods=len(values), freq="MS")]
    return pd.Series(values, index=index, name=name, dtype=float)


def test_month_on_month_change_of_an_index_level():
    result = mom_change(monthly([100.0, 101.0, 102.01]))

    assert_allclose(result, [np.nan, 0.01, 0.01], rtol=0, atol=1e-15)


def test_year_on_year_change_compares_with_the_same_month_a_year_earlier_even_with_a_gap():
    levels = monthly([100.0 + k for k in range(15)], start="2023-01-01").drop(date(2023, 2, 1))

    result = yoy_change(levels)

    assert result.index.equals(levels.index)
    assert result[date(2024, 1, 1)] == pytest.approx(112 / 100 - 1, abs=1e-15)
    assert math.isnan(result[date(2024, 2, 1)])  # February 2023 is missing, not replaced by March
    assert result[date(2024, 3, 1)] == pytest.approx(114 / 102 - 1, abs=1e-15)


def test_twelve_month_change_of_a_rate_is_a_difference_in_points():
    unemployment = monthly([7.4] + [7.0] * 11 + [6.2], start="2023-12-01")

    assert change_12m(unemployment).iloc[-1] == pytest.approx(-1.2, abs=1e-12)


def test_twelve_months_of_ipca_compound_to_the_published_annual_rate():
    result = compounded_12m(monthly(IPCA_2024))

    assert result.iloc[:11].isna().all()
    assert result.iloc[-1] == pytest.approx(0.04831295791859591, abs=1e-15)
    assert round(result.iloc[-1] * 100, 2) == 4.83


def test_three_month_saar_annualises_the_compounded_quarter():
    result = saar_3m(monthly(IPCA_2024))

    assert result.iloc[:2].isna().all()
    assert result.iloc[-1] == pytest.approx((1.0056 * 1.0039 * 1.0052) ** 4 - 1, abs=1e-15)
    assert result.iloc[-1] == pytest.approx(0.06040751121459631, abs=1e-15)


def test_monthly_transforms_keep_the_input_order_of_unsorted_series():
    ordered = monthly(IPCA_2024)
    shuffled = ordered.sample(frac=1.0, random_state=5)

    result = compounded_12m(shuffled)

    assert result.index.equals(shuffled.index)
    assert result[date(2024, 12, 1)] == pytest.approx(0.04831295791859591, abs=1e-15)


def test_two_observations_in_one_month_are_rejected():
    series = pd.Series([0.4, 0.5], index=[date(2024, 1, 1), date(2024, 1, 15)], name="BR_IPCA_MOM")

    with pytest.raises(InvalidSeriesError, match=r"BR_IPCA_MOM.*2024-01"):
        compounded_12m(series)


def test_empty_series_give_empty_results():
    empty = pd.Series([], index=pd.DatetimeIndex([]), dtype=float)

    transforms = (mom_change, yoy_change, change_12m, compounded_12m, saar_3m, output_gap, trailing_zscore)
    for transform in transforms:
        assert transform(empty).empty


def test_a_trailing_zscore_uses_the_window_ending_at_each_observation():
    values = pd.Series([1.0, 2.0, 3.0, 5.0, 4.0],
                       index=[date(2025, 1, d) for d in (2, 3, 6, 7, 8)])

    result = trailing_zscore(values, window=3)

    # Windows [1,2,3] -> 1; [2,3,5] -> (5 - 10/3) / sqrt(7/3); [3,5,4] -> 0.
    assert_allclose(result, [np.nan, np.nan, 1.0, (5 - 10 / 3) / math.sqrt(7 / 3), 0.0], rtol=0, atol=1e-14)


def test_a_trailing_zscore_does_not_look_ahead_and_follows_dates_not_input_order():
    rng = np.random.default_rng(42)
    values = pd.Series(rng.normal(size=40), index=pd.bdate_range("2025-01-01", periods=40))

    full = trailing_zscore(values, window=10)
    head = trailing_zscore(values.iloc[:25], window=10)
    shuffled = trailing_zscore(values.sample(frac=1.0, random_state=1), window=10)

    assert_allclose(full.iloc[:25], head, rtol=0, atol=0)
    assert_allclose(shuffled.reindex(full.index), full, rtol=0, atol=0)


def test_a_constant_window_has_no_zscore():
    values = pd.Series([2.0, 2.0, 2.0], index=pd.bdate_range("2025-01-01", periods=3))

    assert trailing_zscore(values, window=3).isna().all()


def test_a_window_shorter_than_two_is_refused():
    with pytest.raises(InvalidSeriesError, match="window=1"):
        trailing_zscore(pd.Series([1.0]), window=1)


def test_the_output_gap_of_three_months_is_hand_computable():
    # ln levels (0, 0, 0.03); HP with lambda 1 on 3 points: tau = y - lambda D'(1 + 6 lambda)^-1 D y,
    # D y = 0.03, so tau_3 = 0.03 - 0.03/7 and the gap is 100 * 0.03/7.
    levels = monthly([1.0, 1.0, math.exp(0.03)])

    gap = output_gap(levels, lamb=1.0, min_obs=3)

    assert_allclose(gap, [np.nan, np.nan, 3 / 7], rtol=0, atol=1e-12)


def test_steady_exponential_growth_has_no_output_gap():
    levels = monthly([100 * 1.002 ** k for k in range(60)], start="2015-01-01")

    gap = output_gap(levels)

    assert gap.iloc[:35].isna().all()
    assert_allclose(gap.iloc[35:], 0.0, rtol=0, atol=1e-8)


def test_the_output_gap_never_changes_when_later_data_arrives():
    rng = np.random.default_rng(2024)
    levels = monthly(list(100 * np.exp(np.cumsum(rng.normal(0.002, 0.01, size=120)))), start="2010-01-01")

    full = output_gap(levels)
    earlier = output_gap(levels.iloc[:80])

    assert_allclose(full.iloc[:80], earlier, rtol=0, atol=1e-10)
    assert full.iloc[35:].notna().all()


def test_an_output_gap_needs_positive_levels():
    with pytest.raises(InvalidSeriesError, match="positive"):
        output_gap(monthly([100.0, -1.0, 100.0]), min_obs=2)
