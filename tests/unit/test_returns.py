"""Silver returns: instrument returns, front-month series that never roll across contracts, tenor changes."""

import math
from datetime import date

import numpy as np
import pandas as pd
import pytest
from numpy.testing import assert_allclose

from domain.returns import (
    FRONT_RETURN_COLUMNS,
    INSTRUMENT_RETURN_COLUMNS,
    LOG_RETURN_COLUMNS,
    TENOR_CHANGE_COLUMNS,
    InvalidReturnInputError,
    curve_tenor_changes,
    front_contract_returns,
    instrument_returns,
    series_log_returns,
)

D = date


def prices(rows: list[tuple[str, date, float, float]]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["instrument", "trade_date", "price", "rate"])


def test_instrument_returns_are_between_consecutive_observations_of_each_instrument():
    frame = prices([
        ("DOLH25", D(2025, 1, 3), 6150.0, np.nan),
        ("DOLH25", D(2025, 1, 2), 6000.0, np.nan),
        ("DI1F26", D(2025, 1, 2), 86880.97, 0.1510),
        ("DI1F26", D(2025, 1, 3), 86850.00, 0.1515),
        ("DOLH25", D(2025, 1, 6), 6027.0, np.nan),
    ])

    result = instrument_returns(frame)

    assert list(result.columns) == INSTRUMENT_RETURN_COLUMNS
    assert result[["instrument", "trade_date"]].values.tolist() == [
        ["DI1F26", D(2025, 1, 3)], ["DOLH25", D(2025, 1, 3)], ["DOLH25", D(2025, 1, 6)]]
    assert_allclose(result["price_return"], [86850.00 / 86880.97 - 1, 0.025, -0.02], rtol=0, atol=1e-15)
    assert_allclose(result["rate_change_bp"], [5.0, np.nan, np.nan], rtol=0, atol=1e-9)


def test_empty_prices_give_empty_returns_with_the_right_columns():
    result = instrument_returns(prices([]))

    assert result.empty
    assert list(result.columns) == INSTRUMENT_RETURN_COLUMNS


def test_a_duplicate_price_is_rejected_naming_instrument_and_date():
    frame = prices([("DOLH25", D(2025, 1, 2), 6000.0, np.nan), ("DOLH25", D(2025, 1, 2), 6001.0, np.nan)])

    with pytest.raises(InvalidReturnInputError, match="instrument=DOLH25, trade_date=2025-01-02"):
        instrument_returns(frame)


def test_a_non_positive_price_is_rejected():
    frame = prices([("DOLH25", D(2025, 1, 2), 6000.0, np.nan), ("DOLH25", D(2025, 1, 3), -1.0, np.nan)])

    with pytest.raises(InvalidReturnInputError, match=r"price -1\.0"):
        instrument_returns(frame)


# DOLG25 matures on 3 Feb 2025: 7, 6, 5 and 4 business days after 23, 24, 27 and 28 Jan.
DOL_PRICES = prices([
    ("DOLG25", D(2025, 1, 23), 5940.0, np.nan), ("DOLH25", D(2025, 1, 23), 5980.0, np.nan),
    ("DOLG25", D(2025, 1, 24), 6000.0, np.nan), ("DOLH25", D(2025, 1, 24), 6040.0, np.nan),
    ("DOLG25", D(2025, 1, 27), 6060.0, np.nan), ("DOLH25", D(2025, 1, 27), 6100.0, np.nan),
    ("DOLG25", D(2025, 1, 28), 6030.0, np.nan), ("DOLH25", D(2025, 1, 28), 6161.0, np.nan),
    ("WDOG25", D(2025, 1, 28), 6031.0, np.nan), ("DI1F26", D(2025, 1, 28), 86900.0, 0.151),
    ("^BVSP", D(2025, 1, 28), 124000.0, np.nan),
])


def test_the_front_series_rolls_before_expiry_and_never_returns_across_contracts():
    result = front_contract_returns(DOL_PRICES.iloc[::-1], "DOL", roll_days=5)

    assert list(result.columns) == FRONT_RETURN_COLUMNS
    assert result["series"].unique().tolist() == ["DOL1"]
    assert result[["trade_date", "instrument"]].values.tolist() == [
        [D(2025, 1, 23), "DOLG25"], [D(2025, 1, 24), "DOLG25"], [D(2025, 1, 27), "DOLH25"],
        [D(2025, 1, 28), "DOLH25"]]
    assert_allclose(result["price"], [5940.0, 6000.0, 6100.0, 6161.0])
    # On the roll date the return is DOLH25's own (6100/6040), not 6100/6000 across contracts.
    expected = [np.nan, 6000 / 5940 - 1, 6100 / 6040 - 1, 0.01]
    assert_allclose(result["price_return"], expected, rtol=0, atol=1e-15)


def test_with_no_roll_days_the_front_contract_is_held_until_its_last_day():
    result = front_contract_returns(DOL_PRICES, "DOL", roll_days=0)

    assert result["instrument"].unique().tolist() == ["DOLG25"]
    expected = [np.nan, 6000 / 5940 - 1, 0.01, 6030 / 6060 - 1]
    assert_allclose(result["price_return"], expected, rtol=0, atol=1e-15)


def test_a_di1_front_series_carries_its_rate_changes():
    frame = prices([("DI1G25", D(2025, 1, 2), 99003.93, 0.1215), ("DI1G25", D(2025, 1, 3), 99050.00, 0.1210),
                    ("DI1H25", D(2025, 1, 3), 98000.00, 0.1250)])

    result = front_contract_returns(frame, "DI1")

    assert result["series"].tolist() == ["DI11", "DI11"]
    assert result["instrument"].tolist() == ["DI1G25", "DI1G25"]
    assert_allclose(result["rate_change_bp"], [np.nan, -5.0], rtol=0, atol=1e-9)


def test_a_root_without_prices_gives_an_empty_series_and_an_unknown_root_is_refused():
    assert list(front_contract_returns(DOL_PRICES, "WIN").columns) == FRONT_RETURN_COLUMNS
    assert front_contract_returns(DOL_PRICES, "WIN").empty
    with pytest.raises(InvalidReturnInputError, match="root must be one of"):
        front_contract_returns(DOL_PRICES, "XYZ")


def test_tenor_changes_are_between_consecutive_curve_dates_at_fixed_tenors():
    points = pd.DataFrame({
        "curve_id": ["DI_PRE"] * 5 + ["NTNB_REAL"],
        "curve_date": [D(2025, 1, 3), D(2025, 1, 2), D(2025, 1, 2), D(2025, 1, 6), D(2025, 1, 6),
                       D(2025, 1, 3)],
        "tenor_days": [21, 21, 252, 21, 252, 252],
        "rate": [0.1210, 0.1200, 0.1500, 0.1205, 0.1520, 0.07],
    })

    result = curve_tenor_changes(points, "DI_PRE", [21, 252, 504])

    assert list(result.columns) == TENOR_CHANGE_COLUMNS
    assert result[["curve_id", "tenor_days", "curve_date"]].values.tolist() == [
        ["DI_PRE", 21, D(2025, 1, 2)], ["DI_PRE", 21, D(2025, 1, 3)], ["DI_PRE", 21, D(2025, 1, 6)],
        ["DI_PRE", 252, D(2025, 1, 2)], ["DI_PRE", 252, D(2025, 1, 6)]]
    assert_allclose(result["rate"], [0.1200, 0.1210, 0.1205, 0.1500, 0.1520])
    # 252 du is missing on 3 Jan, so 6 Jan has no one-day change rather than a two-day one.
    assert_allclose(result["change_bp"], [np.nan, 10.0, -5.0, np.nan, np.nan], rtol=0, atol=1e-9)


def test_tenor_changes_of_an_absent_curve_are_empty_with_the_right_columns():
    points = pd.DataFrame({"curve_id": ["DI_PRE"], "curve_date": [D(2025, 1, 2)], "tenor_days": [21],
                           "rate": [0.12]})

    result = curve_tenor_changes(points, "UST_NOMINAL_STD", [365])

    assert result.empty
    assert list(result.columns) == TENOR_CHANGE_COLUMNS


def test_series_log_returns_are_log_differences_per_series():
    obs = pd.DataFrame({
        "series_id": ["MKT_USDBRL", "MKT_IBOVESPA", "MKT_USDBRL", "MKT_USDBRL", "MKT_IBOVESPA"],
        "observation_date": [D(2025, 1, 3), D(2025, 1, 3), D(2025, 1, 2), D(2025, 1, 6), D(2025, 1, 2)],
        "value": [5.5, 126000.0, 5.0, 5.0, 120000.0],
    })

    result = series_log_returns(obs)

    assert list(result.columns) == LOG_RETURN_COLUMNS
    assert result[["series_id", "observation_date"]].values.tolist() == [
        ["MKT_IBOVESPA", D(2025, 1, 3)], ["MKT_USDBRL", D(2025, 1, 3)], ["MKT_USDBRL", D(2025, 1, 6)]]
    assert_allclose(result["log_return"], [math.log(1.05), math.log(1.1), -math.log(1.1)], rtol=0, atol=1e-15)


def test_log_returns_of_a_non_positive_value_are_refused_and_empty_input_is_empty():
    bad = pd.DataFrame({"series_id": ["MKT_WTI", "MKT_WTI"],
                        "observation_date": [D(2020, 4, 17), D(2020, 4, 20)], "value": [18.27, -37.63]})

    with pytest.raises(InvalidReturnInputError, match="MKT_WTI"):
        series_log_returns(bad)
    empty = series_log_returns(pd.DataFrame({"series_id": [], "observation_date": [], "value": []}))
    assert empty.empty and list(empty.columns) == LOG_RETURN_COLUMNS
