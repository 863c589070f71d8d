"""Instants read back from the database, as timezone-aware UTC datetimes.

Every instant macrodesk stores is UTC. SQLite returns ``DateTime(timezone=True)`` columns as naive datetimes
(it keeps no offset) and PostgreSQL returns them in the session's time zone: both are read back through
:func:`utc`, so that comparisons, ETags and the API's ISO strings are the same on either database.
"""

from datetime import UTC, datetime
from typing import overload


@overload
def utc(value: datetime) -> datetime: ...


@overload
def utc(value: None) -> None: ...


def utc(value: datetime | None) -> datetime | None:
    """``value`` in UTC: a naive datetime is taken as UTC, an aware one converted; None stays None."""
    if value is None:
        return None
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)
