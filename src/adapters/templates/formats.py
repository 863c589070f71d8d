"""Number formats of the templates (display only: the values are the stored report's)."""

from typing import Any


def num(value: Any, unit: str = "") -> str:
    """``value`` for display in ``unit``: BRL without decimals, bp with one, other numbers with two."""
    if value is None:
        return "n/a"
    if isinstance(value, bool) or not isinstance(value, int | float):
        return str(value)
    if isinstance(value, int):
        return f"{value:,}"
    if unit == "BRL":
        return f"{value:,.0f}"
    if unit == "bp":
        return f"{value:,.1f}"
    return f"{value:,.2f}"


def signed(value: Any, unit: str = "") -> str:
    """Like :func:`num`, with an explicit + on positive numbers."""
    text = num(value, unit)
    return f"+{text}" if isinstance(value, int | float) and not isinstance(value, bool) and value > 0 else text


def cell(value: Any) -> str:
    """A table cell: numbers with separators (large ones without decimals, small ones with up to four)."""
    if value is None:
        return "n/a"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, int):
        return f"{value:,}"
    if isinstance(value, float):
        return f"{value:,.0f}" if abs(value) >= 1_000 else f"{value:,.4g}" if abs(value) < 0.01 else f"{value:,.2f}"
    return str(value)
