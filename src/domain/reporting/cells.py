"""Turning frame values into report cells: plain Python scalars, NaN as None, one session's rows.

The section builders work on plain rows (:data:`Rows`: one dictionary per stored row, as :func:`records`
gives them), not on frames: a report is assembled per session over thousands of sessions, and small
frame operations per session cost far more than the work they do.
"""

import math
from collections.abc import Mapping, Sequence
from datetime import date, datetime
from typing import Any, TypeAlias

import pandas as pd

from domain.reporting.report import Cell

Row: TypeAlias = Mapping[str, Any]
Rows: TypeAlias = Sequence[Row]
"""Stored rows as dictionaries (column -> plain Python value), dates as ``datetime.date``."""


def cell(value: Any) -> Cell:
    """A plain Python scalar: numpy scalars unwrapped, NaN/NaT/None as None, anything else as text."""
    kind = type(value)
    if kind is str or kind is int or kind is bool:  # the common cases first
        return value  # type: ignore[no-any-return]
    if kind is float:
        return value if math.isfinite(value) else None
    if value is None or value is pd.NaT:
        return None
    if hasattr(value, "item") and not isinstance(value, str):
        value = value.item()
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return value if math.isfinite(value) else None
    return str(value)


def number(value: Any) -> float | None:
    """A finite float, or None for a missing value."""
    out = cell(value)
    return float(out) if isinstance(out, int | float) and not isinstance(out, bool) else None


def scaled(value: Any, factor: float) -> float | None:
    """``value * factor`` (e.g. a decimal into percent), None when missing."""
    out = number(value)
    return None if out is None else out * factor


def on_day(rows: "Rows", day: date, column: str = "date") -> "Rows":
    """The rows dated ``day`` (``column`` holds ``datetime.date`` values, as :func:`records` gives them)."""
    # Callers usually pass one session's rows already: no copy then.
    if all(r[column] == day for r in rows):
        return rows
    return [r for r in rows if r[column] == day]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dictionaries of plain Python values, in order (far cheaper than ``iterrows``).

    A ``date`` column of Timestamps (or strings) becomes ``datetime.date`` objects, as the stores give them.
    """
    columns = list(frame.columns)
    # Column by column (``tolist`` gives the same Python scalars as iterating rows, far faster).
    values = [frame.iloc[:, j].tolist() for j in range(len(columns))]
    out = [dict(zip(columns, row, strict=True)) for row in zip(*values, strict=True)] if columns else \
        [{} for _ in range(len(frame))]
    if out and "date" in frame.columns and not _is_date(out[0]["date"]):
        for row, day in zip(out, pd.to_datetime(frame["date"]).dt.date, strict=True):
            row["date"] = day
    return out


def panel_rows(panel: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of a point-in-time panel (index of session Timestamps) with the session as ``date``."""
    return records(panel.rename_axis("date").reset_index())


def dates(frame: pd.DataFrame, column: str = "date") -> "pd.Series[Any]":
    """``frame[column]`` as ``datetime.date`` objects."""
    values = frame[column]
    first = values.iloc[0] if len(values) else None
    # Stores return ``date`` objects; anything else (Timestamps, strings) is normalised.
    if first is None or _is_date(first):
        return values
    return pd.to_datetime(values).dt.date


def _is_date(value: Any) -> bool:
    return isinstance(value, date) and not isinstance(value, datetime)
