"""Daily partitions over B3 sessions: one key per session, existing from the midnight after it.

Dagster's time-window partitions exist once their window has ended, and a window ends at the next
cron tick. With a weekday cron (``0 0 * * 1-5``) Friday's window ends on Monday, so Friday's key does
not exist all weekend, nor the session before a holiday until the next session day. The windows here
tick every calendar day at 00:00 São Paulo and exclude weekends and B3 holidays: a session's window is
[session 00:00, next day 00:00), so its key exists from the midnight after the session has closed,
whatever the weekday.
"""

from datetime import date, datetime

import dagster as dg

from domain.market.calendar import CALENDAR_END, b3_non_sessions

TIMEZONE = "America/Sao_Paulo"
_EVERY_DAY = "0 0 * * *"
_WEEKENDS = "0 0 * * 0,6"


def b3_daily_partitions(start: date) -> dg.TimeWindowPartitionsDefinition:
    """One partition per B3 session from ``start``; weekends and holidays have no key."""
    holidays = [datetime(d.year, d.month, d.day) for d in b3_non_sessions(start, CALENDAR_END)]
    return dg.TimeWindowPartitionsDefinition(
        start=datetime(start.year, start.month, start.day),
        fmt="%Y-%m-%d",
        cron_schedule=_EVERY_DAY,
        timezone=TIMEZONE,
        exclusions=[_WEEKENDS, *holidays],
    )
