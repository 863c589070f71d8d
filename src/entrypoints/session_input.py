"""Dates typed on the command line, checked before anything is read or written.

Every command that takes a date refuses, in one line naming the nearest valid choice: a malformed
date, a date outside the calendars, a weekend or B3 holiday, a session before the market source's
history, and a session after the latest complete one (the synthetic market must not write the future).
"""

from datetime import date

from domain.errors import CalendarRangeError
from domain.market.calendar import (
    CALENDAR_END,
    CALENDAR_START,
    b3_sessions,
    is_b3_session,
    previous_b3_session,
)
from entrypoints.commandline import CommandUsageError


def parse_date(value: str, option: str) -> date:
    """``value`` as an ISO date, or a usage error naming ``option``."""
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise CommandUsageError(f"{option} {value!r} is not a date (YYYY-MM-DD)") from None


def latest_complete_session(today: date) -> date:
    """The last B3 session before ``today`` (São Paulo date): the newest one whose partition exists."""
    return previous_b3_session(today)


def _next_session(day: date) -> date | None:
    following = b3_sessions(day, min(CALENDAR_END, date(day.year + 1, 12, 31)))
    return following[0] if following else None


def require_session(day: date, option: str, *, roll: str = "previous") -> date:
    """``day`` when it is a B3 session in the calendars' range; otherwise a usage error naming a session.

    ``roll`` says which neighbour the message suggests: the previous session (a last day) or the next
    one (a first day).
    """
    if not CALENDAR_START <= day <= CALENDAR_END:
        raise CommandUsageError(f"{option} {day} is outside the B3 calendar's range {CALENDAR_START}..{CALENDAR_END}")
    if is_b3_session(day):
        return day
    try:
        neighbour = _next_session(day) if roll == "next" else previous_b3_session(day)
    except CalendarRangeError:
        neighbour = None
    which = "next" if roll == "next" else "previous"
    suggestion = f"; the {which} session is {neighbour}" if neighbour else ""
    raise CommandUsageError(f"{option} {day} is not a B3 session (weekend or B3 holiday){suggestion}")


def require_range(start: date, end: date, *, today: date, history_start: date,
                  start_option: str = "--start", end_option: str = "--end") -> tuple[date, date]:
    """A range of sessions the market source can produce: within its history and not in the future."""
    if end < start:
        raise CommandUsageError(f"{end_option} {end} is before {start_option} {start}")
    if start < history_start:
        raise CommandUsageError(f"{start_option} {start} is before the market source's history, which starts on "
                           f"{history_start} (MACRODESK_HISTORY_START)")
    latest = latest_complete_session(today)
    if end > latest:
        raise CommandUsageError(f"{end_option} {end} is after the latest complete B3 session {latest} "
                           f"(today is {today}); future sessions are never computed")
    return start, end
