"""Pipeline-run history: asset outcomes per run and connector outcomes per partition date."""

from datetime import date, datetime

from sqlalchemy import Connection, select, update

from adapters.storage.instants import utc
from adapters.storage.tables import AssetRunRow, ConnectorRunRow
from adapters.storage.upsert import upsert_rows
from application.ports import AssetRun, ConnectorRun
from domain.market.bronze import Connector

_A = AssetRunRow.__table__
_K = ConnectorRunRow.__table__


def _seconds(start: datetime | None, end: datetime | None) -> float | None:
    if start is None or end is None:
        return None
    return (end - start).total_seconds()


class SqlAlchemyPipelineRunRepository:
    """Rows of ``asset_runs`` and ``connector_runs``."""

    def __init__(self, connection: Connection) -> None:
        self._connection = connection

    def record_asset(self, run: AssetRun) -> None:
        """Insert or replace the outcome of (run id, asset, partition start)."""
        upsert_rows(self._connection, _A, [{
            "run_id": run.run_id, "asset": run.asset, "partition_start": run.partition_start,
            "partition_end": run.partition_end, "status": run.status, "attempts": run.attempts,
            "started_at": run.started_at, "finished_at": run.finished_at,
            "duration_seconds": _seconds(run.started_at, run.finished_at), "rows": run.rows, "error": run.error,
        }], ["run_id", "asset", "partition_start"])

    def record_connector(self, run: ConnectorRun) -> None:
        """Insert or replace the outcome of (connector, partition date)."""
        upsert_rows(self._connection, _K, [{
            "connector": str(run.connector), "partition_date": run.partition_date, "status": run.status,
            "rows": run.rows, "latest_data_date": run.latest_data_date, "error": run.error,
            "started_at": run.started_at, "finished_at": run.finished_at,
            "duration_seconds": _seconds(run.started_at, run.finished_at) or 0.0,
            "lag_sessions": run.lag_sessions, "allowed_lag_sessions": run.allowed_lag_sessions,
        }], ["connector", "partition_date"])

    def fail_running(self, error: str, finished_at: datetime) -> int:
        """Mark every asset still 'running' as failed with ``error``; returns how many rows changed."""
        result = self._connection.execute(
            update(_A).where(_A.c.status == "running").values(status="failed", error=error, finished_at=finished_at))
        return int(result.rowcount or 0)

    def asset_runs(self, run_id: str) -> list[AssetRun]:
        """Every asset outcome of one run, by asset name."""
        stmt = select(_A).where(_A.c.run_id == run_id).order_by(_A.c.asset, _A.c.partition_start)
        return [AssetRun(run_id=r.run_id, asset=r.asset, partition_start=r.partition_start,
                         partition_end=r.partition_end, status=r.status, attempts=r.attempts,
                         started_at=utc(r.started_at), finished_at=utc(r.finished_at), rows=r.rows,
                         error=r.error) for r in self._connection.execute(stmt)]

    def connector_runs(self, connector: Connector | None = None) -> list[ConnectorRun]:
        """Connector outcomes, newest partition first."""
        stmt = select(_K).order_by(_K.c.partition_date.desc(), _K.c.connector)
        if connector is not None:
            stmt = stmt.where(_K.c.connector == str(connector))
        return [ConnectorRun(connector=Connector(r.connector), partition_date=r.partition_date, status=r.status,
                             rows=r.rows, latest_data_date=r.latest_data_date, error=r.error,
                             started_at=utc(r.started_at) or datetime.min,
                             finished_at=utc(r.finished_at) or datetime.min, lag_sessions=r.lag_sessions,
                             allowed_lag_sessions=r.allowed_lag_sessions)
                for r in self._connection.execute(stmt)]

    def latest_partition(self, connector: Connector) -> date | None:
        """Most recent partition date with a successful fetch for ``connector``."""
        stmt = select(_K.c.partition_date).where(_K.c.connector == str(connector), _K.c.status == "success") \
            .order_by(_K.c.partition_date.desc()).limit(1)
        return self._connection.execute(stmt).scalar_one_or_none()
