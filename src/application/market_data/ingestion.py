"""Bronze ingestion: fetch a trailing window from a connector and upsert it, recording the outcome."""

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta

from application.errors import MarketDataError
from application.ports import Clock, ConnectorRun, MarketDataSource, UnitOfWork, UpsertCounts
from domain.market.bronze import BronzeBatch, Connector
from domain.market.freshness import connector_freshness


@dataclass(frozen=True, slots=True)
class IngestionResult:
    """What one connector ingestion wrote."""

    connector: Connector
    fetch_start: date
    fetch_end: date
    fetched: int
    written: UpsertCounts
    latest_data_date: date | None


class MarketDataIngestion:
    """Runs one connector over a window and stores its records in one transaction."""

    def __init__(self, source: MarketDataSource, uow: Callable[[], UnitOfWork], clock: Clock, *,
                 window_days: int, window_days_by_connector: Mapping[Connector, int] | None = None) -> None:
        self._source = source
        self._uow = uow
        self._clock = clock
        self._window = timedelta(days=window_days)
        # A source whose records are final on the day (B3 settlements: one ~6 MB file per session)
        # needs no months-long trailing window to catch releases and revisions.
        self._windows = {c: timedelta(days=d) for c, d in (window_days_by_connector or {}).items()}

    def ingest(self, connector: Connector, start: date, end: date) -> IngestionResult:
        """Fetch ``connector`` over [start - window, end] as known on ``end`` and upsert everything.

        The trailing window makes a daily partition see monthly releases dated weeks earlier and
        pick up revisions. Either every record of the fetch is stored or none is; the outcome
        (success with row count and latest data date, or the error) is recorded for ``end``.
        """
        started = self._clock.now()
        fetch_start = start - self._windows.get(connector, self._window)
        try:
            batch = self._source.fetch(connector, fetch_start, end)
            written = self._store(batch)
        except Exception as exc:
            error = str(exc) if isinstance(exc, MarketDataError) else f"{type(exc).__name__}: {exc}"
            self._record(ConnectorRun(connector, end, "failed", 0, None, error, started, self._clock.now()))
            raise
        latest = batch.latest_date()
        freshness = connector_freshness(connector, latest, end) if latest is not None else None
        self._record(ConnectorRun(connector, end, "success", batch.row_count, latest, None, started,
                                  self._clock.now(), freshness.lag_sessions if freshness else None,
                                  freshness.allowed_sessions if freshness else None))
        return IngestionResult(connector, fetch_start, end, batch.row_count, written, latest)

    def _store(self, batch: BronzeBatch) -> UpsertCounts:
        with self._uow() as uow:
            counts = uow.observations.upsert(batch.observations)
            counts += uow.prices.upsert(batch.prices)
            counts += uow.curves.upsert(batch.curve_points)
            uow.commit()
        return counts

    def _record(self, run: ConnectorRun) -> None:
        with self._uow() as uow:
            uow.pipeline_runs.record_connector(run)
            uow.commit()
