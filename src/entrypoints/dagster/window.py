"""Reading the partition (or partition range) an asset run covers."""

from datetime import date

import dagster as dg


def partition_dates(context: dg.AssetExecutionContext) -> tuple[date, date]:
    """First and last session of the run's partition range (a single partition gives start == end)."""
    key_range = context.partition_key_range
    return date.fromisoformat(key_range.start), date.fromisoformat(key_range.end)
