"""US market calendars: NYSE sessions (equities, oil) and US bond-market business days (Treasury yields).

They differ: the NYSE trades on Columbus Day and Veterans Day, when the Treasury publishes no
yield curve, and closes on Good Friday, which is not a federal holiday.
"""

from datetime import date
from functools import lru_cache

import exchange_calendars as xcals
import numpy as np
from pandas.tseries.holiday import USFederalHolidayCalendar

US_CALENDAR_START = date(2000, 1, 1)
US_CALENDAR_END = date(2040, 12, 31)


@lru_cache(maxsize=1)
def nyse_session_array() -> np.ndarray:
    """NYSE (``XNYS``) sessions 2000..2040 as ``datetime64[D]``, ascending."""
    cal = xcals.get_calendar("XNYS", start=US_CALENDAR_START.isoformat(), end=US_CALENDAR_END.isoformat())
    return np.asarray(cal.sessions.values.astype("datetime64[D]"))


@lru_cache(maxsize=1)
def us_federal_holiday_array() -> np.ndarray:
    """US federal holidays 2000..2080 (observed dates): the days the Treasury market and FRED's daily series skip."""
    holidays = USFederalHolidayCalendar().holidays(start="2000-01-01", end="2080-12-31")
    return np.asarray(holidays.values.astype("datetime64[D]"))


def is_nyse_session(days: np.ndarray) -> np.ndarray:
    """Whether each ``datetime64[D]`` day is an NYSE session; shape as ``days``."""
    return np.isin(np.asarray(days, dtype="datetime64[D]"), nyse_session_array())


def is_us_bond_day(days: np.ndarray) -> np.ndarray:
    """Whether each ``datetime64[D]`` day is a weekday that is not a US federal holiday; shape as ``days``."""
    return np.is_busday(np.asarray(days, dtype="datetime64[D]"), holidays=us_federal_holiday_array())
