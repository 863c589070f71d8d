from datetime import date

import numpy as np
import pytest

from domain.errors import CalendarRangeError
from domain.market.calendar import (
    anbima_holidays,
    b3_sessions,
    business_days,
    easter_sunday,
    first_business_day_of_month,
    first_business_day_of_next_week,
    is_b3_session,
    latest_b3_session,
    previous_b3_session,
)


def test_2025_has_252_anbima_business_days() -> None:
    assert business_days(date(2025, 1, 1), date(2026, 1, 1)) == 252


def test_2025_has_250_b3_sessions_because_b3_also_closes_on_24_and_31_december() -> None:
    assert len(b3_sessions(date(2025, 1, 1), date(2025, 12, 31))) == 250
    assert not is_b3_session(date(2025, 12, 24)) and not is_b3_session(date(2025, 12, 31))


def test_2024_has_251_b3_sessions() -> None:
    assert len(b3_sessions(date(2024, 1, 1), date(2024, 12, 31))) == 251


@pytest.mark.parametrize("day", [date(2026, 2, 16), date(2026, 2, 17), date(2026, 4, 21), date(2026, 11, 20)])
def test_2026_b3_holidays_have_no_session(day: date) -> None:
    assert not is_b3_session(day)


def test_black_consciousness_day_is_a_national_holiday_from_2024_only() -> None:
    assert date(2024, 11, 20) in anbima_holidays(2024)
    assert date(2023, 11, 20) not in anbima_holidays(2023)


def test_easter_dates() -> None:
    assert easter_sunday(2026) == date(2026, 4, 5)
    assert easter_sunday(2025) == date(2025, 4, 20)


def test_the_session_before_monday_23_november_2026_is_thursday_the_19th() -> None:
    assert previous_b3_session(date(2026, 11, 23)) == date(2026, 11, 19)
    assert latest_b3_session(date(2026, 11, 22)) == date(2026, 11, 19)
    assert latest_b3_session(date(2026, 11, 19)) == date(2026, 11, 19)


def test_first_business_day_skips_holidays_and_weekends() -> None:
    assert first_business_day_of_month(2027, 1) == date(2027, 1, 4)
    assert first_business_day_of_month(2026, 5) == date(2026, 5, 4)  # 1 May holiday, 2-3 weekend


def test_dates_outside_the_calendar_range_fail_clearly() -> None:
    with pytest.raises(CalendarRangeError, match="outside the calendars' range"):
        business_days(date(1999, 1, 1), date(2000, 1, 1))


def test_the_first_business_day_of_next_week_is_the_next_monday_or_the_day_after_a_holiday_monday() -> None:
    days = np.array(["2021-01-04", "2021-01-08", "2021-01-09", "2021-01-10", "2023-04-28", "2021-02-12"],
                    dtype="datetime64[D]")
    assert first_business_day_of_next_week(days).astype(str).tolist() == [
        "2021-01-11", "2021-01-11", "2021-01-11", "2021-01-11",
        "2023-05-02",  # Monday 1 May is Labour Day
        "2021-02-17",  # Carnival Monday and Tuesday
    ]
