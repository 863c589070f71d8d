"""Point-in-time tables of the simulated series: values sampled on each market's calendar, with release dates.

Release dates follow each series' catalogue lag (``SeriesSpec.release_lag_days``):

* daily series: the observation date itself (lag 0), else the next business day on or after
  ``obs + lag`` (a Friday value with a one-day lag is released on Monday); series with a
  publication calendar follow it (Focus: the first business day of the following week);
* monthly and quarterly series (dated the 1st of the period): ``obs + lag`` moved by a seeded jitter
  of -2..+2 days, never before the period has ended, rolled forward to a business day (IPCA for
  month M lands around the 10th of M+1);
* weekly series (dated Fridays): ``obs + lag``, rolled forward.
"""

from dataclasses import dataclass

import numpy as np

from adapters.market_data.synthetic.grid import TimeGrid, roll_forward
from domain.market.calendar import first_business_day_of_next_week
from domain.market.series import Frequency, ReleaseCalendar, SeriesSpec


@dataclass(frozen=True, eq=False)
class SeriesTable:
    """One series: observation dates (ascending), release dates and values."""

    obs: np.ndarray
    release: np.ndarray
    value: np.ndarray


def daily_table(grid: TimeGrid, spec: SeriesSpec, values: np.ndarray, open_days: np.ndarray, decimals: int,
                holidays: np.ndarray) -> SeriesTable:
    """A daily series on ``open_days`` (mask over the weekday grid)."""
    obs = grid.days[open_days]
    if spec.release_calendar == ReleaseCalendar.NEXT_WEEK_FIRST_BUSINESS_DAY:
        release = first_business_day_of_next_week(obs)
    elif spec.release_lag_days == 0:
        release = obs
    else:
        release = roll_forward(obs + spec.release_lag_days, holidays)
    return SeriesTable(obs, release, np.round(values[open_days], decimals))


def weekly_table(grid: TimeGrid, spec: SeriesSpec, values: np.ndarray, decimals: int,
                 holidays: np.ndarray) -> SeriesTable:
    """A weekly series dated Fridays."""
    fridays = (grid.days.astype(np.int64) + 3) % 7 == 4
    obs = grid.days[fridays]
    return SeriesTable(obs, roll_forward(obs + spec.release_lag_days, holidays), np.round(values[fridays], decimals))


def periodic_table(grid: TimeGrid, spec: SeriesSpec, monthly: np.ndarray, decimals: int, jitter: np.ndarray,
                   holidays: np.ndarray) -> SeriesTable:
    """A monthly series (or quarterly: the mean of the quarter's months) from the start's month on.

    ``jitter`` holds one integer per month of the grid; a quarter uses its first month's.
    """
    m0 = grid.first_month
    months = np.arange(m0, grid.n_months)
    values = monthly[m0:]
    period = 1
    if spec.frequency == Frequency.QUARTERLY:
        period = 3
        firsts = months[(grid.month_numbers()[months] - 1) % 3 == 0]
        firsts = firsts[firsts + 2 < grid.n_months]
        values = np.array([monthly[m:m + 3].mean() for m in firsts])
        months = firsts
    starts = grid.month_starts()[months]
    period_end = (grid.months[months] + period).astype("datetime64[D]")
    candidate = starts + spec.release_lag_days + jitter[months].astype("timedelta64[D]")
    release = roll_forward(np.maximum(candidate, period_end), holidays)
    return SeriesTable(starts, release, np.round(values, decimals))
