"""The synthetic market's time grid: weekdays, months, and which days each market is open.

Every daily process is simulated on all weekdays from the market's start to the end of the horizon's
month; each series is then sampled on its own calendar (B3 sessions, ANBIMA business days, US bond
market days, NYSE sessions). Monthly processes run on a month grid that begins a few months before
the start, so that 12-month changes are defined from the first published month.
"""

from dataclasses import dataclass
from datetime import date
from functools import lru_cache

import numpy as np

from domain.market.calendar import anbima_holidays, b3_sessions
from domain.market.us_calendars import nyse_session_array, us_federal_holiday_array

BURN_IN_MONTHS = 13
# Business-day counting must reach the longest NTN-B coupon (2055+), beyond the domain calendars' range.
_COUNT_FROM = np.datetime64("2000-01-01", "D")
_COUNT_TO = np.datetime64("2081-01-01", "D")


@lru_cache(maxsize=1)
def anbima_holiday_array() -> np.ndarray:
    """ANBIMA national holidays 2000..2080 (the domain's rule, extended past its calendar range)."""
    return np.array([d for y in range(2000, 2081) for d in anbima_holidays(y)], dtype="datetime64[D]")


@lru_cache(maxsize=1)
def _cumulative_business_days() -> np.ndarray:
    days = np.arange(_COUNT_FROM, _COUNT_TO)
    open_ = np.is_busday(days, holidays=anbima_holiday_array())
    return np.concatenate([[0], np.cumsum(open_)])


def count_business_days(start: np.ndarray, end: np.ndarray) -> np.ndarray:
    """Vectorised ANBIMA ``du``: business days in [start, end) for arrays of ``datetime64[D]``."""
    cum = _cumulative_business_days()
    lo = (np.asarray(start, dtype="datetime64[D]") - _COUNT_FROM).astype(np.int64)
    hi = (np.asarray(end, dtype="datetime64[D]") - _COUNT_FROM).astype(np.int64)
    return np.asarray(cum[hi] - cum[lo], dtype=np.int64)


def roll_forward(days: np.ndarray, holidays: np.ndarray) -> np.ndarray:
    """Each date, or the next business day when it is not one (weekends and ``holidays`` closed)."""
    return np.busday_offset(np.asarray(days, dtype="datetime64[D]"), 0, roll="forward", holidays=holidays)


def us_holiday_array() -> np.ndarray:
    """US federal holidays 2000..2080: the days the Treasury market and FRED's daily series skip."""
    return us_federal_holiday_array()


@dataclass(frozen=True, eq=False)
class TimeGrid:
    """Weekday and month grids of one simulated path, with each market's open days as masks."""

    days: np.ndarray  # datetime64[D], every weekday from start to the end of the horizon's month
    months: np.ndarray  # datetime64[M], from BURN_IN_MONTHS before the start's month
    first_month: int  # index in ``months`` of the start's month
    month_of_day: np.ndarray  # index in ``months`` of each day's month
    month_frac: np.ndarray  # how far into its month each day is, in (0, 1]
    anbima: np.ndarray  # ANBIMA business day
    b3: np.ndarray  # B3 session
    us_bond: np.ndarray  # weekday that is not a US federal holiday
    nyse: np.ndarray  # NYSE session

    @property
    def n_days(self) -> int:
        """Number of weekdays."""
        return int(self.days.size)

    @property
    def n_months(self) -> int:
        """Number of months, burn-in included."""
        return int(self.months.size)

    @property
    def years(self) -> np.ndarray:
        """Calendar years elapsed since the first day, per day."""
        return np.asarray((self.days - self.days[0]).astype(np.float64) / 365.25)

    def month_years(self) -> np.ndarray:
        """Fractional calendar year of each month (2010.0 for January 2010)."""
        return 1970.0 + self.months.astype(np.int64) / 12.0

    def month_numbers(self) -> np.ndarray:
        """Calendar month 1..12 of each month."""
        return (self.months.astype(np.int64) % 12 + 1).astype(np.int64)

    def month_starts(self) -> np.ndarray:
        """First calendar day of each month (``datetime64[D]``): the observation date of monthly series."""
        return self.months.astype("datetime64[D]")

    def interpolate(self, monthly: np.ndarray) -> np.ndarray:
        """Daily path of a month-end quantity: linear from the previous month's value to this month's.

        Only months up to a day's own month are used, so a day's value never depends on how far the
        grid extends.
        """
        m = self.month_of_day
        return np.asarray(monthly[m - 1] + (monthly[m] - monthly[m - 1]) * self.month_frac)

    def step(self, monthly: np.ndarray) -> np.ndarray:
        """Daily path of a quantity that is constant within each month."""
        return np.asarray(monthly[self.month_of_day])

    def monthly_mean(self, daily: np.ndarray) -> np.ndarray:
        """Average of a daily quantity over each month's weekdays; 0 for burn-in months (no days)."""
        sums = np.bincount(self.month_of_day, weights=daily, minlength=self.n_months)
        counts = np.bincount(self.month_of_day, minlength=self.n_months)
        return np.divide(sums, counts, out=np.zeros(self.n_months), where=counts > 0)


@lru_cache(maxsize=8)
def build_grid(start: date, horizon_end: date) -> TimeGrid:
    """The grid from ``start`` to the last day of ``horizon_end``'s month."""
    first = np.datetime64(start, "D")
    last_month = np.datetime64(horizon_end, "M")
    stop = (last_month + 1).astype("datetime64[D]")
    calendar_days = np.arange(first, stop)
    days = calendar_days[np.is_busday(calendar_days)]
    start_month = np.datetime64(start, "M")
    months = np.arange(start_month - BURN_IN_MONTHS, last_month + 1)
    month_of_day = (days.astype("datetime64[M]") - months[0]).astype(np.int64)
    day_of_month = (days - days.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64) + 1
    month_len = ((days.astype("datetime64[M]") + 1).astype("datetime64[D]")
                 - days.astype("datetime64[M]").astype("datetime64[D]")).astype(np.int64)
    sessions = np.array(b3_sessions(start, (stop - 1).item()), dtype="datetime64[D]")
    return TimeGrid(
        days=days,
        months=months,
        first_month=BURN_IN_MONTHS,
        month_of_day=month_of_day,
        month_frac=day_of_month / month_len,
        anbima=np.is_busday(days, holidays=anbima_holiday_array()),
        b3=np.isin(days, sessions),
        us_bond=np.is_busday(days, holidays=us_holiday_array()),
        nyse=np.isin(days, nyse_session_array()),
    )


def to_dates(values: np.ndarray) -> list[date]:
    """``datetime64[D]`` array as a list of :class:`datetime.date`."""
    return list(np.asarray(values, dtype="datetime64[D]").astype(object))
