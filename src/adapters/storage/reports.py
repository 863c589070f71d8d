"""Stored daily reports (JSON per session)."""

from collections.abc import Sequence
from datetime import date, datetime

from sqlalchemy import Connection, func, select

from adapters.storage.instants import utc
from adapters.storage.tables import DailyReportRow
from adapters.storage.upsert import upsert_rows
from application.ports import ReportStamp, StoredReport

_T = DailyReportRow.__table__


class SqlAlchemyReportRepository:
    """Rows of ``daily_reports``: one per session, replaced when the session is re-run."""

    def __init__(self, connection: Connection) -> None:
        self._c = connection

    def save(self, day: date, content: str, *, generated_at: datetime, schema_version: int) -> None:
        """Insert or replace the report of ``day``."""
        self.save_many([StoredReport(day, generated_at, schema_version, content)])

    def save_many(self, reports: Sequence[StoredReport]) -> None:
        """Insert or replace several reports in one batch."""
        upsert_rows(self._c, _T, [{"date": r.day, "generated_at": r.generated_at, "schema_version": r.schema_version,
                                   "content": r.content} for r in reports], ["date"])

    def get(self, day: date) -> StoredReport | None:
        """The report of ``day``, if any."""
        row = self._c.execute(select(_T).where(_T.c.date == day)).one_or_none()
        return StoredReport(row.date, utc(row.generated_at), row.schema_version, row.content) if row else None

    def latest(self) -> StoredReport | None:
        """The most recent report."""
        row = self._c.execute(select(_T).order_by(_T.c.date.desc()).limit(1)).one_or_none()
        return StoredReport(row.date, utc(row.generated_at), row.schema_version, row.content) if row else None

    def stamp(self, day: date | None = None) -> ReportStamp | None:
        """Date, generation time and schema of ``day``'s report (the latest's when ``day`` is None)."""
        query = select(_T.c.date, _T.c.generated_at, _T.c.schema_version)
        query = query.where(_T.c.date == day) if day is not None else query.order_by(_T.c.date.desc()).limit(1)
        row = self._c.execute(query).one_or_none()
        return ReportStamp(row.date, utc(row.generated_at), row.schema_version) if row else None

    def stamps(self, *, limit: int, offset: int = 0) -> list[ReportStamp]:
        """Stamps newest session first."""
        rows = self._c.execute(select(_T.c.date, _T.c.generated_at, _T.c.schema_version)
                               .order_by(_T.c.date.desc()).limit(limit).offset(offset))
        return [ReportStamp(r.date, utc(r.generated_at), r.schema_version) for r in rows]

    def count(self) -> int:
        """Number of stored reports."""
        return int(self._c.execute(select(func.count()).select_from(_T)).scalar_one())
