"""Staleness measured against the pipeline's schedule on the B3 calendar, not raw wall-clock hours.

The pipeline runs at 06:00 America/Sao_Paulo on each B3 session day and processes the previous session.
Data for session S is therefore due at the run of the next session day; its age is the time since that
run, counting only B3 session days: weekends and B3 holidays (Carnival, 20 November...) do not age it.
"""

from datetime import date, datetime, time, timedelta

from domain.market.calendar import SAO_PAULO, b3_sessions

RUN_TIME = time(6, 0)
_ONE_DAY = timedelta(days=1)


def next_b3_session(day: date) -> date:
    """The first B3 session strictly after ``day``."""
    return b3_sessions(day + _ONE_DAY, day + timedelta(days=15))[0]


def scheduled_run_at(session: date) -> datetime:
    """When the run that processes ``session`` is scheduled: 06:00 São Paulo on the next B3 session.

    Parameters
    ----------
    session : date
        A B3 session (the data's partition date).

    Returns
    -------
    datetime
        Timezone-aware instant (America/Sao_Paulo).
    """
    return datetime.combine(next_b3_session(session), RUN_TIME, tzinfo=SAO_PAULO)


def schedule_age(since: datetime, now: datetime) -> timedelta:
    """Time from ``since`` to ``now`` that falls on B3 session days (São Paulo calendar days).

    ``age = (now - since) - sum over non-session days d of |[since, now] ∩ [d 00:00, d+1 00:00)|``

    Parameters
    ----------
    since, now : datetime
        Timezone-aware instants.

    Returns
    -------
    timedelta
        Zero when ``now <= since``.

    Raises
    ------
    ValueError
        When either instant is naive.
    """
    if since.tzinfo is None or now.tzinfo is None:
        raise ValueError("schedule_age needs timezone-aware instants")
    if now <= since:
        return timedelta(0)
    start, end = since.astimezone(SAO_PAULO), now.astimezone(SAO_PAULO)
    total = timedelta(0)
    for day in b3_sessions(start.date(), end.date()):
        day_start = datetime.combine(day, time(0), tzinfo=SAO_PAULO)
        overlap = min(end, day_start + _ONE_DAY) - max(start, day_start)
        if overlap > timedelta(0):
            total += overlap
    return total


def data_age(session: date, now: datetime) -> timedelta:
    """Schedule age of data that covers ``session``: :func:`schedule_age` since :func:`scheduled_run_at`."""
    return schedule_age(scheduled_run_at(session), now)
