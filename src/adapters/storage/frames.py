"""Date-ranged tables written and read as DataFrames: a range is always replaced whole."""

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import ColumnElement, Connection, Result, Table, and_, delete, select

from adapters.storage.upsert import upsert_rows
from application.ports import UpsertCounts


def rows_of(result: Result[Any]) -> list[tuple[Any, ...]]:
    """Plain tuples: pandas builds frames from them far faster than from SQLAlchemy ``Row`` objects."""
    return [tuple(row) for row in result]


def records(frame: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    """Rows as dicts with NaN turned into NULL and numpy scalars into Python ones."""
    cols = list(columns)
    out = frame[cols].astype(object).where(frame[cols].notna(), None)
    rows: list[dict[str, Any]] = out.to_dict("records")
    for row in rows:
        for key, value in row.items():
            if hasattr(value, "item"):
                row[key] = value.item()
            elif isinstance(value, pd.Timestamp):
                row[key] = value.date()
    return rows


def replace_range(connection: Connection, table: Table, date_column: str, start: date, end: date,
                  frame: pd.DataFrame, *, where: ColumnElement[bool] | None = None) -> UpsertCounts:
    """Delete the rows dated in [start, end] (and matching ``where``), then insert ``frame``'s rows."""
    condition = table.c[date_column].between(start, end)
    if where is not None:
        condition = and_(condition, where)
    removed = connection.execute(delete(table).where(condition)).rowcount
    columns = [c.name for c in table.columns]
    rows = records(frame, [c for c in columns if c in frame.columns])
    key = [c.name for c in table.primary_key.columns]
    upsert_rows(connection, table, rows, key)
    kept = min(removed, len(rows))
    return UpsertCounts(inserted=len(rows) - kept, updated=kept)


def read_range(connection: Connection, table: Table, date_column: str, start: date, end: date,
               *, where: ColumnElement[bool] | None = None) -> pd.DataFrame:
    """Rows dated in [start, end] (and matching ``where``), ordered by the primary key."""
    condition = table.c[date_column].between(start, end)
    if where is not None:
        condition = and_(condition, where)
    stmt = select(table).where(condition).order_by(*table.primary_key.columns)
    return pd.DataFrame.from_records(rows_of(connection.execute(stmt)), columns=[c.name for c in table.columns])
