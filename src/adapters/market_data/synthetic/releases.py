"""Point-in-time tables of the simulated series: values sampled on each market's calendar, with release dates.

Release dates follow each series' catalogue lag (``SeriesSpec.release_lag_days``):

* daily series: the observation date itself (lag 0), else the next business day on or after
  ``obs + lag`` (a Friday value with a one-day lag is released on Monday); series with a
  publication calendar follow it (Focus: the first business day of the following week);
* monthly and quarterly series (dated the 1st of the period): ``obs + lag`` moved by a seeded jitter
  of -2..+2 days, never before the period has ended, rolled forward to a business day (IPCA for
  month M lands around the 10th of M+1);
* weekly series (dated Fridays): ``obs + lag``, rolled forward.

Series revised in reality publish later vintages (:func:`with_revisions`): the first print is the
final value plus a measurement error, and each revision, released on a later date, is closer to it.
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


@dataclass(frozen=True, slots=True)
class RevisionSchedule:
    """How a series is revised: when each later vintage lands and how far each print is from the final value.

    ``at``: for each revision, either ``("next", k)`` (with the release of the observation ``k`` periods
    later, as IBC-Br's and the fiscal statistics' previous months are revised with each new month) or
    ``("days", d)`` (``d`` calendar days after the first print, rolled forward, as the BEA's second and
    third GDP estimates). ``errors``: standard deviation of each vintage's error (first print, then the
    revisions but the last, which is the final value), relative (fraction of the value) or absolute.
    """

    at: tuple[tuple[str, int], ...]
    errors: tuple[float, ...]
    relative: bool


def with_revisions(table: SeriesTable, schedule: RevisionSchedule, draws: np.ndarray, decimals: int,
                   holidays: np.ndarray) -> SeriesTable:
    """The table with its first prints perturbed and its revisions added as later vintages.

    ``draws`` holds standard normals, one row per observation of ``table`` and one column per entry of
    ``schedule.errors``. A revision whose release date is not defined (no later observation yet) is
    not published. Rows come out sorted by observation date, then release date.
    """
    final = table.value
    n = final.size
    obs, release, value = [table.obs], [table.release], []
    for k, sd in enumerate(schedule.errors):
        scale = np.abs(final) * sd if schedule.relative else sd
        value.append(np.round(final + scale * draws[:n, k], decimals))
    value.append(final)
    out_value = [value[0]]
    for j, (kind, step) in enumerate(schedule.at):
        if kind == "next":
            later = np.full(n, np.datetime64("NaT"), dtype="datetime64[D]")
            later[:n - step] = table.release[step:]
        else:
            later = roll_forward(table.release + step, holidays)
        keep = ~np.isnat(later) & (later > table.release)
        obs.append(table.obs[keep])
        release.append(later[keep])
        out_value.append(value[j + 1][keep])
    all_obs, all_release = np.concatenate(obs), np.concatenate(release)
    order = np.lexsort((all_release, all_obs))
    return SeriesTable(all_obs[order], all_release[order], np.concatenate(out_value)[order])
