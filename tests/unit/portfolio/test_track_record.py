"""Track record and attribution on a three-day hand example, and at backfill scale."""

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from domain.errors import DataGapError
from domain.portfolio.attribution import attribute_by_asset_class, attribute_by_strategy
from domain.portfolio.errors import InvalidPortfolioInputError
from domain.portfolio.track_record import sensitivity_panel, track_record

DATES = pd.to_datetime(["2025-01-02", "2025-01-03", "2025-01-06"])
# End-of-day books: a short DI1 (receiver, -BRL per +1bp) and a long DOL (BRL per +1%).
RECORDS = pd.DataFrame({
    "date": ["2025-01-02", "2025-01-02", "2025-01-03", "2025-01-03", "2025-01-06"],
    "position": ["DI1F27", "DOLG25", "DI1F27", "DOLG25", "DOLG25"],
    "factor": ["DI_PRE:504", "USDBRL", "DI_PRE:504", "USDBRL", "USDBRL"],
    "brl_per_unit": [-1_000.0, 50_000.0, -1_500.0, 50_000.0, 10.0],
})
CHANGES = pd.DataFrame({"DI_PRE:504": [3.0, -10.0, 4.0], "USDBRL": [0.5, -0.4, 0.2]}, index=DATES)


def hand_example() -> pd.DataFrame:
    return sensitivity_panel(RECORDS, DATES)


def test_three_days_of_pnl_nav_and_drawdown_match_the_hand_computation() -> None:
    record = track_record(hand_example(), CHANGES, initial_nav=1_000_000.0)
    # Day 1: no book before it. Day 2: DI1 -1000 x -10bp = +10,000; DOL 50,000 x -0.4% = -20,000.
    # Day 3: DI1 -1500 x +4bp = -6,000; DOL 50,000 x +0.2% = +10,000.
    assert_allclose(record.pnl_by_position["DI1F27"], [0.0, 10_000.0, -6_000.0])
    assert_allclose(record.pnl_by_position["DOLG25"], [0.0, -20_000.0, 10_000.0])
    assert_allclose(record.pnl, [0.0, -10_000.0, 4_000.0])
    assert_allclose(record.nav, [1_000_000.0, 990_000.0, 994_000.0])
    assert_allclose(record.returns, [0.0, -0.01, 4_000.0 / 990_000.0])
    assert_allclose(record.equity, [1.0, 0.99, 0.994])
    assert_allclose(record.drawdown, [0.0, -0.01, -0.006], atol=1e-15)
    assert record.max_drawdown == pytest.approx(-0.01)
    assert record.total_pnl == pytest.approx(-6_000.0)


def test_attribution_by_asset_class_and_strategy_adds_up_to_the_total() -> None:
    record = track_record(hand_example(), CHANGES, initial_nav=1_000_000.0)
    classes = attribute_by_asset_class(record.pnl_by_position, {"DI1F27": "rates", "DOLG25": "fx"})
    assert_allclose(classes["rates"], [0.0, 10_000.0, -6_000.0])
    assert_allclose(classes["fx"], [0.0, -20_000.0, 10_000.0])
    strategies = attribute_by_strategy(record.pnl_by_position,
                                       {"DI1F27": {"di_slope": 0.25, "taylor_gap": 0.75}})
    assert list(strategies.columns) == ["di_slope", "taylor_gap", "unattributed"]
    assert_allclose(strategies["di_slope"], [0.0, 2_500.0, -1_500.0])
    assert_allclose(strategies["taylor_gap"], [0.0, 7_500.0, -4_500.0])
    assert_allclose(strategies["unattributed"], [0.0, -20_000.0, 10_000.0])
    assert_allclose(strategies.sum(axis=1), record.pnl)


def test_strategy_weights_that_do_not_sum_to_one_are_rejected() -> None:
    record = track_record(hand_example(), CHANGES)
    with pytest.raises(InvalidPortfolioInputError, match="sum to 1"):
        attribute_by_strategy(record.pnl_by_position, {"DI1F27": {"a": 0.5, "b": 0.4}})


def test_a_missing_factor_change_on_a_held_factor_is_a_data_gap() -> None:
    changes = CHANGES.copy()
    changes.iloc[1, 0] = np.nan
    with pytest.raises(DataGapError, match="DI_PRE:504 has no change on 2025-01-03 while position DI1F27"):
        track_record(hand_example(), changes)
    changes = CHANGES.copy()
    changes.iloc[0, 0] = np.nan  # nothing held before the first date: no gap
    assert track_record(hand_example(), changes).pnl.iloc[0] == 0.0


def test_a_date_without_records_holds_nothing() -> None:
    panel = sensitivity_panel(RECORDS[RECORDS["date"] != "2025-01-03"], DATES)
    record = track_record(panel, CHANGES, initial_nav=1_000_000.0)
    assert_allclose(record.pnl, [0.0, -10_000.0, 0.0])


def test_ten_years_of_a_nine_position_book_give_the_held_sensitivities_times_the_next_changes() -> None:
    rng = np.random.default_rng(42)
    dates = pd.bdate_range("2015-01-01", periods=2_500)
    factors = [f"F{i}" for i in range(9)]
    changes = pd.DataFrame(rng.normal(size=(2_500, 9)) * 5.0, index=dates, columns=factors)
    columns = pd.MultiIndex.from_arrays([[f"P{i}" for i in range(9)], factors], names=["position", "factor"])
    sens = pd.DataFrame(rng.normal(size=(2_500, 9)) * 1_000.0, index=dates, columns=columns)
    record = track_record(sens, changes)
    expected = np.concatenate([[0.0], np.sum(sens.to_numpy()[:-1] * changes.to_numpy()[1:], axis=1)])
    assert_allclose(record.pnl, expected, rtol=1e-12)
