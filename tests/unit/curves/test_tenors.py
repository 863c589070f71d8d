"""Standard tenors and their names."""

import pytest

from domain.curves import STANDARD_ACT_TENORS, STANDARD_BUS_TENORS, tenor_days, tenor_name
from domain.market.bronze import DayCount


def test_business_day_tenors_have_market_names():
    assert [tenor_name(t) for t in STANDARD_BUS_TENORS] == [
        "1M", "3M", "6M", "1Y", "18M", "2Y", "3Y", "4Y", "5Y", "7Y", "10Y"]


def test_calendar_day_tenors_have_market_names():
    assert [tenor_name(t, DayCount.ACT365) for t in STANDARD_ACT_TENORS] == [
        "3M", "6M", "1Y", "2Y", "3Y", "5Y", "7Y", "10Y", "20Y", "30Y"]


def test_a_name_maps_back_to_its_days_in_each_day_count():
    assert tenor_days("18M") == 378
    assert tenor_days("2y") == 504
    assert tenor_days("2Y", DayCount.ACT365) == 730


def test_a_non_standard_tenor_has_no_name():
    with pytest.raises(ValueError, match="300 days is not a standard BUS/252 tenor"):
        tenor_name(300)
    with pytest.raises(ValueError, match="'9M'"):
        tenor_days("9M")
