"""Trailing windows of daily factor changes for one date's risk, and the checks that a book can be measured.

The risk of the book held at the close of D is measured on moves up to and including D (it faces D+1's
moves). A factor is NaN before its first observation; such rows are dropped from a window, so a factor
that started recently shortens the windows of the books exposed to it.
"""

from collections.abc import Sequence
from datetime import date, timedelta

import numpy as np
import pandas as pd

from domain.errors import DataGapError
from domain.market.calendar import CALENDAR_START, b3_sessions
from domain.risk.garch import MIN_FIT_OBSERVATIONS

HISTORICAL_WINDOW = 500
PARAMETRIC_WINDOW = 252
FIT_WINDOW = 1_000
MIN_HISTORY = MIN_FIT_OBSERVATIONS
# Extra sessions loaded before the longest window: FactorHistory marks a factor NaN before its first
# observation *in the loaded range*, so a market closed on the first loaded session (a US holiday) would
# otherwise shorten a window depending on where the range starts, and results on how a range is chunked.
LOAD_MARGIN = 30


def refit_date(day: date) -> date:
    """The Monte Carlo model's refit session for ``day``: the first B3 session of its month."""
    first = day.replace(day=1)
    return b3_sessions(first, first + timedelta(days=31))[0]


def history_start(start: date) -> date:
    """First session to load so every window of every date from ``start`` on is complete."""
    sessions = b3_sessions(CALENDAR_START, min(start, refit_date(start)))
    return sessions[max(0, len(sessions) - FIT_WINDOW - LOAD_MARGIN)]


class FactorWindows:
    """Daily factor changes (index: B3 sessions as Timestamps; columns: FACTORS keys) cut into windows."""

    def __init__(self, changes: pd.DataFrame) -> None:
        self._changes = changes.astype(np.float64)
        self._values = self._changes.to_numpy()
        # Factor-major copy: a window is a block of rows of it, and its transpose has the (sessions x
        # factors, column-major) layout pandas hands out, so matrix products sum in the same order.
        self._by_factor = np.ascontiguousarray(self._values.T)
        self._column = {str(c): j for j, c in enumerate(changes.columns)}
        self._row = {ts.date(): i for i, ts in enumerate(pd.DatetimeIndex(changes.index))}

    @property
    def changes(self) -> pd.DataFrame:
        """The whole loaded history."""
        return self._changes

    def position(self, day: date) -> int:
        """Row of ``day``; DataGapError when the history has no row for it."""
        if day not in self._row:
            raise DataGapError(f"risk on {day.isoformat()}: the factor history has no row for that date "
                               "(not a B3 session, or outside the loaded range)")
        return self._row[day]

    def check_exposed(self, day: date, factors: Sequence[str], holders: dict[str, list[str]]) -> None:
        """Every factor a position loads on must have a change on ``day``; else DataGapError naming both."""
        row = self.position(day)
        missing = [f for f in factors if f not in self._column or np.isnan(self._values[row, self._column[f]])]
        if missing:
            named = "; ".join(f"{f} (held through {', '.join(holders[f])})" for f in missing)
            raise DataGapError(f"risk on {day.isoformat()}: no factor history for {named}; a position cannot load "
                               "on a factor before its first observed change")

    def _trailing_rows(self, day: date, factors: Sequence[str], length: int) -> tuple[slice, list[int], np.ndarray]:
        """Rows, factor columns and the complete-row mask of the window ``trailing`` returns."""
        row = self.position(day)
        rows = slice(max(0, row + 1 - length), row + 1)
        columns = [self._column[f] for f in factors]
        block = self._by_factor[columns, rows]
        return rows, columns, ~np.isnan(block).any(axis=0)

    def trailing(self, day: date, factors: Sequence[str], length: int) -> pd.DataFrame:
        """The last ``length`` rows up to and including ``day``, ``factors`` only, rows with a NaN dropped."""
        rows, _, complete = self._trailing_rows(day, factors, length)
        frame = self._changes.iloc[rows][list(factors)]
        return frame if complete.all() else frame[complete]

    def trailing_values(self, day: date, factors: Sequence[str], length: int) -> np.ndarray:
        """``trailing`` as an array (sessions x factors), without building a DataFrame per date."""
        rows, columns, complete = self._trailing_rows(day, factors, length)
        block = self._by_factor[columns, rows]
        # numpy lays a boolean selection of columns out column-major; the copy restores the factor-major block.
        return (block if complete.all() else np.ascontiguousarray(block[:, complete])).T

    def after(self, first: date, last: date, factors: Sequence[str]) -> np.ndarray:
        """Rows strictly after ``first`` up to and including ``last``, ``factors`` only (sessions x factors)."""
        columns = [self._column[f] for f in factors]
        return self._values[self.position(first) + 1:self.position(last) + 1][:, columns]

    def usable(self, day: date) -> list[str]:
        """Factors with at least MIN_HISTORY changes in the FIT_WINDOW up to ``day`` and some variation."""
        window = self._changes.iloc[max(0, self.position(day) + 1 - FIT_WINDOW):self.position(day) + 1]
        counts = window.notna().sum(axis=0)
        spread = window.std(axis=0, ddof=1)
        return [str(f) for f in window.columns if counts[f] >= MIN_HISTORY and spread[f] > 0.0]
