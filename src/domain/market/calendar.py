"""Brazilian calendars: B3 trading sessions and ANBIMA business days.

Two calendars, on purpose. B3 sessions decide when markets trade (B3 also closes on 24 and
31 December and, in some years, on São Paulo holidays); ANBIMA business days count time in
rates (``du``, 252 a year) and decide DI1 maturities. They differ: 2025 has 250 B3 sessions and
252 ANBIMA business days.
"""

from datetime import date, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import exchange_calendars as xcals
import numpy as np
import pandas as pd

from domain.errors import CalendarRangeError

SAO_PAULO = ZoneInfo("America/Sao_Paulo")
"""B3's time zone, the desk's: sessions, the 06:00 run and the report's times are in it."""
CALENDAR_START = date(2000, 1, 1)
CALENDAR_END = date(2060, 12, 31)

# Dia Nacional de Zumbi e da Consciência Negra became a national holiday by Lei 14.759/2023.
_BLACK_CONSCIOUSNESS_FIRST_YEAR = 2024


def easter_sunday(year: int) -> date:
    """Gregorian Easter Sunday (anonymous Gregorian algorithm, Meeus/Jones/Butcher).

    Parameters
    ----------
    year : int
        Calendar year.

    Returns
    -------
    date
        Easter Sunday of ``year``.
    """
    a = year % 19
    b, c = divmod(year, 100)
    d, e = divmod(b, 4)
    f = (b + 8) // 25
    g = (b - f + 1) // 3
    h = (19 * a + b - d - g + 15) % 30
    i, k = divmod(c, 4)
    el = (32 + 2 * e + 2 * i - h - k) % 7
    m = (a + 11 * h + 22 * el) // 451
    month, day = divmod(h + el - 7 * m + 114, 31)
    return date(year, month, day + 1)


def anbima_holidays(year: int) -> list[date]:
    """National holidays of the ANBIMA calendar for one year.

    Fixed: 1 Jan, 21 Apr, 1 May, 7 Sep, 12 Oct, 2 Nov, 15 Nov, 20 Nov (from 2024), 25 Dec.
    Moveable, from Easter Sunday E: Carnival Monday and Tuesday (E-48, E-47), Good Friday (E-2),
    Corpus Christi (E+60).

    Parameters
    ----------
    year : int
        Calendar year.

    Returns
    -------
    list of date
        The holidays, sorted, including those that fall on weekends.
    """
    easter = easter_sunday(year)
    fixed = [(1, 1), (4, 21), (5, 1), (9, 7), (10, 12), (11, 2), (11, 15), (12, 25)]
    days = [date(year, m, d) for m, d in fixed]
    if year >= _BLACK_CONSCIOUSNESS_FIRST_YEAR:
        days.append(date(year, 11, 20))
    days += [easter - timedelta(days=n) for n in (48, 47, 2)]
    days.append(easter + timedelta(days=60))
    return sorted(days)


@lru_cache(maxsize=1)
def _anbima_holiday_array() -> np.ndarray:
    days = [d for y in range(CALENDAR_START.year, CALENDAR_END.year + 1) for d in anbima_holidays(y)]
    return np.array(days, dtype="datetime64[D]")


def _check_range(*days: date) -> None:
    for d in days:
        if not CALENDAR_START <= d <= CALENDAR_END:
            raise CalendarRangeError(
                f"{d.isoformat()} is outside the calendars' range {CALENDAR_START}..{CALENDAR_END}")


def business_days(start: date, end: date) -> int:
    """Number of ANBIMA business days in the half-open interval [start, end).

    This is the ``du`` of Brazilian rates: a DI1 traded on ``start`` with maturity ``end``
    accrues over ``business_days(start, end)`` days, and a year has about 252 of them.

    Parameters
    ----------
    start, end : date
        Interval bounds; ``end`` is excluded. ``end < start`` gives a negative count.

    Returns
    -------
    int
        The count of weekdays in the interval that are not ANBIMA holidays.
    """
    _check_range(start, end)
    count = np.busday_count(np.datetime64(start, "D"), np.datetime64(end, "D"), holidays=_anbima_holiday_array())
    return int(count)


def business_days_array(start: date, ends: "np.ndarray") -> np.ndarray:
    """Vectorised :func:`business_days` from one start to many ends (``datetime64[D]`` array)."""
    _check_range(start)
    begin = np.full(ends.shape, np.datetime64(start, "D"))
    return np.busday_count(begin, ends.astype("datetime64[D]"), holidays=_anbima_holiday_array())


def is_business_day(day: date) -> bool:
    """Whether ``day`` is an ANBIMA business day (a weekday that is not a national holiday)."""
    _check_range(day)
    return bool(np.is_busday(np.datetime64(day, "D"), holidays=_anbima_holiday_array()))


def add_business_days(day: date, n: int) -> date:
    """The ANBIMA business day ``n`` business days after ``day`` (``n`` may be negative).

    With ``n = 0`` a non-business day rolls forward to the next business day.
    """
    _check_range(day)
    rolled = np.busday_offset(np.datetime64(day, "D"), n, roll="forward", holidays=_anbima_holiday_array())
    return pd.Timestamp(rolled).date()


def first_business_day_of_next_week(days: "np.ndarray") -> np.ndarray:
    r"""For each day, the first ANBIMA business day of the following Monday-to-Sunday week.

    .. math:: d \mapsto \mathrm{roll}_{fwd}(d - \mathrm{weekday}(d) + 7)

    The publication rule of the BCB's Focus statistics: a median dated Monday to Friday is
    published on the next Monday, or on the next business day when that Monday is a holiday.

    Parameters
    ----------
    days : ndarray of datetime64[D], shape (n,)

    Returns
    -------
    ndarray of datetime64[D], shape (n,)
    """
    d = np.asarray(days, dtype="datetime64[D]")
    # 1970-01-01 was a Thursday: (d + 3) % 7 is 0 on Mondays.
    weekday = (d.astype(np.int64) + 3) % 7
    monday = d - weekday.astype("timedelta64[D]") + np.timedelta64(7, "D")
    rolled: np.ndarray = np.busday_offset(monday, 0, roll="forward", holidays=_anbima_holiday_array())
    return rolled


def first_business_day_of_month(year: int, month: int) -> date:
    """The first ANBIMA business day of a month: the maturity rule of DI1 and DOL futures."""
    return add_business_days(date(year, month, 1), 0)


@lru_cache(maxsize=1)
def _b3_sessions() -> np.ndarray:
    cal = xcals.get_calendar("BVMF", start=CALENDAR_START.isoformat(), end=CALENDAR_END.isoformat())
    return np.asarray(cal.sessions.values.astype("datetime64[D]"))


def b3_sessions(start: date, end: date) -> list[date]:
    """B3 trading sessions in the closed interval [start, end], in order."""
    _check_range(start, end)
    sessions = _b3_sessions()
    lo = np.searchsorted(sessions, np.datetime64(start, "D"), side="left")
    hi = np.searchsorted(sessions, np.datetime64(end, "D"), side="right")
    return [d.item() for d in sessions[lo:hi]]


def is_b3_session(day: date) -> bool:
    """Whether B3 holds a trading session on ``day``."""
    _check_range(day)
    sessions = _b3_sessions()
    i = np.searchsorted(sessions, np.datetime64(day, "D"))
    return bool(i < len(sessions) and sessions[i] == np.datetime64(day, "D"))


def previous_b3_session(day: date) -> date:
    """The last B3 session strictly before ``day``."""
    _check_range(day)
    sessions = _b3_sessions()
    i = int(np.searchsorted(sessions, np.datetime64(day, "D"), side="left"))
    if i == 0:
        raise CalendarRangeError(f"no B3 session before {day.isoformat()}")
    result: date = sessions[i - 1].item()
    return result


def latest_b3_session(day: date) -> date:
    """``day`` itself when it is a B3 session, else the last session before it."""
    return day if is_b3_session(day) else previous_b3_session(day)


def b3_non_sessions(start: date, end: date) -> list[date]:
    """Weekdays in [start, end] on which B3 holds no session (its holidays)."""
    sessions = set(b3_sessions(start, end))
    days = pd.bdate_range(start, end)
    return [d.date() for d in days if d.date() not in sessions]


def session_to_process(run_day: date) -> date | None:
    """The B3 session a morning run on ``run_day`` processes, or None when ``run_day`` is a B3 holiday.

    The pipeline runs before the open and processes the previous session: on Monday 23 November
    2026 that is Thursday the 19th, because Friday the 20th is a holiday. On a holiday nothing runs;
    the session before it is processed on the next session day.
    """
    if not is_b3_session(run_day):
        return None
    return previous_b3_session(run_day)
