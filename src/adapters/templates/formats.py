"""Number formats of the templates (display only: the values are the stored report's)."""

import math
from collections.abc import Callable, Sequence
from typing import Any


def num(value: Any, unit: str = "") -> str:
    """``value`` for display in ``unit``: BRL without decimals, bp with one, BRL/USD with four, others with two;
    a non-zero value those decimals would print as zero gets two significant digits instead (-0.003, not -0.00)."""
    if value is None:
        return "n/a"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    decimals = 0 if unit == "BRL" else 1 if unit == "bp" else 4 if unit == "BRL/USD" else 2  # FX quotes: 4
    if value != 0.0 and abs(value) < 0.5 * 10.0 ** -decimals:
        return f"{value:.2g}"
    return f"{value:,.{decimals}f}"


def signed(value: Any, unit: str = "") -> str:
    """Like :func:`num`, with an explicit + on positive numbers."""
    text = num(value, unit)
    return f"+{text}" if isinstance(value, int | float) and not isinstance(value, bool) and value > 0 else text


def cell(value: Any) -> str:
    """A table cell that is not a float of a formatted column: text, yes/no, integers with separators; a float
    (an all-zero column, or one of mixed quantities from 1 up) with two decimals, none from 1,000."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1_000 else f"{value:,.2f}"
    return str(value)


# A column whose non-zero floats span more than this ratio (a table of mixed quantities, such as the agents'
# model diagnostics) is formatted cell by cell; below it, every cell of the column gets the same decimals.
_MIXED_RANGE = 1e4


def _significant(value: Any) -> str:
    """A cell of a column of mixed quantities: below 1, four significant digits (10.25% stored as 0.1025 stays
    0.1025); from 1, two decimals (13.20 and 13.23 alike); from 1,000, none."""
    if isinstance(value, float) and math.isfinite(value) and abs(value) < 1:
        return f"{value:,.4g}"
    return cell(value)


def _column_format(values: Sequence[Any]) -> Callable[[Any], str]:
    """One format for a column's floats: the decimals its smallest non-zero magnitude needs to show two
    significant digits (at least two, at most six; none when every value is 100 or more and some reach
    thousands), so that a column reads at one precision and no non-zero number prints as zero. A column whose
    values span more than ``_MIXED_RANGE``, or mixes thousands with small numbers, is formatted cell by cell."""
    sizes = [abs(v) for v in values if isinstance(v, float) and v != 0.0]
    if not sizes:
        return cell
    smallest, biggest = min(sizes), max(sizes)
    if biggest / smallest > _MIXED_RANGE:
        return _significant
    if biggest >= 1_000:
        if smallest < 100:  # levels in different units (13.23 % beside 144,657 pts): each cell its own format
            return _significant
        decimals = 0
    else:
        decimals = 2 if smallest >= 0.005 else min(6, 1 - math.floor(math.log10(smallest)))

    def fmt(value: Any) -> str:
        return f"{value:,.{decimals}f}" if isinstance(value, float) else cell(value)
    return fmt


def table_cells(rows: Sequence[Sequence[Any]]) -> list[list[tuple[Any, str]]]:
    """Each row as (value, text) pairs, numbers formatted per column (:func:`_column_format`); display only."""
    if not rows:
        return []
    formats = [_column_format([row[j] for row in rows]) for j in range(len(rows[0]))]
    return [[(v, f(v)) for f, v in zip(formats, row, strict=True)] for row in rows]
