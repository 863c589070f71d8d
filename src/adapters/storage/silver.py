"""Silver stores: daily returns and event-dated macro features, written and read as DataFrames."""

from collections.abc import Sequence
from datetime import date
from typing import Any

import pandas as pd
from sqlalchemy import Connection, and_, delete, func, select

from adapters.storage.tables import MacroFeatureRow, ReturnRow
from adapters.storage.upsert import upsert_rows
from application.ports import UpsertCounts

_R = ReturnRow.__table__
_M = MacroFeatureRow.__table__
RETURN_COLUMNS = ["instrument", "trade_date", "kind", "price_return", "rate_change_bp"]
FEATURE_COLUMNS = ["series_id", "feature", "known_from", "observation_date", "value"]


def _records(frame: pd.DataFrame, columns: Sequence[str]) -> list[dict[str, Any]]:
    # NaN is not NULL to the database drivers: convert explicitly.
    out = frame[list(columns)].astype(object).where(frame[list(columns)].notna(), None)
    return out.to_dict("records")  # type: ignore[return-value]


class SqlAlchemyReturnRepository:
    """Rows of ``returns``."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def replace(self, start: date, end: date, frame: pd.DataFrame) -> UpsertCounts:
        """Replace every return dated in [start, end] by ``frame``'s rows (a range is recomputed whole)."""
        removed = self._connection.execute(delete(_R).where(_R.c.trade_date.between(start, end))).rowcount
        rows = _records(frame, RETURN_COLUMNS)
        upsert_rows(self._connection, _R, rows, ["instrument", "trade_date"])
        kept = min(removed, len(rows))
        return UpsertCounts(inserted=len(rows) - kept, updated=kept)

    def between(self, start: date, end: date, *, instruments: Sequence[str] | None = None,
                kinds: Sequence[str] | None = None) -> pd.DataFrame:
        """Returns dated in [start, end], optionally filtered."""
        where = _R.c.trade_date.between(start, end)
        if instruments is not None:
            where = and_(where, _R.c.instrument.in_(list(instruments)))
        if kinds is not None:
            where = and_(where, _R.c.kind.in_(list(kinds)))
        stmt = select(*(_R.c[c] for c in RETURN_COLUMNS)).where(where).order_by(_R.c.trade_date, _R.c.instrument)
        return pd.DataFrame(self._connection.execute(stmt).all(), columns=RETURN_COLUMNS)


class SqlAlchemyMacroFeatureRepository:
    """Rows of ``macro_features``."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def replace(self, start: date, end: date, frame: pd.DataFrame) -> UpsertCounts:
        """Replace every feature value that became known in [start, end]."""
        removed = self._connection.execute(delete(_M).where(_M.c.known_from.between(start, end))).rowcount
        rows = _records(frame, FEATURE_COLUMNS)
        upsert_rows(self._connection, _M, rows, ["series_id", "feature", "known_from"])
        kept = min(removed, len(rows))
        return UpsertCounts(inserted=len(rows) - kept, updated=kept)

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
