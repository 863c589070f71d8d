"""Prices and curve vertices: keyed tables, replaced by key on re-runs."""

from collections.abc import Sequence
from datetime import date

import pandas as pd
from sqlalchemy import Connection, and_, delete, func, select

from adapters.storage.frames import rows_of
from adapters.storage.tables import CurvePointRow, InstrumentPriceRow
from adapters.storage.upsert import upsert_rows
from application.ports import UpsertCounts
from domain.market.bronze import CurvePoint, InstrumentPrice

_P = InstrumentPriceRow.__table__
_C = CurvePointRow.__table__
PRICE_COLUMNS = ["instrument", "trade_date", "price", "rate", "source"]
CURVE_COLUMNS = ["curve_id", "curve_date", "tenor_days", "day_count", "rate", "source"]


def _count(connection: Connection, table: object, where: object) -> int:
    return int(connection.execute(select(func.count()).select_from(table).where(where)).scalar_one())  # type: ignore[arg-type]


class SqlAlchemyPriceRepository:
    """Instrument prices in ``instrument_prices``."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def upsert(self, prices: Sequence[InstrumentPrice]) -> UpsertCounts:
        """Insert or replace by (instrument, trade date)."""
        rows = {(p.instrument, p.trade_date): {"instrument": p.instrument, "trade_date": p.trade_date,
                                               "price": p.price, "rate": p.rate, "source": p.source} for p in prices}
        if not rows:
            return UpsertCounts()
        days = [k[1] for k in rows]
        before = _count(self._connection, _P, _P.c.trade_date.between(min(days), max(days)))
        upsert_rows(self._connection, _P, list(rows.values()), ["instrument", "trade_date"])
        after = _count(self._connection, _P, _P.c.trade_date.between(min(days), max(days)))
        return UpsertCounts(inserted=after - before, updated=len(rows) - (after - before))

    def between(self, start: date, end: date, *, instruments: Sequence[str] | None = None) -> pd.DataFrame:
        """Prices with trade dates in [start, end], optionally for some instruments."""
        where = _P.c.trade_date.between(start, end)
        if instruments is not None:
            where = and_(where, _P.c.instrument.in_(list(instruments)))
        stmt = select(*(_P.c[c] for c in PRICE_COLUMNS)).where(where).order_by(_P.c.trade_date, _P.c.instrument)
        return pd.DataFrame.from_records(rows_of(self._connection.execute(stmt)), columns=PRICE_COLUMNS)


class SqlAlchemyCurveRepository:
    """Curve vertices in ``curve_points``."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    @staticmethod
    def _rows(points: Sequence[CurvePoint]) -> list[dict[str, object]]:
        rows = {(p.curve_id, p.curve_date, p.tenor_days): {
            "curve_id": p.curve_id, "curve_date": p.curve_date, "tenor_days": p.tenor_days,
            "day_count": str(p.day_count), "rate": p.rate, "source": p.source} for p in points}
        return list(rows.values())

    def upsert(self, points: Sequence[CurvePoint]) -> UpsertCounts:
        """Insert or replace by (curve id, date, tenor)."""
        rows = self._rows(points)
        if not rows:
            return UpsertCounts()
        days = [r["curve_date"] for r in rows]
        where = _C.c.curve_date.between(min(days), max(days))  # type: ignore[type-var]
        before = _count(self._connection, _C, where)
        upsert_rows(self._connection, _C, rows, ["curve_id", "curve_date", "tenor_days"])
        after = _count(self._connection, _C, where)
        return UpsertCounts(inserted=after - before, updated=len(rows) - (after - before))

    def replace(self, curve_ids: Sequence[str], start: date, end: date, points: Sequence[CurvePoint]) -> UpsertCounts:
        """Delete the curves' vertices in [start, end] and insert ``points``: a derived curve is rebuilt whole."""
        removed = self._connection.execute(delete(_C).where(and_(
            _C.c.curve_id.in_(list(curve_ids)), _C.c.curve_date.between(start, end)))).rowcount
        rows = self._rows(points)
        upsert_rows(self._connection, _C, rows, ["curve_id", "curve_date", "tenor_days"])
        kept = min(removed, len(rows))
        return UpsertCounts(inserted=len(rows) - kept, updated=kept)

    def between(self, curve_ids: Sequence[str], start: date, end: date) -> pd.DataFrame:
        """Vertices of ``curve_ids`` dated in [start, end]."""
        stmt = select(*(_C.c[c] for c in CURVE_COLUMNS)).where(and_(
            _C.c.curve_id.in_(list(curve_ids)), _C.c.curve_date.between(start, end))).order_by(
            _C.c.curve_id, _C.c.curve_date, _C.c.tenor_days)
        return pd.DataFrame.from_records(rows_of(self._connection.execute(stmt)), columns=CURVE_COLUMNS)
