"""Daily partitions over B3 sessions: weekdays, minus the B3 holidays."""

from datetime import date, datetime

import dagster as dg

from domain.market.calendar import CALENDAR_END, b3_non_sessions

TIMEZONE = "America/Sao_Paulo"


def b3_daily_partitions(start: date) -> dg.TimeWindowPartitionsDefinition:
    """One partition per B3 session from ``start``; holidays are excluded, so no key exists for them."""
    holidays = [datetime(d.year, d.month, d.day) for d in b3_non_sessions(start, CALENDAR_END)]
    return dg.TimeWindowPartitionsDefinition(
        start=datetime(start.year, start.month, start.day),
        fmt="%Y-%m-%d",
        cron_schedule="0 0 * * 1-5",
        timezone=TIMEZONE,
        exclusions=holidays,
    )
