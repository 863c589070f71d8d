"""Turning frame values into report cells: plain Python scalars, NaN as None, one session's rows."""

import math
from datetime import date, datetime
from typing import Any

import pandas as pd

from domain.reporting.report import Cell


def cell(value: Any) -> Cell:
    """A plain Python scalar: numpy scalars unwrapped, NaN/NaT/None as None, anything else as text."""
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


def on_day(frame: pd.DataFrame, day: date, column: str = "date") -> pd.DataFrame:
    """Rows of ``frame`` dated ``day`` (dates may be ``date`` objects or Timestamps)."""
    if frame.empty:
        return frame
    mask = dates(frame, column).to_numpy() == day
    # Callers often pass one session's rows already: no copy then.
    return frame if mask.all() else frame[mask]


def records(frame: pd.DataFrame) -> list[dict[str, Any]]:
    """The rows of ``frame`` as dictionaries, in order (far cheaper than ``iterrows`` per row)."""
    return [dict(zip(frame.columns, row, strict=True)) for row in frame.itertuples(index=False, name=None)]


def dates(frame: pd.DataFrame, column: str = "date") -> "pd.Series[Any]":
    """``frame[column]`` as ``datetime.date`` objects."""
    values = frame[column]
    first = values.iloc[0] if len(values) else None
    # Stores return ``date`` objects; anything else (Timestamps, strings) is normalised.
    if first is None or (isinstance(first, date) and not isinstance(first, datetime)):
        return values
    return pd.to_datetime(values).dt.date
