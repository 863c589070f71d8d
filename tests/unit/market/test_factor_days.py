from datetime import date

import numpy as np
import pandas as pd
import pytest

from domain.market.factor_days import FACTOR_CALENDARS, FactorGap, MarketCalendar, classify_changes
from domain.market.series import SERIES
from domain.staleness import MaxAge, max_age_for, sessions_after


def test_a_closed_market_moves_zero_a_missing_print_is_a_gap_and_before_the_start_is_nan() -> None:
    days = pd.DatetimeIndex(["2024-07-02", "2024-07-03", "2024-07-04", "2024-07-05", "2024-07-08"])
    raw = pd.DataFrame({"SP500": [np.nan, 0.5, np.nan, np.nan, -0.2], "USDBRL": [0.1, np.nan, 0.3, 0.2, 0.1]},
                       index=days)

    changes, gaps = classify_changes(raw, FACTOR_CALENDARS)

    # SP500: not started on the 2nd; 4 July closed (0); 5 July open and missing (gap).
    assert changes["SP500"].tolist()[1:] == [0.5, 0.0, pytest.approx(np.nan, nan_ok=True), -0.2]
    assert np.isnan(changes["SP500"].iloc[0])
    assert gaps == [FactorGap("SP500", date(2024, 7, 5), MarketCalendar.NYSE),
                    FactorGap("USDBRL", date(2024, 7, 3), MarketCalendar.B3)]


def test_ages_count_sessions_of_the_series_own_market() -> None:
    obs = np.array(["2024-07-03", "2024-07-03", "2023-12-20", "NaT"], dtype="datetime64[D]")
    day = np.array(["2024-07-04", "2024-07-05", "2023-12-27", "2024-07-05"], dtype="datetime64[D]")
    assert sessions_after(MarketCalendar.NYSE, obs, day)[:3].tolist() == [0.0, 1.0, 4.0]
    assert np.isnan(sessions_after(MarketCalendar.NYSE, obs, day)[3])
    # Columbus Day 2023-10-09: the bond market is closed, B3 open.
    friday = np.array(["2023-10-06"], dtype="datetime64[D]")
    tuesday = np.array(["2023-10-10"], dtype="datetime64[D]")
    assert sessions_after(MarketCalendar.US_BONDS, friday, tuesday).tolist() == [1.0]
    assert sessions_after(MarketCalendar.B3, friday, tuesday).tolist() == [2.0]


def test_staleness_limits_by_source_and_frequency() -> None:
    assert max_age_for(SERIES["MKT_SP500"]) == MaxAge(0, 5)
    assert max_age_for(SERIES["US_UST_10Y"]) == MaxAge(1, 5)
    assert max_age_for(SERIES["BR_FOCUS_IPCA_12M"]) == MaxAge(6, 12)
    assert max_age_for(SERIES["US_NFCI"]) == MaxAge(8, 15)
    assert max_age_for(SERIES["BR_RESERVES"]) == MaxAge(2, 10)
    with pytest.raises(ValueError):
        MaxAge(3, 2)
