"""Central-bank meeting calendars and the step paths of policy rates they produce."""

from datetime import date, timedelta

import numpy as np

# Eight meetings a year, as Copom and the FOMC hold; decisions take effect the next business day.
COPOM_MONTHS = (1, 3, 5, 6, 8, 9, 10, 12)
FOMC_MONTHS = (1, 3, 5, 6, 7, 9, 11, 12)


def meeting_date(year: int, month: int, first_day: int) -> date:
    """The first Wednesday on or after ``first_day`` of the month: a meeting's decision day."""
    day = date(year, month, first_day)
    return day + timedelta(days=(2 - day.weekday()) % 7)


def meeting_schedule(months: np.ndarray, meeting_months: tuple[int, ...], first_day: int,
                     holidays: np.ndarray) -> np.ndarray:
    """Effective date of each month's decision (NaT in months without a meeting).

    The decision is announced on the meeting Wednesday and applies from the next business day.
    """
    out = np.full(months.size, np.datetime64("NaT"), dtype="datetime64[D]")
    for i, month in enumerate(months):
        year, number = int(str(month)[:4]), int(str(month)[5:7])
        if number in meeting_months:
            announced = np.datetime64(meeting_date(year, number, first_day), "D")
            out[i] = np.busday_offset(announced, 1, roll="forward", holidays=holidays)
    return out


def quantised_move(gap: float, *, speed: float, noise: float, hold_below: float, max_cut: float,
                   max_hike: float) -> float:
    """A policy move in 25 bp steps toward a desired rate ``gap`` away (0 when within ``hold_below``)."""
    if abs(gap) < hold_below:
        return 0.0
    size = round((speed * abs(gap) + noise) * 4.0) / 4.0
    size = max(0.25, size)
    return min(size, max_hike) if gap > 0 else -min(size, max_cut)


def step_path(days: np.ndarray, effective: np.ndarray, rates: np.ndarray, initial: float) -> np.ndarray:
    """Daily policy rate: the rate of the latest decision effective on or before each day."""
    valid = ~np.isnat(effective)
    eff, val = effective[valid], rates[valid]
    order = np.argsort(eff, kind="stable")
    eff, val = eff[order], val[order]
    idx = np.searchsorted(eff, days, side="right") - 1
    return np.where(idx >= 0, val[np.clip(idx, 0, None)], initial)
