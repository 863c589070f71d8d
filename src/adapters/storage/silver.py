"""Silver stores: daily returns and event-dated macro features, written and read as DataFrames."""

from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy import Connection, and_, func, select

from adapters.storage.frames import replace_range, rows_of
from adapters.storage.tables import MacroFeatureRow, ReturnRow
from application.ports import UpsertCounts

_R = ReturnRow.__table__
_M = MacroFeatureRow.__table__
RETURN_COLUMNS = ["instrument", "trade_date", "kind", "price_return", "rate_change_bp"]
FEATURE_COLUMNS = ["series_id", "feature", "known_from", "observation_date", "value"]


class SqlAlchemyReturnRepository:
    """Rows of ``returns``."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def replace(self, start: date, end: date, frame: pd.DataFrame) -> UpsertCounts:
        """Replace every return dated in [start, end] by ``frame``'s rows (a range is recomputed whole)."""
        return replace_range(self._connection, _R, "trade_date", start, end, frame)

    def between(self, start: date, end: date, *, instruments: Sequence[str] | None = None,
                kinds: Sequence[str] | None = None) -> pd.DataFrame:
        """Returns dated in [start, end], optionally filtered."""
        where = _R.c.trade_date.between(start, end)
        if instruments is not None:
            where = and_(where, _R.c.instrument.in_(list(instruments)))
        if kinds is not None:
            where = and_(where, _R.c.kind.in_(list(kinds)))
        stmt = select(*(_R.c[c] for c in RETURN_COLUMNS)).where(where).order_by(_R.c.trade_date, _R.c.instrument)
        return pd.DataFrame.from_records(rows_of(self._connection.execute(stmt)), columns=RETURN_COLUMNS)


class SqlAlchemyMacroFeatureRepository:
    """Rows of ``macro_features``."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def replace(self, start: date, end: date, frame: pd.DataFrame) -> UpsertCounts:
        """Replace every feature value that became known in [start, end]."""
        return replace_range(self._connection, _M, "known_from", start, end, frame)

    def known_between(self, start: date, end: date) -> pd.DataFrame:
        """Feature values that became known in [start, end], plus the last one known before ``start``."""
        inside = select(*(_M.c[c] for c in FEATURE_COLUMNS)).where(_M.c.known_from.between(start, end))
        last = select(_M.c.series_id, _M.c.feature, func.max(_M.c.known_from).label("known_from")).where(
            _M.c.known_from < start).group_by(_M.c.series_id, _M.c.feature).subquery()
        before = select(*(_M.c[c] for c in FEATURE_COLUMNS)).join(last, and_(
            _M.c.series_id == last.c.series_id, _M.c.feature == last.c.feature, _M.c.known_from == last.c.known_from))
        rows = list(self._connection.execute(before).all()) + list(self._connection.execute(inside).all())
        return pd.DataFrame(rows, columns=FEATURE_COLUMNS).sort_values(["known_from", "series_id", "feature"],
                                                                       ignore_index=True)
